"""Whatever three advisors do offline, and whatever the order of their syncs (batches taken
in again included), once everyone has synced twice they hold the same shared cases.

A property checked with hypothesis over random operations and random sync orders, through
a synced folder (the servers are covered by test_three_advisors.py)."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.services.team import TeamPlace
from advisor_app.storage.team_state_models import TeamMemberRow
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.team.shown import shown

PASSPHRASE = "la rivière coule sous le pont de Felletin"
NAMES = ("Camille", "Bruno", "Chloé")

_operation = st.tuples(
    st.integers(0, 2),  # who
    st.sampled_from(("phone", "sector", "note", "unnote", "appointment", "sync", "replay", "hold")),
    st.integers(0, 1),  # which case
    st.integers(0, 3),  # a value
)


def _act(
    advisors: list[Services],
    operation: tuple[int, str, int, int],
    cases: list[str],
    team: Path,
    held: list[tuple[Path, Path]],
) -> None:
    who, kind, which, value = operation
    services, case_id = advisors[who], cases[which]
    if kind == "phone":
        services.cases.update_person(case_id, {"phone": f"05 55 00 0{who} 0{value}"})
    elif kind == "sector":
        services.cases.update_project(case_id, {"sector": ("bio", "vrac", "café", "")[value]})
    elif kind == "note":
        services.notes.add_note(case_id, f"{NAMES[who]} note {value}")
    elif kind == "unnote":
        notes = services.cases.get(case_id).notes
        if notes:
            services.notes.remove_note(case_id, notes[value % len(notes)].id)
    elif kind == "appointment":
        start = datetime(2026, 12, 1, 9) + timedelta(days=value, hours=who)
        services.appointments.add(case_id, AppointmentDraft(start=start, minutes=60, topic="RDV"))
    elif kind == "sync":
        services.team.sync()
    elif kind == "hold":  # a synced folder brings a batch late: later ones come before it
        batches = sorted(team.glob("*/changes/0*"))
        if batches:
            batch = batches[value % len(batches)]
            aside = team.parent / f"in-transit-{len(held)}"
            batch.rename(aside)
            held.append((aside, batch))
    else:  # a member's batches taken in again from the first
        with services.context.workspace.catalog.write() as catalog:
            catalog.execute(update(TeamMemberRow).values(applied=0))
        services.team.sync()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(operations=st.lists(_operation, min_size=3, max_size=16))
def test_three_advisors_always_converge(operations: list[tuple[int, str, int, int]]) -> None:
    with tempfile.TemporaryDirectory(prefix="boussole-team-") as folder:
        root = Path(folder)
        place = TeamPlace("folder", str(root / "team"))
        advisors = [
            Services(Workspace.open(root / name.lower()), clock=fixed_clock) for name in NAMES
        ]
        try:
            for name, services in zip(NAMES, advisors, strict=True):
                services.settings.set("advisor_name", name)
            advisors[0].team.create("Oser autrement", "Camille", place, PASSPHRASE)
            for name, services in zip(NAMES[1:], advisors[1:], strict=True):
                services.team.join(name, place, PASSPHRASE)
            cases = []
            for last in ("Müller", "Roux"):
                case_id, _same, _changes = advisors[0].cases.create(
                    NewCase(first_name="Zoé", last_name=last, processing_consent_how="form")
                )
                advisors[0].team.share(case_id)
                cases.append(case_id)
            for services in advisors:
                services.team.sync()
            held: list[tuple[Path, Path]] = []
            for operation in operations:
                _act(advisors, operation, cases, root / "team", held)
            for aside, batch in held:
                aside.rename(batch)
            for _round in range(2):
                for services in advisors:
                    services.team.sync()
            for case_id in cases:
                seen = [shown(services, case_id) for services in advisors]
                assert seen[0] == seen[1] == seen[2]
        finally:
            for services in advisors:
                services.close()
