"""The goods store's paper: receipts and the store spreadsheets."""
