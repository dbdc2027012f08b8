"""The date filters spell out Babel's patterns by hand (speed): they must give what Babel gives."""

from datetime import UTC, datetime, timedelta

from babel.dates import format_date, format_datetime

from app.web import i18n
from app.web.templating import BERLIN, _date, _datetime


def test_date_filters_match_babel_in_every_locale_and_season():
    start = datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    moments = [start + timedelta(days=d, hours=h) for d in range(0, 366, 17) for h in (0, 7, 23)]
    moments.append(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # the hour summer time begins in Berlin
    for locale in i18n.LOCALES:
        token = i18n.current_locale.set(locale)
        try:
            for moment in moments:
                local = moment.astimezone(BERLIN)
                assert _datetime(moment) == format_datetime(local, "d. MMMM y, HH:mm", locale=locale)
                assert _date(moment) == format_date(local, "d. MMMM y", locale=locale)
        finally:
            i18n.current_locale.reset(token)
    assert _datetime(None) == _date(None) == ""
