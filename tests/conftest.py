"""Shared fixtures: workspaces in temporary folders, a fixed clock, a demo template."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from advisor_app.i18n import set_language
from advisor_app.services import Services
from advisor_app.services.demo import generate_demo
from advisor_app.storage.workspace import Workspace


def _private_home() -> Path:
    """Point HOME and every user folder (XDG on Linux, APPDATA on Windows, ~/Library on
    macOS) at a fresh temporary folder for the whole run, child processes included, so that
    no test reads or writes the user's real workspace, log, settings or keyring."""
    home = Path(tempfile.mkdtemp(prefix="boussole-tests-home-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    folders = {
        "HOME": home,
        "USERPROFILE": home,
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_RUNTIME_DIR": home / "runtime",
        "APPDATA": home / "AppData" / "Roaming",
        "LOCALAPPDATA": home / "AppData" / "Local",
    }
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ[name] = str(folder)
    os.environ["XDG_DATA_DIRS"] = str(home / "share")
    os.environ["XDG_CONFIG_DIRS"] = str(home / "etc")
    # No system keyring in tests: a test that needs one installs a keyring in memory.
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return home


def pytest_configure(config: pytest.Config) -> None:
    """Before any test is collected: a private home, and Qt with no screen."""
    _private_home()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


TODAY = datetime(2026, 11, 25, 12, 0)


def fixed_clock() -> datetime:
    return TODAY


def run_cli(
    workspace: Path, *arguments: str, env: dict[str, str] | None = None, language: str = "en"
) -> tuple[int, str, str]:
    """`python -m advisor_app --workspace W --lang en ...` (or another `language`) in a child
    process, as a user types it: its exit code, standard output and standard error."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "advisor_app",
            "--workspace",
            str(workspace),
            "--lang",
            language,
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read messages in English unless they choose a language themselves (the CLI
    follows the environment when no --lang is given)."""
    monkeypatch.setenv("LANGUAGE", "en")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """An empty workspace on disk, with the clock fixed on 25 November 2026 at noon."""
    opened = Services(Workspace.open(tmp_path / "workspace"), clock=fixed_clock)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40-case demo workspace built once per test session, to be copied by tests."""
    root = tmp_path_factory.mktemp("demo-template") / "workspace"
    built = Services(Workspace.open(root), clock=fixed_clock)
    for _step in generate_demo(built, 40, seed=7):
        pass
    built.close()
    return root


@pytest.fixture
def demo_services(demo_template: Path, tmp_path: Path) -> Iterator[Services]:
    """A private copy of the demo workspace."""
    root = tmp_path / "demo"
    shutil.copytree(demo_template, root)
    opened = Services(Workspace.open(root), clock=fixed_clock)
    yield opened
    opened.close()
