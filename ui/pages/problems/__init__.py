"""问题整改 page: the rectification ledger, the problem card, fast entry, statistics, the 门前三包 returns."""
