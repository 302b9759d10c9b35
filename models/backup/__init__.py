"""Backups of the SQLite file, restore and damaged-file checks."""
