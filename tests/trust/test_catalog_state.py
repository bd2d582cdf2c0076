"""What cannot be rebuilt from the case files (partners, the outbox queue, settings, the
workspace's audit log) is kept apart from the index, backed up with the cases and restored
with them; when it is lost, `check` says so and names the backup to bring it back from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import describe
from advisor_app.services import Services
from advisor_app.storage.backups import BackupInfo
from advisor_app.storage.catalog_models import AuditEntry
from tests.trust.conftest import PASSPHRASE, add_person, open_services

PARTNER = "Initiative Creuse"


def _a_workspace_with_partners_and_a_queue(root: Path, passphrase: str | None = None) -> BackupInfo:
    """Ondine and Basile, a partner with a package waiting for it, the advisor's name set;
    backed up, then closed."""
    services = open_services(root, passphrase)
    ondine = add_person(services, "Ondine", "Vasseur-Kerbrat")
    add_person(services, "Basile", "Morvan")
    services.settings.set("advisor_name", "Camille Rivière")
    services.settings.set("organisation", "BGE Creuse")
    services.partners.add(PARTNER, "network", folder=root.parent / "drop")
    services.partners.share_with(ondine, PARTNER, "signed form")
    services.exchange.export(ondine, PARTNER)
    backup = services.backups.back_up_now()
    services.close()
    return backup


def _lose_the_catalog(root: Path) -> None:
    """Every catalog file deleted, as a careless clean-up or a sync tool would."""
    for path in root.glob("workspace*.sqlite*"):
        path.unlink()


def _the_state_problem(services: Services) -> str:
    report = services.maintenance.run_check()
    assert not report.ok
    texts = [describe(error) for _case, error in report.problems]
    [text] = [t for t in texts if "partners" in t]
    return text


def test_losing_the_catalog_is_said_by_check_with_the_backup_to_restore(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root)
    _lose_the_catalog(root)
    services = open_services(root)
    try:
        assert services.partners.all() == []  # an empty one was made to go on working
        assert len(services.search.cases()) == 2  # the index is rebuilt from the case files
        text = _the_state_problem(services)
        assert "outbox queue" in text and "settings" in text
        assert f"restore {backup.name} --state" in text
    finally:
        services.close()


def test_restoring_the_state_brings_back_partners_queue_settings_and_audit(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root)
    _lose_the_catalog(root)
    services = open_services(root)
    try:
        services.settings.set("language", "fr")  # set after the loss: kept
        services.backups.restore_state(backup.name)
        assert [p.name for p in services.partners.all()] == [PARTNER]
        assert [(i.partner, i.state) for i in services.outbox.items()] == [(PARTNER, "queued")]
        assert services.settings.advisor_name == "Camille Rivière"
        assert services.settings.get("language") == "fr"
        with services.workspace.catalog.read() as catalog:
            actions = [a.action for a in catalog.query(AuditEntry).order_by(AuditEntry.at)]
        assert actions.count("created") == 2
        assert services.maintenance.run_check().ok
    finally:
        services.close()


def test_a_damaged_index_loses_no_partner_setting_or_queued_package(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _a_workspace_with_partners_and_a_queue(root)
    (root / "workspace.sqlite").write_bytes(b"\x00" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(f"{root / 'workspace.sqlite'}{suffix}").unlink(missing_ok=True)
    services = open_services(root)
    try:
        assert [p.name for p in services.partners.all()] == [PARTNER]
        assert len(services.outbox.items()) == 1
        assert services.settings.advisor_name == "Camille Rivière"
        assert len(services.search.cases()) == 2
        assert services.maintenance.run_check().ok
    finally:
        services.close()


def test_a_damaged_state_file_is_set_aside_and_check_names_it_and_the_backup(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root)
    state = root / "workspace-state.sqlite"
    state.write_bytes(b"not a database" * 400)
    services = open_services(root)
    try:
        [kept] = (root / "damaged").glob("workspace-state-*.sqlite")
        assert kept.read_bytes() == b"not a database" * 400
        text = _the_state_problem(services)
        assert "damaged" in text and f"restore {backup.name} --state" in text
        services.backups.restore_state(backup.name)
        assert [p.name for p in services.partners.all()] == [PARTNER]
        assert services.maintenance.run_check().ok
    finally:
        services.close()


def test_a_backup_made_after_the_loss_is_not_the_one_named(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    before = _a_workspace_with_partners_and_a_queue(root)
    _lose_the_catalog(root)
    services = open_services(root)
    try:
        after = services.backups.back_up_now()  # the day's first backup, of the empty state
        assert after.name != before.name
        text = _the_state_problem(services)
        assert f"restore {before.name} --state" in text and after.name not in text
    finally:
        services.close()


def test_restoring_a_whole_backup_brings_the_state_back_too(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root)
    _lose_the_catalog(root)
    services = open_services(root)
    try:
        services.backups.restore(backup.name)
        assert [p.name for p in services.partners.all()] == [PARTNER]
        assert len(services.outbox.items()) == 1
        assert services.maintenance.run_check().ok
    finally:
        services.close()


def test_the_state_of_an_encrypted_workspace_is_backed_up_encrypted_and_restored(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root, PASSPHRASE)
    assert (backup.path / "workspace-state.sqlite").exists()
    assert PARTNER.encode() not in (backup.path / "workspace-state.sqlite").read_bytes()
    _lose_the_catalog(root)
    services = open_services(root, PASSPHRASE)
    try:
        assert f"restore {backup.name} --state" in _the_state_problem(services)
        services.backups.restore_state(backup.name)
        assert [p.name for p in services.partners.all()] == [PARTNER]
    finally:
        services.close()


def test_without_any_backup_check_says_what_was_lost_and_that_none_holds_it(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    _a_workspace_with_partners_and_a_queue(root)
    shutil.rmtree(root / "backups")
    _lose_the_catalog(root)
    services = open_services(root)
    try:
        text = _the_state_problem(services)
        assert "no backup" in text.lower()
    finally:
        services.close()


def test_a_new_workspace_reports_nothing_lost(tmp_path: Path) -> None:
    services = open_services(tmp_path / "new")
    try:
        report = services.maintenance.run_check()
        assert report.ok, [describe(e) for _c, e in report.problems]
    finally:
        services.close()


def test_the_loss_and_its_repair_from_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root)
    _lose_the_catalog(root)
    ws = str(root)
    assert main(["--workspace", ws, "--lang", "en", "check"]) == 1
    err = capsys.readouterr().err
    assert "partners" in err and f"restore {backup.name} --state" in err
    assert "Unexpected error" not in err
    assert main(["--workspace", ws, "--lang", "en", "restore", backup.name, "--state"]) == 0
    capsys.readouterr()
    assert main(["--workspace", ws, "--lang", "en", "check"]) == 0
    assert "Everything is in order" in capsys.readouterr().out


def test_restoring_the_state_from_a_backup_that_holds_none_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    backup = _a_workspace_with_partners_and_a_queue(root)
    for path in backup.path.glob("workspace*.sqlite"):
        path.unlink()
    services = open_services(root)
    try:
        with pytest.raises(AdvisorError, match="does not hold"):
            services.backups.restore_state(backup.name)
        assert [p.name for p in services.partners.all()] == [PARTNER]
    finally:
        services.close()
