"""Names shared by the packaging scripts, in one place.

`APP_ID` is Boussole's application id (reverse-DNS, as the freedesktop specifications
want): the name of the desktop file, the metainfo file and the themed icon on Linux. It
must never change once released, or desktops would see a different application.
"""

from __future__ import annotations

from pathlib import Path

APP_ID = "org.boussole.Boussole"
APP_NAME = "Boussole"

PACKAGING = Path(__file__).resolve().parent
REPOSITORY = PACKAGING.parent

#: The drawing, shipped with the application (window icon) and installed as the scalable icon.
ICON_SVG = REPOSITORY / "resources" / "icons" / "boussole.svg"
#: Square PNG sizes of the hicolor icon theme, in pixels.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Sizes inside the Windows .ico (those Windows asks for: lists, taskbar, tiles, Explorer).
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)

HICOLOR = PACKAGING / "icons" / "hicolor"
WINDOWS_ICO = PACKAGING / "windows" / "boussole.ico"


def hicolor_png(size: int, root: Path = HICOLOR) -> Path:
    """`<root>/<N>x<N>/apps/<APP_ID>.png`, the icon theme's place for one size."""
    return root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
