"""Restoring a case from the quarantine never drops a newer save without saying so: when the
quarantine holds a sound file of the case saved after the newest backup (an older Boussole
moved healthy files there on a full disk), the restore stops, names both saves, and offers
that file; the older backup is taken only when asked for, and the newer file stays aside.
"""

from __future__ import annotations

import pytest

from advisor_app.domain.errors import AdvisorError, CaseFileError
from advisor_app.domain.messages import N_
from advisor_app.i18n import describe
from advisor_app.services import Services
from advisor_app.services.quarantine import NewerSaveInQuarantineError, RestoreChoice
from advisor_app.storage.quarantine import quarantined
from tests.conftest import run_cli
from tests.trust.conftest import open_services

LATE_NOTE = "Saved after the backup: the bank said yes."


def set_aside_by_mistake(services: Services, case_id: str) -> None:
    """What the full disk of finding 3 did: a healthy file moved into the quarantine."""
    workspace = services.workspace
    with workspace.catalog.write() as catalog:
        workspace.quarantine(
            catalog,
            case_id,
            CaseFileError(N_("The case file {name} is damaged ({reason})."), name="x", reason="?"),
        )


@pytest.fixture
def newer_in_quarantine(trio: tuple[Services, dict[str, str]]) -> tuple[Services, str, str]:
    """Basile's case backed up, saved again, then moved aside healthy: the services, his
    case, and the name of the backup."""
    services, ids = trio
    basile = ids["basile"]
    backup = services.backups.back_up_now()
    services.notes.add_note(basile, LATE_NOTE)
    set_aside_by_mistake(services, basile)
    return services, basile, backup.name


def notes(services: Services, case_id: str) -> list[str]:
    return [note.text for note in services.cases.get(case_id).notes]


def test_the_restore_stops_and_offers_the_newer_file(
    newer_in_quarantine: tuple[Services, str, str],
) -> None:
    services, basile, backup = newer_in_quarantine
    live = services.workspace.case_path(basile)

    with pytest.raises(NewerSaveInQuarantineError) as refused:
        services.backups.set_aside_and_restore(basile)
    sentence = describe(refused.value)
    assert backup in sentence and "revision" in sentence
    assert "--from-quarantine" in sentence and "nothing was restored" in sentence
    assert not live.exists() and len(quarantined(services.workspace.root)) == 1

    services.backups.set_aside_and_restore(basile, RestoreChoice.QUARANTINED)
    assert LATE_NOTE in notes(services, basile)
    assert not quarantined(services.workspace.root)
    assert not [s for s in services.search.cases() if s.damaged]
    assert services.maintenance.run_check().ok


def test_the_older_backup_only_when_asked_and_the_newer_file_stays_aside(
    newer_in_quarantine: tuple[Services, str, str],
) -> None:
    services, basile, _backup = newer_in_quarantine
    services.backups.set_aside_and_restore(basile, RestoreChoice.BACKUP)
    assert LATE_NOTE not in notes(services, basile)
    kept = quarantined(services.workspace.root)
    assert [item.case_id for item in kept] == [basile]  # the newer save is not lost

    services.workspace.delete_case_file(basile)  # and can still be put back
    services.backups.set_aside_and_restore(basile, RestoreChoice.QUARANTINED)
    assert LATE_NOTE in notes(services, basile)


def test_a_sound_case_file_is_never_set_aside(trio: tuple[Services, dict[str, str]]) -> None:
    services, ids = trio
    services.backups.back_up_now()
    services.notes.add_note(ids["jade"], LATE_NOTE)
    with pytest.raises(AdvisorError, match="is sound: nothing was restored"):
        services.backups.set_aside_and_restore(ids["jade"])
    assert LATE_NOTE in notes(services, ids["jade"])
    assert not quarantined(services.workspace.root)


def test_a_damaged_file_in_the_quarantine_is_restored_from_the_backup_as_before(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    services.backups.back_up_now()
    root = services.workspace.root
    services.workspace.case_path(ids["ondine"]).write_bytes(b"not a database" * 400)
    services.close()
    reopened = open_services(root)
    try:
        assert [item.case_id for item in quarantined(root)] == [ids["ondine"]]
        reopened.backups.set_aside_and_restore(ids["ondine"])
        assert reopened.cases.get(ids["ondine"]).person.last_name == "Vasseur-Kerbrat"
    finally:
        reopened.close()


def test_the_command_line_lists_the_newer_file_and_restores_it_when_asked(
    newer_in_quarantine: tuple[Services, str, str],
) -> None:
    services, basile, _backup = newer_in_quarantine
    root = services.workspace.root
    services.close()

    code, out, _err = run_cli(root, "quarantine")
    assert code == 0 and "--from-quarantine" in out and basile in out
    code, _out, err = run_cli(root, "quarantine", "--restore", basile)
    assert code == 1 and "newer than the backup" in err and "Unexpected" not in err
    code, out, err = run_cli(root, "quarantine", "--restore", basile, "--from-quarantine")
    assert code == 0, err
    assert "put back from the quarantine" in out
    code, out, _err = run_cli(root, "show", basile, "--json")
    assert code == 0 and LATE_NOTE in out
