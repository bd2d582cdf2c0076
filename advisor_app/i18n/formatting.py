"""Dates, times, durations and money written as the advisor's locale writes them."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.numbers import format_currency, format_decimal

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n.catalogs import BABEL_LOCALES, _, current_language


def babel_locale(language: str | None = None) -> str:
    return BABEL_LOCALES.get(language or current_language(), "fr_FR")


def format_date(value: date | None, style: str = "medium", language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_format_date(value, format=style, locale=babel_locale(language))


def format_time(value: time | datetime, language: str | None = None) -> str:
    return babel_format_time(value, format="short", locale=babel_locale(language))


def format_datetime(value: datetime | None, language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_format_datetime(value, format="short", locale=babel_locale(language))


def format_duration(minutes: int) -> str:
    """Hours and minutes as people write them: "1 h 30", "45 min", "2 h"."""
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if hours == 0:
        return f"{sign}{rest} min"
    if rest == 0:
        return f"{sign}{hours} h"
    return f"{sign}{hours} h {rest:02d}"


def format_money(cents: int, language: str | None = None) -> str:
    """Euros for the locale: "12 500,00 €" in French, "€12,500.00" in English."""
    return format_currency(cents / 100, "EUR", locale=babel_locale(language))


def format_amount_to_edit(cents: int, language: str | None = None) -> str:
    """An amount as it can be typed back, without currency sign: "12500" or "12500,50"."""
    pattern = "0" if cents % 100 == 0 else "0.00"
    return format_decimal(cents / 100, format=pattern, locale=babel_locale(language))


def format_file_size(size: int, language: str | None = None) -> str:
    """ "2,5 Mo" / "2.5 MB", "12 Ko" / "12 kB": the size of a document."""
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
