"""Files that hold personal data, written outside the workspace (an access export, a
calendar, a report) for their owner only (0o600), complete or not at all: the storage's
owner-only writer, for the services that write where the advisor chose."""

from __future__ import annotations

from pathlib import Path

from advisor_app.storage.owner_only import owner_only_folder as private_folder
from advisor_app.storage.owner_only import write_owner_only

__all__ = ["private_folder", "write_private", "write_private_text"]


def write_private(path: Path, data: bytes) -> Path:
    write_owner_only(path, data)
    return path


def write_private_text(path: Path, text: str) -> Path:
    return write_private(path, text.encode("utf-8"))
