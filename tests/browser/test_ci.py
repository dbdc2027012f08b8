"""When browser tests may skip: only CI=true turns a missing Chromium into a failure."""

import pytest

from tests.browser.fixtures import in_ci


@pytest.mark.parametrize("value,expected", [("true", True), ("TRUE", True), ("false", False), ("0", False),
                                            ("", False), ("no", False), (None, False)])
def test_only_ci_true_makes_a_missing_browser_a_failure(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert in_ci() is expected
