"""In a real browser: every landmark on a section with several answered comments and on the editions compare has
its own name (axe landmark-unique), and the paragraph link "¶" has the contrast of text."""

from tests.browser.fixtures import AXE
from tests.discussion.factories import PARAGRAPHS
from tests.responses.factory import World

AXE_SOURCE = AXE.read_text()


def _violations(page, rules: list[str]) -> list[dict]:
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'rule', values: rules}, "
                           "resultTypes: ['violations']})", rules)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


def _contrast(rgb_fg: list[float], rgb_bg: list[float]) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(rgb_fg), luminance(rgb_bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The ¶ as drawn: its colour blended over the page by the opacity of it and its ancestors.
DRAWN = """el => {
  const parse = s => s.match(/[\\d.]+/g).map(Number);
  let opacity = 1;
  for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
  let bg = null;
  for (let n = el; n && !bg; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c.length < 4 || c[3] > 0) bg = c.slice(0, 3);
  }
  const fg = parse(getComputedStyle(el).color).slice(0, 3);
  return {fg: fg.map((c, i) => c * opacity + (bg || [255, 255, 255])[i] * (1 - opacity)), bg: bg || [255, 255, 255]};
}"""


def test_answered_comments_have_their_own_landmark_names(client, page, axe):
    world = World(client, body="\n\n".join(PARAGRAPHS))
    for n in range(3):
        c = world.comment(body=f"Hinweis Nummer {n + 1} zu den Zielen.")
        assert world.respond("comment", c["id"], status="noted", text=f"Danke für Hinweis {n + 1}.").status_code \
            in (200, 201)
    page.goto(f"/abschnitte/{world.section_id}")
    assert page.locator("aside.official-response").count() == 3
    assert _violations(page, ["landmark-unique"]) == []
    assert axe(page) == []


def test_paragraph_link_has_the_contrast_of_text(client, page):
    world = World(client, body="\n\n".join(PARAGRAPHS))
    page.goto(f"/abschnitte/{world.section_id}")
    link = page.locator(".paragraph-link").first
    drawn = link.evaluate(DRAWN)
    assert _contrast(drawn["fg"], drawn["bg"]) >= 4.5, drawn
    link.focus()
    drawn = link.evaluate(DRAWN)
    assert _contrast(drawn["fg"], drawn["bg"]) >= 4.5, drawn


def test_editions_compare_names_each_change_once(client, page, axe):
    world = World(client, body="\n\n".join(PARAGRAPHS))
    docs = world.docs
    chapter = docs.chapter()
    second = docs.section(chapter["id"], title="Zusammenarbeit", body="Alle Ämter arbeiten zusammen.")["id"]
    docs.publish(second, "Erste Fassung.")
    first_edition = docs.post("/editions", {"document": "rahmenkonzeption", "title": "Entwurf 1"})
    docs.save(world.section_id, "\n\n".join([*PARAGRAPHS, "Ein neuer Absatz."]))
    docs.publish(world.section_id, "Ergänzt.")
    docs.save(second, "Alle Ämter und Träger arbeiten zusammen.")
    docs.publish(second, "Träger ergänzt.")
    second_edition = docs.post("/editions", {"document": "rahmenkonzeption", "title": "Entwurf 2"})
    page.goto(f"/gesamtfassungen/vergleich?von={first_edition['id']}&bis={second_edition['id']}")
    assert page.locator("section.edition-change").count() == 2
    assert _violations(page, ["landmark-unique"]) == []
    assert axe(page) == []
