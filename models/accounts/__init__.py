"""Accounts, login and the audit trail as people read it."""
