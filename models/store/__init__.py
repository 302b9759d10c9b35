"""The goods store: goods, stock movements, the redemption counter and the store's reports."""
