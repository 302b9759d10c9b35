"""The 三个一 paper: blank log sheets, the reminder list and the log's import template."""
