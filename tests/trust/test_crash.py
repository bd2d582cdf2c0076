"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported.

The writer (`crash_writer.py`) runs in a child process that forks a worker per round; the
test kills the worker at a random moment, then opens the workspace as the application would
and checks that `check` is clean, that every write the worker reported as committed is in
its case file, that nothing is there that the worker did not mean to write (no phantom or
doubled row), and that the catalog agrees with the case files. Nothing depends on how many
writes a round manages: a loaded machine makes fewer, and the checks hold all the same.

CRASH_KILLS rounds are run: 200 by default, the target of the trust issue (about a minute);
`BOUSSOLE_CRASH_KILLS=20` makes a quick run while working on something else.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from advisor_app.services import Services
from advisor_app.storage.case_models import Appointment, CaseInfo, Milestone, Person
from advisor_app.storage.catalog_models import AgendaEntry, CaseIndex
from advisor_app.storage.workspace import Workspace

CRASH_KILLS = int(os.environ.get("BOUSSOLE_CRASH_KILLS", "200"))
WRITER = Path(__file__).with_name("crash_writer.py")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


class Writer:
    def __init__(self, root: Path) -> None:
        repo = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=repo,
            env={**os.environ, "PYTHONPATH": str(repo)},
        )
        assert self.read() == "ready"

    def read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the writer stopped"
        return line.strip()

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def round(self, seed: int, lifetime: float) -> list[str]:
        """Start a worker, kill it after `lifetime` seconds, return the writes it reported."""
        self.send(f"run {seed}")
        started = self.read()
        assert started.startswith("pid ")
        pid = int(started.split()[1])
        time.sleep(lifetime)
        os.kill(pid, signal.SIGKILL)
        self.send("reap")
        writes = []
        while True:
            line = self.read()
            if line.startswith("reaped"):
                return writes
            writes.append(line)

    def close(self) -> None:
        self.send("quit")
        self.process.wait(timeout=10)


@dataclass
class Ledger:
    """What the writers meant to write, and what they reported as committed."""

    wanted_cases: set[str] = field(default_factory=set)
    wanted_appointments: Counter[tuple[str, str]] = field(default_factory=Counter)
    appointments: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    milestones: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def record(self, line: str) -> None:
        kind, *rest = line.split()
        if kind == "want":
            what, *details = rest
            if what == "case":
                self.wanted_cases.add(details[0])
            else:
                self.wanted_appointments[(details[0], details[1])] += 1
        elif kind == "case":
            self.appointments.setdefault(rest[0], set())
        elif kind == "appointment":
            self.appointments[rest[0]].add(rest[1])
        elif kind == "milestone":
            self.milestones[rest[0]].add(rest[1])


def test_nothing_committed_is_lost_when_the_writer_is_killed(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.open(root).close()
    rng = random.Random(20261125)
    ledger = Ledger()
    writer = Writer(root)
    try:
        for number in range(CRASH_KILLS):
            for line in writer.round(number, rng.uniform(0.0, 0.35)):
                ledger.record(line)
            _check_workspace(root, ledger)
    finally:
        writer.close()


def _check_workspace(root: Path, ledger: Ledger) -> None:
    appointments, milestones = ledger.appointments, ledger.milestones
    services = Services.open(root)
    try:
        report = services.maintenance.run_check()
        assert report.ok, [(case_id, str(error)) for case_id, error in report.problems]
        workspace = services.workspace
        with workspace.catalog.read() as catalog:
            index = {row.case_id: row for row in catalog.scalars(select(CaseIndex))}
            agenda: dict[str, set[str]] = defaultdict(set)
            for entry in catalog.scalars(select(AgendaEntry)):
                agenda[entry.case_id].add(entry.appointment_id)
        assert set(appointments) <= set(index)
        assert set(index) == set(workspace.case_ids_on_disk())
        for case_id in index:
            with workspace.reading(case_id) as session:
                rows = session.execute(select(Appointment.id, Appointment.start)).all()
                stored = {row.id for row in rows}
                last_name = session.scalars(select(Person.last_name)).one()
                done = set(
                    session.scalars(select(Milestone.key).where(Milestone.done_on.is_not(None)))
                )
                file_revision = session.scalars(select(CaseInfo.revision)).one()
            assert appointments.get(case_id, set()) <= stored
            assert last_name in ledger.wanted_cases  # no case the writer did not create
            written = Counter((case_id, row.start.isoformat()) for row in rows)
            for key, count in written.items():  # no appointment it did not mean, none doubled
                assert count <= ledger.wanted_appointments[key], key
            assert milestones.get(case_id, set()) <= done
            assert agenda[case_id] == stored  # the catalog agrees with the case file
            assert index[case_id].revision == file_revision
            assert index[case_id].damaged is None
    finally:
        services.close()
