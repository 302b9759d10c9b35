"""The people area's pages: 评先树优 (eligibility, top scorers, nominations and the published
honours), 综合测评 (results, grades, replacing a 不称职 head) and 后备人才库."""
