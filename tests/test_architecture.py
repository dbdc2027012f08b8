"""The shape of the code: thin routes, imports pointing one way, CSRF on every page form."""

import ast
from pathlib import Path

from app.web.security import csrf_protect

APP = Path(__file__).resolve().parent.parent / "app"
# Lower layers first; a module may import its own layer and the layers before it, never a later one.
LAYERS = [
    {"settings", "db", "errors", "web", "validation", "audit", "ratelimit", "schemas", "notifications", "migrate",
     "cache"},
    {"accounts"}, {"quartiere", "site"}, {"documents"}, {"rounds"}, {"ideas"}, {"discussion"},
    {"moderation", "responses"}, {"reports", "exports"},
]
TOP = {"main", "api", "cli", "deps", "models", "demo", "__main__", "__init__"}


def _layer(name: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    return None


def _app_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app."):
            found.add(node.module.split(".")[1])
            if node.module == "app":
                found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "app":
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("app."))
    return found


def test_routes_are_thin():
    offenders = []
    for path in list(APP.rglob("pages.py")) + list(APP.rglob("api.py")):
        text = path.read_text()
        for needle in ("select(", ".commit(", "session.exec(", "session.add("):
            if needle in text:
                offenders.append(f"{path.relative_to(APP)}: {needle}")
    assert offenders == [], "queries and commits belong in services: " + ", ".join(offenders)


def test_imports_point_one_way():
    wrong = []
    for path in APP.rglob("*.py"):
        rel = path.relative_to(APP)
        top = rel.parts[0].removesuffix(".py")
        if top in TOP or rel.name in ("pages.py", "api.py"):
            continue
        own = _layer(top)
        assert own is not None, f"{rel}: add its package to LAYERS in this test"
        for imported in _app_imports(path):
            level = _layer(imported)
            if imported in TOP or (level is not None and level > own):
                wrong.append(f"{rel} imports app.{imported}")
    assert wrong == []


def test_every_page_form_checks_csrf(asgi_app):
    from tests.hardening.routes import all_routes

    unprotected, checked = [], 0
    for path, route in all_routes(asgi_app.routes):
        if path.startswith("/api/"):
            continue
        if route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            checked += 1
            calls = {dep.call for dep in route.dependant.dependencies}
            if csrf_protect not in calls:
                unprotected.append(path)
    assert checked >= 10  # FastAPI nests included routers: app.routes alone once made this loop check nothing
    assert unprotected == []


def test_no_inline_script_or_style_attributes_in_templates():
    import re

    bad = []
    for path in (APP.parent / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son(click|load|submit|change|input)\s*=|\sstyle\s*=", text):
            bad.append(str(path.relative_to(APP.parent)))
    assert bad == []
