"""The exchange from the command line, as in the issue, and the calendar file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from icalendar import Calendar

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.services import AppointmentDraft, Services
from tests.conftest import run_cli

from .conftest import PASSWORD, USER, DavServer, open_case


def run(workspace: Path, *arguments: str) -> tuple[int, str, str]:
    """The command line with no keyring at all, as on a machine without one."""
    return run_cli(
        workspace, *arguments, env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    )


def test_partner_consent_export_outbox_sync_over_webdav(
    advisor: Services, dav: DavServer, tmp_path: Path
) -> None:
    case_ids = [open_case(advisor, first=f"Person{n}") for n in range(3)]
    workspace = advisor.workspace.root
    advisor.close()
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")

    code, out, _err = run(
        workspace,
        "partner",
        "add",
        "France Active",
        "--webdav",
        dav.url,
        "--user",
        USER,
        "--password-file",
        str(password_file),
        "--kind",
        "funder",
        "--reports",
        "",
    )
    assert code == 0 and out.strip() == "France Active"
    code, out, _err = run(workspace, "partner", "list", "--json")
    assert json.loads(out)[0]["location"] == dav.url

    code, _out, err = run(workspace, "export", case_ids[0], "--partner", "France Active")
    assert code == 1 and "has not consented" in err
    packages = []
    for case_id in case_ids:
        assert run(workspace, "consent", case_id, "--share-with", "France Active")[0] == 0
        code, out, _err = run(workspace, "export", case_id, "--partner", "France Active")
        packages.append(out.strip())
    code, out, _err = run(workspace, "outbox", "--json")
    assert [item["state"] for item in json.loads(out)] == ["queued"] * 3

    code, _out, err = run(workspace, "sync")  # no keyring, no terminal: no password
    assert code == 1 and "No password" in err
    code, out, _err = run(workspace, "sync", "--password-file", str(password_file))
    assert code == 0 and "3 sent, 0 failed" in out
    assert sorted(dav.delivered()) == sorted(f"boussole-{p}.zip" for p in packages)
    assert PASSWORD.encode() not in (workspace / "workspace.sqlite").read_bytes()


def test_sync_reports_failures_with_exit_1(advisor: Services, tmp_path: Path) -> None:
    case_id = open_case(advisor)
    advisor.partners.add("Stick", "network", folder=tmp_path / "absent", reports=[])
    advisor.partners.share_with(case_id, "Stick")
    advisor.exchange.export(case_id, "Stick")
    workspace = advisor.workspace.root
    advisor.close()

    code, _out, err = run(workspace, "sync", "--partner", "Stick")

    assert code == 1 and "cannot be reached" in err


def test_import_refuses_a_broken_package_with_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 nonsense")
    code, _out, err = run(tmp_path / "ws", "import", str(broken))
    assert code == 1 and "nothing was imported" in err


def test_calendar_holds_planned_appointments_with_stable_uids(
    advisor: Services, tmp_path: Path
) -> None:
    case_id = open_case(advisor)
    advisor.appointments.add(
        case_id,
        AppointmentDraft(
            start=datetime(2026, 10, 1, 14, 0), minutes=90, status=AppointmentStatus.DONE
        ),
    )
    [planned] = [a for a in advisor.cases.get(case_id).appointments if a.status == "planned"]
    target = tmp_path / "agenda.ics"

    assert advisor.calendar.write_ics(target, case_id) == 1
    first = target.read_bytes()
    advisor.calendar.write_ics(target)
    again = Calendar.from_ical(target.read_bytes())

    [event] = again.walk("VEVENT")
    assert str(event["UID"]) == f"{planned.id}@boussole"
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 9, 30)
    assert event.decoded("DTEND") == datetime(2026, 12, 2, 10, 30)
    assert "Zoé Müller" in str(event["SUMMARY"])
    assert first == target.read_bytes()  # same clock, same file


def test_ics_command_writes_the_file(advisor: Services, tmp_path: Path) -> None:
    open_case(advisor)
    workspace = advisor.workspace.root
    advisor.close()
    code, out, _err = run(workspace, "ics", "-o", str(tmp_path / "out.ics"))
    assert code == 0 and "1 planned appointments" in out
    assert b"BEGIN:VEVENT" in (tmp_path / "out.ics").read_bytes()
