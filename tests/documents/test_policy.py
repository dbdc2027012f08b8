"""Who may do what with the document: every role against every predicate."""

import pytest

from app.accounts.models import Role, User
from app.documents import policy

WRITERS = {Role.lead, Role.admin}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("predicate", [policy.can_edit_document, policy.can_publish, policy.can_see_drafts])
def test_only_leads_and_admins_write(role, predicate):
    user = User(email="x@example.org", display_name="X", role=role.value)
    assert predicate(user) is (role in WRITERS)


@pytest.mark.parametrize("predicate", [policy.can_edit_document, policy.can_publish, policy.can_see_drafts])
def test_anonymous_visitors_only_read(predicate):
    assert predicate(None) is False
