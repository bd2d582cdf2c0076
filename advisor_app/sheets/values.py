"""Cells turned into Boussole's values, or refused with a reason in the user's language.

What the trackers hold: day-first dates (03/02/1985, 3/2/85, 03-02-1985, 03.02.1985,
3 février 1985), ISO dates (1990-07-14), date cells, and Excel's serial numbers where a
date column holds a plain number; amounts in French or English writing, with or without
"€" ("12 500,00 €" with no-break spaces, "12,500.00", "1 500 €"); durations ("1h30",
"1 h 30", "45 min", "1,5 h", "90", "01:30", time cells); and the words that mean "not
known" ("NC", "n.c.", "-", "—", "?"), read as empty.

Each function returns the value, None for an empty cell, or raises `ValueRefused` whose
`reason` is a translated sentence; `records_from` (mapping.py) makes a `Refusal` of it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from advisor_app.domain.validation import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_APPOINTMENT_MINUTES,
    MAX_CENTS,
)
from advisor_app.i18n import _
from advisor_app.sheets.reading import Cell, cell_text

DurationUnit = Literal["hours", "minutes"]

# Written in a cell when nothing is known: read as empty (compared without accents, case,
# spaces or dots: "N.C.", "n c", "Non communiqué").
EMPTY_MARKERS = frozenset(
    {
        "",
        "nc",
        "n/c",
        "nr",
        "n/r",
        "n/a",
        "nd",
        "n/d",
        "-",
        "--",
        "—",
        "–",
        "?",
        "??",
        "/",
        "neant",
        "inconnu",
        "inconnue",
        "non communique",
        "non communiquee",
        "non renseigne",
        "non renseignee",
        "unknown",
        "none",
    }
)
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 29 Feb 1900)
_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "january": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "feb": 2,
    "february": 2,
    "mars": 3,
    "mar": 3,
    "march": 3,
    "avril": 4,
    "avr": 4,
    "apr": 4,
    "april": 4,
    "mai": 5,
    "may": 5,
    "juin": 6,
    "jun": 6,
    "june": 6,
    "juillet": 7,
    "juil": 7,
    "jul": 7,
    "july": 7,
    "aout": 8,
    "aug": 8,
    "august": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "september": 9,
    "octobre": 10,
    "oct": 10,
    "october": 10,
    "novembre": 11,
    "nov": 11,
    "november": 11,
    "decembre": 12,
    "dec": 12,
    "december": 12,
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2})[:h](\d{2})(?::\d{2}(?:\.\d+)?)?)?")
_DAY_FIRST = re.compile(
    r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})"
    r"(?:\s*(?:à|a|at|,)?\s*(\d{1,2})\s*[:h]\s*(\d{2})?(?::\d{2})?)?"
)
_WORDS_DATE = re.compile(
    r"(?:[a-z]+\.?\s+)?(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\.?\s+(\d{4})"
    r"(?:\s*(?:à|a|at|,)?\s*(\d{1,2})\s*[:h]\s*(\d{2})?)?"
)
_TIME = re.compile(r"(\d{1,2})\s*(?:[:h]\s*(\d{2})?)(?::\d{2})?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_CURRENCY = re.compile(r"(€|eur(?:os?)?\b|euros?\b|\$)", re.IGNORECASE)
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")
_HOURS_MINUTES = re.compile(
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|heures?|hours?))?\s*"
    r"(?:(\d+)\s*(?:min|mins|mn|minutes?|'|m)?)?"
)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


class ValueRefused(ValueError):
    """A cell that cannot be taken; `reason` says why, already translated."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: "  Né(e) le " → "ne(e) le"."""
    if text.isascii():
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(bare.split())


def is_empty(cell: Cell) -> bool:
    """A blank cell, or one of the words that mean "not known" ("NC", "-", "?")."""
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    if not text:
        return True
    if len(text) > 20 or text[0].casefold() not in _MARKER_STARTS:
        return False  # most cells: said at once
    return plain(text).replace(".", "").replace(" ", "") in _COMPACT_MARKERS


_COMPACT_MARKERS = frozenset(marker.replace(" ", "") for marker in EMPTY_MARKERS)
_MARKER_STARTS = frozenset(marker[0] for marker in _COMPACT_MARKERS if marker)


# -- text ----------------------------------------------------------------------------------


def text_value(cell: Cell) -> str:
    """Any cell as text, trimmed; "" for an empty one. Line ends become "\\n"."""
    if is_empty(cell):
        return ""
    return cell_text(cell).replace("\r\n", "\n").replace("\r", "\n").strip()


def phone_value(cell: Cell) -> str:
    """A phone number as written; a number cell gets back the leading 0 a spreadsheet drops
    from a French number (612345678 → 0612345678)."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        digits = cell_text(cell)
        return "0" + digits if len(digits) == 9 and digits.isdigit() else digits
    return text_value(cell)


def postcode_value(cell: Cell) -> str:
    """A postcode as written; a number cell gets back its leading 0 (1000 → 01000)."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        digits = cell_text(cell)
        return digits.zfill(5) if len(digits) == 4 and digits.isdigit() else digits
    return text_value(cell)


def email_value(cell: Cell) -> str:
    """An e-mail address, trimmed; "mailto:" dropped; refused without its @."""
    text = text_value(cell)
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    if not text:
        return ""
    if "@" not in text or text.startswith("@") or text.endswith("@") or " " in text:
        raise ValueRefused(
            _("This is not an e-mail address (it should look like name@example.org).")
        )
    return text


# -- dates ---------------------------------------------------------------------------------


def date_value(cell: Cell, today: date | None = None) -> date | None:
    """A day: a date cell, an Excel serial number, or text written day first or ISO."""
    moment = datetime_value(cell, today)
    return moment.date() if moment is not None else None


def datetime_value(cell: Cell, today: date | None = None) -> datetime | None:
    """A day and maybe a time (midnight when none is written): "03/02/2024 14h30",
    "2024-02-03T14:30", a date or date-and-time cell, an Excel serial number."""
    if is_empty(cell):
        return None
    if isinstance(cell, datetime):
        return _within_years(cell)
    if isinstance(cell, date):
        return _within_years(datetime.combine(cell, time(0, 0)))
    if isinstance(cell, bool | time | timedelta):
        raise ValueRefused(_("This is not a date."))
    if isinstance(cell, int | float):
        return _serial(cell)
    text = plain(cell)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _serial(float(text))
    match = _ISO.fullmatch(text)
    if match is not None:
        year, month, day, hour, minute = match.groups()
        return _made(int(year), int(month), int(day), hour, minute)
    match = _DAY_FIRST.fullmatch(text)
    if match is not None:
        day, _separator, month, year, hour, minute = match.groups()
        return _made(_full_year(year, today), int(month), int(day), hour, minute)
    match = _WORDS_DATE.fullmatch(text)
    if match is not None:
        day, month_name, year, hour, minute = match.groups()
        month = _MONTHS.get(month_name)
        if month is not None:
            return _made(int(year), month, int(day), hour, minute)
    raise ValueRefused(_("This is not a date (write it as 03/02/1985 or 1985-02-03)."))


def time_value(cell: Cell) -> time | None:
    """A time of day: a time cell, "14:30", "14h30", "14 h", a fraction of a day."""
    if is_empty(cell):
        return None
    if isinstance(cell, datetime):
        return cell.time()
    if isinstance(cell, time):
        return cell
    if isinstance(cell, timedelta):
        cell = cell.total_seconds() / 86400
    if isinstance(cell, float) and 0 <= cell < 1:
        minutes = round(cell * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    match = _TIME.fullmatch(plain(cell_text(cell)))
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueRefused(_("This is not a time of day (write it as 14:30 or 14h30)."))


def _made(year: int, month: int, day: int, hour: str | None, minute: str | None) -> datetime:
    try:
        moment = datetime(year, month, day, int(hour or 0), int(minute or 0))
    except ValueError:
        raise ValueRefused(_("This date does not exist (check the day and the month).")) from None
    return _within_years(moment)


def _within_years(moment: datetime) -> datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueRefused(
            _("The year {year} is outside the years Boussole keeps ({first} to {last}).").format(
                year=moment.year, first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return moment.replace(second=0, microsecond=0)


def _full_year(year: str, today: date | None) -> int:
    """A year written with two digits is in this century unless that is more than a year
    ahead: "85" is 1985, "05" is 2005, "27" is 2027 in 2026."""
    if len(year) == 4:
        return int(year)
    this_year = (today or date.today()).year
    guess = 2000 + int(year)
    return guess if guess <= this_year + 1 else guess - 100


def _serial(number: float) -> datetime:
    """An Excel date held as a number (days since 30 December 1899, a fraction for the
    time). A whole number from 1900 to 2100 is a year, not a date: refused."""
    if number.is_integer() and FIRST_YEAR <= number <= LAST_YEAR:
        raise ValueRefused(_("A year alone is not a date (write the day, the month and the year)."))
    if not 1 <= number < 73051:  # 2100-01-01
        raise ValueRefused(_("This number is not a date (write it as 03/02/1985 or 1985-02-03)."))
    moment = datetime.combine(_EXCEL_EPOCH, time(0, 0)) + timedelta(minutes=round(number * 1440))
    return _within_years(moment)


# -- amounts -------------------------------------------------------------------------------


def amount_value(cell: Cell) -> Decimal | None:
    """An amount in euros: "12 500,00 €", "12,500.00", "12500", "1 500 €", "1.500,50", a
    number cell. Three digits after a lone separator are thousands ("12,500", "1.500")."""
    if is_empty(cell):
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        raise ValueRefused(_("This is not an amount."))
    if isinstance(cell, int | float):
        amount = Decimal(str(cell))
        if abs(amount - amount.quantize(Decimal("0.01"))) < Decimal("0.000001"):
            amount = amount.quantize(Decimal("0.01"))  # a formula's float noise
    else:
        amount = _parsed_amount(cell)
    if amount < 0:
        raise ValueRefused(_("An amount cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueRefused(_("An amount has at most two decimals (cents)."))
    if amount * 100 > MAX_CENTS:
        raise ValueRefused(_("An amount cannot exceed one billion euros."))
    return amount.quantize(Decimal("0.01"))


def _parsed_amount(text: str) -> Decimal:
    refused = ValueRefused(_("This is not an amount (write it as 12 500,00 € or 12500)."))
    bare = _SPACES.sub("", _CURRENCY.sub("", text.strip()))
    bare = bare.replace("\u2212", "-")  # the minus sign of typesetting
    if not bare or not re.fullmatch(r"[+-]?[\d.,]+", bare):
        raise refused
    sign = ""
    if bare[0] in "+-":
        sign, bare = ("-" if bare[0] == "-" else ""), bare[1:]
    if "," in bare and "." in bare:
        decimal_mark = "," if bare.rfind(",") > bare.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _mark, cents = bare.rpartition(decimal_mark)
        if not _GROUPED.fullmatch(whole) and grouping in whole:
            raise refused
        bare = whole.replace(grouping, "") + "." + cents
    elif "," in bare or "." in bare:
        mark = "," if "," in bare else "."
        if _GROUPED.fullmatch(bare):  # 12,500 / 1.500 / 1.500.000: thousands
            bare = bare.replace(mark, "")
        elif bare.count(mark) == 1:
            bare = bare.replace(mark, ".")
        else:
            raise refused
    try:
        return Decimal(sign + bare)
    except InvalidOperation:
        raise refused from None


# -- durations -----------------------------------------------------------------------------


def minutes_value(cell: Cell, unit: DurationUnit | None = None) -> int | None:
    """A duration in minutes: "1h30", "1 h 30", "45 min", "1,5 h", "01:30", a time or
    duration cell. A bare number is in `unit` when the column's header says it ("Durée
    (h)"); else a decimal or a whole number up to 8 is hours, a larger one minutes."""
    if is_empty(cell):
        return None
    if isinstance(cell, bool | date | datetime):
        raise ValueRefused(_("This is not a duration."))
    if isinstance(cell, time):
        minutes = cell.hour * 60 + cell.minute + (1 if cell.second >= 30 else 0)
    elif isinstance(cell, timedelta):
        minutes = round(cell.total_seconds() / 60)
    elif isinstance(cell, int | float):
        minutes = _bare_number(float(cell), unit)
    else:
        minutes = _written_duration(cell, unit)
    if minutes <= 0:
        raise ValueRefused(_("A duration must be at least one minute."))
    if minutes > MAX_APPOINTMENT_MINUTES:
        raise ValueRefused(_("An appointment cannot last more than 12 hours."))
    return minutes


def _bare_number(number: float, unit: DurationUnit | None) -> int:
    if unit == "minutes":
        return round(number)
    if unit == "hours" or not number.is_integer() or number <= 8:
        return round(number * 60)
    return round(number)


def _written_duration(text: str, unit: DurationUnit | None) -> int:
    refused = ValueRefused(_("This is not a duration (write it as 1h30, 45 min or 1,5 h)."))
    compact = plain(text)
    clock = _CLOCK.fullmatch(compact)
    if clock is not None:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    if re.fullmatch(r"\d+([.,]\d+)?", compact):
        return _bare_number(float(compact.replace(",", ".")), unit)
    match = _HOURS_MINUTES.fullmatch(compact)
    if match is None or not (match.group(1) or match.group(2)):
        raise refused
    hours, minutes = match.groups()
    if hours is not None:
        total = Decimal(hours.replace(",", ".")) * 60
        if minutes is not None:
            total += int(minutes)
        return round(total)
    return int(minutes or 0)
