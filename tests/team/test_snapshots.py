"""Snapshots: a member who joins late starts from the snapshots of the shared cases and
applies only the later batches; the batches every member's snapshots cover are removed;
an erased case's snapshots go too. Through a synced folder and sabre/dav."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor_app.services import NewCase, Services, team_sync
from advisor_app.services.team import TeamPlace
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.team.shown import shown
from tests.webdav_servers import team_server as running

PASSPHRASE = "la rivière coule sous le pont de Felletin"


@pytest.fixture(params=("folder", "sabredav"))
def place(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[TeamPlace, str | None, Path]]:
    """The team folder (its place, the password, and where its files land on disk)."""
    if request.param == "folder":
        root = tmp_path / "synced" / "team"
        yield TeamPlace("folder", str(root)), None, root
        return
    with running("sabredav", tmp_path / "served") as server:
        url, user, password, root = server
        yield TeamPlace("webdav", url, user), password, root


def _advisor(tmp_path: Path, name: str) -> Services:
    services = Services(Workspace.open(tmp_path / name.lower()), clock=fixed_clock)
    services.settings.set("advisor_name", name)
    return services


def _batches(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.glob("*/changes/*")
        if path.is_file() and not path.name.startswith(".")
    )


def test_a_late_member_starts_from_the_snapshots_and_old_batches_are_compacted(
    place: tuple[TeamPlace, str | None, Path], tmp_path: Path
) -> None:
    team_place, password, root = place
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    chloe = _advisor(tmp_path, "Chloé")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE, password)
        bruno.team.join("Bruno", team_place, PASSPHRASE, password)
        cases = []
        for last in ("Müller", "Roux", "Petit"):
            case_id, _same, _changes = camille.cases.create(
                NewCase(first_name="Zoé", last_name=last, processing_consent_how="form")
            )
            camille.team.share(case_id)
            cases.append(case_id)
        camille.team.sync(password)
        bruno.team.sync(password)
        bruno.cases.update_person(cases[0], {"phone": "06 12 34 56 78"})
        bruno.team.sync(password)
        camille.team.sync(password)
        camille.privacy.erase(cases[2])
        camille.team.sync(password)
        bruno.team.sync(password)
        assert len(_batches(root)) == 3  # Camille: the sharing, the erasure; Bruno: a phone

        # both publish their snapshots: every batch is then covered by both manifests
        first = camille.team.sync(password, snapshots=True)
        assert first.snapshots_out == 2  # the erased case has none
        bruno.team.sync(password, snapshots=True)
        camille.team.sync(password, snapshots=True)
        assert _batches(root) == []  # each removed its own, covered everywhere
        snapshots = sorted(p.name for p in root.glob("*/snapshots/*") if p.is_file())
        assert cases[2] not in snapshots
        assert snapshots.count("manifest") == 2

        bruno.privacy.erase(cases[1])  # Bruno erases; its snapshots go at the next syncs
        bruno.team.sync(password)
        camille.team.sync(password)
        assert not list(root.glob(f"*/snapshots/{cases[1]}"))
        case_id, _same, _changes = camille.cases.create(
            NewCase(first_name="Léa", last_name="Roux", processing_consent_how="form")
        )
        camille.team.share(case_id)
        cases[1] = case_id
        camille.cases.update_project(cases[1], {"sector": "vrac"})  # after the snapshots
        camille.team.sync(password)
        report = chloe.team.join("Chloé", team_place, PASSPHRASE, password)
        assert report.from_snapshots
        assert set(report.cases_in) == {cases[0], cases[1]}
        bruno.team.sync(password)
        for case_id in cases[:2]:
            assert shown(chloe, case_id) == shown(camille, case_id) == shown(bruno, case_id)
        assert chloe.cases.get(cases[0]).person.phone == "06 12 34 56 78"
        assert chloe.cases.get(cases[1]).project.sector == "vrac"
        assert not chloe.context.workspace.case_path(cases[2]).exists()
    finally:
        for services in (camille, bruno, chloe):
            services.close()


def test_a_tampered_snapshot_is_refused_and_every_batch_is_taken_in_instead(
    tmp_path: Path,
) -> None:
    root = tmp_path / "team"
    team_place = TeamPlace("folder", str(root))
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    chloe = _advisor(tmp_path, "Chloé")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE)
        bruno.team.join("Bruno", team_place, PASSPHRASE)
        case_id, _same, _changes = camille.cases.create(
            NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="form")
        )
        camille.team.share(case_id)
        camille.team.sync(snapshots=True)  # Bruno has published none: her batch stays
        assert len(_batches(root)) == 1
        [snapshot] = root.glob(f"*/snapshots/{case_id}")
        data = bytearray(snapshot.read_bytes())
        data[-5] ^= 0xFF
        snapshot.write_bytes(bytes(data))
        report = chloe.team.join("Chloé", team_place, PASSPHRASE)
        assert not report.from_snapshots
        assert len(report.refused) == 1 and "snapshots" in report.refused[0]
        assert case_id in report.cases_in
        assert shown(chloe, case_id) == shown(camille, case_id)
    finally:
        for services in (camille, bruno, chloe):
            services.close()


def test_a_batch_that_arrives_before_the_one_it_follows_waits_for_it(tmp_path: Path) -> None:
    """A synced folder may bring a member's batch 3 before batch 2."""
    root = tmp_path / "team"
    team_place = TeamPlace("folder", str(root))
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE)
        bruno.team.join("Bruno", team_place, PASSPHRASE)
        case_id, _same, _changes = camille.cases.create(
            NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="form")
        )
        camille.team.share(case_id)
        camille.team.sync()
        for phone in ("05 55 00 00 02", "05 55 00 00 03"):
            camille.cases.update_person(case_id, {"phone": phone})
            camille.team.sync()
        [second] = root.glob("*/changes/000000000002")
        held = tmp_path / "in transit"
        second.rename(held)
        report = bruno.team.sync()
        assert report.batches_in == 1  # the first; the third waits for the second
        assert bruno.cases.get(case_id).person.phone == ""
        held.rename(second)
        report = bruno.team.sync()
        assert report.batches_in == 2
        assert shown(bruno, case_id) == shown(camille, case_id)
    finally:
        camille.close()
        bruno.close()


def test_two_members_who_rekey_at_once_with_the_agreed_passphrase_get_the_same_key(
    tmp_path: Path,
) -> None:
    team_place = TeamPlace("folder", str(tmp_path / "team"))
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE)
        bruno.team.join("Bruno", team_place, PASSPHRASE)
        agreed = "une nouvelle phrase convenue ensemble"
        # the salt of generation 2 is the same for both, whoever re-keys first
        assert camille.team.rekey(agreed) == bruno.team.rekey(agreed) == 2
        case_id, _same, _changes = camille.cases.create(
            NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="form")
        )
        camille.team.share(case_id)
        camille.team.sync()
        report = bruno.team.sync()
        assert report.refused == [] and not report.key_missing
        assert case_id in report.cases_in
    finally:
        camille.close()
        bruno.close()


def test_an_edit_read_before_the_case_it_edits_waits_aside_and_blocks_nothing(
    tmp_path: Path,
) -> None:
    """Chloé's sync finds Bruno's edit of a case before Camille's batch that shares it (a
    synced folder brought Bruno's first): the edit waits aside, Bruno's later batches are
    taken in, and the case is whole once Camille's batch comes."""
    root = tmp_path / "team"
    team_place = TeamPlace("folder", str(root))
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    chloe = _advisor(tmp_path, "Chloé")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE)
        bruno.team.join("Bruno", team_place, PASSPHRASE)
        chloe.team.join("Chloé", team_place, PASSPHRASE)
        case_id, _same, _changes = camille.cases.create(
            NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="form")
        )
        camille.team.share(case_id)
        camille.team.sync()
        bruno.team.sync()
        bruno.cases.update_person(case_id, {"phone": "06 12 34 56 78"})
        bruno.team.sync()
        other, _same, _changes = bruno.cases.create(
            NewCase(first_name="Léa", last_name="Roux", processing_consent_how="form")
        )
        bruno.team.share(other)
        bruno.team.sync()

        held = tmp_path / "in transit"
        shared_by_camille = [
            p for p in root.glob("*/changes/*") if p.parent.parent.name == _member_id(camille)
        ]
        [sharing] = shared_by_camille
        sharing.rename(held)
        report = chloe.team.sync()
        assert report.batches_in == 2  # Bruno's two: his edit waits aside, his case is made
        assert other in report.cases_in and case_id not in report.cases_in
        held.rename(sharing)
        report = chloe.team.sync()
        assert case_id in report.cases_in
        assert chloe.cases.get(case_id).person.phone == "06 12 34 56 78"
        assert shown(chloe, case_id) == shown(bruno, case_id)
    finally:
        for services in (camille, bruno, chloe):
            services.close()


def _member_id(services: Services) -> str:
    status = services.team.status()
    assert status is not None
    [me] = [member for member in status.members if member.me]
    return me.member_id


def test_a_shared_case_deleted_here_takes_no_more_changes_and_blocks_nothing(
    tmp_path: Path,
) -> None:
    team_place = TeamPlace("folder", str(tmp_path / "team"))
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE)
        bruno.team.join("Bruno", team_place, PASSPHRASE)
        first, _same, _changes = camille.cases.create(
            NewCase(first_name="Zoé", last_name="Müller", processing_consent_how="form")
        )
        camille.team.share(first)
        camille.team.sync()
        bruno.team.sync()
        bruno.cases.move_to_bin(first)
        bruno.cases.empty_bin()
        camille.cases.update_person(first, {"phone": "05 55 00 00 01"})
        second, _same, _changes = camille.cases.create(
            NewCase(first_name="Léa", last_name="Roux", processing_consent_how="form")
        )
        camille.team.share(second)
        camille.team.sync()
        report = bruno.team.sync()
        assert report.cases_in == {second}
        assert not bruno.context.workspace.case_path(first).exists()
    finally:
        camille.close()
        bruno.close()


def test_a_sync_sends_everything_waiting_in_as_many_batches_as_it_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(team_sync, "BATCH_CHANGES", 200)  # a shared case is ~150 changes
    team_place = TeamPlace("folder", str(tmp_path / "team"))
    camille, bruno = _advisor(tmp_path, "Camille"), _advisor(tmp_path, "Bruno")
    try:
        camille.team.create("Oser autrement", "Camille", team_place, PASSPHRASE)
        bruno.team.join("Bruno", team_place, PASSPHRASE)
        cases = []
        for last in ("Müller", "Roux", "Petit"):
            case_id, _same, _changes = camille.cases.create(
                NewCase(first_name="Zoé", last_name=last, processing_consent_how="form")
            )
            camille.team.share(case_id)
            cases.append(case_id)
        report = camille.team.sync()
        assert report.batches_out == 3 and report.waiting == 0
        assert bruno.team.sync().cases_in == set(cases)
    finally:
        camille.close()
        bruno.close()
