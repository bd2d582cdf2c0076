"""The command line speaks the advisor's language all through: argparse's own words and
errors, placeholders in the help, sentences that read right for 0 or 1, and preview lines
that start as sentences do."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from advisor_app.cli import build_parser, main
from advisor_app.i18n import set_language
from advisor_app.services import NewCase, Services
from advisor_app.storage.workspace import Workspace


def _usage(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


def test_the_french_help_names_every_value_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _usage(["--lang", "fr", "--help"], capsys)
    assert code == 0
    assert "--workspace ESPACE_DE_TRAVAIL" in out and "WORKSPACE" not in out
    assert "utilisation :" in out and "usage:" not in out
    code, out, _err = _usage(["--lang", "fr", "new-case", "--help"], capsys)
    assert "--first-name PRÉNOM" in out and "--birth-date DATE" in out
    assert "FIRST_NAME" not in out and "BIRTH_DATE" not in out
    code, out, _err = _usage(["--lang", "fr", "show", "--help"], capsys)
    assert "DOSSIER" in out and "case_id" not in out
    assert "arguments positionnels" in out and "afficher cette aide et quitter" in out


def test_every_value_of_every_command_has_a_placeholder_of_ours() -> None:
    """A new option gets its placeholder in `cli.parser.PLACEHOLDERS`, or this fails."""
    set_language("en")

    def unnamed(parser: argparse.ArgumentParser, path: str) -> list[str]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found += unnamed(child, f"{path} {name}")
            elif (
                action.nargs != 0
                and action.choices is None
                and action.help != argparse.SUPPRESS
                and action.metavar is None
            ):
                found.append(f"{path}: {action.dest}")
        return found

    assert unnamed(build_parser(), "advisor-app") == []


def test_argparse_errors_are_said_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _usage(["--lang", "fr", "new-case", "--first-name", "Léa"], capsys)
    assert code == 2
    assert "les arguments suivants sont obligatoires : --last-name" in err
    assert "the following arguments are required" not in err
    code, _out, err = _usage(["--lang", "fr", "report", "bilan"], capsys)
    assert "argument RAPPORT : choix invalide : 'bilan' (choisir parmi" in err
    code, _out, err = _usage(["--lang", "fr", "demo", "--cases", "beaucoup"], capsys)
    assert "argument --cases : 'beaucoup' n'est pas un nombre entier" in err
    code, _out, err = _usage(["--lang", "fr", "list", "--nimporte"], capsys)
    assert "arguments non reconnus : --nimporte" in err


def test_argparse_errors_stay_plain_english_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _usage(["--lang", "en", "show"], capsys)
    assert code == 2
    assert "usage: advisor-app show" in err
    assert "the following arguments are required: CASE" in err


def test_check_says_a_backup_made_today_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = str(tmp_path / "ws")
    arguments = ["--workspace", workspace, "new-case", "--first-name", "Léa", "--last-name", "Roux"]
    assert main(["--lang", "fr", *arguments]) == 0  # the day's backup is made on the way
    capsys.readouterr()
    main(["--lang", "fr", "--workspace", workspace, "check"])
    err = capsys.readouterr().err
    assert "a été faite aujourd'hui" in err
    assert "0 jours" not in err
    main(["--lang", "en", "--workspace", workspace, "check"])
    err = capsys.readouterr().err
    assert "was made today" in err and "0 days" not in err


def test_an_import_preview_reads_as_sentences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sender = Services(Workspace.open(tmp_path / "camille"))
    sender.partners.add("Marc", "advisor", folder=tmp_path / "drop")
    case_id, _d, _c = sender.cases.create(NewCase("Ana", "Silva"))
    sender.partners.share_with(case_id, "Marc")
    package = sender.outbox.package_path(sender.exchange.export(case_id, "Marc")[0])
    sender.close()
    workspace = str(tmp_path / "marc")
    for language, first_line in (
        ("en", "Milestones: 13 to add."),
        ("fr", "Étapes : 13 à ajouter."),
    ):
        code = main(
            ["--lang", language, "--workspace", workspace, "import", str(package), "--dry-run"]
        )
        assert code == 0
        lines = [line.strip() for line in capsys.readouterr().out.splitlines()[1:]]
        assert all(line[:1].isupper() for line in lines), lines
        assert first_line in lines
