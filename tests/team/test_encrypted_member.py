"""An encrypted workspace in a team: its team key lives in its encrypted state, so a sync
needs no passphrase of the team, and nothing of the team's key or of a shared case can be
read from its files without the workspace's passphrase."""

from __future__ import annotations

from pathlib import Path

from advisor_app.services import NewCase, Services
from advisor_app.services.team import TeamPlace
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.team.shown import shown

TEAM_PASSPHRASE = "la rivière coule sous le pont de Felletin"
WORKSPACE_PASSPHRASE = "la boussole du nord"


def test_an_encrypted_member_syncs_with_its_key_kept_encrypted(tmp_path: Path) -> None:
    place = TeamPlace("folder", str(tmp_path / "team"))
    root = tmp_path / "camille"
    camille = Services(Workspace.open(root, passphrase=WORKSPACE_PASSPHRASE), clock=fixed_clock)
    bruno = Services(Workspace.open(tmp_path / "bruno"), clock=fixed_clock)
    try:
        camille.team.create("Oser autrement", "Camille", place, TEAM_PASSPHRASE)
        bruno.team.join("Bruno", place, TEAM_PASSPHRASE)
        case_id, _same, _changes = camille.cases.create(
            NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="form")
        )
        camille.team.share(case_id)
        camille.team.sync()
        bruno.team.sync()
        bruno.cases.update_person(case_id, {"phone": "06 12 34 56 78"})
        bruno.team.sync()
    finally:
        camille.close()
    # opened again with the workspace's passphrase only: the team's key is in it
    camille = Services(Workspace.open(root, passphrase=WORKSPACE_PASSPHRASE), clock=fixed_clock)
    try:
        assert case_id in camille.team.sync().cases_in
        assert shown(camille, case_id) == shown(bruno, case_id)
    finally:
        camille.close()
        bruno.close()
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"M\xc3\xbcller" not in data and b"06 12 34 56 78" not in data, path
            assert not data.startswith(b"SQLite format 3"), path
