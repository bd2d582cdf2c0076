"""`encryption.json`, the description of an encrypted workspace (salt, rounds, verifier):
missing or damaged, it gets a sentence and nothing is quarantined or set aside; a copy kept
in each backup brings it back once the passphrase proves it is the workspace's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.domain.errors import AdvisorError
from advisor_app.storage.encryption import PassphraseError, is_encrypted, key_from_passphrase
from tests.trust.conftest import PASSPHRASE, add_person, open_services

DESCRIPTION = "encryption.json"


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but its lock file, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def _encrypted_workspace(root: Path, *, backed_up: bool) -> str:
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Ondine", "Vasseur-Kerbrat")
    if backed_up:
        services.backups.back_up_now()
    services.close()
    return case_id


def _nothing_moved(root: Path, before: dict[str, bytes]) -> None:
    assert not (root / "quarantine").exists()
    assert not (root / "damaged").exists()
    assert _snapshot(root) == before


def test_a_missing_description_is_said_and_nothing_is_quarantined(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _encrypted_workspace(root, backed_up=False)
    (root / DESCRIPTION).unlink()
    before = _snapshot(root)
    assert is_encrypted(root)  # the window and the command line still ask the passphrase
    for passphrase in (None, PASSPHRASE):
        with pytest.raises(AdvisorError, match=r"encryption\.json") as caught:
            open_services(root, passphrase)
        assert "missing" in str(caught.value)
        _nothing_moved(root, before)


def test_a_missing_description_comes_back_from_a_backup_with_the_passphrase(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    case_id = _encrypted_workspace(root, backed_up=True)
    (root / DESCRIPTION).unlink()
    with pytest.raises(PassphraseError, match="passphrase is needed"):
        open_services(root)
    with pytest.raises(PassphraseError, match="does not open"):
        open_services(root, "pas la bonne phrase")
    assert not (root / DESCRIPTION).exists()
    services = open_services(root, PASSPHRASE)
    try:
        assert services.cases.get(case_id).person.last_name == "Vasseur-Kerbrat"
        assert services.maintenance.run_check().ok
    finally:
        services.close()
    assert (root / DESCRIPTION).exists()
    assert not (root / "quarantine").exists()


@pytest.mark.parametrize(
    "damage",
    ["not json at all", '{"format": 1}', '{"salt": 12, "iterations": "many", "verifier": []}'],
    ids=["garbage", "fields-missing", "wrong-types"],
)
def test_a_damaged_description_is_said_and_nothing_is_quarantined(
    tmp_path: Path, damage: str
) -> None:
    root = tmp_path / "ws"
    _encrypted_workspace(root, backed_up=False)
    (root / DESCRIPTION).write_text(damage, encoding="utf-8")
    before = _snapshot(root)
    for passphrase in (None, PASSPHRASE):
        with pytest.raises(AdvisorError, match=r"encryption\.json") as caught:
            open_services(root, passphrase)
        assert "damaged" in str(caught.value)
        _nothing_moved(root, before)


def test_a_description_altered_by_hand_is_told_from_a_wrong_passphrase(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    case_id = _encrypted_workspace(root, backed_up=True)
    data = json.loads((root / DESCRIPTION).read_text(encoding="utf-8"))
    data["verifier"] = "0" * 64
    (root / DESCRIPTION).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PassphraseError, match="does not open"):
        open_services(root, "pas la bonne phrase")
    services = open_services(root, PASSPHRASE)  # the backup's copy is taken back
    try:
        assert services.cases.get(case_id).person.last_name == "Vasseur-Kerbrat"
    finally:
        services.close()
    [aside] = (root / "damaged").glob("encryption-*.json")
    assert json.loads(aside.read_text(encoding="utf-8"))["verifier"] == "0" * 64
    assert not (root / "quarantine").exists()


def test_the_passphrase_dialog_check_takes_the_copy_back_too(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _encrypted_workspace(root, backed_up=True)
    (root / DESCRIPTION).unlink()
    with pytest.raises(PassphraseError, match="does not open"):
        key_from_passphrase(root, "pas la bonne phrase")
    assert key_from_passphrase(root, PASSPHRASE).startswith("x'")


def test_the_copies_in_the_backups_follow_a_change_of_passphrase(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    case_id = _encrypted_workspace(root, backed_up=True)
    services = open_services(root, PASSPHRASE)
    for _step in services.encryption.change_passphrase("une autre phrase secrète"):
        pass
    services.close()
    (root / DESCRIPTION).unlink()
    with pytest.raises(PassphraseError, match="does not open"):
        open_services(root, PASSPHRASE)
    services = open_services(root, "une autre phrase secrète")
    try:
        assert services.cases.get(case_id).person.last_name == "Vasseur-Kerbrat"
    finally:
        services.close()


def test_decrypting_removes_the_copies_and_a_plain_workspace_needs_none(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    case_id = _encrypted_workspace(root, backed_up=True)
    services = open_services(root, PASSPHRASE)
    for _step in services.encryption.remove():
        pass
    services.close()
    assert not list(root.rglob(DESCRIPTION))
    assert not is_encrypted(root)
    services = open_services(root)
    try:
        assert services.cases.get(case_id).person.last_name == "Vasseur-Kerbrat"
    finally:
        services.close()


def test_the_command_line_says_it_without_unexpected_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "ws"
    case_id = _encrypted_workspace(root, backed_up=False)
    (root / DESCRIPTION).write_text('{"salt": "zz"}', encoding="utf-8")
    passphrase_file = tmp_path / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    before = _snapshot(root)
    options = ["--workspace", str(root), "--lang", "en", "--passphrase-file", str(passphrase_file)]
    code = main([*options, "show", case_id])
    err = capsys.readouterr().err
    assert code == 1
    assert "encryption.json" in err and "Unexpected error" not in err
    _nothing_moved(root, before)
