"""The Linux release folder, as `install.sh` expects it, laid out from a built bundle.

    .venv/bin/python packaging/linux_release.py [dist/Boussole] [--out build/linux-release]

`Boussole-<version>-linux-<machine>/`, the single top folder of the release archive that
`make package` (packaging/build.py) writes on Linux, holds:

    Boussole/                          the PyInstaller bundle, copied as it is (symlinks kept)
    install.sh, uninstall.sh           per-user install without root, and its undoing
    README.txt                         how to install, in French and English
    org.boussole.Boussole.desktop      every file of packaging/linux/, in fact
    org.boussole.Boussole.metainfo.xml
    icons/hicolor/<N>x<N>/apps/org.boussole.Boussole.png    packaging/icons/
    icons/boussole.svg                 resources/icons/boussole.svg (the scalable icon)

`stage_release` makes that folder; the tests install and uninstall from one made over a
small fake bundle, so this function and build.py's archive must keep the same layout.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tomllib
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # run as a script, it already is
    sys.path.append(str(Path(__file__).resolve().parent))
from app_identity import ICON_SVG, PACKAGING, PNG_SIZES, REPOSITORY, hicolor_png

LINUX = PACKAGING / "linux"
EXECUTABLE = "boussole"


def project_version(pyproject: Path = REPOSITORY / "pyproject.toml") -> str:
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def release_name(version: str, machine: str | None = None) -> str:
    return f"Boussole-{version}-linux-{machine or platform.machine()}"


def stage_release(bundle: Path, release: Path) -> Path:
    """Fill the folder `release` (emptied first) from the bundle and the packaging files."""
    if not (bundle / EXECUTABLE).is_file():
        raise FileNotFoundError(f"{bundle / EXECUTABLE} is missing: is {bundle} a Linux bundle?")
    missing = [hicolor_png(size) for size in PNG_SIZES if not hicolor_png(size).is_file()]
    if missing:
        raise FileNotFoundError(f"{missing[0]} is missing: run packaging/render_icons.py")
    if release.exists():
        shutil.rmtree(release)
    release.mkdir(parents=True)
    shutil.copytree(bundle, release / "Boussole", symlinks=True)
    for path in sorted(LINUX.iterdir()):
        if path.is_file():
            shutil.copy2(path, release / path.name)  # modes kept: the scripts stay executable
    shutil.copytree(PACKAGING / "icons", release / "icons")
    shutil.copy2(ICON_SVG, release / "icons" / "boussole.svg")
    return release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=REPOSITORY / "dist" / "Boussole")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "build" / "linux-release")
    arguments = parser.parse_args(argv)
    print(stage_release(arguments.bundle, arguments.out / release_name(project_version())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
