"""The files of a team folder: where each lives, how it is sealed, and what it must hold.

Layout (one folder per member, written by that member only)::

    <member>/member                  sealed: who writes here, and whom the team removed
    <member>/key                     plain: the salt and check of the team key's generation
    <member>/changes/<seq:012d>      sealed: a batch of changes
    <member>/snapshots/<case>        sealed: every field and removal of one shared case
    <member>/snapshots/manifest      sealed: the batches the snapshots cover, their cases

A sealed file is b"BTM1", the generation of the team key (4 bytes, big-endian), a
12-byte random nonce, then the zlib-compressed JSON encrypted with AES-256-GCM, whose
associated data is the file's path under the team folder: a file moved or renamed does
not open. The team key is scrypt(passphrase, salt); its `check` (an HMAC of a constant)
tells a right passphrase from a wrong one without holding anything that opens a file.

A file that does not open, is cut short, decompresses beyond `MAX_DOCUMENT` or does not
validate against its schema (`resources/schemas/team-*.schema.json`) is refused whole
(`TeamFileRefused`); one sealed with a generation this workspace has no key for raises
`TeamKeyMissing`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from advisor_app.domain.messages import N_
from advisor_app.exchange.errors import TeamFileRefused, TeamKeyMissing
from advisor_app.exchange.team_schemas import VERSION, Kind, validate

MAGIC = b"BTM1"
NONCE_SIZE = 12
_HEADER = len(MAGIC) + 4 + NONCE_SIZE
_TAG = 16
KEY_SIZE = 32
SALT_SIZE = 16
MAX_GENERATION = 2**32 - 1
# What a sealed file may hold once decompressed: a bound against a "zip bomb".
MAX_DOCUMENT = 256 * 1024 * 1024

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_CHECK_TEXT = b"boussole-team-check"

_MEMBER = re.compile(r"[0-9a-f]{12}")
_CASE = re.compile(r"[0-9a-f-]{36}")
_SEQ = re.compile(r"[0-9]{12}")


# -- Layout ---------------------------------------------------------------------------

CHANGES = "changes"
SNAPSHOTS = "snapshots"
MANIFEST = "manifest"


def member_path(member: str) -> str:
    return f"{member}/member"


def key_path(member: str) -> str:
    return f"{member}/key"


def batch_path(member: str, seq: int) -> str:
    return f"{member}/{CHANGES}/{seq:012d}"


def snapshot_path(member: str, case_id: str) -> str:
    return f"{member}/{SNAPSHOTS}/{case_id}"


def manifest_path(member: str) -> str:
    return f"{member}/{SNAPSHOTS}/{MANIFEST}"


def batch_seq(name: str) -> int | None:
    """The sequence number of a batch's file name ("000000000012" → 12), None for any
    other name (a temporary file, something a person put there)."""
    return int(name) if _SEQ.fullmatch(name) else None


def is_member_id(text: str) -> bool:
    return _MEMBER.fullmatch(text) is not None


def kind_of(path: str) -> tuple[Kind, str, str]:
    """(kind, member, name) of a path of the layout; TeamFileRefused for any other."""
    parts = path.split("/")
    if parts and is_member_id(parts[0]):
        if len(parts) == 2 and parts[1] == "member":
            return Kind.MEMBER, parts[0], parts[1]
        if len(parts) == 2 and parts[1] == "key":
            return Kind.KEY, parts[0], parts[1]
        if len(parts) == 3 and parts[1] == CHANGES and _SEQ.fullmatch(parts[2]):
            return Kind.BATCH, parts[0], parts[2]
        if len(parts) == 3 and parts[1] == SNAPSHOTS and parts[2] == MANIFEST:
            return Kind.MANIFEST, parts[0], parts[2]
        if len(parts) == 3 and parts[1] == SNAPSHOTS and _CASE.fullmatch(parts[2]):
            return Kind.SNAPSHOT, parts[0], parts[2]
    raise _refused(path, N_("The file {path} has no place in a team folder."))


# -- The team key ---------------------------------------------------------------------


def new_salt() -> bytes:
    return os.urandom(SALT_SIZE)


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """The team key of `passphrase` (NFC-normalised: the same letters typed on any system
    give the same key): scrypt, n=2**15, r=8, p=1, 32 bytes. About 0.1 s and 32 MB."""
    text = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=KEY_SIZE, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P).derive(text)


def key_check(key: bytes) -> bytes:
    """What tells the right key from a wrong one, fit to be written beside the salt."""
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).digest()


def key_matches(key: bytes, check: bytes) -> bool:
    return hmac.compare_digest(key_check(key), check)


def key_document(team: str, generation: int, salt: bytes, key: bytes) -> dict[str, Any]:
    """The plain document of `<member>/key` for `key` (its salt and check, never the key)."""
    return {
        "format": "boussole-team-key",
        "version": VERSION,
        "team": team,
        "generation": generation,
        "salt": base64.b64encode(salt).decode("ascii"),
        "check": base64.b64encode(key_check(key)).decode("ascii"),
    }


def member_document(
    team: str, member: str, name: str, removed: Iterable[str] = (), team_name: str = ""
) -> dict[str, Any]:
    """The document of `<member>/member`: who writes in this folder, whom they removed,
    and the team's name (for a member who joins)."""
    document: dict[str, Any] = {
        "format": "boussole-team-member",
        "version": VERSION,
        "team": team,
        "member": member,
        "name": name,
        "removed": sorted(set(removed)),
    }
    if team_name:
        document["team_name"] = team_name
    return document


def key_file(document: Mapping[str, Any]) -> bytes:
    """The bytes of a key document (validated first)."""
    validate(Kind.KEY, document, "key")
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode("utf-8")


def open_key_file(path: str, data: bytes) -> dict[str, Any]:
    """The key document of a `<member>/key` file, validated; its "salt" and "check" are
    still base64 (`key_salt_and_check` gives the bytes)."""
    if len(data) > 64 * 1024:
        raise _refused(path, N_("The team file {path} is too big."))
    document = _parsed(path, data)
    validate(Kind.KEY, document, path)
    return document


def key_salt_and_check(document: Mapping[str, Any]) -> tuple[bytes, bytes]:
    try:
        return base64.b64decode(document["salt"]), base64.b64decode(document["check"])
    except (binascii.Error, KeyError, TypeError):
        raise _refused("key", N_("The team file {path} is not a key file.")) from None


# -- Sealing --------------------------------------------------------------------------


def seal(key: bytes, generation: int, path: str, document: Mapping[str, Any]) -> bytes:
    """The bytes of the file at `path` holding `document`, sealed with `key`. The
    document is checked as its readers will check it (TeamFileRefused): what this member
    writes, every member can open."""
    kind, member, name = kind_of(path)
    if kind is Kind.KEY:
        raise _refused(path, N_("The team file {path} is a key file, which is not sealed."))
    validate(kind, document, path)
    _check_place(kind, member, name, document, path)
    if len(key) != KEY_SIZE:
        raise ValueError("a team key is 32 bytes")
    if not 0 <= generation <= MAX_GENERATION:
        raise ValueError("a generation is 0 to 2**32 - 1")
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    nonce = os.urandom(NONCE_SIZE)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(text), path.encode("utf-8"))
    return MAGIC + generation.to_bytes(4, "big") + nonce + sealed


def sealed_generation(data: bytes) -> int | None:
    """The key generation a sealed file names, None if it is not a sealed file."""
    if len(data) < _HEADER + _TAG or not data.startswith(MAGIC):
        return None
    return int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")


def open_sealed(
    keys: Mapping[int, bytes], path: str, data: bytes, *, team: str | None = None
) -> dict[str, Any]:
    """The document of the sealed file at `path`, opened with the key of its generation
    and validated against the schema of its kind (and, given `team`, of that team).
    TeamKeyMissing when no key of `keys` is of its generation; TeamFileRefused when it does
    not open or is not valid: nothing of it is to be applied."""
    kind, member, name = kind_of(path)
    if kind is Kind.KEY:
        raise _refused(path, N_("The team file {path} is a key file, which is not sealed."))
    generation = sealed_generation(data)
    if generation is None:
        raise _refused(path, N_("The file {path} is not a sealed team file, or it is cut short."))
    key = keys.get(generation)
    if key is None:
        raise TeamKeyMissing(generation)
    nonce = data[len(MAGIC) + 4 : _HEADER]
    try:
        compressed = AESGCM(key).decrypt(nonce, data[_HEADER:], path.encode("utf-8"))
    except InvalidTag:
        raise _refused(
            path,
            N_(
                "The team file {path} does not open: it was changed, cut short or moved, or "
                "sealed with another team key."
            ),
        ) from None
    document = _parsed(path, _decompressed(path, compressed))
    validate(kind, document, path)
    _check_place(kind, member, name, document, path)
    if team is not None and document.get("team", team) != team:
        raise _refused(path, N_("The team file {path} belongs to another team."))
    return document


def _decompressed(path: str, compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, MAX_DOCUMENT + 1)
    except zlib.error:
        raise _refused(path, N_("The team file {path} is damaged.")) from None
    if len(text) > MAX_DOCUMENT or inflater.unconsumed_tail:
        raise _refused(path, N_("The team file {path} is too big once unpacked."))
    if not inflater.eof:
        raise _refused(path, N_("The team file {path} is damaged."))
    return text


def _parsed(path: str, text: bytes) -> dict[str, Any]:
    try:
        document = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refused(path, N_("The team file {path} holds no readable document.")) from None
    if not isinstance(document, dict):
        raise _refused(path, N_("The team file {path} holds no readable document."))
    return document


def _check_place(
    kind: Kind, member: str, name: str, document: Mapping[str, Any], path: str
) -> None:
    """A document names the place it was written to: a file copied elsewhere by someone
    holding the key (under another member, another number) is refused."""
    if kind in (Kind.MEMBER, Kind.BATCH) and document["member"] != member:
        raise _refused(path, _MISPLACED)
    if kind is Kind.BATCH and document["seq"] != int(name):
        raise _refused(path, _MISPLACED)
    if kind is Kind.SNAPSHOT and document["case"] != name:
        raise _refused(path, _MISPLACED)


_MISPLACED = N_(
    "The team file {path} names another place than the one it is in: it was copied there."
)


def _refused(path: str, message: str) -> TeamFileRefused:
    return TeamFileRefused(
        message,
        N_(
            "Nothing of it was used. Ask the member who wrote it to sync again; if it "
            "lasts, tell the team."
        ),
        path=path,
    )
