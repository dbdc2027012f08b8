"""The shape of the code: thin routes, imports pointing one way, CSRF on every page form."""

import ast
import re
from pathlib import Path

from app.web.security import csrf_protect

APP = Path(__file__).resolve().parent.parent / "app"
# Lower layers first; a module may import its own layer and the layers before it, never a later one.
LAYERS = [
    {"settings", "db", "errors", "web", "validation", "audit", "ratelimit", "schemas", "notifications", "migrate",
     "cache"},
    {"accounts"}, {"quartiere", "site"}, {"documents"}, {"rounds"}, {"ideas", "events"}, {"discussion"},
    {"moderation", "responses"}, {"reports", "exports", "legal"},
]
TOP = {"main", "api", "cli", "deps", "models", "demo", "wiring", "__main__", "__init__"}
ROUTES = ("pages.py", "api.py")  # a package's routes may use app.deps (the request's session and user) as well


def _layer(name: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    return None


def _imported_modules(path: Path) -> set[str]:
    """The app modules a file imports, as dotted names ("app.ideas.service"; "from app.x import y" gives both
    "app.x" and "app.x.y", whichever of them is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and (node.module == "app" or
                                                                 node.module.startswith("app.")):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app."))
    return found


def _app_imports(path: Path) -> set[str]:
    """The top-level app packages and modules a file imports."""
    return {name.split(".")[1] for name in _imported_modules(path) if name.count(".") >= 1}


def _package(path: Path) -> str:
    return path.relative_to(APP).parts[0].removesuffix(".py")


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
        top = _package(path)
        if top in TOP:
            continue
        own = _layer(top)
        assert own is not None, f"{rel}: add its package to LAYERS in this test"
        for imported in _app_imports(path):
            level = _layer(imported)
            if imported == "deps" and rel.name in ROUTES:
                continue
            if imported == "models":  # every domain's tables: only for the last layer (the backup of everything)
                level = len(LAYERS) - 1
                if level > own:
                    wrong.append(f"{rel} imports app.models")
                continue
            if imported in TOP or (level is not None and level > own):
                wrong.append(f"{rel} imports app.{imported}")
    assert wrong == []


def test_no_package_cycles():
    """Between the domain packages (every module, routes included), imports form no cycle: each can be read,
    tested and changed knowing only the packages below it."""
    domains = set().union(*LAYERS[1:])
    graph: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        top = _package(path)
        if top in domains:
            graph.setdefault(top, set()).update(p for p in _app_imports(path) if p != top and p in domains)
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycle = trail[trail.index(nxt):] + [nxt]
                if cycle[0] == min(cycle[:-1]):  # each cycle once
                    cycles.append(" → ".join(cycle))
            elif len(trail) < len(graph):
                visit(nxt, trail + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []


def test_routes_do_not_import_other_routes():
    """A page or API module never imports another package's pages or API; what one page shows of another
    domain comes through the registries filled in app/wiring.py."""
    wrong = []
    for path in APP.rglob("*.py"):
        for name in _imported_modules(path):
            parts = name.split(".")
            if len(parts) >= 3 and parts[-1] in ("pages", "api") and parts[1] != _package(path) \
                    and _package(path) not in TOP:
                wrong.append(f"{path.relative_to(APP)} imports {name}")
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


# --- links from route names (app/web/templating.py url()) ---------------------------------------------------

_LITERAL_PATH = re.compile(r'\s(?:href|src|action|formaction|hx-[a-z]+|data-[a-z-]+)="/|[?&](?:amp;)?next=/')
_URL_CALL = re.compile(r"""\burl\(\s*['"]([\w.]+)['"]""")


def test_templates_build_internal_links_from_route_names(asgi_app):
    """No template spells an internal path: links, forms and htmx requests come from url('route name', …) (and
    files from static_url), so a path changes in one place. Every name used is a route of the app."""
    from app.web.templating import _PATHS

    literal, unknown = [], []
    for path in sorted((APP.parent / "templates").rglob("*.html")):
        text = path.read_text()
        for line_no, line in enumerate(text.splitlines(), 1):
            if _LITERAL_PATH.search(line):
                literal.append(f"{path.relative_to(APP.parent)}:{line_no}")
        unknown += [f"{path.relative_to(APP.parent)}: {name}" for name in _URL_CALL.findall(text)
                    if name not in _PATHS]
    assert literal == [], "use {{ url('route name', …) }} or static_url(…)"
    assert unknown == []


def test_the_url_builder_fills_and_quotes_parameters_and_refuses_wrong_ones(asgi_app):
    import pytest

    from app.web.templating import install_urls, url

    assert url("idea", idea_id=3) == "/ideen/3"
    assert url("section_version", section_id=2, number=3) == "/abschnitte/2/fassungen/3"
    assert url("hide", target="beitrag", target_id=7) == "/moderation/beitrag/7/ausblenden"
    assert url("district", district_slug="bad cannstatt/x") == "/quartiere/bad%20cannstatt%2Fx"
    assert url("my_data") == "/konto/daten.json" and url("api.my_data") == "/api/v1/me/export"
    for wrong in (lambda: url("idea"), lambda: url("idea", idea_id=1, x=2), lambda: url("no_such_route")):
        with pytest.raises(LookupError):
            wrong()
    from fastapi import APIRouter

    twice = APIRouter()
    twice.add_api_route("/a", lambda: None, name="same")
    twice.add_api_route("/b", lambda: None, name="same")
    with pytest.raises(RuntimeError, match="names two paths"):
        install_urls(twice.routes)
    install_urls(asgi_app.routes)


def test_the_apps_routes_are_listed_flat(asgi_app):
    """FastAPI 0.163 matches an included router's routes through every level of nesting on each request (a tenth
    of a page's time): create_app lists the domains' routes in the app's own router instead."""
    nested = [route for route in asgi_app.routes if hasattr(route, "original_router")]
    assert nested == []
    assert sum(1 for route in asgi_app.routes if getattr(route, "path", "").startswith("/api/v1/")) > 50
