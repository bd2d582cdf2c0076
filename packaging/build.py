"""Build the desktop bundle: `make package` runs `python packaging/build.py`.

1. Build Boussole's wheel (resources and compiled catalogues inside, see setup.py) and
   install it, without its dependencies, into `build/package/site`.
2. Run PyInstaller on `packaging/boussole.spec` over that copy: `dist/Boussole/`.
3. Gather the licences of everything shipped into `dist/Boussole/licenses/` with
   pip-licenses (the Python packages in the bundle), Python's own licence, and the LGPL/GPL
   texts that Qt for Python refers to without shipping them.
4. On Linux, make the release archive `dist/Boussole-<version>-linux-<machine>.tar.gz`: the
   bundle, install.sh / uninstall.sh, the desktop file, the metainfo and the icons; and put
   the wheel beside it (`pipx install dist/advisor_app-<version>-py3-none-any.whl`).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement

sys.path.append(str(Path(__file__).resolve().parent))
from linux_release import release_name, stage_release  # packaging/linux_release.py

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
WORK = ROOT / "build" / "package"
DIST = ROOT / "dist"
BUNDLE = DIST / "Boussole"
DISTRIBUTION = "advisor-app"

# Texts that some shipped packages name by SPDX identifier without including them.
KNOWN_TEXTS = {
    "LGPL-3.0-only": "LGPL-3.0.txt",
    "GPL-3.0-only": "GPL-3.0.txt",
}


def run(*command: str | Path, **options: object) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **options)  # type: ignore[call-overload]


def build_wheel() -> Path:
    wheels = WORK / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", wheels, ROOT)
    (wheel,) = wheels.glob("*.whl")
    return wheel


def install_wheel(wheel: Path) -> Path:
    site = WORK / "site"
    shutil.rmtree(site, ignore_errors=True)
    run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, wheel)
    return site


def run_pyinstaller(site: Path) -> None:
    shutil.rmtree(BUNDLE, ignore_errors=True)
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        DIST,
        "--workpath",
        WORK / "pyinstaller",
        PACKAGING / "boussole.spec",
        env={**os.environ, "BOUSSOLE_SITE": str(site)},
    )


def shipped_distributions() -> list[str]:
    """Boussole's runtime dependencies, followed transitively (markers of this platform)."""
    seen: dict[str, str] = {}
    pending = [DISTRIBUTION]
    while pending:
        name = pending.pop()
        try:
            found = distribution(name)
        except Exception:
            continue
        key = found.metadata["Name"].lower().replace("_", "-")
        if key in seen:
            continue
        seen[key] = found.metadata["Name"]
        for text in found.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    seen.pop(DISTRIBUTION, None)
    return sorted(seen.values(), key=str.lower)


def gather_licences() -> None:
    folder = BUNDLE / "licenses"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "LICENSE", folder / "Boussole-AGPL-3.0-or-later.txt")
    names = shipped_distributions()
    listing = subprocess.run(
        [
            sys.executable,
            "-m",
            "piplicenses",
            "--format=json",
            "--with-license-file",
            "--with-notice-file",
            "--no-license-path",
            "--with-urls",
            "--packages",
            *names,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    packages = json.loads(listing)
    lines = [
        "Boussole bundles the following software. Each is listed with its licence, and the",
        "licence text its authors ship, or the file named in this folder.",
        "",
    ]
    needed: set[str] = set()
    for package in packages:
        lines += [
            "=" * 78,
            f"{package['Name']} {package['Version']}",
            f"Licence: {package['License']}",
            f"Home: {package.get('URL', '')}",
            "-" * 78,
        ]
        text = (package.get("LicenseText") or "").strip()
        if text and text != "UNKNOWN":
            lines.append(text)
        else:
            named = [f for spdx, f in KNOWN_TEXTS.items() if spdx in package["License"]]
            needed.update(named)
            lines.append("Licence text: see " + ", ".join(named) if named else "(no text shipped)")
        notice = (package.get("NoticeText") or "").strip()
        if notice and notice != "UNKNOWN":
            lines += ["", notice]
        lines.append("")
    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_licence.exists():
        shutil.copy(python_licence, folder / "Python-LICENSE.txt")
        lines += ["=" * 78, f"Python {platform.python_version()}", "See Python-LICENSE.txt", ""]
    lines += [
        "=" * 78,
        "Qt 6 (inside PySide6_Essentials and shiboken6)",
        "Licence: LGPL-3.0-only; see LGPL-3.0.txt and GPL-3.0.txt. The Qt libraries are",
        "shipped as separate shared libraries in _internal/PySide6 and can be replaced.",
        "Source: https://download.qt.io/official_releases/qt/ and https://code.qt.io/",
        "",
    ]
    needed.update(("LGPL-3.0.txt", "GPL-3.0.txt"))
    for name in sorted(needed):
        shutil.copy(PACKAGING / "licenses" / name, folder / name)
    (folder / "THIRD-PARTY-LICENSES.txt").write_text("\n".join(lines), encoding="utf-8")
    print(f"Licences of {len(packages)} packages in {folder}")


def linux_archive(version: str) -> Path:
    """The release folder that install.sh expects (packaging/linux_release.py), as a tar.gz."""
    name = release_name(version)
    release = stage_release(BUNDLE, WORK / "linux-release" / name)
    archive = DIST / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(release, arcname=name)
    print(f"Release archive: {archive}")
    return archive


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel()
    DIST.mkdir(exist_ok=True)
    shutil.copy(wheel, DIST / wheel.name)  # for `pipx install`
    site = install_wheel(wheel)
    run_pyinstaller(site)
    gather_licences()
    version = distribution(DISTRIBUTION).version
    if sys.platform.startswith("linux"):
        linux_archive(version)
    print(f"Bundle: {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
