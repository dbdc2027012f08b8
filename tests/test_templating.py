"""The date filters fill in Babel's patterns by hand (speed): they must give what Babel gives, in every locale."""

from datetime import UTC, date, datetime, timedelta

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
