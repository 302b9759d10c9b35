"""The points bank: passbooks, the append-only hash-chained ledger, rules and year closing."""
