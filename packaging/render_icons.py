"""Render Boussole's icon (`resources/icons/boussole.svg`) to the files installers need.

    .venv/bin/python packaging/render_icons.py

writes, with Qt only (QSvgRenderer on the offscreen platform, no display needed):

* `packaging/icons/hicolor/<N>x<N>/apps/<APP_ID>.png` for N in 16, 24, 32, 48, 64, 128,
  256 and 512 (the Linux icon theme; the SVG itself is installed as the scalable icon);
* `packaging/windows/boussole.ico`, one file holding 16 to 256 px images.

Qt's own .ico writer stores a single image, so the .ico is assembled here: sizes under
256 px as 32-bit bitmaps with an AND mask (what every Windows version and resource tool
reads), 256 px as PNG (what Windows expects for that size). No Pillow needed.

The outputs are kept in the repository; run this again after changing the drawing.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

if str(Path(__file__).resolve().parent) not in sys.path:  # run as a script, it already is
    sys.path.append(str(Path(__file__).resolve().parent))
from app_identity import ICO_SIZES, ICON_SVG, PNG_SIZES, WINDOWS_ICO, hicolor_png


def _application() -> QGuiApplication:
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    return QGuiApplication([sys.argv[0] if sys.argv else "render_icons"])


def render(svg: Path, size: int) -> QImage:
    """The drawing at `size` x `size` pixels on a transparent background."""
    _application()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG drawing Qt can read")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def _bitmap_entry(image: QImage) -> bytes:
    """An .ico image as a 32-bit BGRA bitmap (rows bottom-up) followed by its AND mask."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)  # straight alpha, R G B A
    width, height = rgba.width(), rgba.height()
    pixels = bytes(rgba.constBits())
    stride = rgba.bytesPerLine()
    mask_stride = ((width + 31) // 32) * 4
    colour_rows: list[bytes] = []
    mask_rows: list[bytes] = []
    for y in reversed(range(height)):
        row = pixels[y * stride : y * stride + width * 4]
        bgra = bytearray(row)
        bgra[0::4], bgra[2::4] = row[2::4], row[0::4]
        colour_rows.append(bytes(bgra))
        mask = bytearray(mask_stride)
        for x in range(width):
            if row[x * 4 + 3] == 0:  # fully transparent: set in the AND mask
                mask[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(mask))
    colours = b"".join(colour_rows)
    masks = b"".join(mask_rows)
    header = struct.pack(
        "<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, len(colours) + len(masks), 0, 0, 0, 0
    )
    return header + colours + masks


def ico_bytes(images: list[QImage]) -> bytes:
    """A Windows icon file holding `images` (square, at most 256 px), smallest first."""
    entries = sorted(images, key=QImage.width)
    payloads = [
        png_bytes(image) if image.width() >= 256 else _bitmap_entry(image) for image in entries
    ]
    directory = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    for image, payload in zip(entries, payloads, strict=True):
        side = image.width() % 256  # 0 means 256
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    return directory + b"".join(payloads)


def render_all(svg: Path = ICON_SVG) -> list[Path]:
    """Write every PNG size and the .ico; the paths written."""
    written: list[Path] = []
    for size in PNG_SIZES:
        target = hicolor_png(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png_bytes(render(svg, size)))
        written.append(target)
    WINDOWS_ICO.parent.mkdir(parents=True, exist_ok=True)
    WINDOWS_ICO.write_bytes(ico_bytes([render(svg, size) for size in ICO_SIZES]))
    written.append(WINDOWS_ICO)
    return written


def main() -> int:
    for path in render_all():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
