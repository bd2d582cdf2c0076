"""Planned appointments as iCalendar events with stable UIDs (`<appointment-id>@boussole`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event

UID_DOMAIN = "boussole"


@dataclass(frozen=True)
class CalendarEvent:
    appointment_id: str
    start: datetime
    minutes: int
    summary: str
    location: str
    description: str


def initials(*names: str) -> str:
    """A person's initials, for a calendar another company hosts: "Zoé Müller" gives
    "Z. M.", "Jean-Pierre Vasseur-Kerbrat" gives "J.-P. V.-K."."""
    words = " ".join(names).split()
    return " ".join(
        "-".join(f"{part[0].upper()}." for part in word.split("-") if part) for word in words
    )


def event_uid(appointment_id: str) -> str:
    return f"{appointment_id}@{UID_DOMAIN}"


def calendar_bytes(events: Iterable[CalendarEvent], stamp: datetime, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Boussole//advisor_app//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in sorted(events, key=lambda e: (e.start, e.appointment_id)):
        event = Event()
        event.add("uid", event_uid(item.appointment_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.start + timedelta(minutes=item.minutes))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
