"""`advisor-app team ...` as two advisors type it, each in their own workspace, through a
synced team folder: create, join, share (refused without consent), sync, hand over,
members, status; a name already taken and a wrong passphrase are refused with a sentence."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

PASSPHRASE = "la rivière coule sous le pont de Felletin\n"


def test_two_advisors_share_a_case_from_the_command_line(tmp_path: Path) -> None:
    camille, bruno = tmp_path / "camille", tmp_path / "bruno"
    folder = tmp_path / "synced" / "team"
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    place = ["--folder", str(folder), "--team-passphrase-file", str(secret)]

    code, out, err = run_cli(
        camille, "team", "create", "--name", "Oser autrement", "--as", "Camille", *place
    )
    assert code == 0, err
    assert "Oser autrement" in out and "in person" in out
    code, out, err = run_cli(bruno, "team", "join", "--as", "Bruno", *place)
    assert code == 0, err
    assert "You joined the team as Bruno." in out

    code, case_id, err = run_cli(
        camille, "new-case", "--first-name", "Zoé", "--last-name", "Müller"
    )
    case_id = case_id.strip()
    code, out, err = run_cli(camille, "team", "share", case_id)
    assert code == 1
    assert "not consented to the processing of their data" in err
    assert run_cli(camille, "consent-processing", case_id, "--how", "signed form")[0] == 0
    code, out, err = run_cli(camille, "team", "share", case_id)
    assert code == 0, err
    code, out, err = run_cli(camille, "team", "sync", "--json")
    assert code == 0, err
    assert json.loads(out)["batches_out"] == 1

    code, out, err = run_cli(bruno, "team", "sync")
    assert code == 0, err
    assert "1 batch taken in" in out
    code, out, err = run_cli(bruno, "show", case_id, "--json")
    assert code == 0, err
    assert json.loads(out)["person"]["last_name"] == "Müller"

    code, out, err = run_cli(camille, "team", "sync")
    code, out, err = run_cli(camille, "team", "members")
    assert out.split("\n")[:2] == ["Bruno", "Camille (you)"]
    code, out, err = run_cli(camille, "team", "handover", case_id, "--to", "Bruno")
    assert code == 0, err
    run_cli(camille, "team", "sync")
    run_cli(bruno, "team", "sync")
    code, out, err = run_cli(bruno, "list", "--scope", "mine", "--json")
    assert [row["case_id"] for row in json.loads(out)] == [case_id]

    code, out, err = run_cli(bruno, "team", "status", "--json")
    status = json.loads(out)
    assert (status["team"], status["you"], status["shared_cases"]) == ("Oser autrement", "Bruno", 1)
    assert status["last_sync_at"] is not None


def test_a_taken_name_and_a_wrong_passphrase_are_refused_in_french(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    secret, wrong = tmp_path / "passphrase.txt", tmp_path / "wrong.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    wrong.write_text("pas la bonne phrase du tout\n", encoding="utf-8")
    place = ["--folder", str(folder)]
    assert (
        run_cli(
            tmp_path / "a",
            "team",
            "create",
            "--name",
            "Oser",
            "--as",
            "Camille",
            *place,
            "--team-passphrase-file",
            str(secret),
        )[0]
        == 0
    )
    code, out, err = run_cli(
        tmp_path / "b",
        "team",
        "join",
        "--as",
        "camille",
        *place,
        "--team-passphrase-file",
        str(secret),
        language="fr",
    )
    assert code == 1
    assert "Le nom camille est déjà pris dans cette équipe." in err
    code, out, err = run_cli(
        tmp_path / "b",
        "team",
        "join",
        "--as",
        "Bruno",
        *place,
        "--team-passphrase-file",
        str(wrong),
        language="fr",
    )
    assert code == 1
    assert "Ce n'est pas la phrase de passe de l'équipe." in err
    code, out, err = run_cli(tmp_path / "b", "team", "status")
    assert "belongs to no team" in out
