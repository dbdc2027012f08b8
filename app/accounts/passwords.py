"""Argon2 password hashing (argon2-cffi)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.settings import get_settings


def _hasher() -> PasswordHasher:
    if get_settings().environment == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # fast, still argon2id
    return PasswordHasher()


_DUMMY = None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists, so timing reveals nothing."""
    global _DUMMY
    if password_hash is None:
        _DUMMY = _DUMMY or _hasher().hash("dummy-password")
        password_hash, password = _DUMMY, password + "x"
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
