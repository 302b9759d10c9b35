"""Errors a user may see. Every message is Simplified Chinese and says what and where."""


class DomainError(Exception):
    """A refused operation; `str(error)` is the message shown to the user."""


class ValidationError(DomainError):
    """Bad input: a field that does not hold what it must."""


class CapExceeded(DomainError):
    """A zone or alley would hold more households than the setting allows."""


class PermissionDenied(DomainError):
    """The signed-in account may not do this here."""


class NotFound(DomainError):
    """The thing asked for does not exist (any more)."""


class DatabaseProblem(DomainError):
    """The database file is missing, damaged, not a database, or of a newer program."""
