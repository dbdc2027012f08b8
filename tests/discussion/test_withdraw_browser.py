"""Withdrawing a comment takes a second, deliberate step, also in a browser without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import browser_login
from tests.discussion import factories
from tests.helpers import api_token, make_user


@pytest.mark.parametrize("javascript", [True, False])
def test_withdraw_asks_first(client, browser, live_server, javascript):
    section_id = factories.section()
    factories.round_([section_id])
    author = make_user("expert", name="Erika Expertin")
    r = client.post(f"/api/v1/sections/{section_id}/comments", headers=api_token(client, author),
                    json={"body": "Ein voreiliger Hinweis."})
    assert r.status_code == 201, r.text
    ctx = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    page = ctx.new_page()
    browser_login(page, author)
    page.goto(f"/abschnitte/{section_id}")
    confirm = page.get_by_role("button", name="Ja, Beitrag zurückziehen")
    expect(confirm).to_be_hidden()
    page.get_by_text(re.compile(r"^Zurückziehen \(Beitrag #\d+\)$")).click()  # opens the question only
    expect(page.get_by_text("Möchten Sie diesen Beitrag wirklich zurückziehen?")).to_be_visible()
    assert client.get(f"/api/v1/comments/{r.json()['id']}").json()["status"] == "visible"
    confirm.click()
    expect(page.get_by_text("Der Beitrag ist zurückgezogen.")).to_be_visible()
    expect(page.get_by_text("Dieser Beitrag wurde zurückgezogen.")).to_be_visible()
    ctx.close()
