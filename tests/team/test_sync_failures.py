"""A sync that fails leaves the workspace whole and the next one completes: a server killed
mid-sync, a wrong password, a tampered batch. Against wsgidav and sabre/dav."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor_app.domain.errors import AdvisorError
from advisor_app.services import NewCase, Services
from advisor_app.services.team import TeamPlace
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.webdav_servers import KINDS, TeamServer
from tests.webdav_servers import team_server as running

PASSPHRASE = "la rivière coule sous le pont de Felletin"


@pytest.fixture(params=KINDS)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TeamServer]:
    with running(request.param, tmp_path / "served") as server:
        yield server


@pytest.fixture
def pair(tmp_path: Path, served: TeamServer) -> Iterator[tuple[Services, Services, TeamPlace]]:
    """Camille and Bruno in one team on the server."""
    url, user, password, _root = served
    place = TeamPlace("webdav", url, user)
    camille = Services(Workspace.open(tmp_path / "camille"), clock=fixed_clock)
    bruno = Services(Workspace.open(tmp_path / "bruno"), clock=fixed_clock)
    camille.settings.set("advisor_name", "Camille")
    bruno.settings.set("advisor_name", "Bruno")
    camille.team.create("Oser autrement", "Camille", place, PASSPHRASE, password)
    bruno.team.join("Bruno", place, PASSPHRASE, password)
    yield camille, bruno, place
    camille.close()
    bruno.close()


def _shared_case(services: Services, last_name: str) -> str:
    case_id, _same, _changes = services.cases.create(
        NewCase(first_name="Zoé", last_name=last_name, processing_consent_how="signed form")
    )
    services.team.share(case_id)
    return case_id


def _history(services: Services, case_id: str) -> list[str]:
    return [entry.action for entry in services.cases.get(case_id).history]


def test_a_server_killed_mid_sync_loses_nothing_and_applies_nothing_twice(
    pair: tuple[Services, Services, TeamPlace], served: TeamServer
) -> None:
    camille, bruno, _place = pair
    first, second = _shared_case(camille, "Müller"), _shared_case(camille, "Roux")
    camille.team.sync()
    bruno.cases  # noqa: B018 - built before the server stops
    bruno_own = _shared_case(bruno, "Petit")

    def stop_after_the_first_case(done: int, _total: int) -> None:
        if done == 1:
            served.stop()

    with pytest.raises(AdvisorError):
        bruno.team.sync(progress=stop_after_the_first_case)
    served.start()
    status = bruno.team.status()
    assert status is not None and status.waiting_batches + status.waiting_cases >= 1

    report = bruno.team.sync()
    assert report.refused == []
    camille_report = camille.team.sync()
    assert bruno_own in camille_report.cases_in
    for case_id in (first, second):
        assert _history(bruno, case_id).count("team_received") == 1
        assert bruno.cases.get(case_id).person.last_name in ("Müller", "Roux")
    assert camille.cases.get(bruno_own).person.last_name == "Petit"
    again = bruno.team.sync()
    assert (again.batches_in, again.changes_in, again.batches_out) == (0, 0, 0)


def test_a_stopped_server_or_a_wrong_password_is_said_and_changes_nothing(
    pair: tuple[Services, Services, TeamPlace], served: TeamServer
) -> None:
    camille, bruno, _place = pair
    case_id = _shared_case(camille, "Müller")
    served.stop()
    with pytest.raises(AdvisorError) as unreachable:
        camille.team.sync()
    assert str(unreachable.value)
    served.start()
    with pytest.raises(AdvisorError):
        camille.team.sync(password="not the password")
    assert bruno.search.cases() == []
    camille.team.sync()
    assert case_id in bruno.team.sync().cases_in


def test_a_tampered_batch_is_refused_whole_and_the_workspace_is_unchanged(
    pair: tuple[Services, Services, TeamPlace], served: TeamServer
) -> None:
    camille, bruno, _place = pair
    _shared_case(camille, "Müller")
    camille.team.sync()
    _url, _user, _password, root = served
    [batch] = [path for path in root.rglob("changes/000000000001") if path.is_file()]
    data = bytearray(batch.read_bytes())
    data[-20] ^= 0x01
    batch.write_bytes(bytes(data))

    report = bruno.team.sync()
    assert len(report.refused) == 1 and "changes/000000000001" in report.refused[0]
    assert report.cases_in == set()
    assert bruno.search.cases() == []
    status = bruno.team.status()
    assert status is not None and status.last_sync["refused"] == report.refused


def test_a_full_server_is_said_and_the_next_sync_sends_what_waited(
    pair: tuple[Services, Services, TeamPlace], served: TeamServer
) -> None:
    camille, bruno, _place = pair
    case_id = _shared_case(camille, "Müller")
    served.quota = 100  # bytes: the batch does not fit
    with pytest.raises(AdvisorError) as full:
        camille.team.sync()
    assert "full" in str(full.value).lower() or "space" in str(full.value).lower()
    status = camille.team.status()
    assert status is not None and status.waiting_batches == 1
    served.quota = None
    assert camille.team.sync().batches_out == 1
    assert case_id in bruno.team.sync().cases_in
