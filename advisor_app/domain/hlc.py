"""Hybrid logical clock: stamps that order every change of a team, across laptops whose
clocks disagree.

A stamp reads "wall milliseconds . counter . member": it is never older than a stamp this
member has issued or seen, so a change made after receiving another is always later than
it, even when this laptop's clock is behind; the member id breaks ties, so that two stamps
are never equal and every member sorts them alike (as strings).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Stamp = str

_COUNTER_LIMIT = 10_000


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def make_stamp(ms: int, counter: int, member: str) -> Stamp:
    return f"{ms:013d}.{counter:04d}.{member}"


def stamp_parts(stamp: Stamp) -> tuple[int, int, str]:
    """(milliseconds, counter, member); ValueError for what is not a stamp."""
    ms, counter, member = stamp.split(".", 2)
    if len(ms) != 13 or len(counter) != 4 or not member:
        raise ValueError(stamp)
    return int(ms), int(counter), member


class HybridClock:
    """The stamps of one member: `tick()` for a change made here, `observe()` for a stamp
    received. Thread-safe (the writer and the sync thread share it)."""

    def __init__(
        self, member: str, last: Stamp | None = None, now_ms: Callable[[], int] = wall_ms
    ) -> None:
        self.member = member
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self._ms, self._counter = 0, 0
        if last:
            self.observe(last)

    @property
    def last(self) -> Stamp:
        return make_stamp(self._ms, self._counter, self.member)

    def tick(self, after: Stamp | None = None) -> Stamp:
        """A new stamp, later than every stamp issued or observed (and than `after`)."""
        with self._lock:
            if after is not None:
                self._observe(after)
            now = self._now_ms()
            if now > self._ms:
                self._ms, self._counter = now, 0
            else:
                self._counter += 1
                if self._counter >= _COUNTER_LIMIT:  # a burst within one millisecond
                    self._ms, self._counter = self._ms + 1, 0
            return make_stamp(self._ms, self._counter, self.member)

    def observe(self, stamp: Stamp) -> None:
        with self._lock:
            self._observe(stamp)

    def _observe(self, stamp: Stamp) -> None:
        ms, counter, _member = stamp_parts(stamp)
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter
