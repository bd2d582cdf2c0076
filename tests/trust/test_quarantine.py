"""A damaged case file is moved to the quarantine, listed as damaged, and can be restored."""

from __future__ import annotations

from pathlib import Path

from advisor_app.services import Services
from advisor_app.storage.quarantine import quarantined
from tests.trust.conftest import open_services


def test_a_damaged_case_file_is_quarantined_and_restored_from_the_newest_backup(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    services.backups.back_up_now()
    root = services.workspace.root
    victim = ids["basile"]
    services.workspace.case_path(victim).write_bytes(b"not a database" * 400)
    services.close()

    reopened = open_services(root)
    assert not reopened.workspace.case_path(victim).exists()
    assert [q.case_id for q in quarantined(root)] == [victim]
    damaged = [s for s in reopened.search.cases() if s.damaged]
    assert [s.case_id for s in damaged] == [victim]
    assert reopened.cases.get(ids["ondine"]).person.last_name == "Vasseur-Kerbrat"
    report = reopened.maintenance.run_check()
    assert not report.ok
    assert f"{victim}.case" in report.problems[0][1].params["name"]

    assert reopened.backups.newest_holding(victim) is not None
    reopened.backups.set_aside_and_restore(victim)
    assert reopened.cases.get(victim).person.last_name == "Morvan"
    assert not [s for s in reopened.search.cases() if s.damaged]
    assert reopened.maintenance.run_check().ok
    reopened.close()


def test_check_quarantines_a_file_that_fails_quick_check(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    path = services.workspace.case_path(ids["jade"])
    data = bytearray(path.read_bytes())
    data[5000:9000] = b"\x00" * 4000  # a page of the file overwritten
    path.write_bytes(bytes(data))
    report = services.maintenance.run_check()
    if report.ok:  # the overwritten bytes fell in free space: nothing to see
        return
    assert not path.exists()
    assert ids["jade"] in {q.case_id for q in quarantined(services.workspace.root)}


def test_a_case_file_of_a_newer_version_is_not_quarantined(
    trio: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    import sqlite3

    services, ids = trio
    path = services.workspace.case_path(ids["ondine"])
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    root = services.workspace.root
    services.close()
    reopened = open_services(root)
    assert path.exists()
    assert not quarantined(root)
    assert [s.case_id for s in reopened.search.cases() if s.damaged] == [ids["ondine"]]
    reopened.close()
