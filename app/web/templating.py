"""Jinja2 with blocks as fragments, gettext, dates in Europe/Berlin and a URL builder."""

import re
import string
from contextvars import ContextVar
from types import MethodType
from typing import Any
from urllib.parse import quote, unquote

import jinja2
import jinja2.compiler
import jinja2.ext
import jinja2.nodes
import markupsafe
from jinja2.lexer import Token
from jinja2.runtime import Macro
from jinja2.utils import missing
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, _escape_inner
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app.settings import ROOT
from app.web import htmx, i18n
from app.web.security import csrf_token
from app.web.static import static_url

BERLIN = i18n.BERLIN
FLASH_COOKIE = "qw_flash"

class _Context(jinja2.runtime.Context):
    """Jinja's context, calling macros and the plain functions below (`_()`, `url()`, `static_url()`) directly:
    Jinja asks every callable, on every call, whether it wants the context or environment passed; the section
    page calls these a thousand times. Everything else is called as Jinja does."""

    def call(__self, __obj, *args, **kwargs):
        macro = type(__obj) is Macro
        if macro or id(__obj) in _PLAIN:
            if kwargs:  # within loops and blocks Jinja passes its own variables along; only context users read them
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            if macro and not kwargs and len(args) <= __obj._argument_count and not (
                    __obj.caller or __obj.explicit_caller or __obj.catch_kwargs or __obj.catch_varargs):
                # parameters by position only (a comment's macros, called per comment): the macro's function at
                # once, as Macro.__call__ ends up calling it, the parameters not given `missing` (the function
                # puts in their defaults), without its sorting out of keywords and caller
                text = __obj._func(*args, *_MISSING[:__obj._argument_count - len(args)])
                return _markup(Markup, text) if __obj._default_autoescape else text
            return __obj(*args, **kwargs)
        if type(__obj) is MethodType and __obj.__func__ is _MARKUP_FORMAT and not args:  # _("… {n}").format(n=…)
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return _format(__obj.__self__, kwargs)
        return super().call(__obj, *args, **kwargs)


_MARKUP_FORMAT = Markup.format
_MISSING = (missing,) * 32  # more parameters than any macro has
_SIMPLE: dict[str, bool] = {}  # text → whether its every field is a plain {name}


def _format(text: Markup, values: dict[str, Any]) -> Markup:
    """Markup.format(**values), the same result, quicker for what templates format (a page does it about 30 times):
    translated texts with plain {name} fields filled with text, Markup or ids. markupsafe formats through
    string.Formatter, field by field in Python; here each value is escaped and str.format does the rest."""
    simple = _SIMPLE.get(text)
    if simple is None:
        if len(_SIMPLE) > 10_000:  # the texts are the templates' own; a bound all the same
            _SIMPLE.clear()
        simple = _SIMPLE[text] = all(name.isidentifier() and not spec and conversion is None
                                     for _literal, name, spec, conversion in string.Formatter().parse(text)
                                     if name is not None)
    if simple:
        escaped = {}
        for name, value in values.items():
            kind = type(value)
            if kind is str:
                escaped[name] = _escape_inner(value)
            elif kind is int or kind is Markup:  # an id has nothing to escape; Markup is escaped already
                escaped[name] = value
            else:
                break
        else:
            return _markup(Markup, str.format(text, **escaped))
    return text.format(**values)


_PLAIN: set[int] = set()  # ids of the module-level functions that take no context (filled below)
_markup = str.__new__  # Markup(text) for a str `text`, without Markup.__new__'s check for __html__


def escape(value: Any) -> Markup:
    """markupsafe.escape, the same result, quicker for what pages print most (a page escapes every {{ }}: the
    expert's section page about 2,800 times): text, Markup from `_()`, and ids."""
    kind = type(value)
    if kind is str:
        return _markup(Markup, _escape_inner(value))
    if kind is Markup:
        return value
    if kind is int:  # digits and a minus sign: nothing to escape
        return _markup(Markup, str(value))
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose compiled code escapes with `escape` above (Jinja's code calls the `escape` it imported),
    and whose contexts made during render() are noted (see _unlink)."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        namespace["escape"] = escape
        return super()._from_namespace(environment, namespace, globals)

    def new_context(self, vars=None, shared=False, locals=None):
        context = super().new_context(vars, shared, locals)
        made = _CONTEXTS.get()
        if made is not None and vars is not None:  # vars None: a module Jinja caches (an import without context)
            made.append(context)
        return context


# The contexts of one render(): a page, its includes, and the macro modules it imports "with context". Each such
# module's context holds its macros, whose code refers back to the context: a reference cycle that keeps the
# whole page's data (every comment of the discussion) alive until the garbage collector finds it, which then
# costs the section page more than half a millisecond a request. Dropped after rendering, they free at once.
_CONTEXTS: ContextVar[list | None] = ContextVar("qw_template_contexts", default=None)


def _unlink(contexts: list) -> None:
    for context in contexts:
        context.vars = {}  # rebound, not cleared: a dict may be shared with a context Jinja keeps
        context.parent = {}


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's compiler, with `x.name` compiled to Python's own attribute lookup first: Jinja calls
    `environment.getattr(x, "name")` for every dot, a Python function call each (the expert's section page makes
    about 3,400). Here the built-in `getattr(x, "name", missing)` answers, and only where it finds no attribute
    (a dict's key, an undefined name) does `environment.getattr` run, as before: the same value in every case.
    The object expression is evaluated twice on that second path (and written twice), so only names and short
    chains of dots, which have no side effects, take the quick path."""

    @jinja2.compiler.optimizeconst
    def visit_Getattr(self, node: jinja2.nodes.Getattr, frame: jinja2.compiler.Frame) -> None:
        if self.environment.is_async or not _pure(node.node):
            return super().visit_Getattr(node, frame)
        self.write("(_qw_value if (_qw_value := getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, missing)) is not missing else environment.getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}))")


def _pure(node: jinja2.nodes.Node, depth: int = 3) -> bool:
    """A name, or up to `depth` dots after one (`c`, `c.author.name`)."""
    while isinstance(node, jinja2.nodes.Getattr) and depth:
        node, depth = node.node, depth - 1
    return isinstance(node, jinja2.nodes.Name)


env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "templates")), autoescape=True,
                         extensions=["jinja2.ext.i18n"], auto_reload=False)
env.context_class = _Context
env.code_generator_class = _CodeGenerator
env.template_class = _Template
templates = Jinja2Blocks(env=env)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
_TRANSLATED: dict[tuple[str, str], Markup] = {}


def _gettext(message: str, **variables) -> Markup:
    """`_()` in templates: what the i18n extension's newstyle gettext returns (the translation as Markup, formatted
    with the escaped variables), with the translation kept per locale: a page calls it a dozen times per comment,
    and the extension's two context calls per use cost a tenth of the section page's render."""
    key = (i18n.current_locale.get(), message)
    translated = _TRANSLATED.get(key)
    if translated is None:
        if len(_TRANSLATED) > 10_000:  # the messages are the templates' own; a bound all the same
            _TRANSLATED.clear()
        translated = _TRANSLATED[key] = Markup(i18n.translations(key[0]).gettext(message))
    return translated % variables if variables or "%" in translated else translated


env.globals["_"] = _gettext


class _TranslatedConstants(jinja2.ext.Extension):
    """`_("literal")` translated when the template is compiled, for the locale of its environment (see
    `_LOCALE_ENVS`): the call becomes `("Übersetzung"|safe)`, which Jinja's optimizer turns into constant text.
    The same result as `_gettext` above, without a call per use at render time (the expert's section page has
    about 700). Left to run time: calls with variables, a literal with "%" (gettext's formatting), `x._(…)`."""

    def filter_stream(self, stream):
        locale = self.environment.qw_locale  # type: ignore[attr-defined]
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if (t.type == "name" and t.value == "_" and i + 3 < len(tokens) and (i == 0 or tokens[i - 1].type != "dot")
                    and [x.type for x in tokens[i + 1:i + 4]] == ["lparen", "string", "rparen"]
                    and "%" not in tokens[i + 2].value):
                translated = i18n.translations(locale).gettext(tokens[i + 2].value)
                yield from (Token(t.lineno, "lparen", "("), Token(t.lineno, "string", translated),
                            Token(t.lineno, "pipe", "|"), Token(t.lineno, "name", "safe"),
                            Token(t.lineno, "rparen", ")"))
                i += 4
                continue
            yield t
            i += 1


def _locale_env(locale: str) -> jinja2.Environment:
    """An overlay of `env` (the same loader, globals and filters; a cache of its own) whose templates are compiled
    with their constant texts in `locale`."""
    overlay = env.overlay(extensions=[_TranslatedConstants])
    overlay.qw_locale = locale  # type: ignore[attr-defined]
    return overlay


env.trim_blocks = True
env.lstrip_blocks = True
env.globals["static_url"] = static_url
env.filters["datetime"] = i18n.format_datetime
env.filters["date"] = i18n.format_date
env.filters["number"] = i18n.format_number
env.filters["isodate"] = lambda v: v.astimezone(BERLIN).isoformat() if v else ""

# Pages are rendered by the environment of the reader's locale; `env` itself (translating at run time) renders
# what is not a page response (mails, exports, panels inside pages).
_LOCALE_ENVS = {locale: _locale_env(locale) for locale in i18n.LOCALES}
_LOCALE_TEMPLATES = {locale: Jinja2Blocks(env=overlay) for locale, overlay in _LOCALE_ENVS.items()}


def render(request: Request, name: str, context: dict[str, Any] | None = None, *,
           block: str | None = None, status_code: int = 200) -> Response:
    """Render a page, or only `block` of it when htmx asks for a fragment (then `fragment` is true in the template,
    e.g. to update a live region that stays on the page with hx-swap-oob)."""
    fragment = bool(block) and htmx.wants_fragment(request)
    ctx = {
        "fragment": fragment,
        "request": request,
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "locale": i18n.current_locale.get(),
        # Translated here and escaped by the template: the cookie is the visitor's input, never markup.
        "flash": i18n.gettext(unquote(request.cookies.get(FLASH_COOKIE, ""))[:300]),
        **(context or {}),
    }
    kwargs = {"block_name": block} if fragment else {}
    contexts: list = []
    token = _CONTEXTS.set(contexts)
    try:
        pages = _LOCALE_TEMPLATES.get(ctx["locale"], templates)
        response = pages.TemplateResponse(request, name, ctx, status_code=status_code, **kwargs)
    finally:
        _CONTEXTS.reset(token)
        _unlink(contexts)
    response.headers["Vary"] = "HX-Request, Cookie"
    if ctx["flash"]:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(url: str, *, flash: str | None = None, status_code: int = 303) -> RedirectResponse:
    """Post/redirect/get, with an optional one-time message shown on the next page."""
    response = RedirectResponse(url, status_code=status_code)
    if flash:
        response.set_cookie(FLASH_COOKIE, quote(flash), path="/", httponly=True, samesite="lax", max_age=60)
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# --- links from route names ------------------------------------------------------------------------

_PATHS: dict[str, str] = {}  # route name → path template, e.g. "idea" → "/ideen/{idea_id}"
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
_SPLIT: dict[str, tuple[str, frozenset[str], tuple[str, ...]]] = {}  # route name → _split(name)


def _named_routes(routes, prefix: str = ""):
    for route in routes:
        if isinstance(getattr(route, "path", None), str) and getattr(route, "name", None) and \
                not hasattr(route, "original_router"):
            yield prefix + route.path, route.name
        inner = getattr(route, "original_router", None)  # FastAPI keeps included routers nested
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _named_routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))


def install_urls(routes) -> None:
    """Learn every route's path by its name (create_app calls this). Pages by their name, the JSON API's routes
    as "api.<name>". Two paths under one name are an error at start, not a wrong link later."""
    paths: dict[str, str] = {}
    for path, name in _named_routes(routes):
        key = f"api.{name}" if path.startswith("/api/") else name
        if paths.setdefault(key, path) != path:
            raise RuntimeError(f"route name {key!r} names two paths: {paths[key]} and {path}")
    _PATHS.clear()
    _PATHS.update(paths)
    _SPLIT.clear()


def _split(name: str) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """A route's path template as (template, its parameters, literal and parameter parts in turn), split once."""
    try:
        return _SPLIT[name]
    except KeyError:
        pass
    try:
        template = _PATHS[name]
    except KeyError:
        raise LookupError(f"no route named {name!r}") from None
    parts = tuple(_PARAM.split(template))  # literal, name, literal, name, …, literal
    _SPLIT[name] = split = (template, frozenset(parts[1::2]), parts)
    return split


def url(name: str, /, **params: Any) -> str:
    """The path of a named route, e.g. url("idea", idea_id=3) → "/ideen/3" (templates: {{ url(...) }})."""
    template, needed, parts = _SPLIT.get(name) or _split(name)
    if not params and not needed:
        return template
    if needed != params.keys():
        raise LookupError(f"route {name!r} ({template}) needs {sorted(needed)}, got {sorted(params)}")
    path = parts[0]
    for i in range(1, len(parts), 2):  # a plain loop: a page links every comment's actions (~100 calls)
        path += _quoted(params[parts[i]]) + parts[i + 1]
    return path


def _quoted(value: Any) -> str:
    return str(value) if type(value) is int else quote(str(value), safe="")  # an id needs no quoting


env.globals["url"] = url
_PLAIN.update(id(f) for f in (_gettext, url, static_url))
