"""Before Qt starts: can its X11 plugin load? Qt aborts the process when it cannot.

A missing system library (libxcb-cursor0, libxcb-icccm4...) makes Qt print a cryptic
message and abort; loading the plugin ourselves first names the library instead.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path


def missing_display_library() -> str | None:
    """The error of loading Qt's xcb plugin, or None when it loads (or is not used)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("WAYLAND_DISPLAY") or not os.environ.get("DISPLAY"):
        return None
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        return str(error)
    return None
