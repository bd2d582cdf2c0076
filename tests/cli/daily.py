"""Today's backup, which the first command of the day leaves to a process of its own."""

from __future__ import annotations

import time
from pathlib import Path

from advisor_app.services.backups import DAILY_MARKER
from advisor_app.storage.backups import list_backups

# A limit only, never a figure: a backup that never came fails the test instead of hanging.
LIMIT_S = 120


def wait_for_todays_backup(root: Path) -> None:
    """Return once the backup that a command started after it is written whole."""
    deadline = time.monotonic() + LIMIT_S
    while (root / "backups" / DAILY_MARKER).exists() or not list_backups(root / "backups"):
        assert time.monotonic() < deadline, "today's backup was never made"
        time.sleep(0.05)
