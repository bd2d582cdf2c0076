"""Nothing personal in clear where the workspace is encrypted: packages in the outbox are
sealed at rest and opened in memory only to be sent; `encrypt` seals those already queued or
sent, `decrypt` opens them again; the reports a package carries are never printed in the
system's temporary folder."""

from __future__ import annotations

import hashlib
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor_app.exchange.package import read_package
from advisor_app.services import Services
from advisor_app.services.exchange import ExchangeService
from advisor_app.storage import encryption
from advisor_app.storage.workspace import Workspace

from .conftest import DavServer, MovingClock, add_dav_partner, consent, open_case

PASSPHRASE = "la boussole du nord"
NAME = "Müller"


@pytest.fixture(autouse=True)
def quick_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "ITERATIONS", 1_000)


@pytest.fixture
def encrypted(tmp_path: Path, clock: MovingClock) -> Iterator[Services]:
    """An encrypted workspace holding Zoé Müller's case."""
    opened = Services(Workspace.open(tmp_path / "camille", passphrase=PASSPHRASE), clock=clock)
    opened.settings.set("advisor_name", "Camille Advisor")
    yield opened
    opened.close()


def in_clear(path: Path) -> bool:
    """Whether the file is a zip anyone can open (the name inside is deflated, so a byte
    search would not see it)."""
    return zipfile.is_zipfile(path)


def readable_package(data: bytes, folder: Path) -> str:
    """The last name in a package's bytes, read back as an importer would."""
    path = folder / "check.zip"
    path.write_bytes(data)
    return str(read_package(path).case["person"]["last_name"])


def test_in_an_encrypted_workspace_a_package_is_sealed_in_the_outbox_and_arrives_readable(
    encrypted: Services, tmp_path: Path
) -> None:
    case_id = open_case(encrypted)
    drop = tmp_path / "drop"
    drop.mkdir()
    encrypted.partners.add("Initiative Creuse", "network", folder=drop)
    consent(encrypted, case_id, "Initiative Creuse")

    package_id, _changes = encrypted.exchange.export(case_id, "Initiative Creuse")

    kept = encrypted.outbox.package_path(package_id)
    assert not in_clear(kept)
    assert NAME.encode() not in kept.read_bytes()
    [item] = encrypted.outbox.items()
    opened = encrypted.outbox.package_bytes(package_id)
    assert hashlib.sha256(opened).hexdigest() != hashlib.sha256(kept.read_bytes()).hexdigest()
    assert len(opened) == item.size
    assert readable_package(opened, tmp_path) == NAME

    assert encrypted.outbox.sync().sent == [package_id]
    delivered = drop / kept.name
    assert delivered.read_bytes() == opened  # the partner gets the package, not the seal
    assert read_package(delivered).case["person"]["last_name"] == NAME
    assert not in_clear(kept)  # kept sealed once sent
    # nothing in clear was left beside it
    assert sorted(p.name for p in encrypted.workspace.outbox_dir.iterdir()) == [kept.name]


def test_a_sealed_package_reaches_a_webdav_share_whole(encrypted: Services, dav: DavServer) -> None:
    case_id = open_case(encrypted)
    add_dav_partner(encrypted, dav)
    consent(encrypted, case_id, "France Active")
    package_id, _changes = encrypted.exchange.export(case_id, "France Active")

    assert encrypted.outbox.sync().sent == [package_id]

    delivered = dav.delivered()
    assert delivered == {f"boussole-{package_id}.zip": encrypted.outbox.package_bytes(package_id)}


def test_encrypt_seals_the_packages_already_queued_or_sent_and_decrypt_opens_them(
    advisor: Services, tmp_path: Path
) -> None:
    case_id = open_case(advisor)
    drop = tmp_path / "drop"
    drop.mkdir()
    advisor.partners.add("Initiative Creuse", "network", folder=drop)
    consent(advisor, case_id, "Initiative Creuse")
    sent, _changes = advisor.exchange.export(case_id, "Initiative Creuse")
    assert advisor.outbox.sync().sent == [sent]
    queued, _changes = advisor.exchange.export(case_id, "Initiative Creuse")
    before = {p: advisor.outbox.package_path(p).read_bytes() for p in (sent, queued)}
    assert all(in_clear(advisor.outbox.package_path(p)) for p in before)

    for _step in advisor.encryption.protect(PASSPHRASE):
        pass

    for package_id, content in before.items():
        path = advisor.outbox.package_path(package_id)
        assert not in_clear(path) and NAME.encode() not in path.read_bytes()
        assert advisor.outbox.package_bytes(package_id) == content
    assert advisor.outbox.sync().sent == [queued]
    assert (drop / f"boussole-{queued}.zip").read_bytes() == before[queued]

    for _step in advisor.encryption.change_passphrase("une autre phrase secrète"):
        pass
    assert advisor.outbox.package_bytes(queued) == before[queued]
    for _step in advisor.encryption.remove():
        pass

    for package_id, content in before.items():
        assert advisor.outbox.package_path(package_id).read_bytes() == content
    assert not list(advisor.workspace.root.rglob("*.rekey"))


def test_the_reports_of_a_package_are_printed_beside_it_never_in_the_system_temporary_folder(
    encrypted: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_temporary = tmp_path / "system-tmp"
    system_temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temporary))
    printed: list[tuple[Path, int]] = []
    real_render = ExchangeService._render

    def render_and_look(service: ExchangeService, kind: str, case_id: str, path: Path) -> None:
        real_render(service, kind, case_id, path)
        printed.append((path, stat.S_IMODE(path.parent.stat().st_mode)))

    monkeypatch.setattr(ExchangeService, "_render", render_and_look)
    case_id = open_case(encrypted)
    encrypted.partners.add("Initiative Creuse", "network", folder=tmp_path, reports=["progress"])
    consent(encrypted, case_id, "Initiative Creuse")

    package_id, _changes = encrypted.exchange.export(case_id, "Initiative Creuse")

    outbox = encrypted.workspace.outbox_dir
    [(report, mode)] = printed
    assert report.parent.parent == outbox and mode == 0o700
    assert list(system_temporary.iterdir()) == []
    assert [p.name for p in outbox.iterdir()] == [f"boussole-{package_id}.zip"]  # gone after
    package = encrypted.outbox.package_bytes(package_id)
    assert readable_package(package, tmp_path) == NAME
    with zipfile.ZipFile(tmp_path / "check.zip") as archive:
        assert "reports/progress.pdf" in archive.namelist()
