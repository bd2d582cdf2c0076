"""The journal of an erasure, and what an erased case may have left in the workspace.

An erasure is written down in `erasing/<case id>.json` before its first deletion and removed
after its last, so that one killed halfway is seen (at opening, by `check`) and finished by
running it again. The journal holds the case number and when the erasure began, nothing
that names the person.

What is left of an erased case is found by its number: in the name of any file or folder of
the workspace, and in the manifest of any backup.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from advisor_app.domain.validation import is_case_id
from advisor_app.storage.owner_only import fsync_folder, owner_only_folder, write_owner_only

ERASING_DIR = "erasing"
MANIFEST = "manifest.json"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def journal_path(root: Path, case_id: str) -> Path:
    return root / ERASING_DIR / f"{case_id}.json"


def begin(root: Path, case_id: str, now: datetime) -> None:
    """Write the journal of an erasure (before anything is deleted); kept if it exists."""
    path = journal_path(root, case_id)
    if path.exists():
        return
    owner_only_folder(path.parent)
    document = {"format": 1, "case_id": case_id, "started_at": now.isoformat()}
    write_owner_only(path, json.dumps(document).encode("utf-8"))
    fsync_folder(path.parent)


def finish(root: Path, case_id: str) -> None:
    """The erasure is complete: its journal goes last (and its folder, once empty)."""
    path = journal_path(root, case_id)
    path.unlink(missing_ok=True)
    fsync_folder(path.parent)
    with contextlib.suppress(OSError):  # another erasure is unfinished, or it is gone
        path.parent.rmdir()


def unfinished(root: Path) -> list[str]:
    """The case numbers of the erasures that were interrupted."""
    folder = root / ERASING_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path.stem for path in folder.glob("*.json") if is_case_id(path.stem) and path.is_file()
    )


def named_after(root: Path, case_ids: Iterable[str]) -> dict[str, list[Path]]:
    """For each case number, the files and folders of the workspace whose name holds it
    (erasure journals apart); a folder found is not searched further."""
    wanted = set(case_ids)
    found: dict[str, list[Path]] = {}
    if not wanted:
        return found
    journals = root / ERASING_DIR
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        if here == journals:
            folders[:] = []
            continue
        kept = []
        for name in folders:
            owner = _named(name, wanted)
            if owner is None:
                kept.append(name)
            else:
                found.setdefault(owner, []).append(here / name)
        folders[:] = kept
        for name in files:
            owner = _named(name, wanted)
            if owner is not None:
                found.setdefault(owner, []).append(here / name)
    return found


def _named(name: str, wanted: set[str]) -> str | None:
    for match in _UUID.finditer(name):
        if match.group(0).lower() in wanted:
            return match.group(0).lower()
    return None


def in_backup_manifests(backups_dir: Path, case_ids: Iterable[str]) -> dict[str, list[Path]]:
    """For each case number, the backup manifests that still mention it."""
    wanted = set(case_ids)
    found: dict[str, list[Path]] = {}
    if not wanted or not backups_dir.is_dir():
        return found
    for manifest in sorted(backups_dir.glob(f"*/{MANIFEST}")):
        try:
            text = manifest.read_text(encoding="utf-8")
        except OSError:
            continue
        for case_id in wanted:
            if case_id in text:
                found.setdefault(case_id, []).append(manifest)
    return found


def remove_named_after(root: Path, case_id: str) -> None:
    """Delete every file and folder of the workspace whose name holds the case number (its
    erasure journal apart): whatever an erasure did not reach by name elsewhere."""
    for path in named_after(root, [case_id]).get(case_id, []):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
