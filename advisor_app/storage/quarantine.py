"""The quarantine: case files that fail their check are moved aside, never deleted.

A damaged case file is moved with its `-wal` and `-shm` into `quarantine/` under the name
`<case id>.<when>.case`; the catalog keeps a row marked damaged so that the list shows it,
with an offer to restore it from the newest backup that holds it. A quarantined file that
turns out sound (moved there by an older Boussole for a full disk, say) and newer than
that backup is offered instead (`put_back`): a restore never drops a newer save unsaid.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

QUARANTINE_DIR = "quarantine"
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class QuarantinedFile:
    case_id: str
    path: Path
    moved_at: datetime | None


def quarantine_dir(root: Path) -> Path:
    return root / QUARANTINE_DIR


def quarantine_file(root: Path, path: Path, case_id: str) -> Path:
    """Move a damaged case file (and its journal files) into the quarantine folder."""
    folder = quarantine_dir(root)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # its owner's only
    stamp = datetime.now().strftime(_STAMP)
    target = folder / f"{case_id}.{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        target = folder / f"{case_id}.{stamp}-{counter}{path.suffix}"
        counter += 1
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
    return target


def quarantined(root: Path) -> list[QuarantinedFile]:
    folder = quarantine_dir(root)
    if not folder.is_dir():
        return []
    found: list[QuarantinedFile] = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(("-wal", "-shm")) or not path.is_file():
            continue
        case_id, _, rest = path.name.partition(".")
        try:
            moved_at: datetime | None = datetime.strptime(rest[:15], _STAMP)
        except ValueError:
            moved_at = None
        found.append(QuarantinedFile(case_id, path, moved_at))
    return found


def quarantined_files_of(root: Path, case_id: str) -> list[QuarantinedFile]:
    """The files of one case kept in the quarantine, the last moved there first."""
    files = [item for item in quarantined(root) if item.case_id == case_id]
    return sorted(files, key=lambda item: (item.moved_at or datetime.min, item.path.name))[::-1]


def put_back(item: QuarantinedFile, live: Path) -> None:
    """Move a quarantined file back into the cases folder as `live` (which must not exist):
    its journal first, then the file, so that it appears whole."""
    if live.exists():
        raise FileExistsError(f"{live} exists")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{item.path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{live}{suffix}"))


def quarantined_ids(root: Path) -> set[str]:
    return {item.case_id for item in quarantined(root)}


def remove_quarantined(root: Path, case_id: str) -> int:
    """Delete the quarantined files of a case (erasure); returns how many were removed."""
    removed = 0
    for item in quarantined(root):
        if item.case_id == case_id:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{item.path}{suffix}").unlink(missing_ok=True)
            removed += 1
    return removed
