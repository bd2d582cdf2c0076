"""The export package: a zip with `manifest.json`, `case.json`, reports and attachments.

Building is deterministic apart from the package id and date (sorted entries, fixed zip
timestamps and attributes). Reading trusts nothing: sizes, counts, compression ratio,
names, links, duplicates and checksums are checked, and the JSON is validated against the
shipped schemas, before anything is handed back.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from advisor_app.domain.messages import N_
from advisor_app.domain.validation import is_encodable
from advisor_app.exchange import schemas
from advisor_app.exchange.errors import PackageRefused

FORMAT_VERSION = 2  # 2: the committee file's fields (case files of schema version 2)
APPLICATION = "Boussole"
MANIFEST = "manifest.json"
CASE = "case.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageHeader:
    """What the manifest says about a package apart from its files."""

    package_id: str
    case_id: str
    partner: str
    created_at: str  # ISO date and time
    advisor: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class Limits:
    """How much a package may hold before it is refused unread."""

    max_package_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 512 * 1024 * 1024
    max_files: int = 600
    max_ratio: int = 100
    max_json_bytes: int = 32 * 1024 * 1024


@dataclass
class ReceivedPackage:
    """A package that passed every check: its manifest, its case and its files' bytes."""

    manifest: dict[str, Any]
    case: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def package_id(self) -> str:
        return str(self.manifest["package_id"])

    @property
    def case_id(self) -> str:
        return str(self.manifest["case_id"])


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def attachment_name(attachment_id: str, filename: str) -> str:
    """A safe name inside the package for an attachment: `attachments/<id>-<name>`."""
    base = re.sub(r"[\x00-\x1f/\\:]+", "_", filename).strip(". ") or "file"
    return f"attachments/{attachment_id}-{base[:120]}"


def package_bytes(
    header: PackageHeader, case: Mapping[str, Any], files: Mapping[str, bytes]
) -> bytes:
    """The package as bytes, built in memory: the outbox keeps it sealed in an encrypted
    workspace, so it is never written in clear there."""
    contents: dict[str, bytes] = {CASE: json_bytes(case), **files}
    manifest = {
        "format": FORMAT_VERSION,
        "application": APPLICATION,
        "package_id": header.package_id,
        "case_id": header.case_id,
        "partner": header.partner,
        "created_at": header.created_at,
        "sender": {"advisor": header.advisor, "organisation": header.organisation},
        "files": [
            {"name": name, "size": len(data), "sha256": sha256_of(data)}
            for name, data in sorted(contents.items())
        ],
    }
    contents[MANIFEST] = json_bytes(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(contents):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, contents[name], compresslevel=6)
    return buffer.getvalue()


def package_case_id(data: bytes) -> str | None:
    """The case a package is about, from its manifest; None when it cannot be told (a
    damaged file): for finding the packages of an erased case, not for importing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        case_id = manifest["case_id"]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError):
        return None
    except (RuntimeError, NotImplementedError, zlib.error):
        return None
    return case_id if isinstance(case_id, str) else None


# -- reading ---------------------------------------------------------------------------


def _refuse(message: str, **params: Any) -> PackageRefused:
    return PackageRefused(
        message, N_("Ask the sender for a new package; nothing was imported."), **params
    )


def _check_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if "\\" in name or "\x00" in name:
        raise _refuse(N_("The package holds a file with a forbidden name ({name})."), name=name)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise _refuse(N_("The package holds a file with an absolute path ({name})."), name=name)
    parts = PurePosixPath(name).parts
    if ".." in name.split("/") or any(part in ("", ".", "..") for part in parts):
        raise _refuse(N_("The package holds a file that points outside of it ({name})."), name=name)
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        raise _refuse(N_("The package holds a link ({name}), which is not allowed."), name=name)
    if info.flag_bits & 0x1:
        raise _refuse(N_("The package holds an encrypted file ({name})."), name=name)
    return name


def _load_json(data: bytes, file_name: str) -> Any:
    """The JSON of one file of the package: UTF-8, no key twice, no NaN or decimal number
    (the formats hold whole numbers only), no nesting deeper than Python's stack, and only
    valid text (`_check_text`)."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(pairs)

    def no_constant(name: str) -> Any:
        raise ValueError(name)

    def no_decimal(text: str) -> Any:
        raise ValueError(f"decimal number {text[:20]}")

    try:
        document = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=no_duplicates,
            parse_constant=no_constant,
            parse_float=no_decimal,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _refuse(
            N_("The file {file} of the package is not readable JSON ({reason})."),
            file=file_name,
            reason=_printable(str(error) or type(error).__name__)[:200],
        ) from None
    _check_text(document, file_name)
    return document


def _check_text(document: Any, file_name: str) -> None:
    """Refuse a text that is not valid Unicode (a lone surrogate, which JSON's \\u escapes
    can carry) or holds a NUL character: it could be neither stored nor printed."""
    pending: list[tuple[Any, str]] = [(document, "")]
    while pending:
        value, where = pending.pop()
        texts: list[str] = []
        if isinstance(value, str):
            texts = [value]
        elif isinstance(value, dict):
            texts = list(value)
            pending.extend((item, f"{where}/{key}") for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((item, f"{where}/{index}") for index, item in enumerate(value))
        for text in texts:
            if "\x00" in text or not is_encodable(text):
                raise _refuse(
                    N_("The file {file} of the package holds text that is not valid at {where}."),
                    file=file_name,
                    where=_printable(where or "/")[:200],
                )


def _printable(text: str) -> str:
    """A text from the package as it may be repeated in a sentence."""
    return "".join(c if c.isprintable() and is_encodable(c) else "?" for c in text)


def _check_format(document: Any, file_name: str) -> None:
    version = document.get("format") if isinstance(document, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise PackageRefused(
            N_(
                "The package was made by a newer version of Boussole (format {version}; "
                "this one reads up to {supported})."
            ),
            N_("Update Boussole, then import the package again; nothing was imported."),
            version=version,
            supported=FORMAT_VERSION,
        )


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The bytes of one entry, never more than `limit` whatever the headers claim."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as handle:
        while chunk := handle.read(1 << 16):
            total += len(chunk)
            if total > limit:
                raise _refuse(
                    N_("The package holds a file larger than it claims ({name})."),
                    name=info.filename,
                )
            chunks.append(chunk)
    return b"".join(chunks)


# What reading a damaged or forged zip may raise, in zipfile or zlib: each a refusal.
_ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,  # UnicodeDecodeError of a name included
    OverflowError,
    struct.error,
    KeyError,
    IndexError,
)


def read_package(path: Path, limits: Limits | None = None) -> ReceivedPackage:
    """Open and check a package; raise `PackageRefused` with the reason at the first fault.

    What is not an ordinary file (a folder, a device such as /dev/zero, a named pipe) is
    refused at once, without reading it."""
    limits = limits or Limits()
    with _open_package(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_package_bytes:
            raise _refuse(N_("The package is too large ({size} bytes)."), size=size)
        try:
            with zipfile.ZipFile(handle) as archive:
                return _read_archive(archive, size, limits)
        except PackageRefused:
            raise
        except _ZIP_ERRORS as error:
            raise _refuse(
                N_("The file is not a package or is damaged ({reason})."),
                reason=_printable(str(error) or type(error).__name__)[:200],
            ) from None


def _open_package(path: Path) -> BinaryIO:
    """The package file opened for reading, if it is an ordinary file: looked at before it
    is opened (a pipe would wait for a writer) and again once open (it may have changed)."""
    try:
        before = path.stat()
        if stat.S_ISREG(before.st_mode):
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
            descriptor = os.open(path, flags)
            if stat.S_ISREG(os.fstat(descriptor).st_mode):
                return os.fdopen(descriptor, "rb")
            os.close(descriptor)
    except OSError as error:
        raise PackageRefused(
            N_("The package {name} cannot be read: {reason}."),
            N_("Check the path of the file; nothing was imported."),
            name=_printable(path.name),
            reason=error.strerror or str(error),
        ) from None
    raise PackageRefused(
        N_("{name} is not a package file (a folder, a device or a pipe): it was not read."),
        N_("Give the path of the package file (.zip); nothing was imported."),
        name=_printable(str(path)),
    )


def _read_archive(archive: zipfile.ZipFile, size: int, limits: Limits) -> ReceivedPackage:
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise _refuse(N_("The package holds too many files ({count})."), count=len(infos))
    seen: set[str] = set()
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = _check_name(info)
        folded = name.rstrip("/").casefold()
        if folded in seen:
            raise _refuse(N_("The package holds the name {name} twice."), name=name)
        seen.add(folded)
        if info.is_dir():
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise _refuse(
                N_("The package holds a file compressed suspiciously well ({name})."), name=name
            )
        entries[name] = info
    if total > limits.max_total_bytes or total > max(size, 1) * limits.max_ratio + (1 << 20):
        raise _refuse(N_("The package would take too much room once opened."))
    if MANIFEST not in entries:
        raise _refuse(N_("The package has no manifest."))
    manifest = _load_json(_read_entry(archive, entries[MANIFEST], limits.max_json_bytes), MANIFEST)
    _check_format(manifest, MANIFEST)
    schemas.check("manifest", manifest, MANIFEST)
    listed = {entry["name"]: entry for entry in manifest["files"]}
    if len(listed) != len(manifest["files"]):
        raise _refuse(N_("The manifest lists a file twice."))
    present = set(entries) - {MANIFEST}
    if set(listed) != present:
        odd = sorted(set(listed) ^ present)[0]
        raise _refuse(
            N_("The package and its manifest do not agree about the file {name}."), name=odd
        )
    files: dict[str, bytes] = {}
    for name in sorted(present):
        expected = listed[name]
        data = _read_entry(archive, entries[name], int(expected["size"]))
        if len(data) != expected["size"] or sha256_of(data) != expected["sha256"]:
            raise _refuse(
                N_("The file {name} of the package is damaged (its checksum does not match)."),
                name=name,
            )
        files[name] = data
    if CASE not in files:
        raise _refuse(N_("The package holds no case."))
    if len(files[CASE]) > limits.max_json_bytes:
        raise _refuse(N_("The package is too large ({size} bytes)."), size=len(files[CASE]))
    case = _load_json(files.pop(CASE), CASE)
    _check_format(case, CASE)
    schemas.check("case", case, CASE)
    if case["case_id"] != manifest["case_id"]:
        raise _refuse(N_("The manifest and the case of the package name different cases."))
    for item in [*case["attachments"], *case["reports"]]:
        if item["path"] not in files:
            raise _refuse(N_("The package lacks the file {name}."), name=item["path"])
    return ReceivedPackage(manifest=manifest, case=case, files=files)
