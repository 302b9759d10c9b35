"""The Qt user interface. Reaches data only through models.services."""
