"""can_comment / can_vote as a full matrix: role × audience × round state × reply, plus blocked and anonymous."""

from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.models import User
from app.discussion import policy
from app.rounds.models import Round

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ROLES = ["admin", "lead", "moderator", "expert", "resident"]
AUDIENCES = ["experts", "residents", "public"]
# stored state, opens_at offset, closes_at offset (hours) → effective state at NOW
STATES = {
    "planned": ("planned", 1, 48),
    "open": ("planned", -1, 48),
    "opened_early": ("open", 1, 48),
    "closed_by_time": ("planned", -48, -1),
    "closed_early": ("closed", -1, 48),
    "evaluated": ("evaluated", -48, -1),
}
OPEN_STATES = {"open", "opened_early"}
PARTICIPANTS = {"experts": {"expert"}, "residents": {"expert", "resident"}, "public": {"expert", "resident"}}


class FakeSection:
    current_number = 1


def make_round(audience: str, state: str) -> Round:
    stored, opens, closes = STATES[state]
    return Round(id=1, document_id=1, title="R", audience=audience, state=stored,
                 opens_at=NOW + timedelta(hours=opens), closes_at=NOW + timedelta(hours=closes))


def person(role: str, blocked: bool = False) -> User:
    return User(id=7, display_name="P", role=role, email="p@example.org",
                blocked_until=NOW + timedelta(days=1) if blocked else None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("reply", [False, True])
def test_comment_matrix(role, audience, state, reply):
    round_ = make_round(audience, state)
    expected = state in OPEN_STATES and (role in PARTICIPANTS[audience] or (reply and role in ("lead", "moderator")))
    assert policy.can_comment(person(role), round_, FakeSection(), NOW, reply=reply) is expected
    # blocked people and anonymous visitors never
    assert policy.can_comment(person(role, blocked=True), round_, FakeSection(), NOW, reply=reply) is False
    assert policy.can_comment(None, round_, FakeSection(), NOW, reply=reply) is False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("state", list(STATES))
def test_vote_matrix(role, audience, state):
    round_ = make_round(audience, state)
    expected = state in OPEN_STATES and role in PARTICIPANTS[audience]
    assert policy.can_vote(person(role), round_, FakeSection(), NOW) is expected
    assert policy.can_vote(person(role, blocked=True), round_, FakeSection(), NOW) is False
    assert policy.can_vote(None, round_, FakeSection(), NOW) is False


@pytest.mark.parametrize("role", ROLES)
def test_reason_status_for_refusals(role):
    closed = make_round("experts", "closed_by_time")
    open_ = make_round("experts", "open")
    assert policy.comment_refusal(person(role), None, FakeSection(), NOW).status == 409
    assert policy.comment_refusal(person(role), closed, FakeSection(), NOW).status == 409
    refusal = policy.comment_refusal(person(role), open_, FakeSection(), NOW)
    assert (refusal is None) == (role == "expert")
    if refusal:
        assert refusal.status == 403 and "Expert*innen" in refusal.message
    assert policy.comment_refusal(None, open_, FakeSection(), NOW).status == 401


def test_time_boundaries():
    opens, closes = NOW, NOW + timedelta(days=1)
    round_ = Round(id=1, document_id=1, title="R", audience="experts", state="planned", opens_at=opens,
                   closes_at=closes)
    expert = person("expert")
    assert not policy.can_comment(expert, round_, FakeSection(), opens - timedelta(seconds=1))
    assert policy.can_comment(expert, round_, FakeSection(), opens)
    assert policy.can_comment(expert, round_, FakeSection(), closes - timedelta(seconds=1))
    assert not policy.can_comment(expert, round_, FakeSection(), closes)


def test_blocked_until_past_is_not_blocked():
    expert = person("expert")
    expert.blocked_until = NOW - timedelta(seconds=1)
    assert policy.can_comment(expert, make_round("experts", "open"), FakeSection(), NOW)


def test_pick_round_prefers_an_admitting_round_and_explains_refusal():
    resident = person("resident")
    experts_only = make_round("experts", "open")
    public = make_round("public", "open")
    public.id = 2
    chosen, refusal = policy.pick_round(resident, [experts_only, public], FakeSection(), NOW)
    assert chosen is public and refusal is None
    chosen, refusal = policy.pick_round(resident, [experts_only], FakeSection(), NOW)
    assert chosen is None and refusal.status == 403
    chosen, refusal = policy.pick_round(resident, [], FakeSection(), NOW)
    assert chosen is None and refusal.status == 409


@pytest.mark.parametrize("role", ROLES)
def test_idea_comments(role):
    class Idea:
        hidden_at = None

    assert policy.can_comment_idea(person(role), Idea(), NOW)
    assert not policy.can_comment_idea(person(role, blocked=True), Idea(), NOW)
    assert not policy.can_comment_idea(None, Idea(), NOW)
    hidden = Idea()
    hidden.hidden_at = NOW
    assert not policy.can_comment_idea(person(role), hidden, NOW)
