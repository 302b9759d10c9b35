"""The organisation: township, villages, natural villages, zones, alleys, households, residents
and their heads; the roster spreadsheet; search."""
