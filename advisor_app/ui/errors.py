"""Unexpected errors: a sentence for the advisor, the traceback in a log file."""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe

_logger = logging.getLogger("advisor_app.ui")


def log_path() -> Path:
    return Path(user_log_dir("Boussole", appauthor=False)) / "boussole.log"


def _ensure_handler() -> None:
    if any(getattr(h, "_boussole", False) for h in _logger.handlers):
        return
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler._boussole = True  # type: ignore[attr-defined]
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)


def log_exception(error: BaseException) -> None:
    _ensure_handler()
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    _logger.error("Unexpected error\n%s", text)


def error_sentence(error: BaseException) -> str:
    if isinstance(error, AdvisorError):
        return describe(error)
    return _(
        "Something went wrong and the action was not completed. "
        "The details were written to {path}."
    ).format(path=log_path())


def show_error(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """Tell the advisor what failed (without blocking); log the traceback if unexpected."""
    if not isinstance(error, AdvisorError):
        log_exception(error)
    box = QMessageBox(QMessageBox.Icon.Warning, _("Boussole"), error_sentence(error), parent=parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def install_excepthook() -> None:
    """Errors escaping a slot are logged and shown instead of closing the window."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        error.__traceback__ = tb
        if isinstance(error, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        with contextlib.suppress(Exception):  # if even the message fails, the log keeps it
            show_error(None, error)

    sys.excepthook = hook
