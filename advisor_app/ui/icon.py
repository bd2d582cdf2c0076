"""Boussole's icon, for the windows and the About box; an empty icon while it is missing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from advisor_app.package_files import as_file, resource

ICON = ("icons", "boussole.svg")
RENDERED_SIZES = (16, 24, 32, 48, 64, 128, 256)


def boussole_icon() -> QIcon:
    """The shipped `icons/boussole.svg` (a null icon, never an error, if it is not there)."""
    shipped = resource(*ICON)
    try:
        if not shipped.is_file():
            return QIcon()
        if isinstance(shipped, Path):  # a checkout or an installed wheel: drawn at any size
            return QIcon(str(shipped))
        # Inside an archive: the temporary copy lives only in this block, so draw it now.
        with as_file(shipped) as path:
            drawing = QIcon(str(path))
            icon = QIcon()
            for size in RENDERED_SIZES:
                icon.addPixmap(drawing.pixmap(size, size))
            return icon
    except OSError:
        return QIcon()
