"""The administration changes roles on /verwaltung/nutzer; a refused change is explained beside its control."""

from html.parser import HTMLParser

from app import db
from app.accounts.models import User
from tests.helpers import login, make_user, post_form


class _Control(HTMLParser):
    """The role select of one account and the text of the element its aria-describedby points to."""

    def __init__(self, select_id: str):
        super().__init__()
        self.select_id, self.select, self.ids, self.reading, self.texts = select_id, None, {}, None, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") == self.select_id:
            self.select = a
        if a.get("id"):
            self.reading = a["id"]
            self.texts.setdefault(a["id"], "")

    def handle_data(self, data):
        if self.reading:
            self.texts[self.reading] += data

    def handle_endtag(self, tag):
        self.reading = None


def test_removing_your_own_admin_role_is_refused_beside_the_control(client):
    admin = make_user("admin", name="Ada Admin")
    login(client, admin)
    refused = post_form(client, f"/verwaltung/nutzer/{admin.id}/rolle", {"role": "resident"})
    assert refused.status_code == 409
    assert "<h1>Nutzerverwaltung</h1>" in refused.text  # the list again, not an error page
    control = _Control(f"role-{admin.id}")
    control.feed(refused.text)
    assert control.select is not None and control.select.get("aria-invalid") == "true"
    described = control.texts[control.select["aria-describedby"]]
    assert "eigene Administrationsrolle" in described
    with db.new_session() as s:
        assert s.get(User, admin.id).role == "admin"


def test_changing_another_account_still_redirects_with_a_message(client):
    login(client, make_user("admin"))
    expert = make_user("resident", name="Erik Beispiel")
    done = post_form(client, f"/verwaltung/nutzer/{expert.id}/rolle", {"role": "expert", "organisation": "Caritas"})
    assert done.status_code == 303 and done.headers["location"] == "/verwaltung/nutzer"
    page = client.get(done.headers["location"])
    assert "Die Rolle von Erik Beispiel ist jetzt „Expert*in“." in page.text
    bad = post_form(client, f"/verwaltung/nutzer/{expert.id}/rolle", {"role": "kaiser", "page": "x"})
    assert bad.status_code == 422 and f'id="role-{expert.id}-error"' in bad.text
