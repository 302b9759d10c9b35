"""三个一工作日志 page: the month grid, completeness and reminders, matters, settlement."""
