"""A writer for the crash test, run as a child process: `python crash_writer.py WORKSPACE`.

It imports everything once, says `ready`, then for each `run SEED` line read on stdin forks a
worker that writes cases, appointments and milestones for ever, printing what it is about to
write before it writes (`want ...`), and one line per write *after* it was committed; the test kills the worker with SIGKILL and sends `reap`, to which
this process answers `reaped PID` once the worker is gone (so every line the worker printed
is in the pipe before that answer).
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from advisor_app.domain.enums import AppointmentMode
from advisor_app.services import AppointmentDraft, NewCase, Services

MILESTONES = ["welcome", "diagnosis", "market_study", "business_model", "legal_form"]


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def work(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    services = Services.open(root)
    cases = [summary.case_id for summary in services.search.cases()]
    number = 0
    while True:
        number += 1
        choice = rng.random()
        if not cases or choice < 0.15:
            say(f"want case Nom{seed}x{number}")
            case_id, _warnings, _changes = services.cases.create(
                NewCase(
                    first_name=f"Prénom{seed}",
                    last_name=f"Nom{seed}x{number}",
                    project_title="Projet",
                    processing_consent_how="signed form",
                )
            )
            cases.append(case_id)
            say(f"case {case_id}")
        elif choice < 0.7:
            case_id = rng.choice(cases)
            start = datetime(2026, 1, 5, 9, 0) + timedelta(hours=rng.randrange(0, 5000))
            say(f"want appointment {case_id} {start.isoformat()}")
            appointment_id, _changes = services.appointments.add(
                case_id, AppointmentDraft(start=start, minutes=60, mode=AppointmentMode.OFFICE)
            )
            say(f"appointment {case_id} {appointment_id}")
        else:
            case_id = rng.choice(cases)
            key = rng.choice(MILESTONES)
            services.milestones.mark_done(case_id, key, date(2026, 2, 1))
            say(f"milestone {case_id} {key}")


def main() -> None:
    root = Path(sys.argv[1])
    say("ready")
    worker = 0
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "run":
            worker = os.fork()
            if worker == 0:
                try:
                    work(root, int(argument))
                finally:
                    os._exit(1)
            say(f"pid {worker}")
        elif command == "reap":
            os.waitpid(worker, 0)
            say(f"reaped {worker}")
        elif command == "quit":
            break


if __name__ == "__main__":
    main()
