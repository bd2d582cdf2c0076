"""Reading what the advisor types: durations, times, amounts of money."""

from __future__ import annotations

import re
from datetime import time

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_

_HOURS_MINUTES = re.compile(r"^\s*(\d{1,2})\s*(?:h|:)\s*(\d{0,2})\s*(?:min)?\s*$", re.IGNORECASE)
_MINUTES = re.compile(r"^\s*(-?\d{1,4})\s*(?:min|mn|m)?\s*$", re.IGNORECASE)


def parse_duration(text: str) -> int:
    """Minutes from "90", "90 min", "1h30", "1 h 30", "1:30" or "2 h"."""
    match = _HOURS_MINUTES.match(text)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2) or 0)
    match = _MINUTES.match(text)
    if match:
        return int(match.group(1))
    raise ValidationError(
        "minutes",
        N_("“{text}” is not a duration."),
        N_("Type minutes (90) or hours and minutes (1 h 30)."),
        text=text,
    )


def parse_time(text: str) -> time:
    match = re.match(r"^\s*(\d{1,2})\s*(?:h|:)\s*(\d{0,2})\s*$", text, re.IGNORECASE)
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise ValidationError(
        "time", N_("“{text}” is not a time of day."), N_("Type it as 9:30 or 14 h."), text=text
    )


def parse_money(field: str, text: str) -> int:
    """Cents from "12500", "12 500,50", "12,500.50 €"."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if re.fullmatch(r"-?\d+([.,]\d{1,2})?", cleaned or "0"):
        cleaned = cleaned.replace(",", ".") or "0"
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):
        cleaned = cleaned.replace(",", "")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d{1,2})?", cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        raise ValidationError(
            field, N_("“{text}” is not an amount."), N_("Type it as 12500 or 12 500,50."), text=text
        )
    return round(float(cleaned) * 100)


def money_text(cents: int) -> str:
    """An amount as it can be typed back (no currency sign): 12500 or 12500,50."""
    euros, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{euros}" if rest == 0 else f"{sign}{euros},{rest:02d}"
