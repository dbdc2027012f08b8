"""Re-export of the conftest helpers for test modules."""

from tests.conftest import CONSENT, PASSWORD, api_token, csrf, link_in, login, make_user, outbox, post_form  # noqa: F401
