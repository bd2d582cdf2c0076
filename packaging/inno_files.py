"""Every file the Windows installer script names, and whether each one is there.

    .venv/bin/python packaging/inno_files.py [BUNDLE]

Inno Setup only runs on Windows, so a typo in `packaging/windows/boussole.iss` (an icon
renamed, a licence moved, an executable called differently by the PyInstaller spec) would
otherwise be found at the last step of a Windows release. This module reads the script the
way the compiler does for the parts that name files, and sorts every name into one of:

* **repository**: a file of this repository (`SetupIconFile=boussole.ico`, the licence
  page, an extra `Source:`); it must exist now, in the checkout.
* **bundle**: a file of PyInstaller's output, named through `dist\\Boussole` (`Source:
  "{#BundleDir}\\*"`); it is looked up in a bundle folder (see below).
* **installed**: a file on the user's computer, `{app}\\...` (shortcut targets, their icons,
  the uninstaller's icon, the program started at the end); it must be put there by one of
  the `[Files]` entries.
* **compiler**: Inno Setup's own files (`compiler:Languages\\French.isl`), not checked.

Which bundle folder:

* a given folder (the command line's BUNDLE, `check(bundle=...)`): a real bundle, checked
  file by file. It must also have the layout the script relies on, `Boussole.exe`,
  `_internal/` and `licenses/THIRD-PARTY-LICENSES.txt`. A bundle built on Linux has the same
  layout with `boussole` for `Boussole.exe`; it is accepted for that one name (and the
  report says so), so that the script can be checked on Linux against a real build.
* no folder (`bundle=None`): the declared layout above, `DECLARED_BUNDLE`. This is what the
  tests use when `dist/Boussole` has not been built: then the check says that the script
  and the agreed layout match, and a real Windows build is checked with the command line.

Without an argument the command line uses `dist/Boussole` if it exists, else the declared
layout. It prints every name with its verdict and exits 1 if anything is missing.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

REPOSITORY = Path(__file__).resolve().parent.parent
ISS = REPOSITORY / "packaging" / "windows" / "boussole.iss"
#: Where the script's paths into the bundle point (its `BundleDir`), from the repository.
BUNDLE_IN_REPOSITORY = Path("dist", "Boussole")
BUNDLE_AS_NAMED = REPOSITORY / BUNDLE_IN_REPOSITORY

WINDOWS_EXE = "Boussole.exe"
LINUX_EXE = "boussole"
#: The bundle layout agreed with the PyInstaller spec (folders end with "/").
DECLARED_BUNDLE = (WINDOWS_EXE, "_internal/", "licenses/", "licenses/THIRD-PARTY-LICENSES.txt")
REQUIRED_IN_BUNDLE = (WINDOWS_EXE, "_internal/", "licenses/THIRD-PARTY-LICENSES.txt")

Kind = Literal["repository", "bundle", "installed", "compiler"]

#: [Setup] directives whose value is a file to read at compile time (comma-separated lists).
SETUP_SOURCE_FILES = (
    "SetupIconFile",
    "LicenseFile",
    "InfoBeforeFile",
    "InfoAfterFile",
    "WizardImageFile",
    "WizardSmallImageFile",
)
#: [Setup] directives whose value is a file on the user's computer.
SETUP_INSTALLED_FILES = ("UninstallDisplayIcon",)
#: Section parameters that name files, and whether they are compile-time sources.
ENTRY_FILES: Mapping[str, tuple[tuple[str, bool], ...]] = {
    "files": (("Source", True),),
    "languages": (
        ("MessagesFile", True),
        ("LicenseFile", True),
        ("InfoBeforeFile", True),
        ("InfoAfterFile", True),
    ),
    "icons": (("Filename", False), ("IconFilename", False)),
    "run": (("Filename", False),),
    "uninstallrun": (("Filename", False),),
}


@dataclass(frozen=True)
class Named:
    """One file name in the script: where it is written, and what it points to."""

    where: str  # e.g. "[Files] Source", "[Setup] SetupIconFile"
    written: str  # as in the script, preprocessor names replaced
    kind: Kind
    path: str  # repository- or bundle-relative (POSIX), or relative to {app}


@dataclass(frozen=True)
class FilesEntry:
    source: Named
    dest_dir: str  # relative to {app} ("" for {app} itself), POSIX
    dest_name: str | None
    recursive: bool


# --- Reading the script --------------------------------------------------------------------


def _defines(lines: Iterable[str], given: Mapping[str, str]) -> dict[str, str]:
    values = dict(given)
    for line in lines:
        found = re.match(r'\s*#\s*define\s+(\w+)\s+(?:"([^"]*)"|(\S+))', line)
        if found and found.group(1) not in values:
            values[found.group(1)] = (
                found.group(2) if found.group(2) is not None else found.group(3)
            )
    return values


def _expand(text: str, defines: Mapping[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines.get(m.group(1), m.group(0)), text)


def _parameters(line: str) -> dict[str, str]:
    """`Name: "value"; Flags: a b` as {"name": "value", "flags": "a b"} (names lowercased)."""
    parameters: dict[str, str] = {}
    for part in re.findall(r'(?:[^;"]|"[^"]*")+', line):
        if ":" not in part:
            continue
        name, value = part.split(":", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('""', '"')
        parameters[name.strip().lower()] = value
    return parameters


def _sections(iss: Path, defines: Mapping[str, str]) -> dict[str, list[str]]:
    """Each section's meaningful lines, `{#Name}` replaced; comments and preprocessor lines
    dropped (both branches of an #ifdef are kept: a file named anywhere is checked)."""
    lines = iss.read_text(encoding="utf-8-sig").splitlines()
    values = _defines(lines, defines)
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith((";", "//", "#")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1).lower()
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(_expand(line, values))
    return sections


def _classify(where: str, written: str, source: bool, iss: Path, repository: Path) -> Named:
    if written.lower().startswith("compiler:"):
        return Named(where, written, "compiler", written.split(":", 1)[1].replace("\\", "/"))
    if not source:
        path = written.replace("\\", "/")
        if path.lower().startswith("{app}"):
            path = path[len("{app}") :].lstrip("/")
        return Named(where, written, "installed", path)
    absolute = Path(os.path.normpath(iss.parent / written.replace("\\", "/")))
    try:
        inside = absolute.relative_to(repository / BUNDLE_IN_REPOSITORY)
        return Named(where, written, "bundle", inside.as_posix())
    except ValueError:
        pass
    try:
        return Named(where, written, "repository", absolute.relative_to(repository).as_posix())
    except ValueError:
        return Named(where, written, "repository", absolute.as_posix())  # reported as outside


def setup_directives(iss: Path = ISS, defines: Mapping[str, str] | None = None) -> dict[str, str]:
    """The [Setup] section as {directive: value} (preprocessor names replaced)."""
    sections = _sections(iss, {"AppVersion": "0.0.0", **(defines or {})})
    directives: dict[str, str] = {}
    for line in sections.get("setup", []):
        key, _, value = line.partition("=")
        directives[key.strip()] = value.strip()
    return directives


def section_entries(
    iss: Path, section: str, defines: Mapping[str, str] | None = None
) -> list[dict[str, str]] | None:
    """The entries of a section such as [Files] or [UninstallDelete], each as {parameter:
    value} with lowercase parameter names; None if the script has no such section."""
    sections = _sections(iss, {"AppVersion": "0.0.0", **(defines or {})})
    lines = sections.get(section.lower())
    return None if lines is None else [_parameters(line) for line in lines]


def named_files(
    iss: Path = ISS, defines: Mapping[str, str] | None = None, repository: Path = REPOSITORY
) -> tuple[list[Named], list[FilesEntry]]:
    """Every file name in the script, and the `[Files]` entries (what gets installed where).
    `defines` are the `/D` of the command line; AppVersion defaults to 0.0.0."""
    sections = _sections(iss, {"AppVersion": "0.0.0", **(defines or {})})
    named: list[Named] = []
    for key, value in setup_directives(iss, defines).items():
        if key in SETUP_SOURCE_FILES:
            for part in value.split(","):
                named.append(_classify(f"[Setup] {key}", part.strip(), True, iss, repository))
        elif key in SETUP_INSTALLED_FILES:
            named.append(_classify(f"[Setup] {key}", value, False, iss, repository))
    entries: list[FilesEntry] = []
    for section, keys in ENTRY_FILES.items():
        for line in sections.get(section, []):
            parameters = _parameters(line)
            for key, source in keys:
                if key.lower() in parameters:
                    where = f"[{section.capitalize()}] {key}"
                    named.append(_classify(where, parameters[key.lower()], source, iss, repository))
            if section == "files" and "source" in parameters:
                dest_dir = parameters.get("destdir", "{app}").replace("\\", "/")
                if not dest_dir.lower().startswith("{app}"):
                    continue  # installed elsewhere: cannot give {app}'s files
                entries.append(
                    FilesEntry(
                        source=named[-1],
                        dest_dir=dest_dir[len("{app}") :].strip("/"),
                        dest_name=parameters.get("destname"),
                        recursive="recursesubdirs" in parameters.get("flags", "").lower(),
                    )
                )
    return named, entries


# --- The bundle the names are checked against ----------------------------------------------


class Bundle:
    """A bundle's files, as relative POSIX paths (folders end with "/")."""

    def __init__(self, entries: Iterable[str], description: str, alias: bool = False) -> None:
        self.entries = frozenset(entries)
        self.description = description
        #: True when the Windows executable stands for a Linux bundle's `boussole`.
        self.alias = alias

    @classmethod
    def declared(cls) -> Bundle:
        return cls(DECLARED_BUNDLE, "the declared layout " + ", ".join(DECLARED_BUNDLE))

    @classmethod
    def folder(cls, root: Path) -> Bundle:
        if not root.is_dir():
            raise FileNotFoundError(f"{root} is not a folder")
        entries = {
            path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")
            for path in root.rglob("*")
        }
        alias = WINDOWS_EXE not in entries and LINUX_EXE in entries
        if alias:
            entries.add(WINDOWS_EXE)
        return cls(entries, f"the bundle {root}", alias)

    def has(self, path: str) -> bool:
        return path in self.entries or path.rstrip("/") + "/" in self.entries

    def matching(self, pattern: str) -> list[str]:
        """Entries matched by `pattern` (wildcards in its last part, as Inno Setup does)."""
        folder, _, name = pattern.rpartition("/")
        prefix = folder + "/" if folder else ""
        return sorted(
            entry
            for entry in self.entries
            if entry.startswith(prefix)
            and "/" not in entry[len(prefix) :].rstrip("/")
            and fnmatch.fnmatchcase(entry[len(prefix) :].rstrip("/"), name)
        )

    def under(self, folder: str) -> list[str]:
        prefix = folder + "/" if folder else ""
        return [entry[len(prefix) :] for entry in self.entries if entry.startswith(prefix)]


def _repository_exists(path: str, repository: Path) -> bool:
    if PurePosixPath(path).is_absolute() or path.startswith(".."):
        return False
    if any(character in path for character in "*?"):
        return any(repository.glob(path))
    return (repository / path).is_file()


def _installed(path: str, entries: list[FilesEntry], bundle: Bundle, repository: Path) -> bool:
    """Whether one of the [Files] entries puts `path` (relative to {app})."""
    wanted = path.lower()
    for entry in entries:
        dest = entry.dest_dir + "/" if entry.dest_dir else ""
        if not wanted.startswith(dest.lower()):
            continue
        rest = path[len(dest) :]
        source = entry.source
        if entry.dest_name is not None:
            if entry.dest_name.lower() == rest.lower():
                return True
            continue
        folder, _, pattern = source.path.rpartition("/")
        if not any(character in pattern for character in "*?"):
            if pattern.lower() == rest.lower():
                return True
            continue
        if source.kind == "bundle":
            if entry.recursive:
                # Everything below the source folder, sub-folders kept (as recursesubdirs).
                candidates = {found.rstrip("/") for found in bundle.under(folder)}
            else:
                candidates = {
                    found.rstrip("/").rpartition("/")[2] for found in bundle.matching(source.path)
                }
            if rest in candidates:
                return True
        elif source.kind == "repository":
            base = repository / folder
            hits = base.rglob(pattern) if entry.recursive else base.glob(pattern)
            if any(hit.relative_to(base).as_posix().lower() == rest.lower() for hit in hits):
                return True
    return False


def check(
    iss: Path = ISS,
    bundle: Path | None = None,
    repository: Path = REPOSITORY,
    defines: Mapping[str, str] | None = None,
) -> tuple[list[tuple[Named, str]], list[str]]:
    """Each named file with its verdict ("ok", "not checked", or why it is missing), and the
    list of problems (empty when the script can be compiled against that bundle)."""
    layout = Bundle.declared() if bundle is None else Bundle.folder(bundle)
    named, entries = named_files(iss, defines, repository)
    verdicts: list[tuple[Named, str]] = []
    problems: list[str] = []

    def verdict(item: Named, problem: str | None, fine: str = "ok") -> None:
        verdicts.append((item, problem or fine))
        if problem:
            problems.append(f"{item.where} {item.written!r}: {problem}")

    for item in named:
        if item.kind == "compiler":
            verdict(item, None, "Inno Setup's own file, not checked")
        elif item.kind == "repository":
            if not _repository_exists(item.path, repository):
                verdict(item, f"missing from the repository ({repository / item.path})")
            else:
                verdict(item, None)
        elif item.kind == "bundle":
            wildcard = any(character in item.path for character in "*?")
            found = layout.matching(item.path) if wildcard else layout.has(item.path)
            if not found:
                verdict(item, f"missing from {layout.description}")
            else:
                verdict(item, None)
        elif not _installed(item.path, entries, layout, repository):
            verdict(item, "no [Files] entry installs it")
        else:
            verdict(item, None)
    if bundle is not None:
        for required in REQUIRED_IN_BUNDLE:
            if not layout.has(required):
                problems.append(f"the bundle {bundle} has no {required}")
    return verdicts, problems


def missing_from_bundle(bundle: Path) -> list[str]:
    """What stops the installer script from being compiled against the built `bundle`
    (a Windows bundle, or a Linux one for all but the executable's name); empty if nothing."""
    return check(bundle=bundle)[1]


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) > 1 or (arguments and arguments[0].startswith("-")):
        print(__doc__)
        return 2
    if arguments:
        bundle: Path | None = Path(arguments[0])
    else:
        bundle = BUNDLE_AS_NAMED if BUNDLE_AS_NAMED.is_dir() else None
    try:
        verdicts, problems = check(bundle=bundle)
    except FileNotFoundError as error:
        print(f"inno_files: {error}", file=sys.stderr)
        return 1
    layout = Bundle.declared() if bundle is None else Bundle.folder(bundle)
    print(f"{ISS.relative_to(REPOSITORY)} checked against {layout.description}")
    if layout.alias:
        print(f"  (a Linux bundle: its {LINUX_EXE} stands for {WINDOWS_EXE})")
    for item, said in verdicts:
        print(f"  {item.kind:<10} {item.where:<24} {item.written}: {said}")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
