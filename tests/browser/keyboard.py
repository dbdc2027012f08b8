"""Keyboard paths in a real browser: how many key presses a person needs to reach a control."""

FOCUSED = "() => { const e = document.activeElement; return e ? (e.id || e.textContent.trim().slice(0, 40)) : ''; }"


def press_tab_until(page, selector: str, limit: int = 60) -> list[str]:
    """Press Tab until the element matching `selector` has the focus; returns what got the focus on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} not reached in {limit} Tab presses: {seen}")
