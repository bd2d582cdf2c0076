"""Encryption at rest: no byte of a name in an encrypted workspace, a sentence for a wrong
passphrase, re-keying that survives an interruption. Each opening derives its own key: the
process keeps none once the workspace is closed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.services import Services
from advisor_app.services.demo import generate_demo
from advisor_app.storage import encryption
from advisor_app.storage.encryption import PassphraseError
from advisor_app.storage.sqlite_engine import SQLITE_MAGIC, keyed_connect
from advisor_app.storage.workspace import Workspace
from tests.conftest import run_cli
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


def test_a_rekey_stopped_while_copying_keeps_the_old_key_and_is_taken_up_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Jade", "Ferrand")
    case_file = services.workspace.case_path(case_id)
    # a connection left to the garbage collector, with changes still in the WAL
    lingering = keyed_connect(case_file, services.workspace.key.text() or "")
    lingering.execute("PRAGMA wal_autocheckpoint = 0")
    lingering.execute("UPDATE person SET last_name = last_name")
    lingering.commit()
    real = encryption.copy_rekeyed

    def copy_then_fail(source: Path, *args: object) -> None:
        if source == case_file:
            lingering.close()  # collected now: its WAL is folded into the file
        real(source, *args)  # type: ignore[arg-type]
        if source == case_file:  # the index, the state and the case file are copied
            raise KeyboardInterrupt  # the laptop's battery gives out

    monkeypatch.setattr(encryption, "copy_rekeyed", copy_then_fail)
    with pytest.raises(KeyboardInterrupt):
        for _step in services.encryption.change_passphrase("une autre phrase secrète"):
            pass
    services.close()
    monkeypatch.setattr(encryption, "copy_rekeyed", real)
    assert (root / encryption.REKEY_MARKER).exists()
    reopened = open_services(root, PASSPHRASE)  # the old passphrase still opens everything
    assert reopened.cases.get(case_id).person.last_name == "Ferrand"
    # the copy of the case file, under the new passphrase, waits for the next run
    copy = Path(f"{case_file}{encryption.REKEY_SUFFIX}")
    made_before = copy.stat().st_ino
    for _step in reopened.encryption.change_passphrase("une autre phrase secrète"):
        pass
    reopened.close()
    assert case_file.stat().st_ino == made_before  # taken up, not made again
    assert not list(root.rglob("*.rekey")) and not (root / encryption.REKEY_PAUSED).exists()
    with pytest.raises(PassphraseError):
        open_services(root, PASSPHRASE)
    again = open_services(root, "une autre phrase secrète")
    assert again.cases.get(case_id).person.last_name == "Ferrand"
    assert again.maintenance.run_check().ok
    again.close()


def test_a_stopped_rekey_under_another_passphrase_starts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Jade", "Ferrand")
    case_file = services.workspace.case_path(case_id)
    real = encryption.copy_rekeyed

    def copy_then_fail(source: Path, *args: object) -> None:
        real(source, *args)  # type: ignore[arg-type]
        if source == case_file:
            raise KeyboardInterrupt

    monkeypatch.setattr(encryption, "copy_rekeyed", copy_then_fail)
    with pytest.raises(KeyboardInterrupt):
        for _step in services.encryption.change_passphrase("une autre phrase secrète"):
            pass
    services.close()
    monkeypatch.setattr(encryption, "copy_rekeyed", real)
    reopened = open_services(root, PASSPHRASE)
    assert Path(f"{case_file}{encryption.REKEY_SUFFIX}").exists()
    # another passphrase: what was copied under the first one is of no use, and goes
    for _step in reopened.encryption.change_passphrase("encore une autre phrase"):
        pass
    reopened.close()
    assert not list(root.rglob("*.rekey"))
    for stopped in ("une autre phrase secrète", PASSPHRASE):
        with pytest.raises(PassphraseError):
            open_services(root, stopped)
    again = open_services(root, "encore une autre phrase")
    assert again.cases.get(case_id).person.last_name == "Ferrand"
    assert again.maintenance.run_check().ok
    again.close()


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


def _what_the_advisor_sees(services: Services) -> list[tuple[object, ...]]:
    """Every case as listed, with its appointments and notes as its page shows them."""
    seen: list[tuple[object, ...]] = []
    for summary in services.search.cases():
        case = services.cases.get(summary.case_id)
        seen.append(
            (
                summary.case_id,
                case.person.first_name,
                case.person.last_name,
                summary.stage,
                summary.done_minutes,
                tuple((a.start, a.minutes, a.topic) for a in case.appointments),
                tuple(n.text for n in case.notes),
            )
        )
    return seen


def test_encrypt_killed_half_way_leaves_the_workspace_as_it_was_and_runs_again_to_the_end(
    tmp_path: Path,
) -> None:
    """`advisor-app encrypt` stopped by SIGKILL while it copies the files: the workspace
    opens as before, without a passphrase, every case whole; `encrypt` run again takes up
    the copies already made and finishes."""
    root = tmp_path / "ws"
    services = open_services(root)
    for _step in generate_demo(services, 150, seed=5):
        pass
    before = _what_the_advisor_sees(services)
    services.close()
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    journal = root / encryption.REKEY_JOURNAL
    command = [sys.executable, "-m", "advisor_app", "--workspace", str(root), "--lang", "en"]
    child = subprocess.Popen(
        [*command, "encrypt", "--passphrase-file", str(secret)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # stopped once a few copies are made whole, long before the last of 150 files
        while child.poll() is None and not (
            journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= 10
        ):
            time.sleep(0.001)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert (root / encryption.REKEY_MARKER).exists()

    reopened = open_services(root)  # no passphrase: the workspace is as it was
    assert _what_the_advisor_sees(reopened) == before
    check = reopened.maintenance.run_check()
    assert check.ok
    assert any("stopped before its end" in notice.message for notice in check.notices)
    reopened.close()
    # the copies made whole before the kill (the one under way then is made again)
    made = [line.split("\t") for line in journal.read_text(encoding="utf-8").splitlines()]
    copies = {
        root / fields[0]: Path(f"{root / fields[0]}{encryption.REKEY_SUFFIX}").stat().st_ino
        for fields in made
        if len(fields) == 5 and fields[0].startswith("cases/")
    }
    assert copies  # kept for the next run, under the new passphrase

    code, _out, err = run_cli(root, "encrypt", "--passphrase-file", str(secret))
    assert code == 0, err
    assert all(path.stat().st_ino == inode for path, inode in copies.items())  # taken up
    assert not list(root.rglob(f"*{encryption.REKEY_SUFFIX}"))
    assert not (root / encryption.REKEY_MARKER).exists()
    assert not any(p.read_bytes()[:16] == SQLITE_MAGIC for p in (root / "cases").glob("*.case"))
    with pytest.raises(PassphraseError):
        open_services(root)
    encrypted = open_services(root, PASSPHRASE)
    assert _what_the_advisor_sees(encrypted) == before
    check = encrypted.maintenance.run_check()
    assert check.ok
    assert not any("stopped before its end" in notice.message for notice in check.notices)
    encrypted.close()
