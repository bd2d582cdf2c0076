"""The catalog's index is derived data: repaired from case files, rebuilt whole, damage
tolerated; its state (settings, partners, outbox queue) is never part of what is rebuilt."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest

from advisor_app.domain.enums import AppointmentStatus, FundingKind, Outcome
from advisor_app.domain.errors import AdvisorError
from advisor_app.services import AppointmentDraft, CaseFilter, FundingDraft, NewCase, Services
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock


def test_a_write_that_reached_the_case_file_but_not_the_catalog_is_repaired_on_open(
    services: Services,
) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Loïc", "Le Goff", project_title="Atelier vélo")
    )
    path = services.workspace.case_path(case_id)
    services.close()
    # A crash between the two writes: the case file changed, the catalog did not.
    connection = sqlite3.connect(path)
    connection.execute("UPDATE project SET title = 'Réparation de vélos cargo'")
    connection.execute("UPDATE case_info SET revision = revision + 1")
    connection.commit()
    connection.close()
    reopened = Services(Workspace.open(services.workspace.root), clock=fixed_clock)
    try:
        found = reopened.search.cases(CaseFilter(text="cargo"))
        assert [s.case_id for s in found] == [case_id]
    finally:
        reopened.close()


def test_rebuild_index_gives_back_the_same_list(demo_services: Services) -> None:
    # two people of the same name may swap places (the list orders by name only)
    before = sorted((s.case_id, s.done_minutes, s.stage) for s in demo_services.search.cases())
    demo_services.maintenance.rebuild_index_now()
    after = sorted((s.case_id, s.done_minutes, s.stage) for s in demo_services.search.cases())
    assert before == after
    assert len(after) == 40


def _index_as_kept(root: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the derived tables, as stored (the full text through its case row)."""
    with closing(sqlite3.connect(root / "workspace.sqlite")) as raw:
        tables = {
            table: sorted(raw.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in ("agenda_entry", "milestone_index", "funding_index")
        }
        columns = [row[1] for row in raw.execute("PRAGMA table_info(case_index)")]
        kept = ", ".join(c for c in columns if c != "search_rowid")
        tables["case_index"] = sorted(
            raw.execute(f"SELECT {kept} FROM case_index").fetchall(), key=repr
        )
        tables["search_index"] = sorted(
            raw.execute(
                "SELECT c.case_id, s.case_id, s.names, s.project, s.description, s.commune, "
                "s.notes FROM case_index c JOIN search_index s ON s.rowid = c.search_rowid"
            ).fetchall(),
            key=repr,
        )
        tables["search_index count"] = raw.execute("SELECT count(*) FROM search_index").fetchall()
    return tables


def test_a_rebuilt_index_is_the_one_kept_case_by_case(demo_services: Services) -> None:
    """Cases created, then changed one save at a time (appointment done, milestone reached,
    note, funding, closed, binned): rebuilding reads every file again and finds the index,
    to the last stored value, as the saves left it."""
    services = demo_services
    first, second, third = sorted(s.case_id for s in services.search.cases())[:3]
    created, _d, _c = services.cases.create(
        NewCase(
            "Anaïs",
            "Œuvray-Ndiaye",
            email="Anais.OEUVRAY@Example.org",
            commune="Guéret",
            postcode="23000",
            project_title="Épicerie vrac itinérante",
            project_description="Une tournée des villages, le mardi et le vendredi.",
            processing_consent_how="signed form",
        )
    )
    appointment, _c = services.appointments.add(
        first, AppointmentDraft(start=datetime(2026, 12, 3, 14, 30), minutes=90, topic="Budget")
    )
    services.appointments.set_status(first, appointment, AppointmentStatus.DONE)
    services.appointments.add(
        created, AppointmentDraft(start=datetime(2026, 12, 10, 9, 0), minutes=45, place="Aubusson")
    )
    key = services.cases.get(second).milestones[0].key
    services.milestones.mark_done(second, key, date(2026, 11, 20))
    services.notes.add_note(second, "Rencontre avec la CCI : prêt d'honneur envisagé.")
    services.funding.add_request(
        third,
        FundingDraft("Initiative Creuse", FundingKind.HONOUR_LOAN, 800_000, date(2027, 1, 12)),
    )
    services.cases.close(third, Outcome.BUSINESS_CREATED, date(2026, 11, 24))
    services.cases.move_to_bin(first)
    kept = _index_as_kept(services.workspace.root)
    assert len(kept["case_index"]) == 41
    services.maintenance.rebuild_index_now()
    rebuilt = _index_as_kept(services.workspace.root)
    assert rebuilt == kept


def test_rebuilding_the_index_keeps_settings_and_partners(
    demo_services: Services, tmp_path: Path
) -> None:
    demo_services.settings.set("advisor_name", "Camille Rivière")
    demo_services.partners.add("Initiative Creuse", "network", folder=tmp_path / "drop")
    demo_services.maintenance.rebuild_index_now()
    assert demo_services.settings.advisor_name == "Camille Rivière"
    assert [p.name for p in demo_services.partners.all()] == ["Initiative Creuse"]
    assert len(demo_services.search.cases()) == 40


def test_a_damaged_catalog_is_rebuilt_from_the_case_files(demo_services: Services) -> None:
    root = demo_services.workspace.root
    demo_services.close()
    (root / "workspace.sqlite").write_bytes(b"\x00" * 4096)
    for suffix in ("-wal", "-shm"):
        (root / f"workspace.sqlite{suffix}").unlink(missing_ok=True)
    reopened = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert len(reopened.search.cases()) == 40
    finally:
        reopened.close()


def test_a_garbage_case_file_is_listed_as_damaged_and_the_others_still_open(
    demo_services: Services,
) -> None:
    victim = demo_services.search.cases()[0].case_id
    root = demo_services.workspace.root
    demo_services.close()
    demo_services.workspace.case_path(victim).write_bytes(b"garbage" * 1000)
    reopened = Services(Workspace.open(root), clock=fixed_clock)
    try:
        rows = reopened.search.cases()
        assert len(rows) == 40
        damaged = [r for r in rows if r.damaged]
        assert [r.case_id for r in damaged] == [victim]
        other = next(r for r in rows if not r.damaged)
        assert reopened.cases.get(other.case_id).person.last_name == other.last_name
        report = reopened.maintenance.run_check()
        assert not report.ok
        assert [case_id for case_id, _error in report.problems] == [victim]
    finally:
        reopened.close()


def test_saving_an_appointment_updates_the_agenda_index(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Aïcha", "Diallo"))
    services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 12, 1, 9, 30), 60, topic="Diagnostic")
    )
    items = services.agenda.between(datetime(2026, 12, 1).date(), datetime(2026, 12, 1).date())
    assert [(i.holder, i.topic) for i in items] == [("Aïcha Diallo", "Diagnostic")]


def test_a_damaged_catalog_is_kept_aside_not_deleted(demo_services: Services) -> None:
    root = demo_services.workspace.root
    demo_services.close()
    (root / "workspace.sqlite").write_bytes(b"\x00" * 4096)
    Workspace.open(root).close()
    kept = list((root / "damaged").glob("workspace-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00" * 4096


def test_upgrading_the_catalog_keeps_settings_and_refills_the_index(
    demo_services: Services,
) -> None:
    demo_services.settings.set("advisor_name", "Camille Rivière")
    root = demo_services.workspace.root
    demo_services.close()
    connection = sqlite3.connect(root / "workspace.sqlite")
    connection.execute("PRAGMA user_version = 0")
    connection.close()
    reopened = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert reopened.settings.advisor_name == "Camille Rivière"
        assert len(reopened.search.cases()) == 40
    finally:
        reopened.close()


def test_a_catalog_from_a_newer_version_is_refused_untouched(services: Services) -> None:
    root = services.workspace.root
    services.close()
    connection = sqlite3.connect(root / "workspace.sqlite")
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = (root / "workspace.sqlite").read_bytes()
    with pytest.raises(AdvisorError, match="newer version"):
        Workspace.open(root)
    assert (root / "workspace.sqlite").read_bytes() == before


def test_a_catalog_that_failed_its_full_check_is_rebuilt_at_the_next_open(
    demo_services: Services,
) -> None:
    from advisor_app.storage.catalog import damage_marker

    root = demo_services.workspace.root
    demo_services.close()
    damage_marker(root / "workspace.sqlite").touch()  # what `check` leaves after a failed check
    reopened = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert len(reopened.search.cases()) == 40
        assert not damage_marker(root / "workspace.sqlite").exists()
        assert len(list((root / "damaged").glob("workspace-*.sqlite"))) == 1
    finally:
        reopened.close()


def test_the_leftovers_of_a_creation_cut_by_a_crash_are_swept(services: Services) -> None:
    import os
    import time

    cases = services.workspace.cases_dir
    old = cases / ".0b1c2d3e.case.new"
    recent = cases / ".4f5a6b7c.case.new"
    for leftover in (old, recent, cases / ".0b1c2d3e.case.new-wal"):
        leftover.write_bytes(b"half a case")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(cases / ".0b1c2d3e.case.new-wal", (two_hours_ago, two_hours_ago))
    root = services.workspace.root
    services.close()
    Workspace.open(root).close()
    assert not old.exists() and not (cases / ".0b1c2d3e.case.new-wal").exists()
    assert recent.exists()  # perhaps another process creating a case right now


def test_reports_printed_for_a_package_a_crash_cut_are_swept(services: Services) -> None:
    import os
    import time

    outbox = services.workspace.outbox_dir
    old, recent = outbox / ".reports-abandoned", outbox / ".reports-printing-now"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "progress.pdf").write_bytes(b"%PDF- a report naming the person")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    root = services.workspace.root
    services.close()
    Workspace.open(root).close()
    assert not old.exists()
    assert recent.exists()  # perhaps an export running in another window
