"""Steps 4 and 5 of the import of a spreadsheet: the dry run (what would be created,
updated and refused, and why; nothing written), then the import with its progress, a way
to stop it, what it did and "Undo this import"."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from advisor_app.i18n import _, ngettext
from advisor_app.services import Changes, Progress
from advisor_app.services.sheet_import import ImportBatch, ImportPlan
from advisor_app.ui.errors import error_sentence
from advisor_app.ui.widgets.fields import ErrorLabel

if TYPE_CHECKING:
    from advisor_app.ui.dialogs.sheet_import import SheetImportWizard


def last_of(steps: Iterator[Any]) -> Generator[Progress, None, Any]:
    """Pass on the progress of `steps`, and return their last value (`yield from`)."""
    last: Any = None
    for step in steps:
        if isinstance(step, Progress):
            yield step
        else:
            last = step
    return last


# -- 4. the dry run ---------------------------------------------------------------------------


class DryRunPage(QWizardPage):
    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(_("What the import will do"))
        self.setSubTitle(_("Nothing has been changed yet: this is what importing would do."))
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusals = QTreeWidget()
        self.refusals.setRootIsDecorated(False)
        self.refusals.setWordWrap(True)
        self.refusals.setAlternatingRowColors(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.error = ErrorLabel()
        self.filler = QWidget()  # keeps the sentences at the top when nothing is refused
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.refusals, 1)
        layout.addWidget(self.filler, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        owner = self.owner
        owner.plan = None
        self.summary.setText(_("Reading the file and looking for the people already in Boussole…"))
        self.refusals.clear()
        self.refusals.hide()
        self.error.show_message("")
        path, sheet, header = owner.path, owner.sheet, owner.header_row
        other, mapping, importer = owner.appointments_sheet, owner.mapping, owner.importer
        other_file = owner.appointments_file
        assert path is not None

        def work() -> Iterator[object]:
            records = yield from last_of(
                importer.reading_file(
                    path,
                    sheet=sheet,
                    header_row=header,
                    mapping=mapping,
                    appointments_sheet=other,
                    appointments_file=other_file,
                )
            )
            plan = yield from last_of(importer.planning(records))
            yield plan

        def done(result: object) -> None:
            if not isinstance(result, ImportPlan):
                return
            owner.plan = result
            self.show_plan(result)

        def failed(error: BaseException) -> None:
            self.summary.clear()
            self.error.show_message(error_sentence(error))
            self.completeChanged.emit()

        owner.run(work, done, failed, self.bar)
        self.completeChanged.emit()

    def show_plan(self, plan: ImportPlan) -> None:
        lines = [
            ngettext(
                "{count} new case will be created.",
                "{count} new cases will be created.",
                len(plan.created),
            ).format(count=len(plan.created)),
            ngettext(
                "{count} case already in Boussole will be completed.",
                "{count} cases already in Boussole will be completed.",
                len(plan.updated),
            ).format(count=len(plan.updated)),
            ngettext(
                "{count} person is already in Boussole as the file says.",
                "{count} people are already in Boussole as the file says.",
                plan.unchanged,
            ).format(count=plan.unchanged),
            _("To add: {appointments}, {notes}, {loans}.").format(
                appointments=ngettext(
                    "{count} appointment", "{count} appointments", plan.appointments
                ).format(count=plan.appointments),
                notes=ngettext("{count} note", "{count} notes", plan.notes).format(
                    count=plan.notes
                ),
                loans=ngettext(
                    "{count} honour loan request", "{count} honour loan requests", plan.honour_loans
                ).format(count=plan.honour_loans),
            ),
        ]
        if plan.refusals:
            lines.append(
                ngettext(
                    "{count} value or row is refused, and why is listed below.",
                    "{count} values or rows are refused, and why is listed below.",
                    len(plan.refusals),
                ).format(count=len(plan.refusals))
            )
        if plan.nothing_to_import:
            lines = [_("Nothing in this file can be imported: see why below.")]
        elif plan.changes_nothing:
            lines.append(_("Importing would change nothing."))
        self.summary.setText("\n".join(lines))
        self.refusals.setHeaderLabels([_("Row"), _("Column"), _("Value"), _("Why")])
        header = self.refusals.header()
        header.setStretchLastSection(True)
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        sheets = any(line.sheet for line in (*plan.refusals, *plan.conflicts))
        self.refusals.setColumnWidth(0, 150 if sheets else 60)
        self.refusals.setColumnWidth(1, 150)
        self.refusals.setColumnWidth(2, 150)
        for kind, items in ((_("Refused"), plan.refusals), (_("Kept as it is"), plan.conflicts)):
            for line in items:
                row = (
                    _("{sheet}, row {row}").format(sheet=line.sheet, row=line.row)
                    if line.sheet
                    else str(line.row)
                )
                why = _("{what}: {reason}").format(what=kind, reason=line.reason)
                item = QTreeWidgetItem([row, line.column, line.value, why])
                for column, text in enumerate((row, line.column, line.value, line.reason)):
                    item.setToolTip(column, text)
                self.refusals.addTopLevelItem(item)
        self.refusals.setVisible(bool(plan.refusals or plan.conflicts))
        self.filler.setVisible(self.refusals.isHidden())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and not plan.nothing_to_import and not plan.changes_nothing


# -- 5. the import ------------------------------------------------------------------------------


class ImportPage(QWizardPage):
    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.finished = False
        self.earlier: set[str] = set()  # the imports made before this one
        self.setTitle(_("The import"))
        self.setSubTitle(_("What was imported, and how to undo it."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.hide()
        self.stop = QPushButton(_("Stop the import"))
        self.stop.clicked.connect(self._stop)
        self.undo = QPushButton(_("Undo this import"))
        self.undo.clicked.connect(self.undo_import)
        self.undo.hide()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.error = ErrorLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.stop)
        buttons.addWidget(self.undo)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        layout.addWidget(self.problems)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        owner = self.owner
        plan = owner.plan
        assert plan is not None
        self.finished = False
        self.summary.setText(_("Importing… A backup of the workspace was made first."))
        self.stop.show()
        self.stop.setEnabled(True)
        importer = owner.importer
        self.earlier = {batch.id for batch in importer.batches()}

        def done(result: object) -> None:
            batch = result if isinstance(result, ImportBatch) else self._stopped_batch()
            owner.batch = batch
            self.stop.hide()
            if batch is not None:
                owner.session.announce(
                    batch.changes
                    if not batch.changes.empty
                    else Changes(case_list=True, agenda=True)
                )
            self.show_batch(batch, stopped=not isinstance(result, ImportBatch))

        def failed(error: BaseException) -> None:
            self.stop.hide()
            self.finished = True
            owner.batch = self._stopped_batch()
            self.summary.setText(_("The import failed."))
            self.error.show_message(error_sentence(error))
            self.undo.setVisible(owner.batch is not None and owner.batch.can_be_undone)
            owner.session.announce(Changes(case_list=True, agenda=True))
            self.completeChanged.emit()

        owner.run(lambda: importer.importing(plan), done, failed, self.bar)
        self.completeChanged.emit()

    def _stopped_batch(self) -> ImportBatch | None:
        """This import as a stop left it (what it did can be undone); None if it stopped
        before writing anything."""
        started = [b for b in self.owner.importer.batches() if b.id not in self.earlier]
        return started[0] if started else None

    def _stop(self) -> None:
        if self.owner.task is not None:
            self.owner.task.cancel()
            self.stop.setEnabled(False)

    def show_batch(self, batch: ImportBatch | None, stopped: bool = False) -> None:
        self.finished = True
        if batch is None:
            self.summary.setText(_("Nothing was imported."))
        else:
            counts = _("{created} and {updated}.").format(
                created=ngettext(
                    "{count} case created", "{count} cases created", batch.cases_created
                ).format(count=batch.cases_created),
                updated=ngettext(
                    "{count} case completed", "{count} cases completed", batch.cases_updated
                ).format(count=batch.cases_updated),
            )
            first = (
                _("The import was stopped; what was done so far is kept: {counts}")
                if stopped
                else _("The import is done: {counts}")
            )
            self.summary.setText(
                first.format(counts=counts)
                + "\n"
                + _("It can be undone at any time: this removes exactly what it created and "
                    "empties what it filled.")
            )  # fmt: skip
            self.problems.setText("\n".join(batch.problems))
        self.undo.setVisible(batch is not None and batch.can_be_undone)
        self.completeChanged.emit()

    def undo_import(self) -> None:
        owner = self.owner
        batch = owner.batch
        if batch is None:
            return
        self.undo.setEnabled(False)
        importer = owner.importer

        def done(result: object) -> None:
            if isinstance(result, Changes):
                owner.session.announce(result)
            self.undo.hide()
            self.summary.setText(_("The import was undone: the workspace is as it was before it."))
            self.completeChanged.emit()

        def failed(error: BaseException) -> None:
            self.undo.setEnabled(True)
            self.error.show_message(error_sentence(error))
            self.completeChanged.emit()

        owner.run(lambda: importer.undoing(batch.id), done, failed, self.bar)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.finished and not self.owner.busy
