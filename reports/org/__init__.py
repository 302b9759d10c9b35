"""The organisation's paper: work IDs, duty cards, pledges, rosters and the roster spreadsheet."""
