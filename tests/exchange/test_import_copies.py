"""Before an import updates a case, the case file is copied into `backups/imports`: the copy
is what the advisor goes back to if the update was a mistake. Two updates of one case in the
same second each keep their own copy, and the copy of an update that failed goes alone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from advisor_app.services import AppointmentDraft, Services, imports

from .test_import import package as package


class _SameSecond(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> _SameSecond:
        return cls(2026, 11, 25, 12, 0, 0)


def _newer_package(advisor: Services, case_id: str, topic: str) -> Path:
    advisor.appointments.add(
        case_id, AppointmentDraft(start=advisor.context.now(), minutes=30, topic=topic)
    )
    return advisor.outbox.package_path(advisor.exchange.export(case_id, "Marc")[0])


def test_an_update_that_fails_in_the_same_second_keeps_the_copy_of_the_one_before(
    services: Services, advisor: Services, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.exchange.import_package(package)
    case_id = services.exchange.preview_import(package).case_id
    monkeypatch.setattr(imports, "datetime", _SameSecond)
    services.exchange.import_package(_newer_package(advisor, case_id, "Budget review"))
    copies = services.workspace.backups_dir / "imports"
    before_first_update = {p.name: p.read_bytes() for p in copies.iterdir()}
    assert len(before_first_update) == 1

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the update stops halfway")

    monkeypatch.setattr(imports, "_write", broken)
    with pytest.raises(RuntimeError):
        services.exchange.import_package(_newer_package(advisor, case_id, "Bank meeting"))
    assert {p.name: p.read_bytes() for p in copies.iterdir()} == before_first_update


def test_an_update_written_before_the_catalog_failed_keeps_its_copy(
    services: Services, advisor: Services, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case file took the update, then the catalog write failed (the next opening
    repairs the catalog): the copy made before the import is the one way back, so it stays."""
    services.exchange.import_package(package)
    case_id = services.exchange.preview_import(package).case_id
    copies = services.workspace.backups_dir / "imports"
    newer = _newer_package(advisor, case_id, "Bank meeting")

    def catalog_fails(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("advisor_app.storage.indexer.write_index_data", catalog_fails)
    with pytest.raises(OSError):
        services.exchange.import_package(newer)
    assert len(list(copies.glob("*.case"))) == 1
