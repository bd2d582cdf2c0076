"""The attacks of the adversarial run's finding 8, one by one: each package is refused with a
sentence, and the workspace is left exactly as it was (no copy in backups/imports either;
an update that fails once begun is in tests/trust/test_full_disk.py).

That the schema bounds every field as its column does, so that what imports can always be
entered, exported again and printed, is in tests/domain/test_records.py.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from advisor_app.domain.validation import MAX_TEXT_LENGTH
from advisor_app.exchange.errors import PackageRefused
from advisor_app.i18n import describe
from advisor_app.services import Services

from .conftest import consent, open_case
from .test_import import entries_of, snapshot, write_zip


@pytest.fixture
def package(advisor: Services, tmp_path: Path) -> Path:
    """A handover package from Camille's workspace: the whole case, its attachment."""
    advisor.partners.add("Marc", "advisor", folder=tmp_path / "drop")
    case_id = open_case(advisor)
    (tmp_path / "kbis.pdf").write_bytes(b"%PDF-1.4 registration " * 50)
    advisor.notes.attach(case_id, tmp_path / "kbis.pdf")
    consent(advisor, case_id, "Marc")
    package_id, _changes = advisor.exchange.export(case_id, "Marc")
    return advisor.outbox.package_path(package_id)


def with_case(package: Path, target: Path, change: Any) -> Path:
    """The package with case.json changed by `change(case)` (the manifest made to agree)."""
    entries = entries_of(package)
    case = json.loads(entries["case.json"])
    change(case)
    text = json.dumps(case).encode()  # ASCII: a lone surrogate travels as \\ud800
    return write_zip(target, {**entries, "case.json": text})


def refused_and_unchanged(services: Services, path: Path, *words: str) -> str:
    before = snapshot(services.workspace.root)
    with pytest.raises(PackageRefused) as refused:
        services.exchange.import_package(path)
    sentence = describe(refused.value)
    for word in words:
        assert word in sentence
    assert "nothing was imported" in sentence
    sentence.encode("utf-8")  # printable
    assert snapshot(services.workspace.root) == before
    return sentence


@pytest.fixture(params=["new case", "update"])
def receiver(request: pytest.FixtureRequest, services: Services, package: Path) -> Services:
    """A workspace that has never seen the case, or one that holds it already."""
    if request.param == "update":
        services.exchange.import_package(package)
    return services


def test_corrupted_deflate_data_is_refused(
    receiver: Services, package: Path, tmp_path: Path
) -> None:
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo("case.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(3, min(info.compress_size, 40), 7):
        data[start + offset] ^= 0x5A
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    refused_and_unchanged(receiver, damaged, "not a package or is damaged")


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("milestones/0/position", 2**63),
        ("financing_plan/0/position", -(2**63) - 1),
        ("attachments/0/size", 2**64),
        ("revision", 10**30),
    ],
)
def test_integers_past_what_a_column_holds_are_refused(
    receiver: Services, package: Path, tmp_path: Path, where: str, value: int
) -> None:
    def change(case: dict[str, Any]) -> None:
        if where.startswith("financing_plan") and not case["financing_plan"]:
            case["financing_plan"] = [
                {"id": "0b0e3d8e-1f0c-4e55-9b59-6ad0c7f0b2a1", "side": "need", "label": "Four",
                 "amount_cents": 100, "position": 0}
            ]  # fmt: skip
        *parents, last = where.split("/")
        target = case
        for part in parents:
            target = target[int(part) if part.isdigit() else part]
        target[last] = value

    path = with_case(package, tmp_path / "big.zip", change)
    refused_and_unchanged(receiver, path, "out of bounds")


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("appointments/0/start", "2026-02-30T10:00"),
        ("notes/0/written_at", "2026-13-01T10:00"),
        ("case/opened_on", "2026-02-30"),
        ("consents/0/given_on", None),
        ("appointments/0/start", "9999-12-31T23:59"),
        ("person/birth_date", "0001-01-01"),
    ],
)
def test_dates_that_are_not_real_or_outside_the_years_kept_are_refused(
    receiver: Services, package: Path, tmp_path: Path, where: str, value: str | None
) -> None:
    def change(case: dict[str, Any]) -> None:
        *parents, last = where.split("/")
        target = case
        for part in parents:
            target = target[int(part) if part.isdigit() else part]
        target[last] = value

    path = with_case(package, tmp_path / "date.zip", change)
    refused_and_unchanged(receiver, path, where)


def test_a_manifest_dated_not_a_date_is_refused(
    receiver: Services, package: Path, tmp_path: Path
) -> None:
    path = write_zip(
        tmp_path / "undated.zip", entries_of(package), manifest_changes={"created_at": "not a date"}
    )
    refused_and_unchanged(receiver, path, "not a date", "created_at")


@pytest.mark.parametrize("text", ["Zo\ud800é", "\udcff", "a\x00b"])
def test_text_that_is_not_valid_unicode_is_refused(
    receiver: Services, package: Path, tmp_path: Path, text: str
) -> None:
    def change(case: dict[str, Any]) -> None:
        case["person"]["first_name"] = text

    path = with_case(package, tmp_path / "surrogate.zip", change)
    refused_and_unchanged(receiver, path, "not valid", "person/first_name")


def test_a_text_over_20000_characters_is_refused_with_a_sentence(
    receiver: Services, package: Path, tmp_path: Path
) -> None:
    def change(case: dict[str, Any]) -> None:
        case["notes"][0]["text"] = "é" * (MAX_TEXT_LENGTH + 1)

    path = with_case(package, tmp_path / "long.zip", change)
    sentence = refused_and_unchanged(receiver, path, "too long", "notes/0/text")
    assert "20,001 characters" in sentence and "20,000" in sentence


def test_a_text_of_20000_characters_imports_and_reads_back(
    receiver: Services, package: Path, tmp_path: Path
) -> None:
    def change(case: dict[str, Any]) -> None:
        case["notes"][0]["text"] = "é" * MAX_TEXT_LENGTH

    path = with_case(package, tmp_path / "longest.zip", change)
    preview, _changes = receiver.exchange.import_package(path)
    notes = receiver.cases.get(preview.case_id).notes
    assert any(len(note.text) == MAX_TEXT_LENGTH for note in notes)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
@pytest.mark.parametrize("source", ["pipe", "/dev/zero", "/dev/urandom", "folder"])
def test_what_is_not_a_file_is_refused_at_once_without_being_read(
    services: Services, tmp_path: Path, source: str
) -> None:
    path = Path(source)
    if source == "pipe":
        path = tmp_path / "package.zip"
        os.mkfifo(path)  # nobody writes into it: reading it would wait for ever
    elif source == "folder":
        path = tmp_path / "package"
        path.mkdir()
    refused_and_unchanged(services, path, "is not a package file")
