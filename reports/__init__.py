"""PDFs and spreadsheets from plain data: the print centre's documents (rendered from the frozen
dataclasses of `models.printing.documents`) and the xlsx exports. No Qt here, and no database
sessions. Called by ui/ and commands/."""
