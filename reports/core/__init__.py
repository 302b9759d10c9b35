"""What every paper uses: fonts with fallback, styles, tables, drawing, page furniture, notices."""
