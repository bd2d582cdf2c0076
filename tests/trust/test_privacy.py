"""The person's rights: consent flagged, access export, erasure everywhere, retention."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import update

from advisor_app.cli import main
from advisor_app.services import Services
from advisor_app.storage.case_models import Appointment, CaseInfo
from advisor_app.storage.catalog_models import AuditEntry
from tests.trust.conftest import add_person, close_case, files_containing, open_services


def test_a_case_without_consent_to_processing_is_flagged(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    flags = {s.case_id: s.processing_consent for s in services.search.cases()}
    assert flags == {ids["ondine"]: True, ids["basile"]: True, ids["jade"]: False}
    assert services.dashboard.figures().cases_without_consent == 1
    assert services.privacy.cases_without_consent() == [ids["jade"]]
    consent = services.cases.get(ids["ondine"]).consents[0]
    assert (consent.scope, consent.how, consent.given_on) == (
        "processing",
        "signed form",
        date(2026, 11, 25),
    )


def test_access_export_gives_a_pdf_a_json_and_the_attachments(
    trio: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, ids = trio
    scan = tmp_path / "piece d'identité.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    services.notes.attach(ids["ondine"], scan)
    export = services.privacy.access_export(ids["ondine"], tmp_path / "out")
    text = "".join(page.extract_text() for page in PdfReader(export.pdf).pages)
    assert "Vasseur-Kerbrat" in text and "business plan" in text
    data = json.loads(export.json.read_text(encoding="utf-8"))
    assert data["case"]["person"]["email"] == "ondine.vasseur-kerbrat@exemple.fr"
    assert len(data["tables"]["appointment"]) == 1
    assert data["tables"]["note"][0]["text"].startswith("Ondine")
    assert {"person", "project", "milestone", "consent", "history"} <= set(data["tables"])
    [attachment] = export.attachments
    assert attachment.read_bytes() == b"%PDF-1.4 scan"
    assert data["tables"]["attachment"][0]["file"] == f"attachments/{attachment.name}"
    # Everything in it is about the person: readable by its owner only.
    for path in (export.pdf, export.json, attachment):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    for folder in (export.folder, attachment.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder.name


def test_erasure_leaves_no_byte_of_the_name_in_the_workspace(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    root = services.workspace.root
    services.backups.back_up_now()
    services.cases.update_person(ids["ondine"], {"phone": "06 12 34 56 78"})
    services.backups.back_up_now()
    assert files_containing(root, "Vasseur-Kerbrat")
    forgotten: list[str] = []
    services.privacy.erase_hooks.append(forgotten.append)
    services.privacy.erase(ids["ondine"])
    services.close()
    assert files_containing(root, "Vasseur-Kerbrat") == []
    assert forgotten == [ids["ondine"]]
    reopened = open_services(root)
    assert {s.case_id for s in reopened.search.cases()} == {ids["basile"], ids["jade"]}
    assert reopened.search.cases() and reopened.maintenance.run_check().ok
    assert all(ids["ondine"] not in b.case_ids for b in reopened.backups.all())
    with reopened.workspace.catalog.read() as catalog:
        erased = [a for a in catalog.query(AuditEntry) if a.action == "erased"]
    assert [a.case_id for a in erased] == [ids["ondine"]]
    reopened.close()


def test_closed_cases_past_retention_are_listed_then_anonymised(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    old = add_person(services, "Gaspard", "Lebreton-Quillivic")
    services.cases.update_person(old, {"birth_date": date(1990, 6, 2)})
    # the case was opened and closed long ago: the last contact was in 2021
    with services.workspace.changing(old, "test") as session:
        session.execute(
            update(CaseInfo).values(
                opened_on=date(2021, 1, 4),
                closed_on=date(2021, 6, 30),
                status="closed",
                outcome="business_created",
            )
        )
        session.execute(update(Appointment).values(start=datetime(2021, 3, 1, 9), status="done"))
    close_case(services, ids["basile"], date(2026, 11, 25))
    assert [c.case_id for c in services.privacy.past_retention()] == [old]
    notices = " ".join(n.message for n in services.maintenance.run_check().notices)
    assert "retention" in notices

    services.privacy.anonymise(old)
    detail = services.cases.get(old)
    assert detail.person.first_name == "" and detail.person.email == ""
    assert detail.person.birth_date == date(1990, 1, 1)
    assert detail.person.commune == "Aubusson"
    assert detail.notes == [] and detail.project.description == ""
    assert detail.appointments[0].minutes == 90 and detail.outcome is not None
    assert services.privacy.past_retention() == []
    assert files_containing(services.workspace.root, "Lebreton-Quillivic") == []
    assert services.maintenance.run_check().ok


def test_access_export_and_erase_from_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    assert (
        main(
            ["--workspace", str(ws), "new-case", "--first-name", "Yvon", "--last-name", "Quéméner"]
        )
        == 0
    )
    case_id = capsys.readouterr().out.strip()
    assert main(["--workspace", str(ws), "consent-processing", case_id, "--how", "oral"]) == 0
    assert (
        main(["--workspace", str(ws), "access-export", case_id, "-o", str(tmp_path / "out")]) == 0
    )
    assert (tmp_path / "out" / "access-export.pdf").exists()
    assert main(["--workspace", str(ws), "erase", case_id, "--yes"]) == 0
    assert files_containing(ws, "Quéméner") == []
    assert main(["--workspace", str(ws), "retention", "--json"]) == 0


def test_every_file_and_folder_of_the_workspace_is_its_owners_only(
    trio: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, ids = trio
    root = services.workspace.root
    services.backups.back_up_now()
    drop = tmp_path / "drop"
    drop.mkdir()
    services.partners.add("Initiative Creuse", "network", folder=drop, reports=[])
    services.partners.share_with(ids["ondine"], "Initiative Creuse", "signed form")
    services.exchange.export(ids["ondine"], "Initiative Creuse")
    services.outbox.sync()
    # a damaged case file goes to the quarantine
    (root / "cases" / f"{ids['jade']}.case").write_bytes(b"not a case file at all" * 200)
    assert not services.maintenance.run_check().ok
    assert list((root / "quarantine").iterdir())

    wide = [
        (str(path.relative_to(root.parent)), oct(stat.S_IMODE(path.lstat().st_mode)))
        for path in (root, *root.rglob("*"))
        if stat.S_IMODE(path.lstat().st_mode) != (0o700 if path.is_dir() else 0o600)
    ]
    assert wide == []
    delivered = next(drop.iterdir())
    assert stat.S_IMODE(delivered.stat().st_mode) == 0o600


def test_a_workspace_made_readable_by_all_by_an_older_version_is_closed_at_opening(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    open_services(root).close()
    root.chmod(0o755)
    (root / "workspace.sqlite").chmod(0o644)

    open_services(root).close()

    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "workspace.sqlite").stat().st_mode) == 0o600
