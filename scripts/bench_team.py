"""Team figures (issue 16): syncs through a real WebDAV server beside bare references.

A scratch folder of .bench/ holds a wsgidav server (on cheroot, in a thread, 127.0.0.1) and
the workspaces. Camille creates the team and shares SHARED cases; the other members'
files are written as a member's Boussole writes them (`team_seal`: the same key, sealed
batches), without a workspace each, so that a team of 30 or a team folder of 10,000 shared
cases is made in seconds. Three figures, each beside its bare reference measured in the
same run:

- a sync with nothing new for a team of MEMBERS members (median of 5), beside one PROPFIND
  Depth 1 of the team folder and of each member's folders over one kept-alive connection;
- applying INCOMING changes that a member sent on Camille's shared cases (median of 3
  batches: phone numbers, sectors, notes), beside the raw decrypt of the same batch;
- a new member joining a team that shares JOINED cases (one run: scrypt, the listing, the
  download, the decrypt and the writing of every case file and its index line), beside the
  raw decrypt of all its batches. The cases are copies of one real shared case (every
  field of every row, as `team share` records them) with ids of their own.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from bench_core import BENCH_DIR, Figure, say, table, timed
from bench_exchange import PASSWORD, USER, DavServer

from advisor_app.exchange import team_seal
from advisor_app.services import NewCase, Services
from advisor_app.services.team import TeamPlace
from advisor_app.storage.team_changes import Change, outgoing
from advisor_app.storage.team_state_models import TeamKeyRow, TeamRow

MEMBERS = 30
SHARED = 500
INCOMING = 10_000
JOINED = 10_000
PASSPHRASE = "une phrase de passe de banc d'essai"
BATCH = 20_000  # changes per synthetic batch, as the sync seals them


def _team_key(services: Services) -> tuple[TeamRow, bytes]:
    with services.context.workspace.catalog.read() as catalog:
        team = catalog.query(TeamRow).one()
        key = catalog.get(TeamKeyRow, team.generation)
        assert key is not None
        catalog.expunge(team)
        return team, key.key


class Member:
    """A member of the team written without a workspace: its key, member file and batches."""

    def __init__(self, root: Path, team: TeamRow, key: bytes, name: str) -> None:
        self.root, self.team, self.key, self.name = root, team, key, name
        self.id = uuid.uuid4().hex[:12]
        self.seq = 0
        salt = base64.b64decode(team.salt)
        self._write(
            team_seal.key_path(self.id),
            team_seal.key_file(team_seal.key_document(team.id, team.generation, salt, key)),
        )
        member = {
            "format": "boussole-team-member",
            "version": 1,
            "team": team.id,
            "member": self.id,
            "name": name,
            "removed": [],
        }
        self._seal(team_seal.member_path(self.id), member)

    def _write(self, path: str, data: bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _seal(self, path: str, document: dict[str, Any]) -> None:
        self._write(path, team_seal.seal(self.key, self.team.generation, path, document))

    def send(self, changes: list[dict[str, Any]]) -> list[str]:
        """Batches of BATCH changes; their paths."""
        paths = []
        for start in range(0, max(len(changes), 1), BATCH):
            self.seq += 1
            path = team_seal.batch_path(self.id, self.seq)
            self._seal(
                path,
                {
                    "format": "boussole-team-batch",
                    "version": 1,
                    "team": self.team.id,
                    "member": self.id,
                    "seq": self.seq,
                    "changes": changes[start : start + BATCH],
                },
            )
            paths.append(path)
        return paths


def _stamp(number: int, member: str) -> str:
    return f"{1_900_000_000_000 + number:013d}.0000.{member}"


def _incoming(member: Member, cases: list[tuple[str, str]], count: int, round_: int) -> list[Any]:
    """`count` changes over the cases: a phone, a sector and notes (three fields each)."""
    made: list[dict[str, Any]] = []
    number = round_ * 1_000_000
    while len(made) < count:
        for case_id, person_id in cases:
            number += 1
            stamp = _stamp(number, member.id)
            base = {"case": case_id, "stamp": stamp, "by": member.name}
            made.append(
                {
                    **base,
                    "table": "person",
                    "row": person_id,
                    "column": "phone",
                    "value": f"05 55 {number % 100:02d} {number % 97:02d} 00",
                }
            )
            note = str(uuid.uuid4())
            for column, value in (
                ("id", note),
                ("written_at", "2026-11-25T10:00:00"),
                ("text", f"Note {number} from {member.name}"),
            ):
                made.append(
                    {**base, "table": "note", "row": note, "column": column, "value": value}
                )
            if len(made) >= count:
                break
    return made[:count]


def _person_id(services: Services, case_id: str) -> str:
    from sqlalchemy import select

    from advisor_app.storage.case_models import Person

    with services.context.workspace.reading(case_id) as session:
        return str(session.scalars(select(Person.id)).one())


def _template(services: Services, case_id: str) -> list[Change]:
    with services.context.workspace.reading(case_id) as session:
        return outgoing(session, case_id)[0]


def _copies(template: list[Change], count: int, member: Member) -> list[dict[str, Any]]:
    """`count` shared cases like the template's, each with ids of its own."""
    made: list[dict[str, Any]] = []
    old_case = template[0].case
    rows = sorted({c.row for c in template} - {old_case})
    for number in range(count):
        case_id = str(uuid.uuid4())
        ids = {old_case: case_id, **{row: str(uuid.uuid4()) for row in rows}}
        stamp = _stamp(number, member.id)
        for change in template:
            value = change.value
            if change.column == "id" or (isinstance(value, str) and value in ids):
                value = ids.get(value, value) if isinstance(value, str) else value
            if change.table == "case_info" and change.column == "advisor":
                value = member.name
            made.append(
                {
                    "case": case_id,
                    "table": change.table,
                    "row": ids.get(change.row, change.row),
                    "column": change.column,
                    "value": value,
                    "stamp": stamp,
                    "by": member.name,
                }
            )
    return made


def _propfinds(port: int, paths: list[str]) -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
        b"<d:resourcetype/><d:getetag/></d:prop></d:propfind>"
    )
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for path in paths:
            connection.request(
                "PROPFIND",
                path,
                body,
                {"Depth": "1", "Authorization": f"Basic {auth}", "Content-Type": "application/xml"},
            )
            answer = connection.getresponse()
            answer.read()
            assert answer.status in (207, 404), answer.status
    finally:
        connection.close()


def _open_all(root: Path, paths: list[str], key: bytes, generation: int) -> None:
    for path in paths:
        team_seal.open_sealed({generation: key}, path, (root / path).read_bytes())


def bench_team(figures: list[Figure], *, joined: int = JOINED) -> list[str]:
    BENCH_DIR.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="team-", dir=BENCH_DIR))
    notes: list[str] = []
    try:
        served = scratch / "served"
        (served / "team").mkdir(parents=True)
        with DavServer(served) as server:
            place = TeamPlace("webdav", server.url("team"), USER)
            camille = Services.open(scratch / "camille")
            try:
                camille.settings.set("advisor_name", "Camille")
                camille.team.create("Banc d'essai", "Camille", place, PASSPHRASE, PASSWORD)
                team, key = _team_key(camille)
                say(f"    sharing {SHARED} cases...")
                cases: list[tuple[str, str]] = []
                for number in range(SHARED):
                    case_id, _same, _changes = camille.cases.create(
                        NewCase(
                            first_name="Zoé",
                            last_name=f"Müller {number}",
                            commune="Felletin",
                            project_title="Épicerie vrac",
                            processing_consent_how="form",
                        )
                    )
                    camille.team.share(case_id)
                    cases.append((case_id, _person_id(camille, case_id)))
                template = _template(camille, cases[0][0])
                camille.team.sync()
                members = [
                    Member(served / "team", team, key, f"Membre {n}") for n in range(MEMBERS - 1)
                ]
                for member in members:
                    member.send(_incoming(member, cases[:5], 30, 0))
                camille.team.sync()

                say("    a sync with nothing new...")
                idle = [timed(camille.team.sync) for _ in range(5)]
                folders = ["/dav/team/"] + [
                    f"/dav/team/{m}/{k}"
                    for m in [team.member_id, *(x.id for x in members)]
                    for k in ("", "changes/")
                ]
                bare = [timed(lambda: _propfinds(server.port, folders)) for _ in range(5)]
                figures.append(
                    Figure(
                        f"team: sync with nothing new, {MEMBERS} members",
                        idle,
                        budget=1.0,
                        reference_name=f"{len(folders)} bare PROPFIND",
                        reference=bare,
                    )
                )

                say(f"    applying {INCOMING:,} incoming changes...")
                applied, decrypted = [], []
                for round_ in range(1, 4):
                    paths = members[0].send(_incoming(members[0], cases, INCOMING, round_))
                    decrypted.append(
                        timed(partial(_open_all, served / "team", paths, key, team.generation))
                    )
                    start = time.perf_counter()
                    report = camille.team.sync()
                    applied.append(time.perf_counter() - start)
                    assert report.changes_in == INCOMING and not report.refused, report.as_json()
                figures.append(
                    Figure(
                        f"team: apply {INCOMING:,} incoming changes",
                        applied,
                        budget=5.0,
                        reference_name="raw decrypt of the batch",
                        reference=decrypted,
                    )
                )
            finally:
                camille.close()

            say(f"    a team folder sharing {joined:,} cases...")
            archive = Member(served / "team", team, key, "Archive")
            paths = archive.send(_copies(template, joined, archive))
            reference = timed(lambda: _open_all(served / "team", paths, key, team.generation))
            newcomer = Services.open(scratch / "newcomer")
            try:
                start = time.perf_counter()
                report = newcomer.team.join("Nouvelle", place, PASSPHRASE, PASSWORD)
                seconds = time.perf_counter() - start
                assert len(report.cases_in) >= joined and not report.refused, report.as_json()
            finally:
                newcomer.close()
            figures.append(
                Figure(
                    f"team: join a team sharing {joined:,} cases",
                    [seconds],
                    budget=120.0,
                    reference_name="raw decrypt of its batches",
                    reference=[reference],
                )
            )
            notes.append(f"team: {server.seen()}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--joined", type=int, default=JOINED, help="cases of the joined team")
    args = parser.parse_args(argv)
    random.seed(1)
    found: list[Figure] = []
    say("Team through a WebDAV server (scratch workspaces)...")
    extra = bench_team(found, joined=args.joined)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, team ({platform.node()})")
    print(table(found, extra))
    return 0


if __name__ == "__main__":  # on its own: python scripts/bench_team.py [--joined N]
    sys.exit(main())
