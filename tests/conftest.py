"""Shared fixtures: workspaces in temporary folders, a fixed clock, a demo template."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from advisor_app.i18n import set_language
from advisor_app.services import Services
from advisor_app.services.demo import generate_demo
from advisor_app.storage.workspace import Workspace

TODAY = datetime(2026, 11, 25, 12, 0)


def fixed_clock() -> datetime:
    return TODAY


def run_cli(
    workspace: Path, *arguments: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """`python -m advisor_app --workspace W --lang en ...` in a child process, as a user
    types it: its exit code, standard output and standard error."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "advisor_app",
            "--workspace",
            str(workspace),
            "--lang",
            "en",
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
