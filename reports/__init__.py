"""PDFs and spreadsheets from domain data: the print centre's documents (rendered from the frozen
dataclasses of `reports.documents`) and the xlsx exports. No Qt here, and no database sessions."""
