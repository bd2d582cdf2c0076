"""A package from a stranger is either refused with a sentence, leaving the workspace exactly as
it was, or imported whole: never a traceback, whatever its bytes.

A valid package is made from the demo through the exchange service, then mutated with a
fixed seed, a fixed number of times (not for a fixed time): bytes flipped, cut short, zip
entries renamed, doubled, dropped or added, and values of its JSON replaced by what a
forger would try (integers past 2^63, 2026-02-30, lone UTF-16 surrogates, texts of 100,000
characters, wrong types, missing keys). Each mutant is imported into a fresh workspace or
over the case it came from, in turn.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import traceback
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import describe
from advisor_app.services import Services
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

SEED = 20261125
MUTATIONS = 300

MANIFEST, CASE = "manifest.json", "case.json"

# What a forger puts in place of a value of the JSON.
EVIL_VALUES: list[Any] = [
    2**63,
    2**64 + 7,
    -(2**63) - 1,
    10**30,
    -1,
    0,
    1.5,
    1e308,
    float("nan"),
    "2026-02-30",
    "2026-02-30T10:00",
    "2026-13-01",
    "9999-12-31T23:59",
    "0001-01-01",
    "2026-03-14T09:30+02:00",
    "not a date",
    "\ud800",
    "Zo\udcffé",
    "a\x00b",
    "x" * 20_001,
    "y" * 100_001,
    "",
    None,
    True,
    [],
    {},
    {"id": "00000000-0000-0000-0000-000000000000"},
    "../../victim",
    "00000000-0000-0000-0000-000000000000",
]


@dataclass(frozen=True)
class Package:
    """The valid package, as entries of its zip."""

    entries: dict[str, bytes]
    case_id: str

    def manifest(self) -> dict[str, Any]:
        return dict(json.loads(self.entries[MANIFEST]))

    def case(self) -> dict[str, Any]:
        return dict(json.loads(self.entries[CASE]))


def zipped(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are a mutation
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = method
                archive.writestr(info, data)
    return buffer.getvalue()


def resealed(package: Package, case: dict[str, Any] | None = None, raw_case: bytes | None = None,
             manifest: dict[str, Any] | None = None) -> bytes:  # fmt: skip
    """The package with another case.json (its size and checksum in the manifest made to
    match, so that the mutant reaches the JSON checks), or another manifest."""
    entries = dict(package.entries)
    if raw_case is not None or case is not None:
        data = raw_case if raw_case is not None else json.dumps(case).encode("utf-8")
        entries[CASE] = data
        listed = package.manifest()
        for item in listed["files"]:
            if item["name"] == CASE:
                item["size"], item["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        entries[MANIFEST] = json.dumps(listed).encode("utf-8")
    if manifest is not None:
        entries[MANIFEST] = json.dumps(manifest).encode("utf-8")
    return zipped(sorted(entries.items()))


def leaves(document: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place of the document that holds a value (containers included)."""
    if path:
        yield path
    if isinstance(document, dict):
        for key, value in document.items():
            yield from leaves(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from leaves(value, (*path, index))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


# -- the mutations: each takes the random generator and the package, gives bytes and a name --


Mutation = Callable[[random.Random, Package, bytes], tuple[str, bytes]]


def flip_bytes(rng: random.Random, _package: Package, data: bytes) -> tuple[str, bytes]:
    mutant = bytearray(data)
    count = rng.randint(1, 8)
    for _ in range(count):
        position = rng.randrange(len(mutant))
        mutant[position] ^= rng.randint(1, 255)
    return f"{count} bytes flipped", bytes(mutant)


def truncate(rng: random.Random, _package: Package, data: bytes) -> tuple[str, bytes]:
    end = rng.randrange(len(data))
    return f"cut at byte {end}", data[:end]


def damage_deflate(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    """Bytes changed inside one entry's compressed data, the zip's structure intact."""
    name = rng.choice(sorted(package.entries))
    data = zipped(sorted(package.entries.items()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    mutant = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        position = start + rng.randrange(max(info.compress_size, 1))
        mutant[position] ^= rng.randint(1, 255)
    return f"compressed data of {name} changed", bytes(mutant)


def rename_entry(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    old = rng.choice(sorted(package.entries))
    new = rng.choice(
        ["../evil.json", "/etc/passwd", "C:\\boot.ini", "CASE.JSON", MANIFEST, CASE,
         "attachments/", "a" * 5000, "dossier/é\u202e.pdf", "attachments/../case.json"]
    )  # fmt: skip
    entries = [(new if name == old else name, data) for name, data in package.entries.items()]
    return f"{old} renamed {new[:40]}", zipped(entries)


def duplicate_entry(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    name = rng.choice(sorted(package.entries))
    other = b'{"format": 1}' if name.endswith(".json") else b"other bytes"
    entries = [*package.entries.items(), (name, rng.choice([package.entries[name], other]))]
    return f"{name} twice", zipped(entries)


def drop_or_add_entry(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    entries = dict(package.entries)
    if rng.random() < 0.5:
        name = rng.choice(sorted(entries))
        del entries[name]
        return f"{name} dropped", zipped(sorted(entries.items()))
    entries["attachments/extra.bin"] = b"\x00" * rng.randint(0, 4000)
    return "an entry the manifest does not list", zipped(sorted(entries.items()))


def other_compression(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    method = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    data = zipped(sorted(package.entries.items()), method)
    if rng.random() < 0.5:  # a method number nobody knows, in the central directory
        mutant = bytearray(data)
        record = mutant.find(b"PK\x01\x02", rng.randrange(len(mutant) // 2))
        record = record if record >= 0 else mutant.find(b"PK\x01\x02")
        mutant[record + 10 : record + 12] = (99).to_bytes(2, "little")
        return "an unknown compression method", bytes(mutant)
    return f"compressed with method {method}", data


def case_value(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    case = package.case()
    path = rng.choice(list(leaves(case)))
    value = rng.choice(EVIL_VALUES)
    label = repr(value)[:30]
    return f"case.json {'/'.join(map(str, path))} = {label}", resealed(
        package, replaced(case, path, value)
    )


def case_key(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    case = package.case()
    containers = [p for p in leaves(case) if isinstance(_at(case, p), dict)]
    path = rng.choice([(), *containers])
    target = _at(case, path) if path else case
    copy = json.loads(json.dumps(case))
    inner = _at(copy, path) if path else copy
    if target and rng.random() < 0.6:
        key = rng.choice(sorted(target))
        del inner[key]
        return f"case.json {'/'.join(map(str, path))} without {key}", resealed(package, copy)
    inner[rng.choice(["extra", "\ud800", "x" * 300])] = 1
    return f"case.json {'/'.join(map(str, path))} with a key of its own", resealed(package, copy)


def manifest_value(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    manifest = package.manifest()
    path = rng.choice(list(leaves(manifest)))
    value = rng.choice(EVIL_VALUES)
    return f"manifest {'/'.join(map(str, path))} = {repr(value)[:30]}", resealed(
        package, manifest=replaced(manifest, path, value)
    )


def case_text(rng: random.Random, package: Package, _data: bytes) -> tuple[str, bytes]:
    """case.json's text itself broken: cut, deeply nested, not UTF-8, a duplicate key."""
    text = package.entries[CASE]
    choice = rng.randrange(5)
    if choice == 0:
        return "case.json cut short", resealed(package, raw_case=text[: rng.randrange(len(text))])
    if choice == 1:
        deep = b"[" * 100_000 + b"]" * 100_000
        return "case.json nested 100,000 deep", resealed(package, raw_case=deep)
    if choice == 2:
        return "case.json not UTF-8", resealed(package, raw_case=text.replace(b'"', b'"\xff', 1))
    if choice == 3:
        return "case.json with a key twice", resealed(
            package, raw_case=b'{"format": 2, "format": 2, ' + text.lstrip()[1:]
        )
    return "case.json with a decimal number", resealed(
        package, raw_case=text.replace(b'"revision": ', b'"revision": 1.0e3', 1)
    )


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


MUTATION_KINDS: list[Mutation] = [
    flip_bytes,
    truncate,
    damage_deflate,
    rename_entry,
    duplicate_entry,
    drop_or_add_entry,
    other_compression,
    case_value,
    case_value,
    case_value,
    case_key,
    manifest_value,
    case_text,
]


# -- the workspaces ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def package(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Package:
    """The handover package of the demo case with the most appointments, with a note, an
    attachment and the consent of its holder, made through the exchange service."""
    root = tmp_path_factory.mktemp("adversary") / "demo"
    shutil.copytree(demo_template, root)
    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        case_id = max(
            services.search.cases(),
            key=lambda summary: len(services.cases.get(summary.case_id).appointments),
        ).case_id
        services.partners.add("Relais", "advisor", folder=root.parent / "drop")
        services.partners.share_with(case_id, "Relais", "signed form")
        attachment = root.parent / "devis.pdf"
        attachment.write_bytes(b"%PDF-1.4 quote " * 200)
        services.notes.attach(case_id, attachment)
        package_id, _changes = services.exchange.export(case_id, "Relais")
        data = services.outbox.package_bytes(package_id)
    finally:
        services.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    return Package(entries, case_id)


@pytest.fixture(scope="module")
def templates(package: Package, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two workspaces to import into: an empty one, and one already holding the case."""
    folder = tmp_path_factory.mktemp("adversary-templates")
    empty, holding = folder / "empty", folder / "holding"
    Services(Workspace.open(empty), clock=fixed_clock).close()
    services = Services(Workspace.open(holding), clock=fixed_clock)
    source = folder / "valid.zip"
    source.write_bytes(zipped(sorted(package.entries.items())))
    services.exchange.import_package(source)
    services.close()
    return {"new case": empty, "update": holding}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but the lock file and SQLite's shared memory."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".lock" and not path.name.endswith("-shm")
    }


class Target:
    """A workspace that mutants are imported into, made again from its template after an
    import that succeeded (a refused one must have left it as it was)."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.template, self.root = template, folder / template.name
        self.services: Services | None = None
        self.fresh()

    def fresh(self) -> Services:
        self.close()
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(self.template, self.root)
        self.services = Services(Workspace.open(self.root), clock=fixed_clock)
        return self.services

    def close(self) -> None:
        if self.services is not None:
            self.services.close()
            self.services = None


def test_mutated_packages_are_refused_with_a_sentence_or_imported_whole(
    package: Package, templates: dict[str, Path], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    valid = zipped(sorted(package.entries.items()))
    targets = {name: Target(template, tmp_path) for name, template in templates.items()}
    mutant_path = tmp_path / "mutant.zip"
    faults: list[str] = []
    outcomes = {"refused": 0, "imported": 0}
    try:
        for number in range(MUTATIONS):
            kind = MUTATION_KINDS[number % len(MUTATION_KINDS)]
            what, data = kind(rng, package, valid)
            target = targets["new case" if number % 2 == 0 else "update"]
            services = target.services
            assert services is not None
            mutant_path.write_bytes(data)
            before = snapshot(target.root)
            where = f"#{number} {kind.__name__} ({what}) into {target.template.name}"
            try:
                services.exchange.import_package(mutant_path)
            except AdvisorError as error:
                outcomes["refused"] += 1
                sentence = describe(error)
                assert sentence.strip() and "Traceback" not in sentence, where
                sentence.encode("utf-8")  # printable as it is
                after = snapshot(target.root)
                changed = sorted(
                    name
                    for name in after.keys() | before.keys()
                    if after.get(name) != before.get(name)
                )
                if changed:
                    faults.append(f"{where}: refused ({sentence}) but changed {changed}")
                continue
            except Exception:
                faults.append(f"{where}: {traceback.format_exc(limit=-3)}")
                target.fresh()
                continue
            outcomes["imported"] += 1
            try:  # what was imported reads back whole, and goes into a calendar
                case = services.cases.get(package.case_id)
                assert case.case_id == package.case_id
                services.search.cases()
                services.calendar.write_ics(tmp_path / "agenda.ics", package.case_id)
            except Exception:
                faults.append(f"{where}: imported, then {traceback.format_exc(limit=-3)}")
            target.fresh()
    finally:
        for target in targets.values():
            target.close()
    assert not faults, "\n".join(faults)
    assert outcomes["refused"] > MUTATIONS // 2 and outcomes["imported"] > 0, outcomes
