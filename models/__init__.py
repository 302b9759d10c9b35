"""The domain of 村治通: SQLAlchemy models and the services that change them. No Qt here."""
