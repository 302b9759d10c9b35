"""三个一 work logs and the seven officers' matters (DOMAIN.md §3), settled into the points bank."""
