"""In a real browser at desktop width: the report's three figures each stand under their own label."""

from tests.responses.factory import World


def test_each_figure_stands_under_its_label(client, browser, live_server):
    world = World(client)
    world.comment(body="Ein Hinweis")
    world.idea()
    ctx = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto("/berichte")
    pairs = page.locator(".report-facts dt").evaluate_all("""dts => dts.map(dt => {
        const dd = dt.nextElementSibling, a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
        return {label: dt.textContent, value: dd.textContent, dt: [a.left, a.bottom], dd: [b.left, b.top]};
    })""")
    ctx.close()
    assert [p["label"] for p in pairs] == ["Kommentare", "Ideen", "Beteiligte Personen"]
    assert [p["value"] for p in pairs] == ["1", "1", "2"]
    for p in pairs:  # the number starts where its label starts, right below it
        assert abs(p["dd"][0] - p["dt"][0]) < 2 and 0 <= p["dd"][1] - p["dt"][1] < 20, p
    lefts = [p["dt"][0] for p in pairs]
    assert lefts == sorted(set(lefts)), pairs  # three cards side by side, in reading order
