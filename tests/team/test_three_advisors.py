"""Three advisors of one association share cases through their team folder, each working
offline, and end with the same cases whatever the order of their syncs.

Run through a synced folder, wsgidav and sabre/dav (the WebDAV engine of Nextcloud)."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.domain.history import readable_detail
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.services.team import TeamPlace
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.team.shown import shown
from tests.webdav_servers import KINDS, TeamServer
from tests.webdav_servers import team_server as running

PASSPHRASE = "la rivière coule sous le pont de Felletin"
NAMES = ("Camille", "Bruno", "Chloé")


@dataclass
class Team:
    place: TeamPlace
    password: str | None
    server: TeamServer | None
    advisors: dict[str, Services]

    def sync(self, name: str) -> Any:
        return self.advisors[name].team.sync(password=self.password)


def _open(root: Path, name: str) -> Services:
    services = Services(Workspace.open(root / name.lower()), clock=fixed_clock)
    services.settings.set("advisor_name", name)
    return services


@pytest.fixture(params=("folder", *KINDS))
def team(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Team]:
    """Camille creates the team, Bruno and Chloé join it: through a synced folder, then
    wsgidav, then sabre/dav."""
    advisors = {name: _open(tmp_path, name) for name in NAMES}
    try:
        if request.param == "folder":
            place = TeamPlace("folder", str(tmp_path / "synced" / "team"))
            yield from _made(Team(place, None, None, advisors))
        else:
            with running(request.param, tmp_path / "served") as server:
                url, user, password, _root = server
                yield from _made(Team(TeamPlace("webdav", url, user), password, server, advisors))
    finally:
        for services in advisors.values():
            services.close()


def _made(team: Team) -> Iterator[Team]:
    camille, bruno, chloe = (team.advisors[name] for name in NAMES)
    camille.team.create("Oser autrement", "Camille", team.place, PASSPHRASE, team.password)
    bruno.team.join("Bruno", team.place, PASSPHRASE, team.password)
    chloe.team.join("Chloé", team.place, PASSPHRASE, team.password)
    status = chloe.team.status()
    assert status is not None and status.name == "Oser autrement"
    yield team


def _new_case(services: Services, first: str, last: str) -> str:
    case_id, _same, _changes = services.cases.create(
        NewCase(
            first_name=first,
            last_name=last,
            commune="Felletin",
            project_title="Épicerie vrac",
            processing_consent_how="signed form",
        )
    )
    return case_id


def test_a_shared_case_reaches_every_member_and_their_changes_come_back(team: Team) -> None:
    camille, bruno, chloe = (team.advisors[name] for name in NAMES)
    case_id = _new_case(camille, "Zoé", "Müller")
    camille.team.share(case_id)
    team.sync("Camille")
    report = team.sync("Bruno")
    assert case_id in report.cases_in
    assert bruno.cases.get(case_id).person.last_name == "Müller"

    bruno.cases.update_person(case_id, {"phone": "06 12 34 56 78"})
    bruno.appointments.add(
        case_id, AppointmentDraft(start=datetime(2026, 12, 2, 9, 30), minutes=60, topic="Budget")
    )
    team.sync("Bruno")
    team.sync("Camille")
    team.sync("Chloé")
    for services in (camille, chloe):
        case = services.cases.get(case_id)
        assert case.person.phone == "06 12 34 56 78"
        assert [a.topic for a in case.appointments] == ["Budget"]
    history = camille.cases.get(case_id).history
    assert any("Bruno" in entry.advisor for entry in history)


def test_the_same_field_changed_offline_by_two_keeps_the_later_and_history_shows_both(
    team: Team,
) -> None:
    camille, bruno, _chloe = (team.advisors[name] for name in NAMES)
    case_id = _new_case(camille, "Zoé", "Müller")
    camille.team.share(case_id)
    team.sync("Camille")
    team.sync("Bruno")
    camille.cases.update_person(case_id, {"phone": "05 55 00 00 01", "commune": "Aubusson"})
    bruno.cases.update_person(case_id, {"phone": "05 55 00 00 02"})  # later
    for name in ("Camille", "Bruno", "Camille"):
        team.sync(name)
    for services in (camille, bruno):
        person = services.cases.get(case_id).person
        assert (person.phone, person.commune) == ("05 55 00 00 02", "Aubusson")
    history = camille.cases.get(case_id).history
    assert sum("phone" in entry.detail for entry in history) >= 2
    from_bruno = [
        readable_detail(entry.action, entry.detail)
        for entry in history
        if entry.action == "team_changes" and entry.advisor == "Bruno"
    ]
    assert "Phone" in from_bruno[0]


def test_three_advisors_offline_converge_whatever_the_order_of_their_syncs(team: Team) -> None:
    camille, bruno, chloe = (team.advisors[name] for name in NAMES)
    cases = [_new_case(camille, "Zoé", "Müller"), _new_case(camille, "Léa", "Roux")]
    for case_id in cases:
        camille.team.share(case_id)
    for name in NAMES:
        team.sync(name)
    rng = random.Random(7)
    for round_number in range(3):
        for name, services in team.advisors.items():
            case_id = rng.choice(cases)
            services.cases.update_person(case_id, {"phone": f"{name} {round_number}"})
            services.notes.add_note(case_id, f"{name} was here ({round_number})")
            services.cases.update_project(case_id, {"sector": rng.choice(("bio", "vrac", "café"))})
        order = list(NAMES) * 2
        rng.shuffle(order)
        for name in order:
            team.sync(name)
    for name in NAMES * 2:
        team.sync(name)
    for case_id in cases:
        seen = [shown(services, case_id) for services in (camille, bruno, chloe)]
        assert seen[0] == seen[1] == seen[2]
        assert len(seen[0]["notes"]) >= 1


def test_sharing_needs_the_persons_consent(team: Team) -> None:
    camille = team.advisors["Camille"]
    case_id, _same, _changes = camille.cases.create(NewCase(first_name="Léo", last_name="Petit"))
    with pytest.raises(ValidationError) as refused:
        camille.team.share(case_id)
    assert "consent" in str(refused.value.args[0])


def test_a_name_already_taken_in_the_team_is_refused(team: Team, tmp_path: Path) -> None:
    other = _open(tmp_path, "Other")
    try:
        with pytest.raises(ValidationError):
            other.team.join("bruno", team.place, PASSPHRASE, team.password)
        with pytest.raises(ValidationError):
            other.team.join("Dana", team.place, "not the passphrase at all", team.password)
        assert not other.team.in_team()
        other.team.join("Dana", team.place, PASSPHRASE, team.password)
        assert other.settings.advisor_name == "Dana"  # one name, the team's and the cases'
    finally:
        other.close()


def test_unsharing_removes_the_others_copies_and_a_handover_changes_the_referent(
    team: Team,
) -> None:
    camille, bruno, chloe = (team.advisors[name] for name in NAMES)
    kept, unshared = _new_case(camille, "Zoé", "Müller"), _new_case(camille, "Léa", "Roux")
    for case_id in (kept, unshared):
        camille.team.share(case_id)
    for name in NAMES:
        team.sync(name)
    camille.team.handover(kept, "Bruno")
    camille.team.unshare(unshared)
    team.sync("Camille")
    team.sync("Bruno")
    team.sync("Chloé")
    assert not bruno.context.workspace.case_path(unshared).exists()
    assert not chloe.context.workspace.case_path(unshared).exists()
    assert camille.context.workspace.case_path(unshared).exists()
    assert chloe.cases.get(kept).advisor == "Bruno"


def test_an_erasure_reaches_every_member_and_their_backups(team: Team) -> None:
    camille, bruno, chloe = (team.advisors[name] for name in NAMES)
    case_id = _new_case(camille, "Zoé", "Müller")
    camille.team.share(case_id)
    for name in NAMES:
        team.sync(name)
    chloe.backups.back_up_now()
    assert chloe.backups.newest_holding(case_id) is not None
    bruno.privacy.erase(case_id)
    for name in ("Bruno", "Camille", "Chloé"):
        team.sync(name)
    for services in (camille, bruno, chloe):
        assert not services.context.workspace.case_path(case_id).exists()
        assert case_id not in {case.case_id for case in services.search.cases()}
    assert chloe.backups.newest_holding(case_id) is None


def test_the_access_export_of_a_shared_case_holds_every_members_changes(
    team: Team, tmp_path: Path
) -> None:
    camille, bruno, _chloe = (team.advisors[name] for name in NAMES)
    case_id = _new_case(camille, "Zoé", "Müller")
    camille.team.share(case_id)
    team.sync("Camille")
    team.sync("Bruno")
    bruno.cases.update_person(case_id, {"phone": "06 12 34 56 78"})
    team.sync("Bruno")
    team.sync("Camille")
    export = camille.privacy.access_export(case_id, tmp_path / "access")
    document = json.loads(export.json.read_text("utf-8"))
    fields = document["tables"]["team_field"]
    phone = [row for row in fields if (row["tbl"], row["col"]) == ("person", "phone")]
    assert [(row["author"], json.loads(row["value"])) for row in phone] == [
        ("Bruno", "06 12 34 56 78")
    ]
    assert any(row["author"] == "Camille" for row in fields)
    assert any(
        entry["advisor"] == "Bruno" and entry["action"] == "team_changes"
        for entry in document["tables"]["history"]
    )


def test_an_anonymised_case_keeps_no_old_value_for_the_team(team: Team) -> None:
    camille, bruno, _chloe = (team.advisors[name] for name in NAMES)
    shared, alone = _new_case(camille, "Zoé", "Müller"), _new_case(camille, "Léa", "Roux")
    camille.team.share(shared)
    camille.team.share(alone)
    camille.team.unshare(alone)
    for case_id in (shared, alone):
        camille.privacy.anonymise(case_id)
    for case_id in (shared, alone):
        path = camille.context.workspace.case_path(case_id)
        with closing(sqlite3.connect(path)) as connection:
            kept = " ".join(
                str(value)
                for (value,) in connection.execute(
                    "SELECT value FROM team_field UNION ALL SELECT value FROM team_outgoing"
                )
            )
        assert "Müller" not in kept and "Roux" not in kept
    team.sync("Camille")
    team.sync("Bruno")
    assert bruno.cases.get(shared).person.last_name == camille.cases.get(shared).person.last_name


def test_a_removed_member_opens_nothing_written_after_the_new_passphrase(team: Team) -> None:
    camille, bruno, chloe = (team.advisors[name] for name in NAMES)
    team.sync("Camille")  # the members are known from the team folder
    assert [m.name for m in camille.team.members()] == ["Bruno", "Camille", "Chloé"]
    camille.team.remove_member("Chloé")
    team.sync("Camille")
    camille.team.rekey("un nouveau secret convenu ensemble", team.password)
    bruno.team.rekey("un nouveau secret convenu ensemble", team.password)
    case_id = _new_case(camille, "Zoé", "Müller")
    camille.team.share(case_id)
    team.sync("Camille")
    assert case_id in team.sync("Bruno").cases_in
    report = team.sync("Chloé")
    assert report.key_missing
    assert not chloe.context.workspace.case_path(case_id).exists()
    with pytest.raises(AdvisorError):  # the new passphrase is set: guessing it fails
        chloe.team.rekey("a different one, not agreed", team.password)


def test_a_change_for_a_case_this_workspace_does_not_share_is_not_taken_in(team: Team) -> None:
    camille, bruno, _chloe = (team.advisors[name] for name in NAMES)
    case_id = _new_case(camille, "Zoé", "Müller")
    camille.team.share(case_id)
    team.sync("Camille")
    team.sync("Bruno")
    camille.team.unshare(case_id)  # Camille is its référent: her case stays, unshared
    bruno.cases.update_person(case_id, {"phone": "06 00 00 00 00"})  # before he knew
    team.sync("Bruno")
    team.sync("Camille")
    assert camille.cases.get(case_id).person.phone == ""
    team.sync("Bruno")
    assert not bruno.context.workspace.case_path(case_id).exists()
