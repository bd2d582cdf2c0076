"""Check a built bundle as a user would run it: `make package-check` runs
`python packaging/check_bundle.py dist/Boussole`.

With a new empty home folder and in French, the bundle's `advisor-app` must print its
version, make a demo workspace, print a progress report that reads back in French, and find
the workspace healthy; its `boussole` must open the main window (offscreen) and leave by
itself with exit code 0. The files the Windows installer script names must exist, and the
licences must be there. Any failure prints what went wrong and exits 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent


# Inside `_internal/`: what the window and the reports need beyond Python's own imports.
SHIPPED_FILES = (
    "advisor_app/resources/pathways/standard.json",
    "advisor_app/resources/schemas/case.schema.json",
    "advisor_app/resources/fonts/DejaVuSans.ttf",
    "advisor_app/resources/guide/fr.md",
    "advisor_app/resources/guide/en.md",
    "advisor_app/resources/icons/boussole.svg",
    "advisor_app/translations/fr/LC_MESSAGES/messages.mo",
    "advisor_app/translations/en/LC_MESSAGES/messages.mo",
    "PySide6/Qt/translations/qtbase_fr.qm",  # Qt's own buttons and file dialogs in French
    "PySide6/Qt/plugins/iconengines/*qsvgicon*",  # the SVG window icon
    "PySide6/Qt/plugins/imageformats/*qsvg*",
    "sqlcipher3/_sqlite3*",  # encrypted workspaces
    "pypdfium2_raw/*pdfium*",  # printing: the PDF's pages drawn for Qt's printer
    "python_calamine/*",  # reading spreadsheets
)


class CheckFailed(Exception):
    pass


def run(command: list[str], env: dict[str, str], timeout: float = 300) -> str:
    print("+", " ".join(command), flush=True)
    done = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise CheckFailed(
            f"{' '.join(command)} exited with {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def private_environment(home: Path) -> dict[str, str]:
    keep = {
        name: os.environ[name]
        for name in ("PATH", "DISPLAY", "WAYLAND_DISPLAY")
        if name in os.environ
    }
    return {
        **keep,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "fr_FR.UTF-8",
        "LANGUAGE": "fr",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def check(bundle: Path) -> None:
    windows = sys.platform == "win32"
    cli = bundle / ("advisor-app.exe" if windows else "advisor-app")
    gui = bundle / ("Boussole.exe" if windows else "boussole")
    for needed in (
        cli,
        gui,
        bundle / "licenses" / "THIRD-PARTY-LICENSES.txt",
        bundle / "licenses" / "LGPL-3.0.txt",
    ):
        if not needed.exists():
            raise CheckFailed(f"missing from the bundle: {needed}")
    internal = bundle / "_internal"
    absent = [name for name in SHIPPED_FILES if not any(internal.glob(name))]
    if absent:
        raise CheckFailed("missing from the bundle's _internal: " + ", ".join(absent))
    with tempfile.TemporaryDirectory(prefix="boussole-bundle-check-") as folder:
        home = Path(folder)
        env = private_environment(home)
        workspace = home / "workspace"
        version = run([str(cli), "--version"], env).strip()
        if not version.startswith("Boussole "):
            raise CheckFailed(f"--version printed {version!r}")
        run([str(cli), "--workspace", str(workspace), "demo", "--cases", "20", "--seed", "1"], env)
        listed = json.loads(run([str(cli), "--workspace", str(workspace), "list", "--json"], env))
        if len(listed) != 20:
            raise CheckFailed(f"the demo made {len(listed)} cases, not 20")
        case_id = listed[0]["case_id"]
        report = home / "suivi.pdf"
        run(
            [
                str(cli),
                "--workspace",
                str(workspace),
                "--lang",
                "fr",
                "report",
                "progress",
                case_id,
                "-o",
                str(report),
            ],
            env,
        )
        text = "\n".join(page.extract_text() for page in PdfReader(report).pages)
        if "Rendez-vous" not in text or "Rapport de suivi" not in text:
            raise CheckFailed(f"the progress report does not read in French:\n{text[:600]}")
        run([str(cli), "--workspace", str(workspace), "check"], env)
        sheet = home / "dossiers.xlsx"  # written by XlsxWriter, read back by python-calamine
        run([str(cli), "--workspace", str(workspace), "export-sheet", "-o", str(sheet)], env)
        dry_run = json.loads(
            run(
                [
                    str(cli),
                    "--workspace",
                    str(workspace),
                    "import-sheet",
                    str(sheet),
                    "--dry-run",
                    "--json",
                ],
                env,
            )
        )
        if "created" not in dry_run:
            raise CheckFailed(f"import-sheet --dry-run --json printed {dry_run!r}")
        shown = run(
            [str(gui), "--workspace", str(workspace)],
            {**env, "BOUSSOLE_QUIT_AFTER_START": "1"},
            timeout=120,
        )
        if "main window shown" not in shown:
            raise CheckFailed(f"the window did not open: {shown!r}")
        print(
            f"{version}: command line, French report, check, spreadsheet export and "
            "import, and window all work."
        )
    sys.path.append(str(HERE))
    from inno_files import missing_from_bundle  # packaging/inno_files.py

    missing = missing_from_bundle(bundle)
    if missing:
        raise CheckFailed(
            "the Windows installer script names files the bundle lacks: " + ", ".join(missing)
        )


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/Boussole")
    try:
        check(bundle)
    except CheckFailed as failure:
        print(f"Bundle check failed: {failure}", file=sys.stderr)
        return 1
    print("Bundle check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
