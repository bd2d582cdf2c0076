"""A script fills a case from the command line, field by field, and prints its committee file.

Every field `show --json` prints for the person and the project can be set with `edit --set`,
typed as the field needs; a value that does not fit is refused with a sentence and changes
nothing.
"""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from advisor_app.cli import main
from advisor_app.cli.edit_commands import editable_fields
from advisor_app.cli.values import base_kind
from advisor_app.services.cases import OPTIONAL_FIELDS

ORGANISATION = "Initiative Creuse – antenne de Guéret"
ADVISOR = "Marie-Bérénice Lefort"
PASSWORD = "quatre chevaux sur la Creuse"
HEADER_BAND = 72  # points from the top of the page: the running header, above the text


def cli(workspace: Path, *arguments: str) -> int:
    """The command line on `workspace`, with messages in English."""
    return main(["--lang", "en", "--workspace", str(workspace), *arguments])


def new_case(workspace: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Zoé's case, opened on 1 March 2026."""
    names = ("--first-name", "Zoé", "--last-name", "Müller", "--opened-on", "2026-03-01")
    assert cli(workspace, "new-case", *names) == 0
    return capsys.readouterr().out.strip()


def shown(workspace: Path, case_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert cli(workspace, "show", case_id, "--json") == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_a_script_fills_a_case_and_prints_its_committee_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    case_id = new_case(ws, capsys)
    opinion = "Projet solide, porté par une boulangère expérimentée. " * 60
    (tmp_path / "opinion.txt").write_text(opinion, encoding="utf-8")
    (tmp_path / "note.txt").write_text("Rencontre avec la banque : accord de principe.\n")
    (tmp_path / "password.txt").write_text(f"{PASSWORD}\n", encoding="utf-8")

    assert cli(ws, "settings", "set", "--organisation", ORGANISATION, "--advisor", ADVISOR) == 0
    assert (
        cli(
            ws,
            "edit",
            case_id,
            "--set",
            "person.commune=Felletin",
            "--set",
            "person.postcode=23500",
            "--set",
            "person.birth_date=1988-06-21",
            "--set",
            "person.gender=woman",
            "--set",
            "person.situation=job_seeker",
            "--set",
            "person.rural_area=yes",
            "--set",
            "project.title=Boulangerie au levain",
            "--set",
            "project.legal_form=SARL",
            "--set",
            "project.planned_start=2027-02-01",
            "--set",
            "project.expected_jobs=2",
            "--set",
            f"project.advisor_opinion=@{tmp_path / 'opinion.txt'}",
        )
        == 0
    )
    assert cli(ws, "note", "add", case_id, "--text-file", str(tmp_path / "note.txt")) == 0
    assert cli(ws, "plan", "add-line", case_id, "--need", "Four à sole", "18 500,00") == 0
    assert cli(ws, "plan", "add-line", case_id, "--resource", "Prêt d'honneur", "8 000") == 0
    assert cli(ws, "plan", "add-line", case_id, "--resource", "Prêt bancaire", "10500") == 0
    assert cli(ws, "plan", "forecast", case_id, "--year", "1", "turnover=96 000") == 0
    capsys.readouterr()
    assert (
        cli(
            ws,
            "funding",
            "add",
            case_id,
            "--funder",
            "Initiative Creuse",
            "--kind",
            "honour_loan",
            "--amount",
            "8 000",
            "--committee-on",
            "2027-01-12",
        )
        == 0
    )
    funding_id = capsys.readouterr().out.strip()
    assert (
        cli(
            ws,
            "funding",
            "update",
            case_id,
            funding_id,
            "--decision",
            "granted",
            "--amount-granted",
            "8 000,00",
        )
        == 0
    )

    case = shown(ws, case_id, capsys)
    assert case["person"]["commune"] == "Felletin"
    assert case["person"]["birth_date"] == "1988-06-21"
    assert case["person"]["rural_area"] is True
    assert case["project"]["expected_jobs"] == 2
    assert case["project"]["advisor_opinion"] == opinion.strip()
    assert case["notes"][0]["text"] == "Rencontre avec la banque : accord de principe."
    assert case["financing_plan"]["balanced"] is True
    [funding] = case["funding"]
    assert (funding["amount_asked_cents"], funding["committee_on"]) == (800_000, "2027-01-12")
    assert (funding["decision"], funding["amount_granted_cents"]) == ("granted", 800_000)

    out = tmp_path / "comité.pdf"
    password_file = str(tmp_path / "password.txt")
    assert (
        cli(ws, "report", "committee", case_id, "--password-file", password_file, "-o", str(out))
        == 0
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with pdfplumber.open(out, password=PASSWORD) as pdf:
        assert len(pdf.pages) >= 2  # the long opinion runs over
        for page in pdf.pages:
            header = page.crop((0, 0, page.width, HEADER_BAND)).extract_text()
            assert ORGANISATION in header and ADVISOR in header
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Zoé Müller" in text and "Felletin" in text
    assert "Boulangerie au levain" in text and "Initiative Creuse" in text


def _sample(name: str, kind: Any) -> tuple[str, Any]:
    """A value to type for a field of kind `kind`, and what `show --json` prints back."""
    held = base_kind(kind)
    if name == "email":
        return "zoe.muller@exemple.fr", "zoe.muller@exemple.fr"
    if name == "postcode":  # its column holds 10 characters, as the exchange schema says
        return "23200", "23200"
    if held is str:
        return f"Texte de {name}, écrit par un script", f"Texte de {name}, écrit par un script"
    if held is date:
        return date.today().isoformat(), date.today().isoformat()
    if held is bool:
        return "yes", True
    if held is int and name.endswith("_cents"):
        return "1 234,50", 123_450
    if held is int:
        return "3", 3
    member = list(held)[-1]
    return str(member.value), member.value


def test_every_field_show_json_prints_can_be_set_typed_as_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    case_id = new_case(ws, capsys)
    before = shown(ws, case_id, capsys)
    fields = editable_fields()
    printed = {f"{part}.{name}" for part in ("person", "project") for name in before[part]}
    assert printed == set(fields)

    typed = {path: _sample(path.split(".")[1], kind) for path, kind in fields.items()}
    assignments = [arg for path, (text, _v) in typed.items() for arg in ("--set", f"{path}={text}")]
    assert cli(ws, "edit", case_id, *assignments) == 0
    after = shown(ws, case_id, capsys)
    for path, (_text, expected) in typed.items():
        part, name = path.split(".")
        assert after[part][name] == expected, path


def test_an_optional_field_is_emptied_by_an_empty_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    case_id = new_case(ws, capsys)
    assert cli(ws, "edit", case_id, "--set", "person.birth_date=1990-01-31") == 0
    assert shown(ws, case_id, capsys)["person"]["birth_date"] == "1990-01-31"
    assert "birth_date" in OPTIONAL_FIELDS
    assert cli(ws, "edit", case_id, "--set", "person.birth_date=") == 0
    assert shown(ws, case_id, capsys)["person"]["birth_date"] is None


@pytest.mark.parametrize(
    ("assignment", "sentence"),
    [
        ("person.comune=Aubusson", "There is no field person.comune. Close names: person.commune"),
        ("project.opinion=Bien", "Close names: project.advisor_opinion"),
        ("person.birth_date=mardi", "“mardi” is not a date"),
        (
            "person.birth_date=2990-01-01",
            "person.birth_date: The birth date cannot be in the future",
        ),
        ("person.gender=femme", "“femme” is not one of the choices. Choose among: woman, man"),
        ("person.rural_area=peut-être", "“peut-être” is neither yes nor no"),
        ("person.email=zoe-at-home", "person.email: This is not an e-mail address"),
        ("person.last_name=  ", "person.last_name: This field cannot be empty"),
        ("project.expected_jobs=deux", "“deux” is not a whole number"),
        ("project.expected_jobs=-1", "The number of jobs cannot be negative"),
        ("project.description=@/no/such/file.txt", "The file /no/such/file.txt cannot be read"),
        ("project.title", "“project.title” is not FIELD=VALUE"),
    ],
)
def test_a_refused_value_is_explained_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], assignment: str, sentence: str
) -> None:
    ws = tmp_path / "ws"
    case_id = new_case(ws, capsys)
    before = shown(ws, case_id, capsys)
    # A good value beside the refused one is not saved either.
    code = cli(ws, "edit", case_id, "--set", "person.commune=Aubusson", "--set", assignment)
    err = capsys.readouterr().err
    assert code == 1
    assert sentence in err and "Nothing was changed." in err
    assert shown(ws, case_id, capsys) == before


def test_refused_funding_forecast_and_settings_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    case_id = new_case(ws, capsys)
    before = shown(ws, case_id, capsys)
    refusals = {
        ("funding", "add", case_id, "--funder", "Bpifrance", "--kind", "loan", "--amount", "9"): (
            "--kind: “loan” is not one of the choices"
        ),
        ("funding", "add", case_id, "--funder", "Banque", "--kind", "bank_loan", "--amount", "x"): (
            "--amount: “x” is not an amount"
        ),
        ("funding", "add", case_id, "--funder", " ", "--kind", "grant", "--amount", "900"): (
            "--funder: This field cannot be empty"
        ),
        ("plan", "forecast", case_id, "--year", "2", "turnover=9000", "turnovr=1"): (
            "There is no field turnovr. Close names: turnover"
        ),
        ("plan", "add-line", case_id, "--need", "Four", "beaucoup"): (
            "--need: “beaucoup” is not an amount"
        ),
        ("plan", "add-line", case_id, "--resource", " ", "1000"): (
            "--resource: This field cannot be empty"
        ),
        ("settings", "set", "--organisation", "Ligne 1\nLigne 2"): (
            "--organisation: A name is written on one line"
        ),
        ("settings", "set", "--advisor", "Camille", "--min-group", "0"): (
            "--min-group: The smallest group is at least 1 person"
        ),
    }
    for arguments, sentence in refusals.items():
        assert cli(ws, *arguments) == 1, arguments
        assert sentence in capsys.readouterr().err, arguments
    assert shown(ws, case_id, capsys) == before
    assert cli(ws, "settings", "show", "--json") == 0
    settings = json.loads(capsys.readouterr().out)
    assert (settings["organisation"], settings["advisor_name"]) == ("", "")
    assert settings["report_min_group"] == 3
    assert cli(ws, "settings", "set", "--min-group", "5") == 0
    assert cli(ws, "settings", "show", "--json") == 0
    assert json.loads(capsys.readouterr().out)["report_min_group"] == 5


def test_a_script_records_an_appointment_a_milestone_and_the_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    case_id = new_case(ws, capsys)
    summary = "Relecture du prévisionnel ligne à ligne avec la porteuse.\n" * 20
    (tmp_path / "summary.txt").write_text(summary, encoding="utf-8")
    appointment = [
        "add-appointment",
        case_id,
        *("--start", "2026-03-02T09:30", "--minutes", "90", "--mode", "video"),
        *("--status", "done", "--topic", "Prévisionnel", "--place", "Visio"),
        *("--programme", "Suivi post-création", "--summary", f"@{tmp_path / 'summary.txt'}"),
        *("--next-actions", "Envoyer les devis", "--not-counted"),
    ]
    assert cli(ws, *appointment) == 0
    milestone = ["done-milestone", case_id, "welcome", "--date", "2026-03-02"]
    assert cli(ws, *milestone, "--comment", "Accueil fait en visio") == 0
    assert cli(ws, "close", case_id, "--outcome", "business_created", "--on", "2026-10-01") == 0

    case = shown(ws, case_id, capsys)
    [recorded] = case["appointments"]
    assert (recorded["mode"], recorded["place"], recorded["programme"]) == (
        "video",
        "Visio",
        "Suivi post-création",
    )
    assert recorded["summary"] == summary.strip()
    assert recorded["next_actions"] == "Envoyer les devis"
    assert recorded["counts_in_reports"] is False
    assert case["milestones"][0]["comment"] == "Accueil fait en visio"
    assert (case["status"], case["outcome"], case["closed_on"]) == (
        "closed",
        "business_created",
        "2026-10-01",
    )
    assert cli(ws, "reopen", case_id) == 0
    assert shown(ws, case_id, capsys)["status"] == "active"
