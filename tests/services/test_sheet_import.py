"""An advisor brings in the spreadsheet the association kept before Boussole: one case per
person, people already there updated, a dry run first, and an import that can be undone."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus, FundingKind
from advisor_app.domain.errors import AdvisorError, NotFoundError
from advisor_app.services import AppointmentDraft, CaseFilter, NewCase, Services, sheet_import
from advisor_app.services.workspace_lock import WorkspaceBusyError
from advisor_app.sheets.records import AppointmentRecord, PersonRecord, Refusal, SheetRecords
from advisor_app.storage import encryption, workspace_lock
from advisor_app.storage.sqlite_engine import SQLITE_MAGIC
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

HEADERS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "birth_date": "Date de naissance",
    "email": "E-mail",
    "phone": "Tél.",
    "commune": "Commune",
    "project_title": "Projet",
    "first_appointment": "Date 1er RDV",
    "honour_loan_cents": "Prêt d'honneur",
}


def tracker(
    *people: PersonRecord, appointments: tuple[AppointmentRecord, ...] = ()
) -> SheetRecords:
    """A sheet as the reading gives it: its rows, and the header of each column."""
    return SheetRecords(
        people=list(people),
        appointments=list(appointments),
        columns=dict(HEADERS),
        appointment_columns={"last_name": "Nom", "first_name": "Prénom", "starts_at": "Date"},
        source="suivi-porteurs.xlsx",
    )


def amelie(row: int = 4, **values: Any) -> PersonRecord:
    fields: dict[str, Any] = {
        "last_name": "DUPONT",
        "first_name": "Amélie",
        "birth_date": date(1985, 2, 3),
        "email": "amelie.dupont@exemple.fr",
        "phone": "06 12 34 56 78",
        "commune": "Guéret",
        "project_title": "Boulangerie au levain",
        "first_appointment": date(2025, 3, 4),
        "honour_loan_cents": 1_250_000,
        "notes": ["Motivée ; suivie par France Travail.\nA déjà un local en vue."],
    }
    fields.update(values)
    return PersonRecord(row, **fields)


def paul(row: int = 5, **values: Any) -> PersonRecord:
    fields: dict[str, Any] = {"last_name": "Martin", "first_name": "Paul", "commune": "Aubusson"}
    fields.update(values)
    return PersonRecord(row, **fields)


def workspace_bytes(services: Services) -> dict[str, str]:
    """A digest of every file of the workspace folder (the SQLite shared-memory index
    aside: it is not content)."""
    root = services.workspace.root
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith("-shm") and path.name != ".lock"
    }


def content(services: Services) -> dict[str, dict[str, Any]]:
    """What the advisor reads of every case (its revision and history aside)."""
    found = {}
    for summary in services.search.cases(CaseFilter(include_binned=True)):
        detail = dataclasses.asdict(services.cases.get(summary.case_id))
        detail.pop("revision")
        detail.pop("history")
        found[summary.case_id] = detail
    return found


def test_each_person_of_the_sheet_becomes_a_case_with_their_history(services: Services) -> None:
    plan = services.sheet_import.plan(tracker(amelie(), paul()))
    assert [c.holder for c in plan.created] == ["Amélie DUPONT", "Paul Martin"]
    assert (plan.updated, plan.unchanged, plan.refusals) == ((), 0, ())

    batch = services.sheet_import.apply(plan)
    assert (batch.state, batch.cases_created, batch.cases_updated) == ("done", 2, 0)
    assert batch.backup.endswith("before-import")
    assert len(batch.changes.cases) == 2 and batch.changes.case_list

    [case] = [
        services.cases.get(s.case_id) for s in services.search.cases() if s.first_name == "Amélie"
    ]
    assert (case.person.last_name, case.person.birth_date) == ("DUPONT", date(1985, 2, 3))
    assert (case.person.phone, case.person.commune) == ("06 12 34 56 78", "Guéret")
    assert case.project.title == "Boulangerie au levain"
    # the first appointment opened the case and the welcome stage is done that day
    assert case.opened_on == date(2025, 3, 4)
    assert (case.milestones[0].key, case.milestones[0].done_on) == ("welcome", date(2025, 3, 4))
    [loan] = case.funding
    assert (loan.kind, loan.amount_asked_cents) == (FundingKind.HONOUR_LOAN, 1_250_000)
    [note] = case.notes
    assert note.text.startswith("Motivée ; suivie")
    assert "\n" in note.text


def test_rows_of_the_same_person_become_one_case_later_rows_filling_the_blanks(
    services: Services,
) -> None:
    again = PersonRecord(
        9,
        last_name="Dupont",
        first_name="amelie",
        birth_date=date(1985, 2, 3),
        address="3 rue des Lilas",
        phone="07 00 00 00 00",
        notes=["Relancée en juin."],
    )
    plan = services.sheet_import.plan(tracker(amelie(email=""), paul(), again))
    assert [c.holder for c in plan.created] == ["Amélie DUPONT", "Paul Martin"]
    merged = plan.created[0]
    assert merged.rows == (4, 9)
    assert merged.person["address"] == "3 rue des Lilas"  # a blank filled
    assert merged.person["phone"] == "06 12 34 56 78"  # the first value kept...
    assert len(merged.notes) == 2
    [kept] = plan.conflicts  # ... and the other one said
    assert (kept.row, kept.column, kept.value) == (9, "Tél.", "07 00 00 00 00")
    assert "first one was kept" in kept.reason


def test_the_same_email_is_the_same_person(services: Services) -> None:
    plan = services.sheet_import.plan(
        tracker(amelie(), PersonRecord(7, "Dupont", "Amélie", email="AMELIE.DUPONT@exemple.fr"))
    )
    assert [c.rows for c in plan.created] == [(4, 7)]


def test_a_person_already_in_boussole_is_updated_not_duplicated(services: Services) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Amelie", "Dupont", email="amelie.dupont@exemple.fr", phone="05 55 00 00 00")
    )
    plan = services.sheet_import.plan(tracker(amelie()))
    assert plan.created == ()
    [update] = plan.updated
    assert update.case_id == case_id
    # blanks filled, what the advisor typed kept
    assert update.person == {"birth_date": date(1985, 2, 3), "commune": "Guéret"}
    assert update.project == {"title": "Boulangerie au levain"}
    kept, welcome = plan.conflicts
    assert (kept.column, kept.value) == ("Tél.", "06 12 34 56 78")
    assert "05 55 00 00 00" in kept.reason
    assert welcome.column == "Date 1er RDV"
    assert "opened after this date" in welcome.reason

    services.sheet_import.apply(plan)
    assert [s.case_id for s in services.search.cases()] == [case_id]
    case = services.cases.get(case_id)
    assert (case.person.phone, case.person.commune) == ("05 55 00 00 00", "Guéret")
    assert (case.person.first_name, case.person.last_name) == ("Amelie", "Dupont")
    assert case.milestones[0].done_on is None  # opened after that first appointment
    assert len(case.funding) == len(case.notes) == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    services: Services,
) -> None:
    services.cases.create(NewCase("Paul", "Martin"))
    records = tracker(
        amelie(),
        paul(),
        PersonRecord(6, "Nguyen", "Linh", project_title="Food truck"),  # names only
        appointments=(
            AppointmentRecord(2, "Dupont", "Amélie", starts_at=datetime(2025, 3, 4, 9, 30)),
            AppointmentRecord(3, "Nguyen", "Linh", starts_at=datetime(2026, 12, 3, 14, 0)),
        ),
    )
    services.sheet_import.apply(services.sheet_import.plan(records))
    before = workspace_bytes(services)

    again = services.sheet_import.plan(records)
    assert (again.created, again.updated, again.unchanged) == ((), (), 3)
    batch = services.sheet_import.apply(again)
    assert (batch.id, batch.state) == ("", "empty")
    assert workspace_bytes(services) == before
    assert len(services.sheet_import.batches()) == 1


def test_the_dry_run_changes_no_byte_of_the_workspace(services: Services) -> None:
    services.cases.create(NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr"))
    before = workspace_bytes(services)
    plan = services.sheet_import.plan(tracker(amelie(), paul()))
    assert len(plan.created) == len(plan.updated) == 1
    assert workspace_bytes(services) == before


def test_undo_removes_what_the_import_created_and_restores_what_it_updated(
    services: Services,
) -> None:
    kept_id, _d, _c = services.cases.create(
        NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr")
    )
    services.notes.add_note(kept_id, "Premier contact par téléphone.")
    before = content(services)
    records = tracker(
        amelie(),
        paul(),
        appointments=(
            AppointmentRecord(2, "Dupont", "Amélie", starts_at=datetime(2025, 5, 6, 10)),
        ),
    )
    batch = services.sheet_import.apply(services.sheet_import.plan(records))
    assert content(services) != before

    changes = services.sheet_import.undo(batch.id)
    assert changes.case_list and kept_id in changes.cases
    assert content(services) == before
    [listed] = services.sheet_import.batches()
    assert (listed.state, listed.undone_at) == ("undone", datetime(2026, 11, 25, 12, 0))

    with pytest.raises(AdvisorError, match="already undone"):
        services.sheet_import.undo(batch.id)
    with pytest.raises(NotFoundError, match="no import"):
        services.sheet_import.undo("9f2a9c4e-5b1d-4c2e-9a7f-0e8d6c5b4a31")


def test_undo_keeps_what_the_advisor_changed_since(services: Services) -> None:
    batch = services.sheet_import.apply(services.sheet_import.plan(tracker(amelie(), paul())))
    [edited] = [s.case_id for s in services.search.cases() if s.first_name == "Paul"]
    services.cases.update_person(edited, {"phone": "06 99 99 99 99"})

    services.sheet_import.undo(batch.id)
    # the case worked on since goes to the bin, where it can be restored; the other is gone
    assert services.search.cases() == []
    assert [case_id for case_id, _name, _at in services.cases.binned()] == [edited]


def test_appointments_are_attached_to_the_people_they_name(services: Services) -> None:
    known, _d, _c = services.cases.create(NewCase("Karim", "Benali", email="karim@exemple.fr"))
    records = tracker(
        amelie(),
        appointments=(
            AppointmentRecord(
                2,
                "Dupont",
                "Amelie",
                starts_at=datetime(2025, 3, 4, 9, 30),
                minutes=90,
                topic="Accueil",
            ),
            AppointmentRecord(
                3,
                "DUPONT",
                "Amélie",
                starts_at=datetime(2025, 4, 1, 14, 0),
                mode="Téléphone",
                status="Non honoré",
            ),
            AppointmentRecord(
                4,
                email="Karim@exemple.fr",
                starts_at=datetime(2025, 5, 2, 9, 0),
                mode="visio",
                status="annulé",
            ),
            AppointmentRecord(5, "Dupont", "Amélie", starts_at=datetime(2026, 12, 8, 10, 0)),
            AppointmentRecord(6, "Durand", "Zoé", starts_at=datetime(2025, 3, 4, 9, 30)),
            AppointmentRecord(
                7, "Dupont", "Amélie", starts_at=datetime(2025, 6, 1, 9, 0), mode="en moto"
            ),
        ),
    )
    plan = services.sheet_import.plan(records)
    [new] = plan.created
    assert [(a.start, a.minutes, a.mode, a.status) for a in new.appointments] == [
        (datetime(2025, 3, 4, 9, 30), 90, AppointmentMode.OFFICE, AppointmentStatus.DONE),
        (datetime(2025, 4, 1, 14, 0), 60, AppointmentMode.PHONE, AppointmentStatus.NO_SHOW),
        (datetime(2026, 12, 8, 10, 0), 60, AppointmentMode.OFFICE, AppointmentStatus.PLANNED),
        (datetime(2025, 6, 1, 9, 0), 60, AppointmentMode.OFFICE, AppointmentStatus.DONE),
    ]
    [karim] = plan.updated
    assert karim.case_id == known
    assert [(a.mode, a.status) for a in karim.appointments] == [
        (AppointmentMode.VIDEO, AppointmentStatus.CANCELLED)
    ]
    [nobody] = plan.refusals
    assert (nobody.row, nobody.value) == (6, "Zoé Durand")
    assert "names nobody" in nobody.reason
    [odd_mode] = plan.conflicts
    assert (odd_mode.row, odd_mode.value) == (7, "en moto")

    services.sheet_import.apply(plan)
    assert [a.status for a in services.cases.get(known).appointments] == [
        AppointmentStatus.CANCELLED
    ]


def test_rows_that_cannot_be_taken_are_listed_with_their_reasons(services: Services) -> None:
    plan = services.sheet_import.plan(
        tracker(
            amelie(),
            PersonRecord(5, last_name="Sans prénom"),
            paul(6, email="paul-at-exemple", birth_date=date(2030, 1, 1)),
        )
    )
    assert [c.holder for c in plan.created] == ["Amélie DUPONT", "Paul Martin"]
    assert [(r.row, r.column) for r in plan.refusals] == [
        (5, "Prénom"),
        (6, "Date de naissance"),
        (6, "E-mail"),
    ]
    assert all(isinstance(r, Refusal) and r.reason for r in plan.refusals)
    assert "future" in plan.refusals[1].reason
    # the person is imported without the values refused
    assert "email" not in plan.created[1].person


def test_a_sheet_where_nobody_can_be_taken_imports_nothing(services: Services) -> None:
    plan = services.sheet_import.plan(tracker(PersonRecord(3, first_name="Léa")))
    assert plan.nothing_to_import
    assert services.sheet_import.apply(plan).state == "empty"
    assert services.sheet_import.batches() == []


def test_names_that_fit_two_people_are_refused_rather_than_guessed(services: Services) -> None:
    services.cases.create(NewCase("Paul", "Martin", birth_date=date(1970, 1, 1)))
    services.cases.create(NewCase("Paul", "Martin", birth_date=date(1990, 1, 1)))
    plan = services.sheet_import.plan(tracker(paul()))
    assert plan.people == 0
    [refused] = plan.refusals
    assert "birth date or an e-mail" in refused.reason


def test_a_cancelled_import_is_one_batch_that_can_be_undone(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_import, "CHUNK", 2)
    people = [PersonRecord(row, f"Nom{row}", "Prénom") for row in range(2, 9)]
    steps: list[tuple[int, int]] = []
    batch = services.sheet_import.apply(
        services.sheet_import.plan(tracker(*people)),
        progress=lambda done, total: steps.append((done, total)),
        cancelled=lambda: len(steps) >= 2,
    )
    assert steps == [(0, 7), (2, 7)]
    assert (batch.state, batch.cases_created) == ("cancelled", 2)
    assert len(services.search.cases()) == 2

    services.sheet_import.undo(batch.id)
    assert services.search.cases() == []


def test_the_workspace_state_lists_each_import_the_newest_first(services: Services) -> None:
    first = services.sheet_import.apply(services.sheet_import.plan(tracker(amelie())))
    second = services.sheet_import.apply(services.sheet_import.plan(tracker(paul())))
    assert [b.id for b in services.sheet_import.batches()] == [second.id, first.id]
    assert {b.source for b in services.sheet_import.batches()} == {"suivi-porteurs.xlsx"}


def test_imported_cases_read_as_the_index_says_and_pass_the_check(services: Services) -> None:
    services.sheet_import.apply(
        services.sheet_import.plan(
            tracker(
                amelie(),
                paul(),
                appointments=(
                    AppointmentRecord(2, "Martin", "Paul", starts_at=datetime(2026, 12, 1, 9)),
                ),
            )
        )
    )
    listed = {s.case_id: s for s in services.search.cases()}
    for _step in services.workspace.rebuild_index():
        pass
    assert {s.case_id: s for s in services.search.cases()} == listed
    assert services.maintenance.run_check().ok
    [paul_case] = [services.cases.get(i) for i, s in listed.items() if s.first_name == "Paul"]
    assert paul_case.revision == 1
    assert [h.action for h in paul_case.history] == ["sheet_imported"]
    [planned] = services.agenda.between(date(2026, 11, 30), date(2026, 12, 6))
    assert planned.start == datetime(2026, 12, 1, 9)


def test_an_erased_person_leaves_no_trace_in_the_imports_records(services: Services) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr")
    )
    services.sheet_import.apply(services.sheet_import.plan(tracker(amelie())))
    backup = services.backups.back_up_now()
    services.privacy.erase(case_id)
    for state in (
        services.workspace.root / "workspace-state.sqlite",
        backup.path / "workspace-state.sqlite",
    ):
        connection = sqlite3.connect(state)
        try:
            assert connection.execute(
                "SELECT count(*) FROM import_item WHERE case_id = ?", (case_id,)
            ).fetchone() == (0,)
        finally:
            connection.close()


def test_a_plan_is_imported_once(services: Services) -> None:
    plan = services.sheet_import.plan(tracker(amelie()))
    services.sheet_import.apply(plan)
    with pytest.raises(AdvisorError, match="already made"):
        services.sheet_import.apply(plan)
    assert len(services.search.cases()) == 1


def test_an_encrypted_workspace_imports_into_encrypted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "ITERATIONS", 1_000)
    root = tmp_path / "secret"
    services = Services(Workspace.open(root, passphrase="la boussole du nord"), clock=fixed_clock)
    try:
        batch = services.sheet_import.apply(services.sheet_import.plan(tracker(amelie(), paul())))
        assert batch.cases_created == 2
        again = services.sheet_import.plan(tracker(amelie(), paul()))
        assert (again.created, again.updated, again.unchanged) == ((), (), 2)
        assert services.maintenance.run_check().ok
    finally:
        services.close()
    for path in (root / "cases").glob("*.case"):
        assert path.read_bytes()[:16] != SQLITE_MAGIC
        assert "Amélie".encode() not in path.read_bytes()


def test_an_appointment_given_by_its_day_only_is_not_added_again_once_its_hour_is_set(
    services: Services,
) -> None:
    records = tracker(
        amelie(),
        appointments=(AppointmentRecord(2, "Dupont", "Amélie", starts_at=datetime(2025, 5, 6)),),
    )
    services.sheet_import.apply(services.sheet_import.plan(records))
    [summary] = services.search.cases()
    [meeting] = services.cases.get(summary.case_id).appointments
    services.appointments.update(
        summary.case_id,
        meeting.id,
        AppointmentDraft(datetime(2025, 5, 6, 10, 30), 60, status=AppointmentStatus.DONE),
    )
    again = services.sheet_import.plan(records)
    assert (again.created, again.updated, again.unchanged) == ((), (), 1)


def test_an_import_cancelled_before_it_began_writes_nothing(services: Services) -> None:
    services.sheet_import.apply(services.sheet_import.plan(tracker(paul())))
    before = workspace_bytes(services)
    batch = services.sheet_import.apply(
        services.sheet_import.plan(tracker(amelie())), cancelled=lambda: True
    )
    assert (batch.id, batch.state) == ("", "empty")
    assert workspace_bytes(services) == before


def test_the_first_appointment_marks_the_welcome_of_a_known_case_done_until_undone(
    services: Services,
) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr", opened_on=date(2025, 1, 6))
    )
    batch = services.sheet_import.apply(services.sheet_import.plan(tracker(amelie())))
    assert services.cases.get(case_id).milestones[0].done_on == date(2025, 3, 4)
    services.sheet_import.undo(batch.id)
    assert services.cases.get(case_id).milestones[0].done_on is None
    assert services.cases.get(case_id).person.birth_date is None


def test_the_imports_records_cannot_be_matched_against_guessed_birth_dates_or_phones(
    services: Services,
) -> None:
    """The state says which field an import filled, and a digest of what it wrote to tell
    later whether the advisor changed it: a digest keyed with a secret of the workspace, kept
    beside it (owner-only, in no backup), so trying every birth date finds nothing."""
    case_id, _d, _c = services.cases.create(
        NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr")
    )
    services.sheet_import.apply(services.sheet_import.plan(tracker(amelie())))
    backup = services.backups.back_up_now()
    connection = sqlite3.connect(services.workspace.root / "workspace-state.sqlite")
    try:
        kept = {
            target: digest
            for target, digest in connection.execute(
                "SELECT target, digest FROM import_item WHERE kind = 'field'"
            )
        }
    finally:
        connection.close()
    assert {"person.birth_date", "person.phone"} <= set(kept)

    day, guesses = date(1900, 1, 1), ['"06 12 34 56 78"']
    while day < date(2030, 1, 1):
        guesses.append(f'"{day.isoformat()}"')
        day = date.fromordinal(day.toordinal() + 1)
    for guess in guesses:
        plain = hashlib.sha256(guess.encode("utf-8")).hexdigest()
        assert plain not in kept.values() and plain[:32] not in kept.values()

    secret = services.workspace.root / "import-digest.key"
    assert secret.stat().st_mode & 0o077 == 0
    assert not any(path.name == secret.name for path in backup.path.rglob("*"))

    # the digest still tells a field changed since from one left as the import wrote it
    services.cases.update_person(case_id, {"phone": "06 99 99 99 99"})
    [batch] = services.sheet_import.batches()
    services.sheet_import.undo(batch.id)
    person = services.cases.get(case_id).person
    assert (person.phone, person.birth_date) == ("06 99 99 99 99", None)


def test_the_dry_run_reads_a_case_file_of_an_older_format_without_upgrading_it(
    services: Services,
) -> None:
    """A case file an earlier Boussole wrote (format 1) is compared with the sheet as it
    is; the dry run leaves it in its format, byte for byte: the real import upgrades it."""
    fixture = Path(__file__).parent.parent / "fixtures" / "case-v1.case"
    connection = sqlite3.connect(fixture)
    (case_id,) = connection.execute("SELECT id FROM case_info").fetchone()
    connection.close()
    path = services.workspace.case_path(case_id)
    path.write_bytes(fixture.read_bytes())
    services.workspace.reindex_case(case_id)  # known to the catalog...
    path.write_bytes(fixture.read_bytes())  # ...and of the old format again
    zoe = PersonRecord(
        3, last_name="Lefèvre", first_name="Zoë", email="zoe@example.org", notes=["Rappelée."]
    )
    before = workspace_bytes(services)

    plan = services.sheet_import.plan(tracker(zoe))
    assert [p.case_id for p in plan.updated] == [case_id] and not plan.refusals
    assert workspace_bytes(services) == before

    services.sheet_import.apply(plan)
    assert "Rappelée." in [note.text for note in services.cases.get(case_id).notes]


def test_another_window_is_told_that_an_import_is_being_undone(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace_lock.WorkspaceLock, "timeout_s", 0.1)
    case_id, _d, _c = services.cases.create(NewCase("Paul", "Martin"))
    batch = services.sheet_import.apply(services.sheet_import.plan(tracker(amelie())))
    other = Services.open(services.workspace.root, fixed_clock)
    try:
        undoing = services.sheet_import.records.undoing(batch.id)
        next(undoing)  # under way
        with pytest.raises(WorkspaceBusyError) as refused:
            other.notes.add_note(case_id, "Rappeler lundi.")
        assert str(refused.value) == (
            "An import is being undone by another window; try again when it finishes."
        )
        for _step in undoing:
            pass
        other.notes.add_note(case_id, "Rappeler lundi.")
    finally:
        other.close()


def test_the_secret_of_the_digests_goes_with_the_workspace_state(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    services = Services.open(root, fixed_clock)
    services.cases.create(NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr"))
    services.sheet_import.apply(services.sheet_import.plan(tracker(amelie())))
    services.close()
    assert (root / "import-digest.key").exists()

    for suffix in ("", "-wal", "-shm"):  # the state lost, the imports' records with it
        Path(f"{root / 'workspace-state.sqlite'}{suffix}").unlink(missing_ok=True)
    Services.open(root, fixed_clock).close()
    assert not (root / "import-digest.key").exists()
