"""Credentials never in addresses, arguments or output; a calendar file written beside its
target or not at all, and with initials for a calendar that a third party hosts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from advisor_app.cli import main
from advisor_app.domain.errors import AdvisorError
from advisor_app.exchange.transports import WebDavTransport
from advisor_app.services import AppointmentDraft, Services
from advisor_app.storage.exchange_models import PartnerRow
from tests.conftest import run_cli

from .conftest import open_case

SECRET = "S3cret-du-partenaire"


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


# -- WebDAV addresses -------------------------------------------------------------------


def test_a_webdav_address_holding_a_password_is_refused_and_the_password_never_kept(
    advisor: Services,
) -> None:
    root = advisor.workspace.root
    advisor.close()

    code, out, err = run_cli(
        root,
        "partner",
        "add",
        "France Active",
        "--webdav",
        f"http://alice:{SECRET}@dav.example.org/remote.php/dav/files/alice/drop/",
        "--user",
        "alice",
    )

    assert code == 1
    assert "must not hold a user name or a password" in err and "--password-file" in err
    assert "dav.example.org" in err
    assert SECRET not in out + err
    code, out, _err = run_cli(root, "partner", "list")
    assert code == 0 and out.strip() == ""
    assert all(SECRET.encode() not in p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_an_address_stored_with_a_password_by_an_older_version_is_never_shown(
    advisor: Services,
) -> None:
    url = f"https://alice:{SECRET}@dav.example.org/drop/"
    with advisor.workspace.catalog.write() as catalog:
        catalog.add(
            PartnerRow(
                name="Old Partner",
                kind="funder",
                sections='["identity"]',
                reports="[]",
                attachments="[]",
                transport="webdav",
                location=url,
                user="alice",
                created_at=datetime(2025, 1, 1),
            )
        )

    [partner] = advisor.partners.all()

    assert partner.location == "https://dav.example.org/drop/"
    transport = WebDavTransport(url, "alice", "")
    assert SECRET not in transport.destination and "alice@" not in transport.destination


# -- passwords typed as arguments --------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["partner", "add", "X", "--webdav", "https://h/d/", "--user", "u", "--password", SECRET],
        ["sync", "--password", SECRET],
        ["sync", f"--password={SECRET}"],
        ["partner", "add", "X", "--webdav", "https://h/d/", "--user", "u", "--passw", SECRET],
        ["list", "--password", SECRET],
        ["report", "committee", "3f2a9c4e-5b1d-4c2e-9a7f-0e8d6c5b4a31", "--password", SECRET],
    ],
)
def test_a_password_typed_on_the_command_line_is_refused_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    workspace = tmp_path / "ws"

    code = main(["--lang", "en", "--workspace", str(workspace), *arguments])

    out, err = capsys.readouterr()
    assert code == 1
    assert (
        "Passwords are never typed on the command line: use --password-file or the prompt." in err
    )
    assert SECRET not in out + err
    assert not workspace.exists()  # refused before anything was opened


def test_a_passphrase_typed_on_the_command_line_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--workspace", str(tmp_path / "ws"), "--passphrase", SECRET, "list"])
    out, err = capsys.readouterr()
    assert code == 1 and "--passphrase-file" in err and SECRET not in out + err


# -- the calendar file ---------------------------------------------------------------------


def test_ics_to_an_existing_folder_is_refused_and_leaves_nothing_anywhere(
    advisor: Services, tmp_path: Path
) -> None:
    open_case(advisor)
    root = advisor.workspace.root
    advisor.close()
    parent = tmp_path / "exports"
    target = parent / "agenda"
    target.mkdir(parents=True)

    code, _out, err = run_cli(root, "ics", "-o", str(target))

    assert code == 1 and "is a folder" in err
    assert "Unexpected" not in err
    assert everything_under(parent) == [target]  # no .tmp with every appointment beside it


def test_the_calendar_service_refuses_a_folder_and_a_device_before_writing(
    advisor: Services, tmp_path: Path
) -> None:
    open_case(advisor)
    parent = tmp_path / "exports"
    (parent / "agenda").mkdir(parents=True)
    with pytest.raises(AdvisorError, match="is a folder"):
        advisor.calendar.write_ics(parent / "agenda")
    with pytest.raises(AdvisorError, match="not an ordinary file"):
        advisor.calendar.write_ics(Path("/dev/null"))
    assert everything_under(parent) == [parent / "agenda"]
    assert not list(Path("/dev").glob(".null.*"))
    assert Path("/dev/null").is_char_device()


def test_ics_with_initials_names_nobody(advisor: Services, tmp_path: Path) -> None:
    case_id = open_case(advisor, first="Jean-Pierre", last="Vasseur-Kerbrat")
    advisor.appointments.add(
        case_id, AppointmentDraft(start=datetime(2026, 12, 9, 14, 0), minutes=30, topic="Bilan")
    )
    root = advisor.workspace.root
    advisor.close()
    target = tmp_path / "shared.ics"

    code, out, _err = run_cli(root, "ics", "-o", str(target), "--initials")

    assert code == 0 and "2 planned appointments" in out
    data = target.read_bytes()
    assert b"Vasseur" not in data and b"Jean" not in data
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(data).walk("VEVENT"))
    assert summaries == ["J.-P. V.-K. — Bilan", "J.-P. V.-K. — Budget"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
