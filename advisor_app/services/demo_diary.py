"""The diaries of the demo's advisors: appointments in working hours, never on top of each other.

Each advisor sees people on weekdays, from 9:00 to 12:30 and from 14:00 to 17:30 (lunch in
between), a few a day at most. An appointment is booked on the day asked for, or on the
next working day with room; when the next two weeks are full it is not booked at all (the
person was seen less often). A cancelled appointment frees its slot, which the advisor gives
to another person: the only overlap in a demo diary is a cancelled appointment and the one
booked in its place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

STEP = 30  # appointments start on the hour or the half hour
WORKING_HOURS = ((9 * 60, 12 * 60 + 30), (14 * 60, 17 * 60 + 30))  # minutes since midnight
SEARCH_DAYS = 14
BUSIEST = (3, 4, 4, 5, 5, 6)  # most appointments in a day, varying from one day to the next
KEPT_FREED = 40  # the freed slots still on offer, the latest
CASELOAD = 300  # cases per advisor: a bigger demo shares its cases between colleagues


@dataclass
class FreedSlot:
    start: datetime
    minutes: int
    showcase: bool = False


@dataclass
class Diary:
    """One advisor's week after week. `today`'s week always shows one cancellation and the
    appointment booked in its place (if a later case can take it), so the agenda shows what
    it does with appointments that overlap."""

    today: date
    booked: dict[date, list[tuple[int, int]]] = field(default_factory=dict)
    freed: list[FreedSlot] = field(default_factory=list)
    showcased: bool = False
    showcase_at: datetime | None = None

    def book(self, wanted: date, minutes: int, rng: random.Random) -> datetime | None:
        """The start of an appointment of `minutes` on `wanted` or soon after, now booked."""
        day = wanted
        for _attempt in range(SEARCH_DAYS):
            if day.weekday() < 5:
                starts = self._free_starts(day, minutes)
                if starts:
                    begin = rng.choice(starts)
                    self._take(day, begin, minutes)
                    return datetime.combine(day, time(begin // 60, begin % 60))
            day += timedelta(days=1)
        return None

    def cancels_in_advance(self, start: datetime, now: datetime, rng: random.Random) -> bool:
        """Whether the person called off this future appointment already: one in 25, and
        the first one booked after `now` in the week of `today`."""
        if start <= now:
            return False
        monday = self.today - timedelta(days=self.today.weekday())
        if not self.showcased and monday <= start.date() < monday + timedelta(days=7):
            self.showcased, self.showcase_at = True, start
            return True
        return rng.random() < 0.04

    def cancel(self, start: datetime, minutes: int, offer: bool = True) -> None:
        """A cancelled appointment leaves its slot free, offered to someone else unless
        `offer` is false."""
        begin = start.hour * 60 + start.minute
        taken = self.booked.get(start.date(), [])
        if (begin, begin + minutes) in taken:
            taken.remove((begin, begin + minutes))
            if offer:
                self.freed.append(FreedSlot(start, minutes, start == self.showcase_at))
                del self.freed[:-KEPT_FREED]

    def take_freed(self, first: date, last: date, busy: set[date]) -> FreedSlot | None:
        """A slot freed by a cancellation between `first` and `last`, on none of the `busy`
        days, now booked (or None). This week's cancellation is given first."""
        for slot in sorted(self.freed, key=lambda s: not s.showcase):
            day = slot.start.date()
            if not first <= day <= last or day in busy:
                continue
            self.freed.remove(slot)
            begin = slot.start.hour * 60 + slot.start.minute
            if self._fits(day, begin, slot.minutes):
                self._take(day, begin, slot.minutes)
                return slot
        return None

    def _free_starts(self, day: date, minutes: int) -> list[int]:
        taken = self.booked.get(day, [])
        if len(taken) >= BUSIEST[day.toordinal() * 7 % len(BUSIEST)]:
            return []
        return [
            begin
            for opens, closes in WORKING_HOURS
            for begin in range(opens, closes - minutes + 1, STEP)
            if self._fits(day, begin, minutes)
        ]

    def _fits(self, day: date, begin: int, minutes: int) -> bool:
        end = begin + minutes
        return all(end <= start or stop <= begin for start, stop in self.booked.get(day, []))

    def _take(self, day: date, begin: int, minutes: int) -> None:
        self.booked.setdefault(day, []).append((begin, begin + minutes))


def advisor_of(
    number: int, owner: str, first_names: tuple[str, ...], last_names: tuple[str, ...]
) -> str:
    """Who follows the `number`-th demo case: the owner of the workspace for the first
    `CASELOAD`, then colleagues, one per `CASELOAD` cases (a name made from the pools)."""
    colleague = (number - 1) // CASELOAD
    if colleague == 0:
        return owner
    return f"{first_names[colleague * 5 % len(first_names)]} {last_names[colleague * 7 % len(last_names)]}"
