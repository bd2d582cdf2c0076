"""A package from another advisor: checked, previewed, then written in one go — or refused
with a sentence, leaving the workspace exactly as it was."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from pathlib import Path

import pytest

from advisor_app.exchange.errors import PackageRefused
from advisor_app.i18n import describe
from advisor_app.services import AppointmentDraft, CaseFilter, Services

from .conftest import consent, open_case


@pytest.fixture
def package(advisor: Services, tmp_path: Path) -> Path:
    """A handover package from Camille's workspace: the whole case, its attachment."""
    advisor.partners.add("Marc", "advisor", folder=tmp_path / "drop")
    case_id = open_case(advisor)
    (tmp_path / "kbis.pdf").write_bytes(b"%PDF-1.4 registration")
    advisor.notes.attach(case_id, tmp_path / "kbis.pdf")
    consent(advisor, case_id, "Marc")
    package_id, _changes = advisor.exchange.export(case_id, "Marc")
    return advisor.outbox.package_path(package_id)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_new_case_is_previewed_then_created_with_the_same_id(
    services: Services, package: Path
) -> None:
    preview = services.exchange.preview_import(package)
    assert preview.creates and preview.holder == "Zoé Müller"
    assert preview.sender == "Camille Advisor — BGE Creuse"
    assert preview.lines[0].message == "A new case file will be created."

    services.exchange.import_package(package)

    case = services.cases.get(preview.case_id)
    assert case.person.display_name == "Zoé Müller"
    assert [a.topic for a in case.appointments] == ["Budget"]
    assert services.notes.attachment_content(case.case_id, case.attachments[0].id)[1] == (
        b"%PDF-1.4 registration"
    )
    assert {c.scope for c in case.consents} == {"processing", "sharing"}
    assert [s.case_id for s in services.search.cases(CaseFilter(text="Müller"))] == [case.case_id]


def test_an_existing_case_is_backed_up_then_updated(
    services: Services, advisor: Services, package: Path
) -> None:
    services.exchange.import_package(package)
    case_id = services.exchange.preview_import(package).case_id
    services.appointments.add(
        case_id, AppointmentDraft(start=services.context.now(), minutes=30, topic="Local one")
    )
    advisor.appointments.add(
        case_id, AppointmentDraft(start=advisor.context.now(), minutes=45, topic="Camille's")
    )
    newer = advisor.outbox.package_path(advisor.exchange.export(case_id, "Marc")[0])

    preview = services.exchange.preview_import(newer)
    assert not preview.creates
    assert any(
        line.params == {"what": "Appointments", "new": 1, "updated": 1} for line in preview.lines
    )
    services.exchange.import_package(newer)

    topics = sorted(a.topic for a in services.cases.get(case_id).appointments)
    assert topics == ["Budget", "Camille's", "Local one"]  # nothing local is lost
    assert len(list((services.workspace.backups_dir / "imports").iterdir())) == 1


# -- malicious and broken packages ---------------------------------------------------------


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(
    target: Path,
    files: dict[str, bytes],
    *,
    fix_manifest: bool = True,
    links: tuple[str, ...] = (),
    duplicate: str | None = None,
    manifest_changes: dict[str, object] | None = None,
) -> Path:
    manifest = json.loads(files["manifest.json"])
    if fix_manifest:
        manifest["files"] = [
            {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
            for n, d in sorted(files.items())
            if n != "manifest.json"
        ]
    manifest.update(manifest_changes or {})
    files = {**files, "manifest.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            mode = stat.S_IFLNK | 0o777 if name in links else stat.S_IFREG | 0o644
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        if duplicate is not None:
            archive.writestr(duplicate, files[duplicate])
    return target


def evil_variants(package: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    good = entries_of(package)
    case = json.loads(good["case.json"])
    bad_case = {**case, "appointments": [{**case["appointments"][0], "minutes": "sixty"}]}
    return {
        "zip slip": (
            write_zip(folder / "slip.zip", {**good, "../../evil.sh": b"rm -rf ~"}),
            "points outside of it",
        ),
        "absolute path": (
            write_zip(folder / "abs.zip", {**good, "/etc/cron.d/evil": b"* * * * * root"}),
            "absolute path",
        ),
        "link": (
            write_zip(
                folder / "link.zip",
                {**good, "attachments/x": b"/etc/passwd"},
                links=("attachments/x",),
            ),
            "link",
        ),
        "zip bomb": (
            write_zip(folder / "bomb.zip", {**good, "attachments/zeros": bytes(30 * 1024 * 1024)}),
            "compressed suspiciously well",
        ),
        "duplicate names": (
            write_zip(folder / "dup.zip", good, duplicate="case.json"),
            "twice",
        ),
        "bad checksum": (
            write_zip(
                folder / "sum.zip",
                {**good, "case.json": good["case.json"].replace(b"Budget", b"Fraud!")},
                fix_manifest=False,
            ),
            "checksum does not match",
        ),
        "invalid JSON": (
            write_zip(folder / "json.zip", {**good, "case.json": b'{"format": 1,'}),
            "not readable JSON",
        ),
        "JSON against the schema": (
            write_zip(folder / "schema.zip", {**good, "case.json": json.dumps(bad_case).encode()}),
            "is not valid",
        ),
        "newer format": (
            write_zip(folder / "newer.zip", good, manifest_changes={"format": 99}),
            "newer version of Boussole",
        ),
        "not a zip": (folder / "plain.zip", "not a package"),
    }


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_each_kind_of_malicious_package_is_refused_and_changes_nothing(
    services: Services, package: Path, tmp_path: Path
) -> None:
    services.exchange.import_package(package)  # an update would also be possible
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "plain.zip").write_text("hello")
    variants = evil_variants(package, evil)
    before = snapshot(services.workspace.root)

    for kind, (path, sentence) in variants.items():
        with pytest.raises(PackageRefused) as refused:
            services.exchange.import_package(path)
        assert sentence in describe(refused.value), kind
        assert "nothing was imported" in describe(refused.value), kind
        assert snapshot(services.workspace.root) == before, kind
    assert not (tmp_path / "evil.sh").exists()


def test_the_schema_shipped_validates_what_we_export(package: Path) -> None:
    from advisor_app.exchange.package import FORMAT_VERSION, read_package

    received = read_package(package)
    assert received.case["format"] == FORMAT_VERSION == received.manifest["format"]
