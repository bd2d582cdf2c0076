"""Rules on what the advisor types, each refusing with a sentence that says why."""

from __future__ import annotations

import re
from datetime import date, datetime

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_

MAX_APPOINTMENT_MINUTES = 12 * 60


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
