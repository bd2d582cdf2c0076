"""Team mode: the advisors of one association share cases through a team folder
(DESIGN section 9, docs/ARCHITECTURE.md section "Team mode").

This service sets the team up (create, join, members, passphrase), shares and hands over
cases, and syncs: it lists each member's folder, applies their new batches field by field
(storage/team_changes.py), then sends this workspace's own changes as one sealed batch.
Nothing of a batch is applied unless the whole batch opens and validates.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select

from advisor_app.domain import validation
from advisor_app.domain.enums import ConsentScope
from advisor_app.domain.errors import AdvisorError, NotFoundError, ValidationError
from advisor_app.domain.hlc import HybridClock
from advisor_app.domain.messages import N_
from advisor_app.exchange import team_seal
from advisor_app.exchange.errors import TeamFileMissing, TeamFileRefused, TeamKeyMissing
from advisor_app.exchange.team_folder import FolderTeamStore, TeamStore, WebDavTeamStore
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.partners import PasswordStore
from advisor_app.services.settings import SettingsService
from advisor_app.services.team_sync import SyncProgress, SyncReport, TeamSync, outgoing_files
from advisor_app.storage.case_models import CaseInfo, Consent
from advisor_app.storage.team_changes import (
    is_shared,
    record_whole_case,
)
from advisor_app.storage.team_models import TeamSharing
from advisor_app.storage.team_state_models import (
    TeamDirtyRow,
    TeamEventRow,
    TeamGoneRow,
    TeamKeyRow,
    TeamMemberRow,
    TeamRow,
)

if TYPE_CHECKING:
    from advisor_app.storage.workspace import Workspace


@dataclass(frozen=True)
class TeamPlace:
    """Where the team folder is: a WebDAV address (with its user) or a synced folder."""

    transport: str  # "webdav" or "folder"
    location: str
    user: str = ""


@dataclass(frozen=True)
class TeamMember:
    member_id: str
    name: str
    removed: bool
    applied: int
    me: bool


@dataclass(frozen=True)
class TeamStatus:
    name: str
    member_name: str
    destination: str
    place: TeamPlace
    generation: int
    members: list[TeamMember]
    shared_cases: int
    waiting_cases: int
    waiting_batches: int
    last_sync_at: datetime | None
    last_sync: dict[str, Any]


@dataclass(frozen=True)
class CaseSharing:
    """What a case's header needs of the team: whether the case is shared, and the names of
    the members it could be handed over to (those not removed)."""

    shared: bool
    members: list[str]
    me: str


class TeamService:
    def __init__(
        self,
        context: ServiceContext,
        settings: SettingsService,
        erase: Callable[[str], Changes],
    ) -> None:
        self.context = context
        self.settings = settings
        self._erase = erase
        self._receiving = False
        self.passwords = PasswordStore()

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    # -- the team of this workspace -------------------------------------------------------

    def _team(self) -> TeamRow | None:
        with self.workspace.catalog.read() as catalog:
            row = catalog.scalars(select(TeamRow)).one_or_none()
            if row is not None:
                catalog.expunge(row)
            return row

    def _needed(self) -> TeamRow:
        team = self._team()
        if team is None:
            raise AdvisorError(
                N_("This workspace belongs to no team."),
                N_("Create one, or join your association's, on the Team page."),
            )
        return team

    def in_team(self) -> bool:
        return self._team() is not None

    def place(self) -> TeamPlace | None:
        """Where this workspace's team folder is (None without a team)."""
        row = self._team()
        return None if row is None else TeamPlace(row.transport, row.location, row.user)

    def case_sharing(self, case_id: str) -> CaseSharing | None:
        """What a case's header needs of the team (None when the workspace is in none)."""
        row = self._team()
        if row is None:
            return None
        names = [member.name for member in self.members() if not member.removed]
        return CaseSharing(self.is_shared(case_id), names, row.member_name)

    def _keys(self) -> dict[int, bytes]:
        with self.workspace.catalog.read() as catalog:
            return {row.generation: row.key for row in catalog.scalars(select(TeamKeyRow))}

    def _store(self, team: TeamRow | TeamPlace, password: str | None = None) -> TeamStore:
        if team.transport == "folder":
            return FolderTeamStore(Path(team.location))
        secret = password if password is not None else self.passwords.lookup(_Place(team))
        if secret is None:
            raise AdvisorError(
                N_("The password of the team folder is not known on this computer."),
                N_("Give it with --password-file, or enter it on the Team page."),
            )
        return WebDavTeamStore(team.location, team.user, secret)

    def remember_password(self, place: TeamPlace, password: str) -> bool:
        return self.passwords.remember(_Place(place), password)

    # -- create and join -----------------------------------------------------------------

    def create(
        self,
        name: str,
        member_name: str,
        place: TeamPlace,
        passphrase: str,
        password: str | None = None,
    ) -> Changes:
        """Make a new team folder and this workspace its first member."""
        self._refuse_second_team()
        name = validation.check_required("team_name", name)
        member_name = validation.check_required("member_name", member_name)
        _check_passphrase(passphrase)
        if password is not None:
            self.remember_password(place, password)
        if place.transport == "folder":
            Path(place.location).mkdir(parents=True, exist_ok=True)
        store = self._store(place, password)
        try:
            if store.member_folders():
                raise AdvisorError(
                    N_("The folder {destination} already holds a team."),
                    N_("Join it with its passphrase, or choose an empty folder."),
                    destination=store.destination,
                )
            salt = team_seal.new_salt()
            key = team_seal.derive_key(passphrase, salt)
            team_id = secrets.token_hex(8)
            member_id = secrets.token_hex(6)
            self._publish_member(
                store, team_id, member_id, member_name, 1, salt, key, team_name=name
            )
        finally:
            store.close()
        self._save_team(team_id, name, member_id, member_name, place, 1, salt, key)
        return Changes(settings=True, case_list=True)

    def join(
        self,
        member_name: str,
        place: TeamPlace,
        passphrase: str,
        password: str | None = None,
        progress: SyncProgress | None = None,
    ) -> SyncReport:
        """Join the team whose folder is at `place`, then take in its shared cases."""
        self._refuse_second_team()
        member_name = validation.check_required("member_name", member_name)
        if password is not None:
            self.remember_password(place, password)
        store = self._store(place, password)
        try:
            descriptor = _newest_key_file(store)
            if descriptor is None:
                raise AdvisorError(
                    N_("There is no team in {destination}."),
                    N_("Check the address, or create the team there."),
                    destination=store.destination,
                )
            salt, check = team_seal.key_salt_and_check(descriptor)
            generation = int(descriptor["generation"])
            key = team_seal.derive_key(passphrase, salt)
            if not team_seal.key_matches(key, check):
                raise ValidationError(
                    "team_passphrase",
                    N_("This is not the team's passphrase."),
                    N_("Ask a member of the team for the passphrase agreed in person."),
                )
            team_id = str(descriptor["team"])
            names, team_name = _members_and_team_name(store, team_id, {generation: key})
            if member_name.casefold() in names:
                raise ValidationError(
                    "member_name",
                    N_("The name {name} is already taken in this team."),
                    N_("Choose another name, for example with your first name's initial."),
                    name=member_name,
                )
            member_id = secrets.token_hex(6)
            self._publish_member(
                store,
                team_id,
                member_id,
                member_name,
                generation,
                salt,
                key,
                team_name=team_name,
            )
        finally:
            store.close()
        self._save_team(team_id, team_name, member_id, member_name, place, generation, salt, key)
        return self.sync(password=password, progress=progress, joining=True)

    def _refuse_second_team(self) -> None:
        if self._team() is not None:
            raise AdvisorError(
                N_("This workspace already belongs to a team."),
                N_("A workspace belongs to one team at most."),
            )

    def _publish_member(
        self,
        store: TeamStore,
        team_id: str,
        member_id: str,
        name: str,
        generation: int,
        salt: bytes,
        key: bytes,
        removed: Sequence[str] = (),
        team_name: str = "",
    ) -> None:
        """Write this member's two files: the key's salt and check (plain), and who writes
        in this folder and whom the team removed (sealed)."""
        descriptor = team_seal.key_document(team_id, generation, salt, key)
        store.write(team_seal.key_path(member_id), team_seal.key_file(descriptor), replace=True)
        member = team_seal.member_document(team_id, member_id, name, removed, team_name)
        path = team_seal.member_path(member_id)
        store.write(path, team_seal.seal(key, generation, path, member), replace=True)

    def _save_team(
        self,
        team_id: str,
        name: str,
        member_id: str,
        member_name: str,
        place: TeamPlace,
        generation: int,
        salt: bytes,
        key: bytes,
    ) -> None:
        now = self.context.now()
        with self.workspace.catalog.write() as catalog:
            catalog.add(
                TeamRow(
                    id=team_id,
                    name=name,
                    member_id=member_id,
                    member_name=member_name,
                    transport=place.transport,
                    location=place.location,
                    user=place.user,
                    generation=generation,
                    salt=base64.b64encode(salt).decode("ascii"),
                    next_batch=1,
                    last_stamp="",
                    joined_at=now,
                    last_sync="{}",
                )
            )
            catalog.add(TeamKeyRow(generation=generation, key=key))
            catalog.add(TeamMemberRow(member_id=member_id, name=member_name, applied=0))
        self.workspace.team_clock = HybridClock(member_id)
        # one name for the advisor: the référent of the cases they open, the name their
        # colleagues hand cases over to, and "mine" in the lists
        if self.settings.advisor_name != member_name:
            self.settings.set("advisor_name", member_name)

    # -- members and passphrase -----------------------------------------------------------

    def members(self) -> list[TeamMember]:
        team = self._needed()
        with self.workspace.catalog.read() as catalog:
            rows = catalog.scalars(select(TeamMemberRow).order_by(TeamMemberRow.name)).all()
            return [
                TeamMember(r.member_id, r.name, r.removed, r.applied, r.member_id == team.member_id)
                for r in rows
            ]

    def remove_member(self, name: str) -> Changes:
        """Stop taking in a member's changes, here and, at their next sync, everywhere."""
        team = self._needed()
        member = self._member_named(name)
        if member.member_id == team.member_id:
            raise ValidationError("member_name", N_("You cannot remove yourself from the team."))
        stamp = self._clock().tick()
        with self.workspace.catalog.write() as catalog:
            row = catalog.get(TeamMemberRow, member.member_id)
            if row is not None:
                row.removed = True
            catalog.add(TeamEventRow(stamp=stamp, kind="remove_member", target=member.member_id))
        return Changes(settings=True)

    def _member_named(self, name: str) -> TeamMember:
        for member in self.members():
            if member.name.casefold() == name.strip().casefold() and not member.removed:
                return member
        raise NotFoundError(N_("There is no member named {name} in the team."), name=name)

    def rekey(self, passphrase: str, password: str | None = None) -> int:
        """Take the new team passphrase agreed in person: batches written from now on are
        sealed with its key. The new generation's salt comes from the team and the
        generation, so members who re-key at the same moment get the same key; one who
        re-keys after another must give the same passphrase (checked against the newer key
        file found). Returns the key's generation."""
        team = self._needed()
        _check_passphrase(passphrase)
        store = self._store(team, password)
        try:
            newest = _newest_key_file(store)
            if newest is not None and int(newest["generation"]) > team.generation:
                generation = int(newest["generation"])
                salt, check = team_seal.key_salt_and_check(newest)
                key = team_seal.derive_key(passphrase, salt)
                if not team_seal.key_matches(key, check):
                    raise ValidationError(
                        "team_passphrase",
                        N_("This is not the new passphrase another member has already set."),
                        N_("Agree on the new passphrase with the team, then try again."),
                    )
            else:
                generation = team.generation + 1
                salt = _rekey_salt(team.id, generation)
                key = team_seal.derive_key(passphrase, salt)
            self._publish_member(
                store,
                team.id,
                team.member_id,
                team.member_name,
                generation,
                salt,
                key,
                self._removed_ids(),
                team_name=team.name,
            )
        finally:
            store.close()
        with self.workspace.catalog.write() as catalog:
            row = catalog.get(TeamRow, team.id)
            assert row is not None
            row.generation = generation
            row.salt = base64.b64encode(salt).decode("ascii")
            catalog.merge(TeamKeyRow(generation=generation, key=key))
        return generation

    def _removed_ids(self) -> list[str]:
        with self.workspace.catalog.read() as catalog:
            return list(
                catalog.scalars(
                    select(TeamMemberRow.member_id).where(TeamMemberRow.removed.is_(True))
                )
            )

    # -- sharing ---------------------------------------------------------------------------

    def _clock(self) -> HybridClock:
        clock = self.workspace.team_clock
        if clock is None:
            team = self._needed()
            clock = self.workspace.team_clock = HybridClock(team.member_id, team.last_stamp or None)
        return clock

    def is_shared(self, case_id: str) -> bool:
        with self.workspace.reading(case_id) as session:
            return is_shared(session)

    def share(self, case_id: str) -> Changes:
        """Share the case with the team: refused without the person's consent to the
        processing of their data (the association is one data controller)."""
        team = self._needed()
        today = self.context.today()
        with self.workspace.reading(case_id) as session:
            consents = session.scalars(
                select(Consent).where(Consent.scope == ConsentScope.PROCESSING.value)
            ).all()
            if not any(
                c.given_on <= today and (c.withdrawn_on is None or c.withdrawn_on > today)
                for c in consents
            ):
                raise ValidationError(
                    "consent",
                    N_(
                        "This person has not consented to the processing of their data: "
                        "the case cannot be shared with the team."
                    ),
                    N_("Record their consent first (Consents tab), then share the case."),
                )
            if is_shared(session):
                return Changes()
        clock = self._clock()
        with self.workspace.changing(
            case_id, "team_shared", team.name, team.member_name
        ) as session:
            sharing = session.get(TeamSharing, case_id)
            if sharing is None:
                session.add(
                    TeamSharing(
                        id=case_id, shared=True, shared_by=team.member_name, shared_on=today
                    )
                )
            else:
                sharing.shared, sharing.shared_by, sharing.shared_on = True, team.member_name, today
            session.flush()
            record_whole_case(session, case_id, clock.tick(), team.member_name)
            session.info["team_changes"] = 1
        with self.workspace.catalog.write() as catalog:
            catalog.execute(delete(TeamGoneRow).where(TeamGoneRow.case_id == case_id))
        return Changes.of_case(case_id)

    def unshare(self, case_id: str) -> Changes:
        """Stop sharing: the others' copies are removed at their next sync."""
        team = self._needed()
        self._shared_or_refuse(case_id)
        with self.workspace.changing(
            case_id, "team_unshared", team.name, team.member_name
        ) as session:
            sharing = session.get(TeamSharing, case_id)
            assert sharing is not None
            sharing.shared = False
        return Changes.of_case(case_id)

    def handover(self, case_id: str, to: str) -> Changes:
        """Make another member the case's référent."""
        team = self._needed()
        self._shared_or_refuse(case_id)
        member = self._member_named(to)
        with self.workspace.changing(
            case_id, "team_handover", member.name, team.member_name
        ) as session:
            info = session.scalars(select(CaseInfo)).one()
            info.advisor = member.name
        return Changes.of_case(case_id)

    def _shared_or_refuse(self, case_id: str) -> None:
        if not self.is_shared(case_id):
            raise ValidationError(
                "case",
                N_("This case is not shared with the team."),
                N_("Share it first: advisor-app team share CASE_ID."),
            )

    def forget_case(self, case_id: str) -> None:
        """A case erased here: the erasure reaches every member at their next sync."""
        if self._receiving or self._team() is None:
            return
        try:
            shared = self.is_shared(case_id)
        except AdvisorError:
            shared = False
        if not shared:
            return
        stamp = self._clock().tick()
        with self.workspace.catalog.write() as catalog:
            catalog.add(TeamEventRow(stamp=stamp, kind="erase", target=case_id))
            catalog.merge(TeamGoneRow(case_id=case_id, stamp=stamp, erased=True))
            catalog.execute(delete(TeamDirtyRow).where(TeamDirtyRow.case_id == case_id))

    def forget_deleted(self, case_id: str) -> None:
        """A case deleted for good here (the bin emptied): the team's later changes of it are
        not taken in, and nothing of it waits to leave."""
        if self._team() is None:
            return
        stamp = self._clock().tick()
        with self.workspace.catalog.write() as catalog:
            catalog.merge(TeamGoneRow(case_id=case_id, stamp=stamp, erased=False))
            catalog.execute(delete(TeamDirtyRow).where(TeamDirtyRow.case_id == case_id))

    # -- status ----------------------------------------------------------------------------

    def status(self) -> TeamStatus | None:
        team = self._team()
        if team is None:
            return None
        with self.workspace.catalog.read() as catalog:
            waiting = catalog.scalar(select(func.count()).select_from(TeamDirtyRow)) or 0
            waiting += catalog.scalar(select(func.count()).select_from(TeamEventRow)) or 0
        shared = self._shared_case_count()
        return TeamStatus(
            name=team.name,
            member_name=team.member_name,
            destination=team.location,
            place=TeamPlace(team.transport, team.location, team.user),
            generation=team.generation,
            members=self.members(),
            shared_cases=shared,
            waiting_cases=waiting,
            waiting_batches=len(outgoing_files(self.workspace)),
            last_sync_at=team.last_sync_at,
            last_sync=json.loads(team.last_sync or "{}"),
        )

    def _shared_case_count(self) -> int:
        with self.workspace.catalog.plain_read() as connection:
            return int(
                connection.execute("SELECT count(*) FROM case_index WHERE shared").fetchone()[0]
            )

    # -- sync ------------------------------------------------------------------------------

    def sync(
        self,
        password: str | None = None,
        progress: SyncProgress | None = None,
        *,
        snapshots: bool | None = None,
        joining: bool = False,
        keep_password: bool = False,
    ) -> SyncReport:
        """Take in the members' new batches, then send this workspace's changes (and, from
        time to time or when `snapshots`, publish the snapshots of the shared cases). A
        server that fails leaves the workspace whole: what was applied stays applied, what
        was sealed stays here, and the next sync goes on from there. With `keep_password`,
        a WebDAV password the server took is kept in the system keyring."""
        team = self._needed()
        store = self._store(team, password)
        try:
            sync = TeamSync(
                self.workspace,
                team,
                self._keys(),
                self._clock(),
                store,
                self._erase_received,
                self.context.now,
            )
            report = sync.run(progress, joining=joining, snapshots=snapshots)
        finally:
            store.close()
        if keep_password and password is not None and team.transport == "webdav":
            self.remember_password(TeamPlace(team.transport, team.location, team.user), password)
        return report

    def _erase_received(self, case_id: str) -> None:
        """A case erased or unshared by another member: erased here (backups included),
        without telling the team again."""
        self._receiving = True
        try:
            self._erase(case_id)
        except NotFoundError:
            pass
        finally:
            self._receiving = False


# -- helpers -----------------------------------------------------------------------------


class _Place:
    """What the password store keys a password by."""

    def __init__(self, place: TeamRow | TeamPlace) -> None:
        self.user = place.user
        self.location = place.location


def _rekey_salt(team_id: str, generation: int) -> bytes:
    """The salt of a new generation of the team key, the same for every member: two members
    who re-key at the same moment with the passphrase agreed together get the same key."""
    return hashlib.sha256(f"boussole-team-salt/{team_id}/{generation}".encode()).digest()[:16]


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise ValidationError(
            "team_passphrase",
            N_("The team passphrase must have at least 8 characters."),
            N_("Choose a sentence of several words, agreed in person with the team."),
        )


def _newest_key_file(store: TeamStore) -> dict[str, Any] | None:
    """The key document of the newest generation among the members' folders."""
    newest: dict[str, Any] | None = None
    for member_id in store.member_folders():
        path = team_seal.key_path(member_id)
        try:
            document = team_seal.open_key_file(path, store.read(path))
        except (TeamFileRefused, TeamFileMissing):
            continue
        if newest is None or int(document["generation"]) > int(newest["generation"]):
            newest = document
    return newest


def _members_and_team_name(
    store: TeamStore, team_id: str, keys: dict[int, bytes]
) -> tuple[set[str], str]:
    """The names (case-folded) of the team's members not removed, and the team's name, as
    their files in the team folder give them (files that do not open are passed over)."""
    names: dict[str, str] = {}
    removed: set[str] = set()
    team_name = ""
    for member_id in store.member_folders():
        path = team_seal.member_path(member_id)
        try:
            document = team_seal.open_sealed(keys, path, store.read(path), team=team_id)
        except (TeamFileRefused, TeamKeyMissing, TeamFileMissing):
            continue
        names[member_id] = str(document["name"]).casefold()
        removed.update(str(gone) for gone in document["removed"])
        team_name = team_name or str(document.get("team_name", ""))
    return {name for member_id, name in names.items() if member_id not in removed}, team_name


__all__ = [
    "CaseSharing",
    "SyncReport",
    "TeamMember",
    "TeamPlace",
    "TeamService",
    "TeamStatus",
]


# -- for the window ----------------------------------------------------------------------


SyncFailure = str  # "password" (refused), "no password", "unreachable", "full" or "other"


def sync_failure(error: BaseException) -> SyncFailure:
    """What kind of failure stopped a sync, for the window's short status."""
    from advisor_app.exchange.errors import PartnerUnreachable, TransportError

    if isinstance(error, AdvisorError):
        if error.message == N_("The password of the team folder is not known on this computer."):
            return "no password"
        if error.message == N_("The WebDAV server {url} refused the user name or password."):
            return "password"
    if isinstance(error, PartnerUnreachable):
        return "unreachable"
    if isinstance(error, TransportError) and error.message in (
        WebDavTeamStore.FULL,
        N_("The team folder {folder} is full."),
    ):
        return "full"
    if isinstance(error, TransportError) and error.message.startswith(
        "The connection to {url} was lost"
    ):
        return "unreachable"
    return "other"
