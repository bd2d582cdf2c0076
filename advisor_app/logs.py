"""The log file in the user's log folder: tracebacks go there, never to the advisor's screen."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir


def log_path() -> Path:
    return Path(user_log_dir("Boussole", appauthor=False)) / "boussole.log"


def setup_logging() -> Path | None:
    """Send the application's log to a rotating file; return its path (None if impossible)."""
    logger = logging.getLogger("advisor_app")
    if any(isinstance(h, RotatingFileHandler) for h in logger.handlers):
        return log_path()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return path
