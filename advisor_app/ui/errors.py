"""What went wrong, in a sentence: the advisor's own words for a refusal, the command line's
sentence for a full disk or a read-only folder, and for a fault of Boussole a sentence that
points to the log file, which keeps the traceback."""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.cli.common import sentence_for
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe
from advisor_app.logs import log_path, setup_logging
from advisor_app.services.disk import disk_problem

_logger = logging.getLogger("advisor_app.ui")


def log_exception(error: BaseException) -> None:
    setup_logging()
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    _logger.error("Unexpected error\n%s", text)


def quietly(error: BaseException) -> bool:
    """For a background read whose failure the next read says: a refusal is let go, a fault
    of Boussole is logged (never swallowed unseen). Always handled."""
    if not isinstance(error, AdvisorError):
        log_exception(error)
    return True


def explained(error: BaseException, workspace: Path | None = None) -> AdvisorError | None:
    """The sentence the command line prints for an error no service explained: a full disk,
    a read-only folder or an I/O error (`services.disk.disk_problem`, in `workspace`), or what
    an OSError's errno says of the file it names; None for a fault of Boussole."""
    if isinstance(error, AdvisorError):
        return error
    if workspace is not None:
        return sentence_for(error, workspace)
    named = getattr(error, "filename", None)
    return disk_problem(error, Path(named)) if isinstance(named, str) else None


def error_sentence(error: BaseException, workspace: Path | None = None) -> str:
    sentence = explained(error, workspace)
    if sentence is not None:
        return describe(sentence)
    return _(
        "Something went wrong and the action was not completed. The details were written to {path}."
    ).format(path=log_path())


def show_error(
    parent: QWidget | None, error: BaseException, workspace: Path | None = None
) -> QMessageBox:
    """Tell the advisor what failed (without blocking); log the traceback unless it is a
    refusal (a disk that refused is logged as a warning, with its traceback)."""
    if not isinstance(error, AdvisorError):
        if explained(error, workspace) is None:
            log_exception(error)
        else:
            setup_logging()
            _logger.warning("refused: %s", error, exc_info=error)
    box = QMessageBox(
        QMessageBox.Icon.Warning, _("Boussole"), error_sentence(error, workspace), parent=parent
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def install_excepthook(report: Callable[[BaseException], object] | None = None) -> None:
    """Errors escaping a slot are logged and shown instead of closing the window; `report`
    (the open window's) is given them first, so that it can say them in its own way."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        error.__traceback__ = tb
        if isinstance(error, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        with contextlib.suppress(Exception):  # if even the message fails, the log keeps it
            if report is not None:
                report(error)
            else:
                show_error(None, error)

    sys.excepthook = hook
