"""Unexpected errors: a sentence for the advisor, the traceback in a log file."""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe
from advisor_app.logs import log_path, setup_logging

_logger = logging.getLogger("advisor_app.ui")


def log_exception(error: BaseException) -> None:
    setup_logging()
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    _logger.error("Unexpected error\n%s", text)


def error_sentence(error: BaseException) -> str:
    if isinstance(error, AdvisorError):
        return describe(error)
    return _(
        "Something went wrong and the action was not completed. The details were written to {path}."
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
