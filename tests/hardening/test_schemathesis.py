"""Schemathesis against /openapi.json of the app in-process, as an administrator and as a resident: every built-in
check (no 5xx at all, so no "database is locked" 503 either; status codes, headers, content types and bodies as
documented; invalid data refused, valid data accepted; auth not ignored; deleted things gone) plus problem
details on every error, for each operation and in the stateful phase (sequences of calls following the schema's
links and the links Schemathesis infers). Bounded examples and steps keep it to a few minutes per database."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from app.main import create_app
from tests.conftest import _truncate
from tests.helpers import PASSWORD, make_user

APP = create_app()
# Schema-valid is not always valid: a request naming a document that does not exist, or a round that closes
# before it opens, is refused with 422 (problem details, field errors) by the domain rules; positive data may get
# that too, never a 400 or a 5xx.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
# Administrative bulk operations whose data would be random garbage at best (import) are left out.
schema = schema.exclude(path_regex=r"^/api/v1/import$")
load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())
ROLES = ["admin", "resident"]
# Examples per operation and role, and stateful scenarios: QW_SCHEMATHESIS_SCALE=4 explores four times as much.
SCALE = int(os.environ.get("QW_SCHEMATHESIS_SCALE", "1"))
SUPPRESS = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture]


def problem_details(ctx, response, case) -> None:
    """Every 4xx/5xx answer of the API is an RFC 9457 problem document."""
    if response.status_code < 400 or not case.path.startswith("/api/"):
        return None
    ctype = response.headers.get("content-type", [""])
    ctype = ctype[0] if isinstance(ctype, list) else ctype
    assert ctype.startswith("application/problem+json"), f"{response.status_code} answered with {ctype}"
    body = response.json()
    assert body.get("status") == response.status_code and body.get("title"), body
    return None


def _token(role: str) -> str:
    from fastapi.testclient import TestClient

    user = make_user(role, name=f"{role.title()} Schema")
    with TestClient(APP) as client:
        answer = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        return answer.json()["token"]


@pytest.fixture(params=ROLES)
def token(request):
    return _token(request.param)


@schema.parametrize()
@settings(max_examples=8 * SCALE, deadline=None, derandomize=SCALE == 1, suppress_health_check=SUPPRESS)
def test_api_contract(case, token):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    case.call_and_validate(checks=ALL_CHECKS, additional_checks=[problem_details])


@pytest.mark.parametrize("role", ROLES)
def test_api_stateful(role):
    class Machine(schema.as_state_machine()):
        # Each scenario starts from empty tables, so Hypothesis can replay and shrink what it found.
        def setup(self):
            self.bearer = {"Authorization": f"Bearer {_token(role)}"}

        def teardown(self):
            _truncate()

        def get_call_kwargs(self, case):
            return {"headers": self.bearer}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=ALL_CHECKS, additional_checks=[problem_details],
                                   transport_kwargs=kwargs)

    Machine.run(settings=settings(max_examples=25 * SCALE, stateful_step_count=8, deadline=None, derandomize=SCALE == 1,
                                  phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
