"""Damage means damage: a full disk or a read-only folder gets its own sentence, and no healthy
file is ever taken for damaged, moved to the quarantine, or lost.

The adversarial run's finding 3, with 48 KB left on the disk: `show` said the case file was
damaged, `check` moved it to the quarantine (its integrity check said ok), and show, check,
new-case and backup printed "Unexpected error (database or disk is full)"; a read-only
workspace printed "Unexpected error ([Errno 30] …)" for every command.

A full disk is a small tmpfs, which only root may mount; a read-only workspace is that tmpfs
mounted again read-only (as root, chmod does not bind), or a folder without write
permission otherwise.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor_app.domain.disk import DiskFullError, ReadOnlyError
from advisor_app.services import AppointmentDraft, Services
from tests.conftest import TODAY, run_cli
from tests.trust.conftest import add_person, open_services

LEFT_ON_DISK = 48 * 1024
DISK_SIZE = "6m"


def mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip(
            "A full disk is made with a small tmpfs, which only root may mount: run the tests "
            "as root (as the CI container does) to check what a full disk does."
        )
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"This system refused to mount a tmpfs ({mounted.stderr.decode().strip()}).")


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A disk of 6 MB of its own, unmounted at the end."""
    folder = tmp_path / "disk"
    mount_tmpfs(folder, DISK_SIZE)
    yield folder
    unmount(folder)


def fill(disk: Path, leave: int = LEFT_ON_DISK) -> Path:
    """A file that takes all the room of `disk` but `leave` bytes: written until the disk
    is full, then cut by `leave` (a window open on the disk may write a few bytes meanwhile,
    which a size computed first would not allow for)."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle:
        chunk = b"\xa5" * (1 << 16)
        while True:
            try:
                handle.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]
        handle.truncate(max(0, handle.tell() - leave))
    return filler


def case_files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "cases").glob("*.case"))}


def listing(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def nothing_quarantined(root: Path) -> bool:
    folder = root / "quarantine"
    return not folder.exists() or not any(folder.iterdir())


@pytest.fixture
def full_workspace(small_disk: Path) -> Iterator[tuple[Path, dict[str, str], Path]]:
    """Three people's cases on a disk then filled up to its last 48 KB: the workspace, their
    ids, and the file that fills the disk."""
    root = small_disk / "ws"
    services = open_services(root)
    ids = {
        "ondine": add_person(services, "Ondine", "Vasseur-Kerbrat"),
        "basile": add_person(services, "Basile", "Morvan"),
        "jade": add_person(services, "Jade", "Ferrand"),
    }
    services.backups.back_up_now()
    services.close()
    filler = fill(small_disk)
    yield root, ids, filler


def test_on_a_full_disk_every_command_says_so_and_no_case_file_is_quarantined(
    full_workspace: tuple[Path, dict[str, str], Path],
) -> None:
    root, ids, filler = full_workspace
    before = case_files(root)
    commands = [
        ("show", ids["basile"]),
        ("check",),
        ("new-case", "--first-name", "Lou", "--last-name", "Brun"),
        ("backup",),
        ("add-appointment", ids["jade"], "--start", "2026-12-02T10:00", "--minutes", "45",
         "--mode", "office"),
        ("rebuild-index",),
    ]  # fmt: skip
    for command in commands:
        code, _out, err = run_cli(root, *command)
        assert code == 1, (command, err)
        assert "The disk is full" in err, (command, err)
        assert "Unexpected error" not in err and "damaged" not in err, (command, err)
    assert nothing_quarantined(root)
    assert case_files(root) == before

    filler.unlink()  # room again: everything is there, and sound
    code, out, err = run_cli(root, "check")
    assert code == 0, err
    assert "Everything is in order: 3 case files checked." in out
    for case_id in ids.values():
        assert run_cli(root, "show", case_id)[0] == 0
    assert nothing_quarantined(root)


def test_an_open_window_meets_a_full_disk_then_carries_on_once_there_is_room(
    small_disk: Path,
) -> None:
    root = small_disk / "ws"
    services = open_services(root)
    try:
        ondine = add_person(services, "Ondine", "Vasseur-Kerbrat")
        before = services.cases.get(ondine)
        filler = fill(small_disk, leave=16 * 1024)
        for attempt in (
            lambda: services.cases.get(ondine),
            lambda: services.appointments.add(
                ondine, AppointmentDraft(start=TODAY.replace(hour=14), minutes=60)
            ),
            lambda: services.notes.add_note(ondine, "Un mot " * 2500),
            services.maintenance.run_check,
        ):
            with pytest.raises(DiskFullError):
                attempt()
        assert nothing_quarantined(root)

        filler.unlink()
        services.appointments.add(
            ondine, AppointmentDraft(start=TODAY.replace(hour=14), minutes=60, topic="Après")
        )
        after = services.cases.get(ondine)
        assert len(after.appointments) == len(before.appointments) + 1
        assert services.maintenance.run_check().ok
    finally:
        services.close()


def test_an_import_stopped_by_a_full_disk_leaves_no_copy_and_the_case_as_it_was(
    small_disk: Path, tmp_path: Path
) -> None:
    """The update begins (the case file is copied into backups/imports), then its write
    does not fit: the case file is rolled back, and the copy goes too."""
    sender = open_services(tmp_path / "sender")
    receiver_root = small_disk / "ws"
    receiver = open_services(receiver_root)
    try:
        case_id = add_person(sender, "Basile", "Morvan")
        sender.partners.add("Relais", "advisor", folder=tmp_path / "drop")
        sender.partners.share_with(case_id, "Relais", "signed form")
        first = tmp_path / "first.zip"
        first.write_bytes(sender.outbox.package_bytes(sender.exchange.export(case_id, "Relais")[0]))
        receiver.exchange.import_package(first)

        scan = tmp_path / "business-plan.pdf"
        scan.write_bytes(os.urandom(400 * 1024))  # does not compress: needs its room
        sender.notes.attach(case_id, scan)
        second = tmp_path / "second.zip"
        package_id = sender.exchange.export(case_id, "Relais")[0]
        second.write_bytes(sender.outbox.package_bytes(package_id))
        imports = receiver.workspace.backups_dir / "imports"
        copies = listing(imports)
        before = case_files(receiver_root)

        filler = fill(small_disk, leave=200 * 1024)  # a copy of the case fits, the scan not
        with pytest.raises(DiskFullError):
            receiver.exchange.import_package(second)
        assert listing(imports) == copies
        assert case_files(receiver_root) == before
        assert nothing_quarantined(receiver_root)
        filler.unlink()
        assert not receiver.cases.get(case_id).attachments
    finally:
        sender.close()
        receiver.close()


# -- a read-only workspace -------------------------------------------------------------


@pytest.fixture
def read_only_workspace(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A workspace with one case that nobody may write any more."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    folder = tmp_path / "disk"
    if as_root:
        mount_tmpfs(folder, DISK_SIZE)
    root = folder / "ws"
    services = open_services(root)
    case_id = add_person(services, "Ondine", "Vasseur-Kerbrat")
    services.close()
    if as_root:  # chmod does not bind root: the disk itself is made read-only
        remounted = subprocess.run(
            ["mount", "-o", "remount,ro", str(folder)], capture_output=True, check=False
        )
        if remounted.returncode != 0:
            unmount(folder)
            pytest.skip("This system refused to mount the tmpfs again read-only.")
    else:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
    yield root, case_id
    if as_root:
        unmount(folder)
    else:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_workspace_says_so_for_every_command(
    read_only_workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, case_id = read_only_workspace
    before = case_files(root)
    for command in (
        ("list",),
        ("show", case_id),
        ("check",),
        ("new-case", "--first-name", "Lou", "--last-name", "Brun"),
        ("backup",),
        ("report", "progress", case_id, "-o", str(tmp_path / "progress.pdf")),
    ):
        code, _out, err = run_cli(root, *command)
        assert code == 1, (command, err)
        assert "read-only" in err or "not allowed to write" in err, (command, err)
        assert "Unexpected error" not in err, (command, err)
    assert case_files(root) == before
    assert nothing_quarantined(root)


def test_the_services_refuse_a_read_only_workspace_with_its_sentence(
    read_only_workspace: tuple[Path, str],
) -> None:
    root, _case_id = read_only_workspace
    with pytest.raises(ReadOnlyError):
        Services.open(root)
