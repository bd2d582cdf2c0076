"""A shared case's changes, field by field: recorded as written, applied last writer wins.

Whatever order the team's changes arrive in, and however many times, every copy of the case
ends with the same rows (the property checked with hypothesis below)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from advisor_app.domain.hlc import HybridClock, make_stamp
from advisor_app.services import NewCase, Services
from advisor_app.storage.case_models import Note, Person
from advisor_app.storage.team_apply import apply_changes
from advisor_app.storage.team_changes import (
    Change,
    case_state,
    outgoing,
    record_whole_case,
)
from advisor_app.storage.team_models import TeamSharing
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

AT = datetime(2026, 11, 25, 12, 0)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[Services, str]]:
    """Camille's workspace with one case shared with the team."""
    services = Services(Workspace.open(tmp_path / "camille"), clock=fixed_clock)
    services.settings.set("advisor_name", "Camille")
    case_id, _same, _changes = services.cases.create(
        NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="signed form")
    )
    workspace = services.context.workspace
    workspace.team_clock = HybridClock("camille00001")
    with workspace.changing(case_id, "team_shared", "", "Camille") as session:
        session.add(TeamSharing(id=case_id, shared=True, shared_by="Camille"))
        session.flush()
        record_whole_case(session, case_id, workspace.team_clock.tick(), "Camille")
    yield services, case_id
    services.close()


def _waiting(services: Services, case_id: str) -> list[Change]:
    with services.context.workspace.reading(case_id) as session:
        return outgoing(session, case_id)[0]


def test_sharing_a_case_records_every_field_of_every_row(shared: tuple[Services, str]) -> None:
    services, case_id = shared
    changes = _waiting(services, case_id)
    tables = {change.table for change in changes}
    assert {"case_info", "person", "project", "milestone", "consent", "team_sharing"} <= tables
    assert "history" not in tables
    person = [c for c in changes if c.table == "person"]
    assert {c.column for c in person} >= {"first_name", "last_name", "phone", "birth_date"}
    assert not any(c.column in {"revision", "updated_at"} for c in changes)


def test_a_phone_number_changed_is_one_change_newer_than_the_sharing(
    shared: tuple[Services, str],
) -> None:
    services, case_id = shared
    before = _waiting(services, case_id)
    services.cases.update_person(case_id, {"phone": "06 12 34 56 78"})
    after = _waiting(services, case_id)[len(before) :]
    assert [(c.table, c.column, c.value) for c in after] == [("person", "phone", "06 12 34 56 78")]
    assert after[0].stamp > max(c.stamp for c in before)
    assert after[0].by == "Camille"


def test_a_note_removed_is_a_removal_and_an_unshared_case_records_nothing(
    shared: tuple[Services, str],
) -> None:
    services, case_id = shared
    services.notes.add_note(case_id, "Has found premises.")
    note_id = services.cases.get(case_id).notes[0].id
    services.notes.remove_note(case_id, note_id)
    last = _waiting(services, case_id)[-1]
    assert (last.table, last.row, last.column) == ("note", note_id, None)

    other, _same, _changes = services.cases.create(NewCase(first_name="Léa", last_name="Roux"))
    services.cases.update_person(other, {"phone": "05 55 00 00 00"})
    assert _waiting(services, other) == []


def _rows(services: Services, case_id: str) -> dict[str, Any]:
    with services.context.workspace.reading(case_id) as session:
        person = session.scalars(select(Person)).one()
        notes = sorted((n.id, n.text) for n in session.scalars(select(Note)))
        fields = sorted(
            tuple(row)
            for row in session.execute(
                text("SELECT tbl, row_id, col, stamp, value FROM team_field")
            )
        )
        return {
            "person": (person.first_name, person.phone, person.commune),
            "notes": notes,
            "fields": fields,
        }


_MEMBERS = ("aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc")
_NOTES = ("n1", "n2", "n3")
_operation = st.one_of(
    st.tuples(
        st.just("person"),
        st.sampled_from(("phone", "commune", "first_name")),
        st.sampled_from(("A", "B", "C", "Zoé")),
    ),
    st.tuples(st.just("note"), st.sampled_from(_NOTES), st.sampled_from(("x", "y", None))),
)


def _changes_of(
    operations: list[tuple[str, str, str | None]], person_id: str, case_id: str
) -> list[Change]:
    """Each operation by one of three members, at a stamp from a few shared milliseconds
    (so that ties on the wall clock happen); None as a note's text removes the note."""
    made: list[Change] = []
    for number, (table, target, value) in enumerate(operations):
        member = _MEMBERS[number % 3]
        stamp = make_stamp(1_800_000_000_000 + number % 4, number, member)
        if table == "person":
            made.append(Change(case_id, "person", person_id, target, value, stamp, member))
        elif value is None:
            made.append(Change(case_id, "note", target, None, None, stamp, member))
        else:
            for column, cell in (
                ("id", target),
                ("written_at", "2026-11-25T10:00:00"),
                ("text", value),
            ):
                made.append(Change(case_id, "note", target, column, cell, stamp, member))
    return made


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(_operation, min_size=1, max_size=14), seed=st.integers(0, 10_000))
def test_the_same_changes_in_any_order_and_any_number_of_times_give_the_same_case(
    shared: tuple[Services, str],
    tmp_path: Path,
    operations: list[tuple[str, str, str | None]],
    seed: int,
) -> None:
    services, case_id = shared
    workspace = services.context.workspace
    with workspace.reading(case_id) as session:
        person_id = session.scalars(select(Person.id)).one()
    changes = _changes_of(operations, person_id, case_id)
    source = workspace.case_path(case_id)
    copies = []
    for number in range(3):
        copy = tmp_path / f"copy{number}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(workspace.root, copy, ignore=shutil.ignore_patterns("*.lock"))
        copies.append(copy)
    assert source.exists()
    rng = random.Random(seed)
    results = []
    for copy in copies:
        other = Services(Workspace.open(copy), clock=fixed_clock)
        try:
            delivered = changes + rng.sample(changes, k=len(changes) // 2)  # some twice
            rng.shuffle(delivered)
            while delivered:  # in batches of random sizes
                size = rng.randint(1, 5)
                batch, delivered = delivered[:size], delivered[size:]
                with other.context.workspace.changing(case_id, "team_changes") as session:
                    apply_changes(session, batch, AT)
            results.append(_rows(other, case_id))
            with other.context.workspace.reading(case_id) as session:
                kept = {(c.table, c.row, c.column): c.stamp for c in case_state(session, case_id)}
            for change in changes:  # every field holds its newest stamp
                assert kept[(change.table, change.row, change.column)] >= change.stamp
        finally:
            other.close()
    assert results[0] == results[1] == results[2]
    newest_phone = max(
        (c for c in changes if c.table == "person" and c.column == "phone"),
        key=lambda c: c.stamp,
        default=None,
    )
    if newest_phone is not None:
        assert results[0]["person"][1] == newest_phone.value


def test_a_removal_wins_over_older_changes_but_not_over_a_later_one(
    shared: tuple[Services, str],
) -> None:
    services, case_id = shared
    workspace = services.context.workspace
    note = [
        Change(case_id, "note", "n1", "id", "n1", make_stamp(1, 0, "a"), "Alice"),
        Change(case_id, "note", "n1", "written_at", "2026-11-25T10:00:00", make_stamp(1, 0, "a")),
        Change(case_id, "note", "n1", "text", "first", make_stamp(1, 0, "a"), "Alice"),
    ]
    removal = Change(case_id, "note", "n1", None, None, make_stamp(3, 0, "b"), "Bruno")
    older_edit = Change(case_id, "note", "n1", "text", "older", make_stamp(2, 0, "c"), "Chloé")
    with workspace.changing(case_id, "team_changes") as session:
        apply_changes(session, [*note, older_edit, removal], AT)
    assert _rows(services, case_id)["notes"] == []
    later_edit = Change(case_id, "note", "n1", "text", "again", make_stamp(4, 0, "c"), "Chloé")
    with workspace.changing(case_id, "team_changes") as session:
        applied = apply_changes(session, [later_edit], AT)
    assert [c.value for c in applied.newer] == ["again"]
    assert _rows(services, case_id)["notes"] == [("n1", "again")]


def test_an_edit_whose_row_has_not_come_yet_waits_for_it(shared: tuple[Services, str]) -> None:
    services, case_id = shared
    workspace = services.context.workspace
    edit = Change(case_id, "note", "n9", "text", "edited", make_stamp(5, 0, "b"), "Bruno")
    with workspace.changing(case_id, "team_changes") as session:
        apply_changes(session, [edit], AT)
    assert _rows(services, case_id)["notes"] == []
    creation = [
        Change(case_id, "note", "n9", "id", "n9", make_stamp(4, 0, "a")),
        Change(case_id, "note", "n9", "written_at", "2026-11-25T10:00:00", make_stamp(4, 0, "a")),
        Change(case_id, "note", "n9", "text", "first", make_stamp(4, 0, "a")),
    ]
    with workspace.changing(case_id, "team_changes") as session:
        apply_changes(session, creation, AT)
    assert _rows(services, case_id)["notes"] == [("n9", "edited")]


def test_a_change_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises((ValueError, TypeError)):
        Change.from_wire(
            {
                "case": "c",
                "table": "person",
                "row": "p",
                "column": "birth_date",
                "value": 12,
                "stamp": make_stamp(1, 0, "a"),
            }
        )
    with pytest.raises(ValueError):
        Change.from_wire(
            {
                "case": "c",
                "table": "history",
                "row": "1",
                "column": "detail",
                "value": "x",
                "stamp": make_stamp(1, 0, "a"),
            }
        )
