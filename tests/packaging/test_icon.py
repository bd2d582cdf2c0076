"""Boussole's icon: one drawing, rendered for the Linux icon theme and for Windows."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from app_identity import APP_ID, ICO_SIZES, ICON_SVG, PNG_SIZES, WINDOWS_ICO, hicolor_png
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication
from render_icons import render

from advisor_app.package_files import resource


@pytest.fixture(autouse=True)
def qt(qapp: QApplication) -> QApplication:
    """Qt draws and reads images only once an application exists."""
    return qapp


def opaque_share(image: QImage) -> float:
    """The share of the image's pixels that are at least half opaque."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    alphas = bytes(image.constBits())[3::4]
    return sum(1 for alpha in alphas if alpha >= 128) / len(alphas)


def test_the_application_finds_its_icon_among_its_resources() -> None:
    shipped = resource("icons", "boussole.svg")
    assert shipped.is_file()
    assert Path(str(shipped)).resolve() == ICON_SVG.resolve()


def test_the_drawing_is_an_svg_qt_renders_as_a_round_mark() -> None:
    assert QSvgRenderer(str(ICON_SVG)).isValid()
    image = render(ICON_SVG, 64)
    # A disc fills about pi/4 of its square; the corners stay transparent.
    assert 0.7 < opaque_share(image) < 0.85
    for x, y in ((0, 0), (63, 0), (0, 63), (63, 63)):
        assert image.pixelColor(x, y).alpha() == 0


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_the_icon_theme_has_a_png_of_every_size(size: int) -> None:
    assert size in PNG_SIZES
    png = hicolor_png(size)
    assert png.parts[-4:] == ("hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png"), png
    image = QImage(str(png))
    assert not image.isNull(), f"{png} is missing or unreadable: run packaging/render_icons.py"
    assert (image.width(), image.height()) == (size, size)
    assert 0.7 < opaque_share(image) < 0.85


def test_the_stored_pngs_are_the_drawing_of_today() -> None:
    """After the SVG changes, packaging/render_icons.py must be run again."""
    fresh = render(ICON_SVG, 48).convertToFormat(QImage.Format.Format_RGBA8888)
    stored = QImage(str(hicolor_png(48))).convertToFormat(QImage.Format.Format_RGBA8888)
    fresh_bytes, stored_bytes = bytes(fresh.constBits()), bytes(stored.constBits())
    total = sum(abs(a - b) for a, b in zip(fresh_bytes, stored_bytes, strict=True))
    mean_difference = total / len(fresh_bytes)
    assert mean_difference < 2, "the PNGs are older than the SVG: run packaging/render_icons.py"


def test_the_windows_icon_holds_every_size_from_16_to_256_pixels() -> None:
    data = WINDOWS_ICO.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    sides = []
    for index in range(count):
        width, height, *_rest, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert offset + length <= len(data)
        sides.append((width or 256, height or 256))
    assert sides == [(size, size) for size in ICO_SIZES]
    assert {16, 32, 48, 256} <= set(ICO_SIZES)

    reader = QImageReader(str(WINDOWS_ICO))
    assert reader.imageCount() == len(ICO_SIZES)
    for index, size in enumerate(ICO_SIZES):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert (image.width(), image.height()) == (size, size), reader.errorString()
        assert 0.7 < opaque_share(image) < 0.85
