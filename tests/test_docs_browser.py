"""In a real browser: the API reference at /docs passes axe-core, best practices included, and its own links work."""

from playwright.sync_api import expect

from tests.browser.fixtures import AXE


def test_api_reference_passes_axe_and_links_to_its_schemas(page):
    page.goto("/docs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("API-Referenz")
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")  # every rule, best practices too
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
             if v["impact"] in ("moderate", "serious", "critical")]
    assert found == []
    page.get_by_role("link", name="TokenIn").first.click()
    expect(page.locator("#schema-tokenin")).to_be_in_viewport()
    expect(page.get_by_role("table", name="Felder von TokenIn")).to_contain_text("password")
