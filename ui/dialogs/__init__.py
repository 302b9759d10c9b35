"""Dialogs that carry out one operation each."""
