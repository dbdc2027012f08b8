"""Settings: the only reader of the environment (prefix QW_)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    # No secret key: nothing is signed. Sessions, API tokens and the links in mails are random tokens stored
    # only as hashes, CSRF is a double-submit cookie, and the flash message is plain text shown escaped.
    model_config = SettingsConfigDict(env_prefix="QW_", env_file=".env", extra="ignore")

    environment: str = "development"  # development | test | production
    database_url: str = f"sqlite:///{ROOT / 'var' / 'quartierswerkstatt.db'}"
    base_url: str = "http://127.0.0.1:8000"
    cookie_secure: bool = False  # cookies are also Secure whenever the request came over https
    session_days: int = 14
    api_token_days: int = 90
    invitation_days: int = 14
    max_body_bytes: int = 1_000_000
    max_import_bytes: int = 200_000_000
    login_max_failures: int = 10
    login_window_seconds: int = 15 * 60
    post_rate_per_minute: int = 30
    mail_backend: str = "log"  # log | smtp
    # In development only: the app itself delivers the outbox this often (seconds; 0: off), so that the links of
    # confirmation mails appear in the log at once without `python -m app deliver-mail --loop`.
    dev_mail_interval_seconds: float = Field(2.0, ge=0, le=3600)
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Quartierswerkstatt <noreply@quartierswerkstatt.example>"
    # Where a person objects to a moderation decision (named in the mails about hiding and blocking).
    moderation_contact: str = "moderation@quartierswerkstatt.example"
    # Retention (Löschfristen), applied by the deliver-mail worker once an hour and by `python -m app purge`:
    # sent, cancelled or undeliverable mails are deleted after this many days, expired or used login tokens,
    # confirmation links and unused invitations this many days after they ended, the audit log's entries about
    # persons after this many days (entries documenting the procedure are kept; see app/audit.py).
    retention_mail_days: int = Field(30, ge=1, le=3650)
    retention_token_days: int = Field(7, ge=0, le=3650)
    retention_audit_days: int = Field(365, ge=30, le=36500)
    db_pool_size: int = 10  # per worker; up to twice as many connections under load
    # Threads per worker for the synchronous routes. Few: the work is CPU-bound under the GIL, and every extra
    # thread makes the others wait longer for it (measured: writes/s drop by a quarter from 2 to 8 threads; 2 did best).
    worker_threads: int = 2
    # How long a request waits for a lock (SQLite's write lock, a PostgreSQL row or table lock) before it gets
    # 503 with Retry-After; writes hold locks for milliseconds, so waiting longer only piles requests up.
    lock_timeout_seconds: float = Field(5, gt=0, le=600)
    # PostgreSQL ends a session whose transaction has been idle this long (a backstop; requests end theirs).
    idle_transaction_timeout_seconds: float = Field(60, gt=0, le=3600)
    page_cache: bool = True  # pages served from memory while what they show is unchanged (app/cache.py)
    # How much older than the newest write an anonymous reader's cached page may be (seconds; 0: never older).
    # Hidden or erased text is never served from an older copy; logged-in readers always get a current one.
    page_cache_stale_seconds: float = 1.0
    # Each worker's garbage collector (app/web/heap.py): once started, what start-up made is frozen and the youngest
    # objects are collected after this many new ones (Python's default: 700). 0: the collector as Python sets it.
    gc_young_threshold: int = Field(10_000, ge=0, le=1_000_000)

    @property
    def delivers_mail_in_app(self) -> bool:
        return self.environment == "development" and self.dev_mail_interval_seconds > 0

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
