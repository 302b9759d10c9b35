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


class ServerProblem(DatabaseProblem):
    """The database server cannot be reached, refused the login, or dropped the connection.
    Nothing is wrong with the data; the user may retry once the network or server is back."""


class LoginRefused(ServerProblem):
    """The database server refused this PC's database login (wrong password, no such user)."""


class ConnectionLost(ServerProblem):
    """The connection broke during an operation: it may or may not have been saved. A retry of
    an operation that carries an idempotency key checks first and never writes twice."""


class SavedElsewhere(DomainError):
    """Someone on another PC saved the same thing first (a unique key clash, a serialisation
    failure): nothing of this attempt was saved; reload and look again."""
