"""A wheel built from the repository is the whole application: installed outside the
checkout, it speaks French, makes a demo, prints a report and checks its workspace; a newer
wheel installed over it keeps the workspace and upgrades it at first start, after a backup."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor_app.storage.case_migrations import SCHEMA_VERSION

REPOSITORY = Path(__file__).resolve().parents[2]
NOT_SHIPPED = {
    ".git",
    ".venv",
    "build",
    "dist",
    ".bench",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "__pycache__",
    "tests",
    "docs",
    "scripts",
}


def copy_sources(target: Path) -> Path:
    """The repository's sources as a fresh clone holds them (no compiled catalogues, no
    build leftovers), so that the wheel cannot lean on this checkout's state."""

    def ignored(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in NOT_SHIPPED or n.endswith((".egg-info", ".mo", ".pyc"))}

    shutil.copytree(REPOSITORY, target, ignore=ignored)
    return target


def build_wheel(sources: Path, out: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(sources),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def install(wheel: Path, environment: Path) -> None:
    """Into `environment`, without downloading anything: Boussole's dependencies are those of
    the test's own environment, reached through a .pth file."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(environment / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )


class Installed:
    """`advisor-app` as installed in a virtual environment outside the checkout."""

    def __init__(self, environment: Path, home: Path) -> None:
        self.program = environment / "bin" / "advisor-app"
        self.home = home
        self.workspace = home / "workspace"

    def __call__(self, *arguments: str) -> str:
        environ = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "VIRTUAL_ENV")
        }
        done = subprocess.run(
            [str(self.program), "--workspace", str(self.workspace), *arguments],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.home,
            env={**environ, "LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"},
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, (arguments, done.stdout, done.stderr)
        return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    return build_wheel(copy_sources(folder / "sources"), folder / "out")


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    ours = sysconfig.get_paths()["purelib"]
    (next(target.glob("lib/python*/site-packages")) / "boussole-dependencies.pth").write_text(
        ours + "\n", encoding="utf-8"
    )
    yield target


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")


def test_the_wheel_carries_the_resources_and_compiled_catalogues(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "advisor_app/resources/pathways/standard.json",
        "advisor_app/resources/schemas/case.schema.json",
        "advisor_app/resources/fonts/DejaVuSans.ttf",
        "advisor_app/translations/fr/LC_MESSAGES/messages.mo",
        "advisor_app/translations/en/LC_MESSAGES/messages.mo",
    ):
        assert shipped in names


def test_an_installed_wheel_runs_in_french_outside_the_checkout(
    wheel: Path, environment: Path, tmp_path: Path
) -> None:
    install(wheel, environment)
    app = Installed(environment, tmp_path / "home")
    app.home.mkdir()
    assert app("--version").strip() == "Boussole 0.1.0"
    assert "20" in app("demo", "--cases", "20", "--seed", "3")
    case_id = json.loads(app("list", "--json"))[0]["case_id"]
    app("report", "progress", case_id, "-o", str(app.home / "suivi.pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(app.home / "suivi.pdf").pages)
    assert "Rapport de suivi" in text and "Rendez-vous" in text
    app("check")
    where = subprocess.run(
        [
            str(environment / "bin" / "python"),
            "-c",
            "import advisor_app.resources as r; print(r.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=app.home,
    ).stdout
    assert str(environment) in where and str(REPOSITORY) not in where


def test_a_newer_version_installed_over_keeps_and_upgrades_the_workspace(
    wheel: Path, environment: Path, tmp_path: Path
) -> None:
    install(wheel, environment)
    app = Installed(environment, tmp_path / "home")
    app.home.mkdir()
    app("demo", "--cases", "5", "--seed", "4")
    before = json.loads(app("list", "--json"))

    newer = copy_sources(tmp_path / "newer")
    pyproject = newer / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text("utf-8").replace('version = "0.1.0"', 'version = "0.2.0"'), "utf-8"
    )
    migrations = newer / "advisor_app" / "storage" / "case_migrations.py"
    with migrations.open("a", encoding="utf-8") as module:  # the next release's first step
        module.write(
            "\n_RELEASED = SCHEMA_VERSION\n"
            "MIGRATIONS[_RELEASED] = lambda connection: connection.execute(\n"
            '    "ALTER TABLE case_info ADD COLUMN upgraded TEXT")\n'
            "SCHEMA_VERSION = _RELEASED + 1\n"
        )
    install(build_wheel(newer, tmp_path / "newer-wheel"), environment)

    assert app("--version").strip() == "Boussole 0.2.0"
    app("check")
    assert json.loads(app("list", "--json")) == before
    case_files = sorted((app.workspace / "cases").glob("*.case"))
    assert len(case_files) == 5
    for path in case_files:
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    backups = list(app.workspace.rglob(f"*.v{SCHEMA_VERSION}.*.case"))
    assert all(p.parent.name != "cases" for p in backups)
    assert len(backups) == 5  # each file copied before its upgrade
