"""Domain errors raised by services; the web layer maps them to HTTP (no HTTP in here)."""


class DomainError(Exception):
    """Base class; `message` is a German, user-facing sentence."""

    status = 400
    title = "Fehler"

    def __init__(self, message: str = "", *, errors: list[tuple[str, str]] | None = None):
        super().__init__(message or self.title)
        self.message = message or self.title
        self.errors = errors or []


class Invalid(DomainError):
    status = 422
    title = "Ungültige Eingabe"


class NotFound(DomainError):
    status = 404
    title = "Nicht gefunden"


class Unauthorized(DomainError):
    status = 401
    title = "Anmeldung erforderlich"


class Forbidden(DomainError):
    status = 403
    title = "Nicht erlaubt"


class Conflict(DomainError):
    status = 409
    title = "Konflikt"


class RateLimited(DomainError):
    status = 429
    title = "Zu viele Anfragen"

    def __init__(self, message: str = "", *, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


class Busy(DomainError):
    """A lock was not free within the configured time (QW_LOCK_TIMEOUT_SECONDS): answered 503, try again."""

    status = 503
    title = "Vorübergehend nicht verfügbar"
    retry_after = 2
