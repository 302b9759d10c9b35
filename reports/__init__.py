"""Printable documents of the print centre, rendered to PDF from plain data.

Qt-free and database-free: every renderer takes the frozen dataclasses of
`reports.documents` and writes a PDF to a path or a binary file.
"""
