"""红黑榜: the page and its score grid and chart widgets."""
