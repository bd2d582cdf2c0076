"""install.sh and uninstall.sh, run as a user would, in a home folder made for the test.

The release folder is laid out by `linux_release.stage_release` around a tiny fake bundle
(`Boussole/boussole` is a shell script printing its version), so that these tests need no
PyInstaller build. HOME and every XDG folder point into the test's temporary folder, and
the home folder's name has spaces, as some people's do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from app_identity import APP_ID, PNG_SIZES
from linux_release import stage_release

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"


@dataclass
class User:
    """A person's home folder and the environment their shell gives to the scripts."""

    home: Path
    data_home: Path
    env: dict[str, str]

    @property
    def workspace(self) -> Path:  # platformdirs: $XDG_DATA_HOME/Boussole/workspace
        return self.data_home / "Boussole" / "workspace"

    @property
    def log_folder(self) -> Path:  # platformdirs: $XDG_STATE_HOME/Boussole/log
        return self.home / ".local" / "state" / "Boussole" / "log"

    @property
    def app_home(self) -> Path:
        return self.data_home / "boussole-app"

    @property
    def launcher(self) -> Path:
        return self.home / ".local" / "bin" / "boussole"

    def files(self) -> set[Path]:
        """Every file and symbolic link below the home folder (and the data folder)."""
        found: set[Path] = set()
        for root in {self.home, self.data_home}:
            found |= {path for path in root.rglob("*") if path.is_file() or path.is_symlink()}
        return found

    def run(self, script: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["sh", str(script)],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if check:
            assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def boussole(self, *arguments: str) -> str:
        done = subprocess.run(
            [str(self.launcher), *arguments],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout.strip()


def make_user(tmp_path: Path, data_home: Path | None) -> User:
    home = tmp_path / "home of Anaïs Le Gall"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
    }
    if data_home is not None:
        env["XDG_DATA_HOME"] = str(data_home)
    user = User(home, data_home or home / ".local" / "share", env)
    # Months of work, already there before Boussole is (re)installed.
    user.workspace.mkdir(parents=True)
    (user.workspace / "catalog.sqlite").write_bytes(b"the advisor's case files")
    user.log_folder.mkdir(parents=True)
    (user.log_folder / "boussole.log").write_text("2026-11-02 started\n", encoding="utf-8")
    return user


@pytest.fixture
def user(tmp_path: Path) -> User:
    return make_user(tmp_path, tmp_path / "home of Anaïs Le Gall" / ".local" / "share")


def fake_bundle(folder: Path, version: str, extra: str | None = None) -> Path:
    """A bundle with the real layout whose `boussole` only prints its version."""
    bundle = folder / "Boussole"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "licenses").mkdir()
    (bundle / "licenses" / "THIRD-PARTY-LICENSES.txt").write_text("...", encoding="utf-8")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"PK")
    if extra:
        (bundle / "_internal" / extra).write_text("only in this version", encoding="utf-8")
    executable = bundle / "boussole"
    executable.write_text(f'#!/bin/sh\necho "Boussole {version}"\n', encoding="utf-8")
    executable.chmod(0o755)
    return bundle


def release(tmp_path: Path, version: str, extra: str | None = None) -> Path:
    """An unpacked release folder of that version; its install.sh."""
    bundle = fake_bundle(tmp_path / f"build-{version}", version, extra)
    folder = stage_release(bundle, tmp_path / f"Boussole-{version}-linux-x86_64")
    return folder / "install.sh"


def expected_files(user: User) -> set[Path]:
    """What install.sh puts, and nothing more."""
    icons = user.data_home / "icons" / "hicolor"
    return {
        user.app_home / "Boussole" / "boussole",
        user.app_home / "Boussole" / "_internal" / "base_library.zip",
        user.app_home / "Boussole" / "licenses" / "THIRD-PARTY-LICENSES.txt",
        user.app_home / "uninstall.sh",
        user.launcher,
        user.data_home / "applications" / f"{APP_ID}.desktop",
        user.data_home / "metainfo" / f"{APP_ID}.metainfo.xml",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in PNG_SIZES),
    }


def test_installing_puts_the_application_the_launcher_and_the_menu_entry_in_the_user_folders(
    tmp_path: Path, user: User
) -> None:
    before = user.files()
    done = user.run(release(tmp_path, "0.1.0"))

    assert user.files() - before == expected_files(user)
    assert user.boussole("--version") == "Boussole 0.1.0"
    assert "Your workspace stays in" in done.stdout
    assert not user.app_home.is_relative_to(user.workspace.parent)

    desktop = (user.data_home / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f'Exec="{user.launcher}"' in desktop.splitlines()
    assert f"Icon={APP_ID}" in desktop.splitlines()
    if shutil.which("desktop-file-validate"):
        installed = user.data_home / "applications" / f"{APP_ID}.desktop"
        checked = subprocess.run(
            ["desktop-file-validate", str(installed)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stdout


def test_installing_over_an_older_boussole_replaces_it_and_keeps_the_workspace(
    tmp_path: Path, user: User
) -> None:
    user.run(release(tmp_path, "0.1.0", extra="module_of_0_1.py"))
    (user.workspace / "catalog.sqlite").write_bytes(b"work done with 0.1.0")
    work_before = {
        path: path.read_bytes()
        for path in user.files()
        if path.is_relative_to(user.workspace) or path.is_relative_to(user.log_folder)
    }
    assert len(work_before) == 2

    done = user.run(release(tmp_path, "0.2.0"))

    assert "Replacing the Boussole already installed" in done.stdout
    assert user.boussole("--version") == "Boussole 0.2.0"
    assert not (user.app_home / "Boussole" / "_internal" / "module_of_0_1.py").exists()
    assert {path: path.read_bytes() for path in work_before} == work_before
    assert (user.workspace / "catalog.sqlite").read_bytes() == b"work done with 0.1.0"
    assert (user.log_folder / "boussole.log").is_file()
    assert not (user.data_home / "boussole-app.partial").exists()


def test_uninstalling_removes_what_install_put_and_keeps_the_workspace_and_the_log(
    tmp_path: Path, user: User
) -> None:
    before = {path: path.read_bytes() for path in user.files()}
    user.run(release(tmp_path, "0.1.0"))
    user.run(release(tmp_path, "0.2.0"))

    done = user.run(user.app_home / "uninstall.sh")  # the copy install.sh keeps

    assert {path: path.read_bytes() for path in user.files()} == before
    assert not user.app_home.exists()
    assert not user.launcher.exists()
    assert "Your workspace was kept" in done.stdout
    # Uninstalling twice does no harm.
    user.run(LINUX / "uninstall.sh")
    assert {path: path.read_bytes() for path in user.files()} == before


def test_without_xdg_data_home_everything_goes_to_the_usual_local_share_folder(
    tmp_path: Path,
) -> None:
    user = make_user(tmp_path, data_home=None)
    before = user.files()
    user.run(release(tmp_path, "0.1.0"))

    assert user.data_home == user.home / ".local" / "share"
    assert user.files() - before == expected_files(user)
    user.run(user.app_home / "uninstall.sh")
    assert user.files() == before


def test_a_separate_xdg_data_home_holds_the_application_and_keeps_the_workspace_there(
    tmp_path: Path,
) -> None:
    user = make_user(tmp_path, data_home=tmp_path / "data")
    before = user.files()
    user.run(release(tmp_path, "0.1.0"))
    user.run(release(tmp_path, "0.2.0"))

    assert user.files() - before == expected_files(user)
    assert (user.data_home / "Boussole" / "workspace" / "catalog.sqlite").is_file()
    user.run(user.app_home / "uninstall.sh")
    assert user.files() == before


def test_install_leaves_alone_a_boussole_command_it_did_not_write(
    tmp_path: Path, user: User
) -> None:
    user.launcher.parent.mkdir(parents=True)
    user.launcher.write_text("#!/bin/sh\necho someone else's boussole\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in user.files()}

    done = user.run(release(tmp_path, "0.1.0"), check=False)

    assert done.returncode != 0
    assert "was not written by Boussole" in done.stderr
    assert {path: path.read_bytes() for path in user.files()} == before


def test_install_says_what_is_missing_when_run_away_from_a_release(
    tmp_path: Path, user: User
) -> None:
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    shutil.copy(LINUX / "install.sh", lonely / "install.sh")

    done = user.run(lonely / "install.sh", check=False)

    assert done.returncode != 0
    assert "no application next to this script" in done.stderr
    assert not user.app_home.exists()


@pytest.mark.parametrize("script", ["install.sh", "uninstall.sh"])
def test_the_scripts_are_posix_sh_that_shellcheck_finds_clean(script: str) -> None:
    path = LINUX / script
    assert path.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    assert "set -eu" in path.read_text(encoding="utf-8")
    assert os.access(path, os.X_OK), f"{path} is not executable"
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed: install the Debian package shellcheck.")
    done = subprocess.run(
        ["shellcheck", "--shell=sh", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout
