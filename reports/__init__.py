"""Spreadsheets and printouts produced from service rows (no database access here)."""
