"""The demo town of the report, generated deterministically (no network)."""
