"""The date filters fill in Babel's patterns by hand (speed): they must give what Babel gives, in every locale."""

from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import format_date, format_time

from app.web import i18n
from app.web.templating import BERLIN, env


def test_date_filters_match_babel_in_every_locale_and_season():
    start = datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    moments = [start + timedelta(days=d, hours=h) for d in range(0, 366, 17) for h in (0, 7, 11, 12, 23)]
    moments.append(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # the hour summer time begins in Berlin
    for locale in i18n.LOCALES:
        token = i18n.current_locale.set(locale)
        try:
            for moment in moments:
                local = moment.astimezone(BERLIN)
                expected = f"{format_date(local, 'long', locale=locale)}, {format_time(local, 'short', locale=locale)}"
                assert env.filters["datetime"](moment) == expected
                assert env.filters["date"](moment) == format_date(local, "long", locale=locale)
                assert i18n.format_date(moment, "medium") == format_date(local, "medium", locale=locale)
                assert i18n.format_date(local.date(), "medium") == format_date(local.date(), "medium", locale=locale)
        finally:
            i18n.current_locale.reset(token)
    assert env.filters["datetime"](None) == env.filters["date"](None) == ""


def test_the_two_locales_read_as_people_expect():
    moment = datetime(2023, 1, 5, 13, 30, tzinfo=UTC)
    assert i18n.format_datetime(moment) == "5. Januar 2023, 14:30"
    token = i18n.current_locale.set("en")
    try:
        assert i18n.format_datetime(moment) == "January 5, 2023, 2:30\u202fPM"
        assert i18n.format_date(date(2023, 1, 5), "medium") == "Jan 5, 2023"
    finally:
        i18n.current_locale.reset(token)


def test_the_templates_escape_exactly_as_markupsafe_does():
    """templating.escape (the compiled templates' escape, quicker for text, Markup and ids) gives markupsafe's
    result for every kind of value, and the templates use it."""
    import enum

    import markupsafe

    from app.web import templating

    class Kind(enum.IntEnum):
        a = 1

    class Html:
        def __html__(self):
            return "<b>ok</b>"

    for value in ("", "a<b>&\"'", "Grüße", markupsafe.Markup("<i>x</i>"), 0, -12, 10**20, True, None, 1.5,
                  Kind.a, Html(), ["<"], templating.env.undefined(name="nothing")):
        ours = templating.escape(value)
        assert type(ours) is markupsafe.Markup and ours == markupsafe.escape(value), value
    page = templating.env.from_string("{{ a }}{{ b }}{{ c }}").render(a="<", b=3, c=markupsafe.Markup("<i>"))
    assert page == "&lt;3<i>"
    assert templating.env.get_template("base.html").root_render_func.__globals__["escape"] is templating.escape


def test_a_rendered_page_leaves_no_reference_cycle_holding_its_data(monkeypatch):
    """Macros imported "with context" refer back to their context: render() drops those contexts afterwards, so
    a page's data (the section page's every comment) is freed at once, not by the garbage collector later."""
    import gc
    import weakref

    import jinja2
    from starlette.requests import Request

    from app.web import templating

    pages = {"t/macros.html": "{% macro shown(x) %}[{{ x.text }}|{{ csrf_token }}]{% endmacro %}",
             "t/page.html": '{% from "t/macros.html" import shown with context %}{% for x in items %}'
                            '{{ shown(x) }}{% endfor %}{% include "t/part.html" %}',
             "t/part.html": '{% from "t/macros.html" import shown with context %}{{ shown(items[0]) }}'}
    for environment in (templating.env, *templating._LOCALE_ENVS.values()):  # pages render in the locale's
        monkeypatch.setattr(environment, "loader", jinja2.ChoiceLoader([jinja2.DictLoader(pages),
                                                                         templating.env.loader]))
        monkeypatch.setattr(environment, "cache", {})

    class Item:
        def __init__(self, text):
            self.text = text

    items = [Item("<a>"), Item("b")]
    alive = [weakref.ref(i) for i in items]
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"",
                       "state": {"csrf_token": "tok"}})
    gc.disable()
    try:
        body = templating.render(request, "t/page.html", {"items": items}).body  # the response keeps its context
        del items
        assert [ref() for ref in alive] == [None, None]
    finally:
        gc.enable()
    assert body == b"[&lt;a&gt;|tok][b|tok][&lt;a&gt;|tok]"
    assert templating.render(request, "t/page.html", {"items": [Item("c")]}).body == b"[c|tok][c|tok]"


def test_constant_texts_translated_at_compile_time_read_as_at_run_time():
    """Pages are rendered by an environment per locale that translates `_("literal")` when compiling: the same
    text as the run-time `_()` of `env`, with the same escaping, and the constant really folded."""
    from app.web.templating import _LOCALE_ENVS

    source = ('{{ _("Abmelden") }}|{{ _("Absatz {n}").format(n=value) }}|{% set label = _("Anmelden") %}{{ label }}'
              '|{{ _(name) }}|{{ ngettext("%(num)d Unterstützung", "%(num)d Unterstützungen", 3) }}'
              '|{{ _("Zustimmung") if value else _("Ablehnung") }}|{{ _("Ungültig: {x}").format(x="ok") }}')
    for locale in i18n.LOCALES:
        token = i18n.current_locale.set(locale)
        try:
            values = {"value": "<b>&", "name": "Abmelden"}
            expected = env.from_string(source).render(**values)
            assert _LOCALE_ENVS[locale].from_string(source).render(**values) == expected
            assert "&lt;b&gt;&amp;" in expected
        finally:
            i18n.current_locale.reset(token)
    token = i18n.current_locale.set("en")
    try:
        assert env.from_string('{{ _("Abmelden") }}').render() == "Log out"
    finally:
        i18n.current_locale.reset(token)
    compiled = _LOCALE_ENVS["en"].compile('{{ _("Abmelden") }}', raw=True)
    assert "Log out" in compiled and "context.call" not in compiled


def test_every_template_compiles_in_every_locale():
    from app.web.templating import _LOCALE_ENVS

    names = env.list_templates(extensions=["html", "txt", "xml", "ics"])
    assert len(names) > 50
    for overlay in _LOCALE_ENVS.values():
        for name in names:
            overlay.get_template(name)


def test_attribute_lookups_compiled_quicker_give_what_jinja_gives():
    """`x.name` is compiled to Python's getattr first (app.web.templating._CodeGenerator): objects, dicts' keys,
    dict methods, undefined names and attributes, long chains and calls read exactly as in plain Jinja, and an
    expression with a call is evaluated once."""
    import jinja2

    class Broken:
        @property
        def name(self):  # an AttributeError inside a property: Jinja then tries the key, as before
            raise AttributeError("inside")

        def __getitem__(self, key):
            return f"item {key}"

    class Node:
        def __init__(self, **fields):
            self.__dict__.update(fields)

    calls = []

    def make():
        calls.append(1)
        return Node(name="made")

    source = ("{{ o.name }}|{{ d.name }}|{{ d.items is defined }}|{{ o.nothing }}|{{ o.nothing is defined }}"
              "|{{ o.child.child.child.child.name }}|{{ d.inner.name }}"
              "|{{ broken.name }}|{{ make().name }}|{{ o.child.name if o.child.name is defined else 'kein' }}")
    values = {"o": Node(name="<Objekt>", child=Node(child=Node(child=Node(child=Node(name="tief"))))),
              "d": {"name": "Schlüssel", "inner": {"name": "innen"}}, "broken": Broken(), "make": make}
    plain = jinja2.Environment(autoescape=True).from_string(source).render(**values)
    assert calls == [1]
    ours = env.from_string(source).render(**values)
    assert calls == [1, 1], "the call is made once"
    assert ours == plain == ("&lt;Objekt&gt;|Schlüssel|True||False|tief|innen|item name|made|kein")
    for environment in (jinja2.Environment(), env):  # an attribute of something undefined: the same error
        with pytest.raises(jinja2.UndefinedError, match="'nowhere' is undefined"):
            environment.from_string("{{ nowhere.name }}").render()
        with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nothing'"):
            environment.from_string("{{ o.nothing.name }}").render(o=values["o"])
    compiled = env.compile("{{ o.name }}{{ make().name }}", raw=True)
    assert "getattr(" in compiled and compiled.count("environment.getattr(") == 2  # fallback once, and the call


def test_translated_texts_formatted_quicker_give_what_markupsafe_gives():
    """`_("… {n}").format(n=…)` in a template takes a quicker way than Markup.format (app.web.templating._format):
    text is escaped, Markup and ids kept, and every other case (format specs, positions, attributes, other kinds of
    value, a missing name) is left to markupsafe, with the same text or the same error."""
    import markupsafe
    import pytest

    from app.web.templating import _LOCALE_ENVS

    class Html:
        def __html__(self):
            return "<b>ok</b>"

    texts = ["Absatz {n}", "{n} und {n}: {m}", "{{n}} bleibt {n}", "ohne Feld", "{n!r}", "{n:>6}", "{n.real}",
             "{0}", "{}", "{n[0]}", "100 % {n}"]
    values = ["<a href='x'>&", "", "Grüße", markupsafe.Markup("<i>x</i>"), 7, -3, True, None, 1.5, Html(), ["<"]]
    for locale_env in (env, *_LOCALE_ENVS.values()):
        for text in texts:
            template = locale_env.from_string("{{ t.format(n=n, m=m) }}")
            for value in values:
                try:
                    expected = str(markupsafe.Markup(text).format(n=value, m=value))
                except Exception as error:  # noqa: BLE001 - the same error must come out of the template
                    with pytest.raises(type(error)):
                        template.render(t=markupsafe.Markup(text), n=value, m=value)
                    continue
                assert template.render(t=markupsafe.Markup(text), n=value, m=value) == expected, (text, value)
    page = _LOCALE_ENVS["de"].from_string('{% for x in xs %}{{ _("Zu Fassung {n}").format(n=x) }};{% endfor %}')
    assert page.render(xs=["<1>", 2]) == "Zu Fassung &lt;1&gt;;Zu Fassung 2;"


def test_macros_called_quicker_give_what_jinja_gives():
    """A macro called with every parameter by position runs its function at once (app.web.templating._Context.call);
    defaults, keywords, `caller`, varargs and kwargs, and macros in loops, blocks and imported modules read exactly
    as in plain Jinja."""
    import jinja2

    macros = ('{% macro full(a, b) %}[{{ a }}|{{ b }}]{% endmacro %}'
              '{% macro short(a, b="B<") %}({{ a }}/{{ b }}){% endmacro %}'
              '{% macro wrap(a) %}<w>{{ caller(a) }}</w>{% endmacro %}'
              '{% macro rest(a) %}{{ a }}{{ varargs|join(",") }}{{ kwargs|dictsort|join(";") }}{% endmacro %}'
              '{% macro tree(n) %}{{ n.name }}{% for c in n.children %}<{{ tree(c) }}>{% endfor %}{% endmacro %}')
    source = ('{{ full("<x>", 1) }}{{ full(a=2, b="y") }}{{ short("s") }}{{ short("s", "t") }}{{ short(b=3, a=4) }}'
              '{% call(v) wrap("c") %}{{ v }}!{% endcall %}{{ rest(1, 2, 3, k="<v>") }}{{ tree(node) }}'
              '{% for i in [1, 2] %}{{ full(i, loop.index) }}{% endfor %}{% block b %}{{ short(7, 8) }}{% endblock %}'
              '{{ full(1) }}|{{ (full("<", 2) ~ "&")|e }}')
    node = {"name": "<r>", "children": [{"name": "k1", "children": []}, {"name": "k2", "children": []}]}
    for autoescape in (True, False):
        plain_env = jinja2.Environment(autoescape=autoescape)
        ours_env = env.overlay(autoescape=autoescape)
        plain = plain_env.from_string(macros + source).render(node=node)
        assert ours_env.from_string(macros + source).render(node=node) == plain, autoescape
    assert "[&lt;x&gt;|1]" in env.from_string(macros + source).render(node=node)
    for call in ('{{ full(1, 2, 3) }}', '{{ full(1, 2, c=3) }}'):  # the same errors as before
        with pytest.raises(TypeError):
            env.from_string(macros + call).render()
