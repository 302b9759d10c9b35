"""The Qt user interface. Reaches data only through the services of models/."""
