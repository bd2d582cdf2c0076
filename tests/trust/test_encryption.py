"""Encryption at rest: no byte of a name in an encrypted workspace, a sentence for a wrong
passphrase, re-keying that survives an interruption. Each opening derives its own key: the
process keeps none once the workspace is closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.storage import encryption
from advisor_app.storage.encryption import PassphraseError
from advisor_app.storage.sqlite_engine import SQLITE_MAGIC
from advisor_app.storage.workspace import Workspace
from tests.trust.conftest import PASSPHRASE, add_person, files_containing, open_services


def test_no_byte_of_a_name_in_an_encrypted_workspace(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Ondine", "Vasseur-Kerbrat")
    services.backups.back_up_now()
    services.notes.add_note(case_id, "Ondine Vasseur-Kerbrat rappellera lundi.")
    assert services.search.cases()[0].last_name == "Vasseur-Kerbrat"
    # while the workspace is open (WAL files present or not), and after it is closed
    assert files_containing(root, "Vasseur-Kerbrat") == []
    services.close()
    assert files_containing(root, "Vasseur-Kerbrat") == []
    assert not [p for p in root.rglob("*") if p.is_file() and p.read_bytes()[:16] == SQLITE_MAGIC]
    reopened = open_services(root, PASSPHRASE)
    assert reopened.cases.get(case_id).notes[0].text.startswith("Ondine")
    assert reopened.maintenance.run_check().ok
    reopened.close()


def test_a_wrong_or_missing_passphrase_gets_a_sentence(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    open_services(root, PASSPHRASE).close()
    with pytest.raises(PassphraseError, match="does not open"):
        open_services(root, "not the right one")
    with pytest.raises(PassphraseError, match="passphrase is needed"):
        open_services(root)
    assert (root / "workspace.sqlite").exists()
    assert not (root / "damaged").exists()


def test_encrypting_an_existing_workspace_and_changing_the_passphrase(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    case_id = add_person(services, "Basile", "Morvan")
    services.backups.back_up_now()
    assert files_containing(root, "Morvan")
    for _step in services.encryption.protect(PASSPHRASE):
        pass
    assert files_containing(root, "Morvan") == []
    for _step in services.encryption.change_passphrase("une autre phrase secrète"):
        pass
    services.close()
    with pytest.raises(PassphraseError):
        open_services(root, PASSPHRASE)
    reopened = open_services(root, "une autre phrase secrète")
    assert reopened.cases.get(case_id).person.last_name == "Morvan"
    backup = reopened.backups.all()[0]
    reopened.backups.restore(backup.name, case_id)
    assert reopened.maintenance.run_check().ok
    reopened.close()


def test_an_interrupted_rekey_rolls_back_while_copying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Jade", "Ferrand")
    calls = {"n": 0}
    real = encryption.copy_rekeyed

    def copy_then_fail(*args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the laptop's battery gives out
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(encryption, "copy_rekeyed", copy_then_fail)
    with pytest.raises(KeyboardInterrupt):
        for _step in services.encryption.change_passphrase("une autre phrase secrète"):
            pass
    services.close()
    assert (root / encryption.REKEY_MARKER).exists()
    reopened = open_services(root, PASSPHRASE)  # the old passphrase still opens everything
    assert reopened.cases.get(case_id).person.last_name == "Ferrand"
    assert not list(root.rglob("*.rekey"))
    reopened.close()


def test_an_interrupted_rekey_rolls_forward_while_swapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Jade", "Ferrand")
    real_replace = encryption.os.replace
    count = {"n": 0}

    def replace_then_fail(source: object, target: object) -> None:
        if str(source).endswith(".rekey"):
            count["n"] += 1
            if count["n"] == 2:
                raise KeyboardInterrupt
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(encryption.os, "replace", replace_then_fail)
    with pytest.raises(KeyboardInterrupt):
        for _step in services.encryption.change_passphrase("une autre phrase secrète"):
            pass
    monkeypatch.setattr(encryption.os, "replace", real_replace)
    services.close()
    marker = json.loads((root / encryption.REKEY_MARKER).read_text())
    assert marker["state"] == "swapping"
    reopened = open_services(root, "une autre phrase secrète")
    assert reopened.cases.get(case_id).person.last_name == "Ferrand"
    assert reopened.maintenance.run_check().ok
    reopened.close()


def test_encrypt_and_passphrase_file_from_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("pas la bonne phrase\n", encoding="utf-8")
    assert main(["--workspace", ws, "new-case", "--first-name", "Léa", "--last-name", "Noël"]) == 0
    assert main(["--workspace", ws, "encrypt", "--passphrase-file", str(secret)]) == 0
    capsys.readouterr()
    assert main(["--workspace", ws, "list"]) == 1
    assert "passphrase" in capsys.readouterr().err
    assert main(["--workspace", ws, "--passphrase-file", str(wrong), "list"]) == 1
    err = capsys.readouterr().err
    assert "does not open" in err and "Traceback" not in err
    assert main(["--workspace", ws, "--passphrase-file", str(secret), "check"]) == 0
    assert files_containing(Path(ws), "Noël") == []


def test_after_encrypting_the_catalog_still_knows_every_case_file(tmp_path: Path) -> None:
    """Re-keying rewrites the files, not their content: the next open need not read them."""
    root = tmp_path / "ws"
    services = open_services(root)
    for last_name in ("Morvan", "Le Bihan", "Quéré"):
        add_person(services, "Basile", last_name)
    for _step in services.encryption.protect(PASSPHRASE):
        pass
    services.close()
    workspace = Workspace.open(root, passphrase=PASSPHRASE, reconcile=False)
    try:
        first_step = next(workspace.reconcile())
        assert (first_step.done, first_step.total) == (0, 0)  # no case file to read again
    finally:
        workspace.close()
    reopened = open_services(root, PASSPHRASE)
    assert len(reopened.search.cases()) == 3
    reopened.close()
