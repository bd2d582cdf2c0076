"""The Inno Setup script of the Windows installer, checked here since it compiles only on
Windows: every file it names exists, and it installs per user, over older versions, without
ever deleting the user's work."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from inno_files import (
    BUNDLE_AS_NAMED,
    DECLARED_BUNDLE,
    ISS,
    REPOSITORY,
    check,
    missing_from_bundle,
    named_files,
    section_entries,
    setup_directives,
)

#: Boussole's AppId for Windows. It must never change: a newer installer finds the older
#: installation by it, and installs over it.
APP_ID_GUID = "{{00C58B7B-1275-4382-9E6D-82FDEB5C3C75}"


def windows_bundle(folder: Path, executable: str = "Boussole.exe") -> Path:
    """A bundle with the declared layout (empty files)."""
    bundle = folder / "Boussole"
    for entry in DECLARED_BUNDLE:
        target = bundle / entry.replace("Boussole.exe", executable)
        if entry.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"")
    return bundle


def test_every_file_the_windows_installer_names_exists() -> None:
    """Checked against dist/Boussole when a bundle has been built here, else against the
    declared layout (`python packaging/inno_files.py dist\\Boussole` checks a Windows build)."""
    bundle = BUNDLE_AS_NAMED if BUNDLE_AS_NAMED.is_dir() else None
    verdicts, problems = check(bundle=bundle)
    assert problems == []
    kinds = {named.kind for named, _verdict in verdicts}
    assert {"repository", "bundle", "installed"} <= kinds


def test_the_installer_names_the_bundle_the_icon_and_boussoles_licence() -> None:
    named, entries = named_files()
    by_place = {(item.where, item.path) for item in named}
    assert ("[Files] Source", "*") in by_place  # the whole bundle, recursively
    assert ("[Setup] SetupIconFile", "packaging/windows/boussole.ico") in by_place
    assert ("[Setup] LicenseFile", "LICENSE") in by_place
    assert ("[Icons] Filename", "Boussole.exe") in by_place
    bundle_entry = next(entry for entry in entries if entry.source.kind == "bundle")
    assert bundle_entry.recursive and bundle_entry.dest_dir == ""
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (REPOSITORY / "LICENSE").read_text("utf-8")


def test_a_windows_bundle_with_the_declared_layout_satisfies_the_installer(tmp_path: Path) -> None:
    assert missing_from_bundle(windows_bundle(tmp_path)) == []


def test_a_linux_bundle_stands_in_with_boussole_for_boussole_exe(tmp_path: Path) -> None:
    assert missing_from_bundle(windows_bundle(tmp_path, executable="boussole")) == []


def test_a_bundle_without_its_program_or_its_licences_is_refused(tmp_path: Path) -> None:
    bundle = windows_bundle(tmp_path)
    (bundle / "Boussole.exe").unlink()
    shutil.rmtree(bundle / "licenses")

    problems = missing_from_bundle(bundle)

    assert any("Boussole.exe" in problem and "no [Files] entry" in problem for problem in problems)
    assert any("licenses/THIRD-PARTY-LICENSES.txt" in problem for problem in problems)


def test_a_file_renamed_without_updating_the_script_is_caught(tmp_path: Path) -> None:
    """The check is not a formality: the script in a copy of the repository whose icon is
    missing fails it."""
    repository = tmp_path / "repository"
    script = repository / "packaging" / "windows" / "boussole.iss"
    script.parent.mkdir(parents=True)
    shutil.copy(ISS, script)
    shutil.copy(REPOSITORY / "LICENSE", repository / "LICENSE")

    _verdicts, problems = check(iss=script, bundle=None, repository=repository)

    assert problems == [
        f"[Setup] SetupIconFile 'boussole.ico': missing from the repository "
        f"({repository / 'packaging/windows/boussole.ico'})",
        f"[Files] Source 'boussole.ico': missing from the repository "
        f"({repository / 'packaging/windows/boussole.ico'})",
    ]


def test_the_installer_is_per_user_without_administrator_rights() -> None:
    setup = setup_directives()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] in (
        r"{autopf}\Boussole",  # %LOCALAPPDATA%\Programs\Boussole with lowest privileges
        r"{localappdata}\Programs\Boussole",
    )
    icons = section_entries(ISS, "Icons") or []
    assert {entry["name"].split("\\")[0] for entry in icons} == {"{autoprograms}", "{autodesktop}"}
    desktop = next(entry for entry in icons if entry["name"].startswith("{autodesktop}"))
    assert desktop["tasks"] == "desktopicon"  # the desktop icon is optional


def test_a_newer_version_installs_over_an_older_one() -> None:
    setup = setup_directives(defines={"AppVersion": "1.2.3"})
    assert setup["AppId"] == APP_ID_GUID
    assert setup["AppVersion"] == "1.2.3"
    assert setup["UsePreviousAppDir"] == "yes"
    text = ISS.read_text(encoding="utf-8")
    assert re.search(r"^#ifndef AppVersion\s*\n\s*#error", text, re.MULTILINE), (
        "the version must come from iscc /DAppVersion=..., with an error when it is missing"
    )


def test_the_installer_speaks_french_and_english() -> None:
    languages = section_entries(ISS, "Languages") or []
    assert [(entry["name"], entry["messagesfile"]) for entry in languages] == [
        ("fr", r"compiler:Languages\French.isl"),
        ("en", "compiler:Default.isl"),
    ]


@pytest.mark.parametrize("section", ["UninstallDelete", "InstallDelete"])
def test_neither_installing_nor_uninstalling_deletes_anything_outside_the_program_folder(
    section: str,
) -> None:
    entries = section_entries(ISS, section)
    if section == "UninstallDelete":
        assert entries is None, "no [UninstallDelete]: the workspace and the log are the user's"
        return
    assert entries, "[InstallDelete] clears the previous version's internals"
    for entry in entries:
        assert entry["name"].startswith("{app}\\") and ".." not in entry["name"], entry
    workspace_words = ("workspace", "localappdata", "userappdata", "logs", "{app}\\*")
    for entry in entries:
        assert not any(word in entry["name"].lower() for word in workspace_words), entry


def test_the_script_is_plain_ascii_so_any_inno_setup_reads_it_alike() -> None:
    ISS.read_bytes().decode("ascii")
