"""Dates, times, durations, numbers and money written as the advisor's locale writes them.

One way for each, everywhere (tables, charts, the desktop): "1er janv. 2026", "9 h 30",
"2 677 h 45", "2 273" in French; "1 Jan 2026" or 2026-01-01, "09:30", "2,677 h 45 min",
"2,273" in English. The spaces inside a time, a duration or a number are no-break spaces
(U+00A0, or babel's narrow U+202F between thousands), so that nothing breaks inside them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Literal

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n.catalogs import BABEL_LOCALES, _, current_language

# babel (and its locale data) is imported when something is first formatted with it: a
# command that formats nothing, or only small whole numbers, never loads it.


def babel_locale(language: str | None = None) -> str:
    return BABEL_LOCALES.get(language or current_language(), "fr_FR")


NBSP = "\u00a0"
STYLES: tuple[Literal["short", "medium", "long", "full"], ...] = ("short", "medium", "long", "full")
ISO_DATE = "yyyy-MM-dd"
_QUOTED = re.compile(r"('(?:[^']|'')*')")
_LONE_DAY = re.compile(r"(?<![d])d(?![d])")


def _language(language: str | None) -> str:
    return language or current_language()


def _first_of_month(pattern: str) -> str:
    """French writes the first day of a month "1er": the lone day field `d` takes "er"
    ("dd", as in 01/09/2025, and quoted text are left alone)."""
    parts = _QUOTED.split(pattern)
    return "".join(part if part.startswith("'") else _LONE_DAY.sub("d'er'", part) for part in parts)


def date_pattern(value: date, style: str = "medium", language: str | None = None) -> str:
    """The CLDR pattern `format_date` uses: the locale's style, ISO for a short English date
    (01/09/2025 reads as 9 January to half the English-speaking world), "1er" in French."""
    language = _language(language)
    if style == "short" and language == "en":
        return ISO_DATE
    from babel.dates import get_date_format

    named = next((s for s in STYLES if s == style), None)
    pattern = get_date_format(named, babel_locale(language)).pattern if named else style
    return _first_of_month(pattern) if language == "fr" and value.day == 1 else pattern


def format_date(value: date | None, style: str = "medium", language: str | None = None) -> str:
    """ "1er sept. 2025" / "1 Sept 2025" (medium), "01/09/2025" / "2025-09-01" (short), or
    any CLDR pattern ("EEE d MMM")."""
    if value is None:
        return ""
    from babel.dates import format_date as babel_format_date

    pattern = date_pattern(value, style, language)
    return babel_format_date(value, format=pattern, locale=babel_locale(language))


def format_time(value: time | datetime, language: str | None = None) -> str:
    """ "9 h 30" in French, as the durations are written; "09:30" in English."""
    if _language(language) == "fr":
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    from babel.dates import format_time as babel_format_time

    return babel_format_time(value, format="short", locale=babel_locale(language))


def format_datetime(value: datetime | None, language: str | None = None) -> str:
    """ "14/03/2026 9 h 30" / "2026-03-14 09:30": the short date, then the time."""
    if value is None:
        return ""
    return f"{format_date(value.date(), 'short', language)} {format_time(value, language)}"


def format_number(value: float, language: str | None = None) -> str:
    """A count or a quantity with the locale's thousands separator: "2 273" / "2,273"."""
    if type(value) is int and 0 <= value < 1000:  # no separator to place, in either language
        return str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=babel_locale(language)))


def format_share(fraction: float, language: str | None = None) -> str:
    """A fraction as a whole percentage: "57 %" / "57%"."""
    from babel.numbers import format_percent as babel_format_percent

    return str(babel_format_percent(fraction, locale=babel_locale(language)))


def format_duration(minutes: int, language: str | None = None) -> str:
    """Hours and minutes as people write them, in every table, chart and figure:
    "1 h 30", "45 min", "2 h", "2 677 h 45" in French; "1 h 30 min", "2,677 h 45 min" in
    English."""
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if hours == 0:
        return f"{sign}{rest}{NBSP}min"
    text = f"{sign}{format_number(hours, language)}{NBSP}h"
    if rest == 0:
        return text
    if _language(language) == "fr":
        return f"{text}{NBSP}{rest:02d}"
    return f"{text}{NBSP}{rest}{NBSP}min"


def format_money(cents: int, language: str | None = None) -> str:
    """Euros for the locale: "12 500,00 €" in French, "€12,500.00" in English."""
    from babel.numbers import format_currency

    return format_currency(cents / 100, "EUR", locale=babel_locale(language))


def format_amount_to_edit(cents: int, language: str | None = None) -> str:
    """An amount as it can be typed back, without currency sign: "12500" or "12500,50"."""
    from babel.numbers import format_decimal

    pattern = "0" if cents % 100 == 0 else "0.00"
    return format_decimal(cents / 100, format=pattern, locale=babel_locale(language))


def format_file_size(size: int, language: str | None = None) -> str:
    """ "2,5 Mo" / "2.5 MB", "12 Ko" / "12 kB": the size of a document."""
    from babel.numbers import format_decimal

    locale = babel_locale(language)
    if size >= 1_048_576:
        number = format_decimal(round(size / 1_048_576, 1), format="0.#", locale=locale)
        return _("{size} MB").format(size=number)
    number = format_decimal(max(1, round(size / 1024)), locale=locale)
    return _("{size} kB").format(size=number)


def parse_date(field: str, text: str) -> date:
    """Read a date typed as 2026-03-14, 14/03/2026 or 14.03.2026."""
    cleaned = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        field,
        N_("“{text}” is not a date."),
        N_("Type it as 14/03/2026 or 2026-03-14."),
        text=text,
    )


def collation_key(text: str) -> tuple[str, str]:
    """Sort as a French reader expects: "Bénard" after "Benali", before "Brunet";
    accents and case only break ties."""
    folded = text.casefold()
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return plain, folded
