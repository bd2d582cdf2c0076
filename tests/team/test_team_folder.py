"""The team folder: sealed files that only the team opens, and stores that write them whole
or not at all, on a plain folder, on wsgidav and on sabre/dav (the engine of Nextcloud)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor_app.exchange.errors import (
    PartnerUnreachable,
    TeamFileMissing,
    TeamFileRefused,
    TeamKeyMissing,
    TransportError,
)
from advisor_app.exchange.team_folder import FolderTeamStore, WebDavTeamStore
from advisor_app.exchange.team_schemas import Kind, is_change, is_tombstone, validator
from advisor_app.exchange.team_seal import (
    MAGIC,
    MAX_DOCUMENT,
    batch_path,
    derive_key,
    key_check,
    key_document,
    key_file,
    key_matches,
    key_path,
    key_salt_and_check,
    manifest_path,
    member_path,
    new_salt,
    open_key_file,
    open_sealed,
    seal,
    snapshot_path,
)
from advisor_app.i18n import describe
from tests.team.conftest import Place
from tests.webdav_servers import TeamServer, silent_server

TEAM = "5d1e0c7a9b2f4e61"
CAMILLE = "c0ffee000001"
YANNICK = "c0ffee000002"
CASE = "0b5f6a52-3d2c-4c1e-9a0b-2f8d7e6c5b4a"
ROW = "8e3a1c2b-4d5e-4f60-9a1b-2c3d4e5f6a7b"


@pytest.fixture(scope="module")
def team_key() -> tuple[bytes, bytes]:
    """(salt, key) of the passphrase the team agreed on, derived once."""
    salt = new_salt()
    return salt, derive_key("Les Crocus fleurissent en mars", salt)


def stamp(n: int, member: str = CAMILLE) -> str:
    return f"{1764547200000 + n:013d}.0000.{member}"


def change(column: str | None, value: Any, n: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "case": CASE,
        "table": "person",
        "row": ROW,
        "column": column,
        "value": value,
        "stamp": stamp(n),
        "by": "Camille Martin",
        **extra,
    }


def batch(seq: int, changes: list[dict[str, Any]], member: str = CAMILLE) -> dict[str, Any]:
    return {
        "format": "boussole-team-batch",
        "version": 1,
        "team": TEAM,
        "member": member,
        "seq": seq,
        "changes": changes,
    }


def a_week_of_changes() -> list[dict[str, Any]]:
    return [
        change("phone", "06 12 34 56 78", 1),
        change("commune", "Aubusson", 2),
        change("birth_date", "1988-04-02", 3),
        change("consent_given", True, 4),
        change("minutes", 90, 5),
        change("photo", {"b64": "iVBORw0KGgo="}, 6),
        change(None, None, 7),  # a row removed
        {"case": CASE, "erase": True, "stamp": stamp(8), "by": "Camille Martin"},
    ]


def seal_as_anyone(key: bytes, path: str, document: Any, generation: int = 1) -> bytes:
    """What another program holding the team key could write (Boussole's `seal` checks
    what it seals): the format of a sealed file, whatever it holds."""
    text = document if isinstance(document, bytes) else json.dumps(document).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(text), path.encode())
    return MAGIC + generation.to_bytes(4, "big") + nonce + sealed


def refusal(error: pytest.ExceptionInfo[Exception]) -> str:
    assert isinstance(error.value, TeamFileRefused | TeamKeyMissing | TransportError)
    return describe(error.value)


# -- Sealing --------------------------------------------------------------------------


def test_every_kind_of_team_file_opens_with_the_team_key_as_it_was_written(
    team_key: tuple[bytes, bytes],
) -> None:
    _salt, key = team_key
    documents = {
        member_path(CAMILLE): {
            "format": "boussole-team-member",
            "version": 1,
            "member": CAMILLE,
            "name": "Camille Martin",
            "team": TEAM,
            "removed": [YANNICK],
        },
        batch_path(CAMILLE, 12): batch(12, a_week_of_changes()),
        snapshot_path(CAMILLE, CASE): {
            "format": "boussole-team-snapshot",
            "version": 1,
            "case": CASE,
            "fields": a_week_of_changes()[:6],
            "tombstones": [{"table": "appointment", "row": ROW, "stamp": stamp(9)}],
        },
        manifest_path(CAMILLE): {
            "format": "boussole-team-manifest",
            "version": 1,
            "covers": {CAMILLE: 12, YANNICK: 3},
            "cases": [CASE],
        },
    }
    for path, document in documents.items():
        sealed = seal(key, 1, path, document)
        assert sealed.startswith(MAGIC)
        assert b"Aubusson" not in sealed and b"Camille" not in sealed
        assert open_sealed({1: key}, path, sealed, team=TEAM) == document


def test_the_key_file_tells_the_right_passphrase_from_a_wrong_one_without_the_key(
    team_key: tuple[bytes, bytes],
) -> None:
    salt, key = team_key
    data = key_file(key_document(TEAM, 1, salt, key))
    assert key not in data

    document = open_key_file(key_path(CAMILLE), data)
    found_salt, check = key_salt_and_check(document)

    assert found_salt == salt and check == key_check(key)
    assert key_matches(derive_key("Les Crocus fleurissent en mars", found_salt), check)
    assert not key_matches(derive_key("Les crocus fleurissent en mars", found_salt), check)


def test_the_same_passphrase_typed_on_another_system_gives_the_same_key() -> None:
    salt = new_salt()
    composed, decomposed = "Équipe d'été", "E\u0301quipe d'e\u0301te\u0301"
    assert derive_key(composed, salt) == derive_key(decomposed, salt)


def test_a_flipped_byte_anywhere_is_refused(team_key: tuple[bytes, bytes]) -> None:
    _salt, key = team_key
    path = batch_path(CAMILLE, 1)
    sealed = seal(key, 1, path, batch(1, a_week_of_changes()))
    for position in (0, 21, len(sealed) // 2, len(sealed) - 1):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises(TeamFileRefused) as refused:
            open_sealed({1: key}, path, bytes(tampered))
        assert path in refusal(refused) and "Nothing of it was used" in refusal(refused)


def test_a_file_cut_short_is_refused(team_key: tuple[bytes, bytes]) -> None:
    _salt, key = team_key
    path = batch_path(CAMILLE, 1)
    sealed = seal(key, 1, path, batch(1, a_week_of_changes()))
    for length in (0, 3, 8, 20, 35, len(sealed) - 1):
        with pytest.raises(TeamFileRefused):
            open_sealed({1: key}, path, sealed[:length])


def test_a_file_moved_or_renamed_does_not_open(team_key: tuple[bytes, bytes]) -> None:
    """The path is sealed with the file: a batch renamed to skip or replay a number, or
    moved into another member's folder, is refused."""
    _salt, key = team_key
    sealed = seal(key, 1, batch_path(CAMILLE, 12), batch(12, a_week_of_changes()))
    for elsewhere in (batch_path(CAMILLE, 13), batch_path(YANNICK, 12)):
        with pytest.raises(TeamFileRefused):
            open_sealed({1: key}, elsewhere, sealed)


def test_a_file_sealed_for_its_place_but_naming_another_is_refused(
    team_key: tuple[bytes, bytes],
) -> None:
    """A key holder sealing a copy for another place still cannot make it say another
    member's or number's changes."""
    _salt, key = team_key
    for path in (batch_path(CAMILLE, 13), batch_path(YANNICK, 12)):
        forged = seal_as_anyone(key, path, batch(12, a_week_of_changes()))
        with pytest.raises(TeamFileRefused) as refused:
            open_sealed({1: key}, path, forged)
        assert "another place" in refusal(refused)


def test_a_file_of_another_team_is_refused(team_key: tuple[bytes, bytes]) -> None:
    _salt, key = team_key
    path = batch_path(CAMILLE, 1)
    other = {**batch(1, []), "team": "77aa77aa77aa77aa"}
    with pytest.raises(TeamFileRefused):
        open_sealed({1: key}, path, seal(key, 1, path, other), team=TEAM)


def test_a_zip_bomb_is_refused_without_being_unpacked_whole(
    team_key: tuple[bytes, bytes],
) -> None:
    """A member's laptop taken over could seal a few hundred kilobytes that unpack to
    gigabytes: unpacking stops at the limit."""
    _salt, key = team_key
    path = batch_path(CAMILLE, 1)
    packer = zlib.compressobj(9)
    spaces = b" " * (1 << 20)
    bomb = b"".join(packer.compress(spaces) for _ in range(MAX_DOCUMENT // len(spaces) + 8))
    bomb += packer.flush()
    assert len(bomb) < MAX_DOCUMENT // 500
    nonce = os.urandom(12)
    sealed = (
        MAGIC + (1).to_bytes(4, "big") + nonce + AESGCM(key).encrypt(nonce, bomb, path.encode())
    )

    with pytest.raises(TeamFileRefused) as refused:
        open_sealed({1: key}, path, sealed)
    assert "too big once unpacked" in refusal(refused)


def test_a_file_sealed_after_the_passphrase_changed_asks_for_the_new_one(
    team_key: tuple[bytes, bytes],
) -> None:
    _salt, key = team_key
    new_key = derive_key("Les jonquilles aussi", new_salt())
    path = batch_path(YANNICK, 40)
    sealed = seal(new_key, 2, path, batch(40, [], member=YANNICK))

    with pytest.raises(TeamKeyMissing) as missing:
        open_sealed({1: key}, path, sealed)

    assert missing.value.generation == 2
    assert "changed the team passphrase; enter the new one" in describe(missing.value)
    assert open_sealed({1: key, 2: new_key}, path, sealed)["seq"] == 40


def test_the_old_key_opens_nothing_written_with_the_new_one(
    team_key: tuple[bytes, bytes],
) -> None:
    """A removed member keeps the old key: a file of the new generation, handed to it
    under the old number, does not open."""
    _salt, old_key = team_key
    new_key = derive_key("Les jonquilles aussi", new_salt())
    path = batch_path(CAMILLE, 41)
    sealed = seal(new_key, 2, path, batch(41, a_week_of_changes()))
    relabelled = sealed[:4] + (1).to_bytes(4, "big") + sealed[8:]
    with pytest.raises(TeamFileRefused):
        open_sealed({1: old_key}, path, relabelled)


def test_a_batch_with_one_malformed_change_is_refused_whole(
    team_key: tuple[bytes, bytes],
) -> None:
    _salt, key = team_key
    path = batch_path(CAMILLE, 5)
    broken = [
        {**change("phone", "06"), "stamp": "yesterday"},
        {**change("phone", "06"), "row": None},
        {**change("phone", "06"), "column": "Phone; DROP TABLE person"},
        {**change("phone", "06"), "value": [1, 2]},
        {**change("phone", "06"), "extra": 1},
        {k: v for k, v in change("phone", "06").items() if k != "by"},
        {"case": CASE, "erase": "yes", "stamp": stamp(1), "by": "x"},
    ]
    for fault in broken:
        changes = [*a_week_of_changes(), fault, *a_week_of_changes()]
        with pytest.raises(TeamFileRefused) as refused:
            open_sealed({1: key}, path, seal_as_anyone(key, path, batch(5, changes)))
        sentence = refusal(refused)
        assert "changes/8" in sentence and "nothing of it was used" in sentence
        assert "06" not in sentence  # never a person's data in a sentence (nor a log)


def test_a_file_of_a_newer_version_asks_to_update(team_key: tuple[bytes, bytes]) -> None:
    _salt, key = team_key
    path = batch_path(CAMILLE, 6)
    newer = {**batch(6, []), "version": 2, "what_v2_adds": []}
    with pytest.raises(TeamFileRefused) as refused:
        open_sealed({1: key}, path, seal_as_anyone(key, path, newer))
    assert "newer version of Boussole" in refusal(refused)


def test_something_that_is_not_json_is_refused(team_key: tuple[bytes, bytes]) -> None:
    _salt, key = team_key
    path = member_path(CAMILLE)
    for text in (b"\xff\xfe not utf-8", b"[1, 2, 3]", b"{" * 100_000):
        with pytest.raises(TeamFileRefused):
            open_sealed({1: key}, path, seal_as_anyone(key, path, text))


def test_boussole_seals_only_what_every_member_can_open(team_key: tuple[bytes, bytes]) -> None:
    _salt, key = team_key
    with pytest.raises(TeamFileRefused):
        seal(key, 1, batch_path(CAMILLE, 1), batch(1, [{**change("phone", "06"), "row": None}]))
    with pytest.raises(TeamFileRefused):  # written under another number than it says
        seal(key, 1, batch_path(CAMILLE, 2), batch(1, []))
    with pytest.raises(TeamFileRefused):  # no place in the layout
        seal(key, 1, f"{CAMILLE}/notes/1", batch(1, []))


# The quick check of the changes accepts exactly what the schema accepts.

_texts = st.one_of(
    st.sampled_from(["", "person", "phone", "Phone", "a b", "x" * 64, CASE, stamp(3)]),
    st.text(max_size=40),
)
_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False),
    _texts,
    st.fixed_dictionaries({"b64": _texts}),
    st.dictionaries(st.sampled_from(["b64", "x"]), _texts, max_size=2),
    st.lists(st.integers(), max_size=2),
)
_fields = st.sampled_from(["case", "table", "row", "column", "value", "stamp", "by", "erase"])


@settings(max_examples=400, deadline=None)
@given(
    base=st.sampled_from(["field", "erase", "tombstone"]),
    replaced=st.dictionaries(_fields, _values, max_size=3),
    dropped=st.lists(_fields, max_size=2),
)
def test_the_quick_check_of_changes_agrees_with_the_schema(
    base: str, replaced: dict[str, Any], dropped: list[str]
) -> None:
    if base == "field":
        item: dict[str, Any] = change("phone", "06 12 34 56 78")
    elif base == "erase":
        item = {"case": CASE, "erase": True, "stamp": stamp(1), "by": "Camille"}
    else:
        item = {"table": "appointment", "row": 7, "stamp": stamp(2)}
    item = {k: v for k, v in {**item, **replaced}.items() if k not in dropped}
    if base == "tombstone":
        schema = validator(Kind.SNAPSHOT)
        document = {
            "format": "boussole-team-snapshot",
            "version": 1,
            "case": CASE,
            "fields": [],
            "tombstones": [item],
        }
        assert is_tombstone(item) == schema.is_valid(document)
    else:
        assert is_change(item) == validator(Kind.BATCH).is_valid(batch(1, [item]))


# -- Stores: a plain folder, wsgidav, sabre/dav ---------------------------------------


def test_written_files_read_back_whole_and_are_listed_with_a_tag(
    place: Place, team_key: tuple[bytes, bytes]
) -> None:
    _salt, key = team_key
    store = place.store
    assert store.member_folders() == []  # the team folder is not made yet
    assert store.listing(CAMILLE, "changes") == {}

    files = {
        batch_path(CAMILLE, n): seal(key, 1, batch_path(CAMILLE, n), batch(n, [])) for n in (1, 2)
    }
    files[member_path(CAMILLE)] = b"sealed member file"
    files[snapshot_path(YANNICK, CASE)] = os.urandom(300_000)
    for path, data in files.items():
        store.write(path, data)

    assert store.member_folders() == [CAMILLE, YANNICK]
    changes = store.listing(CAMILLE, "changes")
    assert sorted(changes) == ["000000000001", "000000000002"]
    assert all(changes.values()) and len(set(changes.values())) == 2
    assert sorted(store.listing(CAMILLE, "")) == ["member"]
    assert sorted(store.listing(YANNICK, "snapshots")) == [CASE]
    assert store.listing(YANNICK, "changes") == {}  # absent: empty
    for path, data in files.items():
        assert store.read(path) == data
        assert (place.root / path).read_bytes() == data  # where a person finds it
    assert open_sealed({1: key}, batch_path(CAMILLE, 2), store.read(batch_path(CAMILLE, 2)))


def test_a_file_replaced_gets_a_new_tag(place: Place) -> None:
    store = place.store
    path = manifest_path(CAMILLE)
    store.write(path, b"first manifest")
    before = store.listing(CAMILLE, "snapshots")["manifest"]

    store.write(path, b"second manifest, longer", replace=True)

    assert store.read(path) == b"second manifest, longer"
    assert store.listing(CAMILLE, "snapshots")["manifest"] != before


def test_writing_the_same_file_again_is_done_and_a_different_one_is_a_conflict(
    place: Place,
) -> None:
    """A batch whose write was answered too late is written again: the same bytes are
    fine; other bytes under a batch's number would rewrite history, and are refused."""
    store = place.store
    path = batch_path(CAMILLE, 7)
    store.write(path, b"batch seven")
    store.write(path, b"batch seven")

    with pytest.raises(TransportError) as conflict:
        store.write(path, b"another batch seven")

    assert not conflict.value.retryable
    assert store.read(path) == b"batch seven"
    left = {p.name for p in (place.root / CAMILLE / "changes").iterdir()}
    assert left - {".sabredav"} == {"000000000007"}  # sabre/dav keeps properties there


def test_a_file_removed_is_gone_and_removing_it_again_is_fine(place: Place) -> None:
    store = place.store
    path = snapshot_path(CAMILLE, CASE)
    store.write(path, b"snapshot")
    store.remove(path)
    store.remove(path)
    store.remove(snapshot_path(YANNICK, CASE))
    assert store.listing(CAMILLE, "snapshots") == {}
    with pytest.raises(TeamFileMissing):
        store.read(path)


def test_a_file_changed_on_the_server_is_refused_when_opened(
    place: Place, team_key: tuple[bytes, bytes]
) -> None:
    _salt, key = team_key
    path = batch_path(CAMILLE, 3)
    place.store.write(path, seal(key, 1, path, batch(3, a_week_of_changes())))
    on_disk = place.root / path
    data = bytearray(on_disk.read_bytes())
    data[len(data) // 2] ^= 0x80
    on_disk.write_bytes(bytes(data))

    with pytest.raises(TeamFileRefused):
        open_sealed({1: key}, path, place.store.read(path))


def test_paths_that_could_leave_the_team_folder_are_not_written(place: Place) -> None:
    for path in ("../escape", "/etc/passwd", f"{CAMILLE}/../../x", f"{CAMILLE}/.hidden", ""):
        with pytest.raises(ValueError):
            place.store.write(path, b"x")


def test_a_synced_folder_that_is_not_there_cannot_be_reached(tmp_path: Path) -> None:
    store = FolderTeamStore(tmp_path / "unplugged-stick" / "team")
    with pytest.raises(PartnerUnreachable) as unreachable:
        store.write(batch_path(CAMILLE, 1), b"x")
    assert "Plug in the drive" in describe(unreachable.value)
    assert not (tmp_path / "unplugged-stick").exists()  # nothing made on the laptop's disk


# -- Servers that fail ----------------------------------------------------------------


def test_a_wrong_password_is_said_and_never_shown(team_server: TeamServer) -> None:
    url, user, _password, root = team_server
    store = WebDavTeamStore(url, user, "not-the-password", timeout=10)

    with pytest.raises(TransportError) as refused:
        store.write(batch_path(CAMILLE, 1), b"x")
    with pytest.raises(TransportError):
        store.member_folders()

    sentence = describe(refused.value)
    assert "refused the user name or password" in sentence
    assert "password of the team folder" in sentence
    assert not refused.value.retryable
    assert "not-the-password" not in sentence + store.destination
    assert not root.exists()


def test_an_address_written_with_a_password_never_shows_it(team_server: TeamServer) -> None:
    url, user, password, _root = team_server
    with_password = url.replace("http://", f"http://{user}:{password}@")
    store = WebDavTeamStore(with_password, user, password)
    assert password not in store.destination and user not in store.destination


def test_a_stopped_server_cannot_be_reached_and_the_next_sync_works(
    team_server: TeamServer,
) -> None:
    url, user, password, _root = team_server
    store = WebDavTeamStore(url, user, password, timeout=10)
    store.write(batch_path(CAMILLE, 1), b"first")  # a kept-alive connection, then...
    team_server.stop()

    with pytest.raises(PartnerUnreachable) as unreachable:
        store.listing(CAMILLE, "changes")
    assert "cannot be reached" in describe(unreachable.value)
    assert "sent at the next sync" in describe(unreachable.value)

    team_server.start()
    store.write(batch_path(CAMILLE, 2), b"second")
    assert sorted(store.listing(CAMILLE, "changes")) == ["000000000001", "000000000002"]
    store.close()


def test_a_server_stopped_in_the_middle_of_a_write_leaves_no_file_and_the_next_write_completes(
    team_server: TeamServer,
) -> None:
    """Stopped after the upload, before its rename: no batch is there (only a hidden
    temporary file, which no listing shows); started again, the same write completes."""
    url, user, password, root = team_server

    class StopsBeforeTheRename(WebDavTeamStore):
        def _size(self, path: str) -> int | None:
            team_server.stop()
            return super()._size(path)

    path = batch_path(CAMILLE, 9)
    data = os.urandom(200_000)
    cut = StopsBeforeTheRename(url, user, password, timeout=10)
    with pytest.raises(PartnerUnreachable):
        cut.write(path, data)
    assert not (root / path).exists()

    team_server.start()
    store = WebDavTeamStore(url, user, password, timeout=10)
    assert store.listing(CAMILLE, "changes") == {}
    store.write(path, data)
    assert (root / path).read_bytes() == data
    assert list(store.listing(CAMILLE, "changes")) == ["000000000009"]
    store.close()


def test_a_full_storage_is_said_and_nothing_half_written_stays(
    team_server: TeamServer,
) -> None:
    url, user, password, root = team_server
    store = WebDavTeamStore(url, user, password, timeout=10)
    store.write(member_path(CAMILLE), b"member")
    team_server.quota = 100_000

    path = snapshot_path(CAMILLE, CASE)
    with pytest.raises(TransportError) as full:
        store.write(path, os.urandom(150_000))

    assert "is full" in describe(full.value) and "Make room on the server" in describe(full.value)
    assert full.value.retryable
    assert not (root / path).exists()

    team_server.quota = None
    store.write(path, b"a snapshot that fits")
    assert store.read(path) == b"a snapshot that fits"
    store.close()


def test_a_server_that_never_answers_ends_in_a_timeout() -> None:
    with silent_server() as url:
        store = WebDavTeamStore(url, "camille", "secret", timeout=0.5)
        with pytest.raises(PartnerUnreachable):
            store.listing(CAMILLE, "changes")
        store.close()


def test_the_team_folder_is_made_where_the_address_says(team_server: TeamServer) -> None:
    url, user, password, root = team_server
    nested = url + "association/2026/"
    store = WebDavTeamStore(nested, user, password)
    with pytest.raises(TransportError) as no_parent:
        store.write(member_path(CAMILLE), b"x")
    assert "cannot be made" in describe(no_parent.value)
    assert not no_parent.value.retryable

    store = WebDavTeamStore(url, user, password)
    store.write(member_path(CAMILLE), b"x")
    assert [p.name for p in root.iterdir()] == [CAMILLE]
