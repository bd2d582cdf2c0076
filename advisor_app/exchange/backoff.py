"""When to try a failed delivery again: exponential backoff with jitter."""

from __future__ import annotations

import random
from datetime import timedelta

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)
MAX_AUTOMATIC_ATTEMPTS = 12


def retry_delay(attempts: int, rng: random.Random) -> timedelta:
    """Delay after the `attempts`-th failure: 30 s, 1 min, 2 min... up to 6 h, ±20 % jitter."""
    exponent = max(attempts - 1, 0)
    delay = min(BASE_DELAY * (1 << min(exponent, 20)), MAX_DELAY)
    factor: float = rng.uniform(0.8, 1.2)
    return delay * factor
