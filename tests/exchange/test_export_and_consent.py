"""Nothing leaves without the person's consent; a package holds what the partner asks for."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from advisor_app.domain.errors import NotFoundError
from advisor_app.exchange.errors import ExchangeError
from advisor_app.exchange.package import read_package
from advisor_app.i18n import describe
from advisor_app.services import Services

from .conftest import consent, open_case


def test_export_without_consent_is_refused_with_a_sentence(
    advisor: Services, tmp_path: Path
) -> None:
    advisor.partners.add("Initiative Creuse", "network", folder=tmp_path / "drop")
    case_id = open_case(advisor)

    with pytest.raises(ExchangeError) as refused:
        advisor.exchange.export(case_id, "Initiative Creuse")

    assert describe(refused.value).startswith(
        "Zoé Müller has not consented to share their case with Initiative Creuse"
    )
    assert advisor.outbox.items() == []
    assert list(advisor.workspace.outbox_dir.iterdir()) == []


def test_consent_for_another_partner_does_not_cover_this_one(
    advisor: Services, tmp_path: Path
) -> None:
    advisor.partners.add("Initiative Creuse", "network", folder=tmp_path / "a")
    advisor.partners.add("France Active", "funder", folder=tmp_path / "b")
    case_id = open_case(advisor)
    consent(advisor, case_id, "France Active")

    with pytest.raises(ExchangeError):
        advisor.exchange.export(case_id, "Initiative Creuse")
    assert advisor.exchange.export(case_id, "france active")[0]  # names match loosely


def test_withdrawn_consent_stops_exports(advisor: Services, tmp_path: Path) -> None:
    advisor.partners.add("Initiative Creuse", "network", folder=tmp_path / "drop")
    case_id = open_case(advisor)
    consent(advisor, case_id, "Initiative Creuse")
    advisor.exchange.export(case_id, "Initiative Creuse")

    advisor.partners.withdraw_sharing(case_id, "Initiative Creuse")

    with pytest.raises(ExchangeError):
        advisor.exchange.export(case_id, "Initiative Creuse")
    [sharing] = [c for c in advisor.cases.get(case_id).consents if c.scope == "sharing"]
    assert sharing.partner == "Initiative Creuse" and sharing.withdrawn_on == date(2026, 11, 25)


def test_a_funder_receives_its_sections_and_the_committee_file_only(
    advisor: Services, tmp_path: Path
) -> None:
    advisor.partners.add("France Active", "funder", folder=tmp_path / "drop")
    case_id = open_case(advisor)
    consent(advisor, case_id, "France Active")
    package_id, _changes = advisor.exchange.export(case_id, "France Active")

    package = read_package(advisor.outbox.package_path(package_id))

    assert package.manifest["partner"] == "France Active"
    assert package.manifest["sender"] == {
        "advisor": "Camille Advisor",
        "organisation": "BGE Creuse",
    }
    case = package.case
    assert case["person"]["first_name"] == "Zoé" and "email" not in case["person"]
    assert "appointments" not in case and "notes" not in case
    assert [r["kind"] for r in case["reports"]] == ["committee"]
    assert package.files["reports/committee.pdf"].startswith(b"%PDF")


def test_attachments_named_by_the_profile_travel_with_their_bytes(
    advisor: Services, tmp_path: Path
) -> None:
    advisor.partners.add(
        "Marc (relay advisor)", "advisor", folder=tmp_path / "drop", attachments=["*.pdf"]
    )
    case_id = open_case(advisor)
    (tmp_path / "kbis.pdf").write_bytes(b"%PDF-1.4 registration")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8 holiday")
    advisor.notes.attach(case_id, tmp_path / "kbis.pdf")
    advisor.notes.attach(case_id, tmp_path / "photo.jpg")
    consent(advisor, case_id, "Marc (relay advisor)")

    package = read_package(
        advisor.outbox.package_path(advisor.exchange.export(case_id, "Marc (relay advisor)")[0])
    )

    [entry] = package.case["attachments"]
    assert entry["filename"] == "kbis.pdf"
    assert package.files[entry["path"]] == b"%PDF-1.4 registration"
    assert package.case["notes"][0]["text"].startswith("Has found premises")


def test_packages_are_deterministic_apart_from_their_id_and_date(
    advisor: Services, tmp_path: Path
) -> None:
    advisor.partners.add("Initiative Creuse", "network", folder=tmp_path / "d", reports=[])
    case_id = open_case(advisor)
    consent(advisor, case_id, "Initiative Creuse")
    first = advisor.outbox.package_path(advisor.exchange.export(case_id, "Initiative Creuse")[0])
    second = advisor.outbox.package_path(advisor.exchange.export(case_id, "Initiative Creuse")[0])

    def entries(path: Path) -> list[tuple[str, tuple[int, ...], bytes]]:
        with zipfile.ZipFile(path) as archive:
            return [(i.filename, i.date_time, archive.read(i)) for i in archive.infolist()]

    a, b = entries(first), entries(second)
    assert [name for name, _d, _b in a] == sorted(name for name, _d, _b in a)
    assert [(n, d) for n, d, _b in a] == [(n, d) for n, d, _b in b]
    for (name, _d, left), (_n, _d2, right) in zip(a, b, strict=True):
        if name == "manifest.json":
            left_doc, right_doc = json.loads(left), json.loads(right)
            assert left_doc.pop("package_id") != right_doc.pop("package_id")
            assert left_doc == right_doc
        else:
            assert left == right, name


def test_sharing_needs_a_known_partner(advisor: Services) -> None:
    case_id = open_case(advisor)
    with pytest.raises(NotFoundError):
        advisor.partners.share_with(case_id, "Nobody")


def test_folder_partner_receives_packages_once(advisor: Services, tmp_path: Path) -> None:
    drop = tmp_path / "usb-stick"
    advisor.partners.add("Initiative Creuse", "network", folder=drop, reports=[])
    case_id = open_case(advisor)
    consent(advisor, case_id, "Initiative Creuse")
    package_id, _changes = advisor.exchange.export(case_id, "Initiative Creuse")

    unplugged = advisor.outbox.sync()
    assert not unplugged.complete and "cannot be reached" in unplugged.failed[0][2].message

    drop.mkdir()
    assert advisor.outbox.sync().sent == [package_id]
    assert [p.name for p in drop.iterdir()] == [f"boussole-{package_id}.zip"]
    assert advisor.outbox.sync().sent == []


def test_cancelled_package_is_not_sent_and_its_file_is_gone(
    advisor: Services, tmp_path: Path
) -> None:
    advisor.partners.add("Initiative Creuse", "network", folder=tmp_path, reports=[])
    case_id = open_case(advisor)
    consent(advisor, case_id, "Initiative Creuse")
    package_id, _changes = advisor.exchange.export(case_id, "Initiative Creuse")

    advisor.outbox.cancel(package_id)

    assert advisor.outbox.sync().sent == []
    assert advisor.outbox.items()[0].state == "cancelled"
    assert list(advisor.workspace.outbox_dir.iterdir()) == []


def test_without_a_keyring_the_password_is_asked_at_sync_and_kept_in_memory(
    no_keyring: None, advisor: Services, tmp_path: Path
) -> None:
    partner, _changes = advisor.partners.add(
        "Nextcloud", "network", webdav="http://127.0.0.1:9/dav/", user="alice", password="pw-1"
    )
    assert not advisor.partners.passwords.keyring_available()
    assert advisor.partners.passwords.lookup(partner) == "pw-1"  # this session only

    fresh = Services(advisor.workspace, clock=advisor.context.clock)
    asked: list[str] = []

    def ask(who: object) -> str | None:
        asked.append("yes")
        return None

    case_id = open_case(fresh)
    consent(fresh, case_id, "Nextcloud")
    fresh.exchange.export(case_id, "Nextcloud")
    report = fresh.outbox.sync(ask_password=ask)
    assert asked == ["yes"]
    assert "No password" in report.waiting[0][2].message


def test_a_value_an_older_boussole_let_through_is_named_before_anything_is_queued(
    advisor: Services, tmp_path: Path
) -> None:
    """An older Boussole accepted a 40-character postcode; a partner's Boussole would refuse
    the package, so the export says which field to correct and queues nothing."""
    import sqlite3

    advisor.partners.add("Initiative Creuse", "network", folder=tmp_path / "drop")
    case_id = open_case(advisor)
    consent(advisor, case_id, "Initiative Creuse")
    with sqlite3.connect(advisor.workspace.case_path(case_id)) as connection:
        connection.execute("UPDATE person SET postcode = ?", ("23200 " * 7,))

    with pytest.raises(ExchangeError) as refused:
        advisor.exchange.export(case_id, "Initiative Creuse")

    sentence = describe(refused.value)
    assert "person/postcode" in sentence and "correct that field" in sentence
    assert advisor.outbox.items() == []
    assert [p for p in advisor.workspace.outbox_dir.iterdir() if p.suffix == ".zip"] == []
