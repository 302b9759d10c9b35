"""积分银行: the passbook page, its rules tab and its score chart."""
