"""The people area's paper: honour certificates, the talent pool's register (PDF and xlsx) and
its recommendation forms. The honours decision and the assessment results are notices
(reports/core/notice.py)."""
