"""The domain of 村治通: one package per area (org, points, store, ranking, accounts, backup,
printing) over models/core. No Qt here, and nothing from reports/, ui/ or commands/."""
