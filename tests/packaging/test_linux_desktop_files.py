"""The desktop file and the AppStream metainfo that make Boussole a Linux application."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from app_identity import APP_ID, PACKAGING, REPOSITORY

DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def validator(command: str, debian_package: str) -> str:
    found = shutil.which(command)
    if found is None:
        pytest.skip(
            f"{command} is not installed: install the Debian package {debian_package} "
            f"(apt-get install {debian_package}) to validate this file."
        )
    return found


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_application_id_is_in_reverse_dns_form() -> None:
    parts = APP_ID.split(".")
    assert len(parts) >= 3 and all(part.isidentifier() for part in parts), APP_ID
    assert parts[-1] == "Boussole"


def test_the_desktop_file_passes_desktop_file_validate() -> None:
    done = run(validator("desktop-file-validate", "desktop-file-utils"), str(DESKTOP))
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_desktop_file_speaks_french_and_english_and_starts_the_boussole_command() -> None:
    entry = desktop_entry()
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert entry.get(key), key
        assert entry.get(f"{key}[fr]"), f"{key}[fr]"
        assert entry.get(f"{key}[en]"), f"{key}[en]"
    assert entry["Name"] == "Boussole"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "boussole"  # install.sh writes the launcher's full path instead
    assert entry["Categories"].split(";")[0] == "Office"
    assert entry["Terminal"] == "false"
    # Qt names the X11 window class after QApplication.applicationName().
    assert entry["StartupWMClass"] == "Boussole"


def test_the_metainfo_passes_appstreamcli_validate() -> None:
    done = run(validator("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_metainfo_describes_boussole_in_french_and_english_under_its_licences() -> None:
    component = ElementTree.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("metadata_license") == "CC0-1.0"
    assert component.findtext("project_license") == "AGPL-3.0-or-later"
    summaries = {summary.get(LANG, "en"): summary.text for summary in component.iter("summary")}
    assert set(summaries) == {"en", "fr"}
    description = component.find("description")
    assert description is not None
    assert {paragraph.get(LANG, "en") for paragraph in description.iter("p")} == {"en", "fr"}
    launchable = component.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert component.findtext("provides/binary") == "boussole"
    rating = component.find("content_rating")
    assert rating is not None and rating.get("type", "").startswith("oars-")


def test_the_newest_release_in_the_metainfo_is_the_version_of_pyproject() -> None:
    with (REPOSITORY / "pyproject.toml").open("rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    releases = ElementTree.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "no <release> in the metainfo"
    assert releases[0].get("version") == version
    assert version != "0.1.0" or releases[0].get("date") == "2026-11-30"


def test_the_metainfo_and_the_desktop_file_are_installed_under_the_application_id() -> None:
    assert DESKTOP.is_file() and METAINFO.is_file()
    assert Path(DESKTOP.name).stem == APP_ID
