"""Reading what the advisor types: durations and times (amounts: `domain.money`)."""

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
