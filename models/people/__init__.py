"""People: who may be honoured (eligibility), the year's honours and top scorers, the yearly
assessment of heads (综合测评) and the reserve talent pool (后备人才库)."""
