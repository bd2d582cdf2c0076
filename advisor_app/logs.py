"""The log file in the user's log folder: tracebacks go there, never to the advisor's screen."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir

_LOGGER = logging.getLogger("advisor_app")


def log_path() -> Path:
    return Path(user_log_dir("Boussole", appauthor=False)) / "boussole.log"


def setup_logging() -> Path | None:
    """Send the application's log to a rotating file; return its path (None if impossible).

    Called again after `log_path` changed (tests), it moves the handler to the new file.
    """
    path = log_path()
    for handler in list(_LOGGER.handlers):
        if isinstance(handler, RotatingFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            _LOGGER.removeHandler(handler)
            handler.close()
    _LOGGER.setLevel(logging.INFO)
    _LOGGER.propagate = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _LOGGER.addHandler(handler)
    return path
