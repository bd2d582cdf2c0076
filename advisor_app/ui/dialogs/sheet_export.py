"""File ▸ Export the list of cases…: the cases with their main fields and hours, as .xlsx
or .csv, for associations that still feed a funder's spreadsheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from advisor_app.i18n import _, ngettext
from advisor_app.ui.dialogs.progress import follow, tell
from advisor_app.ui.file_dialogs import FileKind, choose_save_file
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task


def suggested_name(session: AppSession) -> str:
    day = session.services.context.today().isoformat()
    return _("cases-{day}.xlsx").format(day=day)


def export_case_list(session: AppSession, parent: QWidget | None, path: Path) -> Task:
    """Write the list to `path` off the window's thread, then say how many cases it holds."""

    def done(count: object) -> None:
        number = int(count) if isinstance(count, int) else 0
        tell(
            parent,
            ngettext(
                "{count} case was written to {name}.",
                "{count} cases were written to {name}.",
                number,
            ).format(count=number, name=path.name),
        )

    task = session.tasks.run(lambda: session.services.sheet_export.write(path), done)
    follow(task, _("Writing the list of cases…"), parent, cancellable=False)
    return task


def choose_and_export(session: AppSession, parent: QWidget | None = None) -> Task | None:
    path = choose_save_file(
        parent,
        FileKind.EXPORTS,
        _("Export the list of cases"),
        suggested_name(session),
        _("Excel workbooks (*.xlsx);;CSV files, semicolons (*.csv)"),
    )
    return export_case_list(session, parent, path) if path is not None else None
