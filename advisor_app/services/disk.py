"""A full disk, a read-only folder or an I/O error told apart from damage (storage/disk.py),
for the UI and the CLI, which do not reach storage directly."""

from __future__ import annotations

from advisor_app.domain.disk import DiskFullError, DiskIOError, ReadOnlyError, StorageError
from advisor_app.storage.disk import disk_problem

__all__ = ["DiskFullError", "DiskIOError", "ReadOnlyError", "StorageError", "disk_problem"]
