"""Rules on what the advisor types, each refusing with a sentence that says why."""

from __future__ import annotations

import re
from datetime import date, datetime

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_

MAX_APPOINTMENT_MINUTES = 12 * 60
# The years a date may fall in: every date typed, imported or computed from one (an
# appointment's end, a period's last day) stays within what calendars and reports print.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# The longest free text a field holds (a note, a summary, an opinion): what every report and
# the access export can print. Shorter fields have the length of their column.
MAX_TEXT_LENGTH = 20_000
# The largest amount, in cents (one billion euros), as the exchange schema says.
MAX_CENTS = 100_000_000_000


def check_appointment_duration(minutes: int) -> None:
    if minutes <= 0:
        raise ValidationError(
            "minutes",
            N_("An appointment must last at least one minute (it would end before it starts)."),
            N_("Check the duration or the end time."),
        )
    if minutes > MAX_APPOINTMENT_MINUTES:
        raise ValidationError(
            "minutes",
            N_("An appointment cannot last more than 12 hours."),
            N_("Split a long day into several appointments."),
        )


def check_appointment_times(start: datetime, end: datetime) -> int:
    """Return the duration in minutes between `start` and `end`, refusing a reversed span."""
    minutes = int((end - start).total_seconds() // 60)
    check_appointment_duration(minutes)
    return minutes


def check_amount(field: str, cents: int) -> None:
    if cents < 0:
        raise ValidationError(
            field, N_("An amount cannot be negative."), N_("Type the amount without a minus sign.")
        )
    if cents > MAX_CENTS:
        raise ValidationError(
            field,
            N_("An amount cannot exceed one billion euros."),
            N_("Check the number of digits."),
        )


def check_whole_number(field: str, value: int, lowest: int, highest: int) -> int:
    """A count or a number of days, within the bounds its field takes."""
    if not lowest <= value <= highest:
        raise ValidationError(
            field,
            N_("Type a whole number from {lowest} to {highest}."),
            lowest=lowest,
            highest=highest,
        )
    return value


def check_date(field: str, value: date | None) -> None:
    """A date (or a date and time) within the years Boussole keeps, 1900 to 2100: a date in
    the year 9999 has no next day, which calendars and reports need."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            field,
            N_("The date {date} is outside the years Boussole keeps ({first} to {last})."),
            N_("Check the year."),
            date=value if not isinstance(value, datetime) else value.date(),
            first=str(FIRST_YEAR),
            last=str(LAST_YEAR),
        )


def check_local_time(field: str, value: datetime) -> None:
    """A date and time as the advisor's clock shows it: no time zone, within the years kept."""
    if value.tzinfo is not None:
        raise ValidationError(
            field,
            N_("A time is written without a time zone: it is the local time."),
            N_("Write it as 2026-03-14T09:30."),
        )
    check_date(field, value)


def check_text(field: str, value: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """A text that can be stored, exported and printed: valid Unicode (no lone surrogate, no
    NUL character) and at most `limit` characters."""
    if "\x00" in value or not is_encodable(value):
        raise ValidationError(
            field,
            N_("This text holds characters that are not valid text."),
            N_("Type it again, or paste it as plain text."),
        )
    if len(value) > limit:
        raise ValidationError(
            field,
            N_("This text is too long: {length} characters, for at most {limit}."),
            N_("Shorten it, or keep the rest in an attachment."),
            length=float(len(value)),  # written the locale's way (20,000 or 20 000)
            limit=float(limit),
        )
    return value


def is_encodable(value: str) -> bool:
    """Whether `value` is valid Unicode text (no lone surrogate, as undecodable bytes give)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_birth_date(birth_date: date | None, today: date) -> None:
    if birth_date is not None and birth_date > today:
        raise ValidationError(
            "birth_date",
            N_("The birth date cannot be in the future."),
            N_("Check the year of birth."),
        )


def check_milestone_done(done_on: date | None, opened_on: date) -> None:
    if done_on is not None and done_on < opened_on:
        raise ValidationError(
            "done_on",
            N_("A milestone cannot be done before the case was opened ({opened})."),
            N_("Check the date, or the opening date of the case."),
            opened=opened_on.isoformat(),
        )


def check_required(field: str, value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError(field, N_("This field cannot be empty."))
    return cleaned


def check_email(value: str) -> str:
    cleaned = value.strip()
    if cleaned and ("@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@")):
        raise ValidationError(
            "email",
            N_("This is not an e-mail address."),
            N_("It should look like name@example.org."),
        )
    return cleaned


CASE_ID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_case_id(text: str) -> bool:
    """Whether `text` is a case number as Boussole writes them (a lower-case UUID): the only
    names a case file may have, so that no id can reach outside the cases folder."""
    return CASE_ID_PATTERN.fullmatch(text) is not None


def shown_id(text: str, limit: int = 40) -> str:
    """An id as it may be repeated to the user: printable, and short."""
    printable = "".join(c if c.isprintable() else "?" for c in text)
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"
