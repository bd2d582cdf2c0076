"""A second window, run as a child process by the concurrency tests:
`python concurrent_writer.py WORKSPACE STOP_FILE PASSPHRASE...`.

It keeps the workspace open and adds appointments to its cases in a loop, as an advisor
typing in the window would, while the test re-keys the workspace from other processes. It
prints one line per attempt, after the attempt: `saved CASE APPOINTMENT` once a save was
acknowledged, `refused MESSAGE` when a save was refused with a sentence (the workspace is
then opened again, with whichever of the passphrases opens it now), `crash TYPE MESSAGE`
for anything else. It stops when STOP_FILE exists, or after MAX_ATTEMPTS attempts.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from advisor_app.domain.enums import AppointmentMode
from advisor_app.domain.errors import AdvisorError
from advisor_app.services import AppointmentDraft, Services
from advisor_app.services.workspace_lock import is_encrypted

MAX_ATTEMPTS = 3000


def say(line: str) -> None:
    os.write(1, (" ".join(line.split()) + "\n").encode())


def open_services(root: Path, passphrases: list[str]) -> Services | None:
    """The workspace opened with whichever passphrase opens it now (None if none does)."""
    if not is_encrypted(root):
        try:
            return Services.open(root)
        except AdvisorError as error:
            say(f"refused {error}")
            return None
    for passphrase in passphrases:
        try:
            return Services.open(root, passphrase=passphrase)
        except AdvisorError as error:
            if "does not open" not in str(error):
                say(f"refused {error}")
                return None
    return None


def main() -> int:
    root, stop, passphrases = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    services = open_services(root, passphrases)
    assert services is not None, "the first open must succeed"
    cases = sorted(summary.case_id for summary in services.search.cases())
    say("ready")
    start = datetime(2026, 1, 5, 9, 0)
    for number in range(MAX_ATTEMPTS):
        if stop.exists():
            break
        if services is None:
            services = open_services(root, passphrases)
            continue
        case_id = cases[number % len(cases)]
        try:
            appointment_id, _changes = services.appointments.add(
                case_id,
                AppointmentDraft(
                    start=start + timedelta(hours=number),
                    minutes=30,
                    mode=AppointmentMode.PHONE,
                    topic=f"Appel {number}",
                ),
            )
        except AdvisorError as error:
            say(f"refused {error}")
            services.close()
            services = None
            continue
        except Exception as error:
            say(f"crash {type(error).__name__} {error}")
            return 1
        say(f"saved {case_id} {appointment_id}")
    if services is not None:
        services.close()
    say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
