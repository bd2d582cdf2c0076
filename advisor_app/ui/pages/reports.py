"""Reports: choose a report, a case or a period, a language; print it or save it as a PDF.

"Print…" writes the report into a private temporary folder, asks Qt's print dialog for the
printer and the pages, and prints it (`ui/pdf_printing`). "Save as PDF…" proposes a name made
of the document, the person and the date ("Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf",
`services/document_names`) in the folder last used for reports. The batch writes the
progress report of every active case into a folder under the same names, replacing nothing.

Everything slow runs in the background with a progress dialog (batches can be cancelled),
and so does reading the list of cases for the chooser: 10,000 of them must not hold up the
window. The chooser's names are held by a `QStringListModel` (Qt's own storage, filled in one
call) and the case ids in a list beside it. In team mode (the workspace holds a case shared
with the team, read with the list) the activity report covers the advisor's own cases or the
team's shared ones too.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStringListModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import CaseScope, CaseStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, current_language, describe, format_money, label, ngettext
from advisor_app.services import CaseFilter, Changes, Progress
from advisor_app.services.reports import (
    PASSWORD_MIN_LENGTH,
    REPORT_KINDS,
    ReportKind,
    ReportRequest,
    ReportService,
    check_password,
    report_kind,
)
from advisor_app.services.views import CaseSummary
from advisor_app.ui.case.base import Translated
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.file_dialogs import FileKind, choose_folder, choose_save_file
from advisor_app.ui.pdf_printing import pdf_page_count, print_pdf
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from advisor_app.ui.widgets.banner import Saying

LANGUAGES = (("fr", "Français"), ("en", "English"))
# Whose cases the activity report covers, in team mode.
REPORT_SCOPES = (
    (CaseScope.MINE, N_("My cases")),
    (CaseScope.ALL, N_("My cases and those the team shares")),
)


class ReportsPage(QWidget):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.texts = Translated()
        self.last_written: Path | None = None
        self._wrote_folder = False  # last_written is the folder of a batch
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.kind = QComboBox()
        for kind in REPORT_KINDS:
            self.kind.addItem("", kind.key)
        self.description = QLabel()
        self.description.setWordWrap(True)
        # The chooser of cases: names in Qt's own list model, ids beside them (see above).
        self.case_names = QStringListModel(self)
        self.case_ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._loading: Task | None = None
        self._load_again = False
        self._prepared_while_loading: set[str] = set()
        self.case = QComboBox()
        self.case.setEditable(True)
        self.case.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.case.setModel(self.case_names)
        self.case.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case.setMinimumContentsLength(28)
        self.case.setMaxVisibleItems(15)
        popup = self.case.view()
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(True)  # 10,000 rows laid out without measuring each
        completer = QCompleter(self.case_names, self.case)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.case.setCompleter(completer)
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        today = session.services.context.today()
        self.first.setDate(QDate(today.year, 1, 1))
        self.last.setDate(QDate(today.year, today.month, today.day))
        self.funding = QComboBox()
        self.scope = QComboBox()
        for scope, _text in REPORT_SCOPES:
            self.scope.addItem("", scope)
        self._team = False  # the workspace shares cases with a team (read with the cases)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.print_button = QPushButton()
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.batch_button = QPushButton()
        self.status = Saying()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton()
        self.open_button.setVisible(False)
        self._print_folder: tempfile.TemporaryDirectory[str] | None = None

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rows: dict[str, QWidget] = {}
        for key, caption, field in (
            ("kind", N_("Report"), self.kind),
            ("case", N_("Project holder"), self.case),
            ("first", N_("From"), self.first),
            ("last", N_("To"), self.last),
            ("funding", N_("Funding request"), self.funding),
            ("scope", N_("Cases covered"), self.scope),
            ("password", N_("Password (optional)"), self.password),
            ("password_again", N_("Same password again"), self.password_again),
            ("language", N_("Language of the report"), self.language),
        ):
            caption_label = QLabel()
            caption_label.setBuddy(field)
            self.form.addRow(self.texts.add(caption_label, caption), field)
            self.rows[key] = field
        box = QGroupBox()
        self.box = box
        inner = QVBoxLayout(box)
        inner.addWidget(self.description)
        inner.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.batch_button)
        inner.addLayout(buttons)
        result = QHBoxLayout()
        result.addWidget(self.status, 1)
        result.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(box)
        layout.addLayout(result)
        layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.case.currentIndexChanged.connect(self._case_chosen)
        self.print_button.clicked.connect(lambda: self.print_report())
        self.save_button.clicked.connect(self.choose_file_and_save)
        self.batch_button.clicked.connect(self.choose_folder_and_print_batch)
        self.open_button.clicked.connect(self.open_last)
        session.changed.connect(self._on_changed)
        self._cases_stale = True
        self.retranslate()

    # -- content ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Reports"))
        self.box.setTitle(_("Print a report"))
        for index, kind in enumerate(REPORT_KINDS):
            self.kind.setItemText(index, _(kind.title))
        for index, (_scope, text) in enumerate(REPORT_SCOPES):
            self.scope.setItemText(index, _(text))
        self.texts.retranslate()
        self.status.retranslate()
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save as PDF…"))
        self.batch_button.setText(_("Progress reports of all active cases…"))
        self._name_open_button()
        self.password.setPlaceholderText(
            _("At least {minimum} characters; empty for a file without password").format(
                minimum=PASSWORD_MIN_LENGTH
            )
        )
        line = self.case.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Type a name to find the case"))
        code = current_language()
        self.language.setCurrentIndex(max(0, self.language.findData(code)))
        self._kind_chosen()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        if self._cases_stale:
            self.reload_cases()
        super().showEvent(event)  # type: ignore[arg-type]

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_list:
            self._cases_stale = True
            if self.isVisible():
                self.reload_cases()

    def reload_cases(self) -> None:
        """Read the cases for the chooser in the background; the list is swapped in whole when
        it arrives, the case chosen kept."""
        self._cases_stale = False
        if self._loading is not None:
            self._load_again = True
            return
        search = self.session.services.search
        self._loading = self.session.tasks.run(
            lambda: (*case_choices(search.cases()), search.has_shared_cases()),
            on_done=self._cases_loaded,
            on_error=self._cases_not_loaded,
        )

    def _cases_loaded(self, choices: object) -> None:
        self._loading = None
        if isinstance(choices, tuple):
            ids, names, team = choices
            self._set_choices(list(ids), list(names))
            if bool(team) != self._team:
                self._team = bool(team)
                self._kind_chosen()
        if self._load_again:
            self._load_again = False
            self.reload_cases()

    def _cases_not_loaded(self, error: BaseException) -> bool:
        self._loading = None
        self._cases_stale = True
        return False  # said by the window, as any failure of background work

    def _set_choices(self, ids: list[str], names: list[str]) -> None:
        chosen = self.case_id()
        if chosen is not None and chosen in self._prepared_while_loading and chosen not in ids:
            # Chosen while the list was being read (a case just created): kept.
            ids.append(chosen)
            names.append(self.case_names.stringList()[self._rows[chosen]])
        self._prepared_while_loading.clear()
        self.case.blockSignals(True)
        self.case_ids = ids
        self._rows = {case_id: row for row, case_id in enumerate(ids)}
        self.case_names.setStringList(names)
        self.case.setCurrentIndex(self._rows.get(chosen, -1) if chosen else -1)
        self.case.blockSignals(False)
        if self.case_id() != chosen:
            self._case_chosen()

    def case_choices_loaded(self) -> bool:
        """The chooser lists every case (its background reading is over)."""
        return self._loading is None and not self._cases_stale

    def prepare(self, case_id: str, kind: str = "progress") -> None:
        """Preselect a case and a report (the "Print report" action of a case), at once,
        even while the list of cases is still being read."""
        if self._cases_stale:
            self.reload_cases()
        self.kind.setCurrentIndex(self.kind.findData(kind))
        if case_id not in self._rows:
            try:
                case = self.session.services.cases.get(case_id)
            except AdvisorError as error:
                self.status.setText(describe(error))
                return
            if self._loading is not None:
                self._prepared_while_loading.add(case_id)
            row = len(self.case_ids)
            self.case_ids.append(case_id)
            self._rows[case_id] = row
            self.case_names.insertRows(row, 1)
            self.case_names.setData(
                self.case_names.index(row),
                choice_text(case.person.display_name, case.project.title),
            )
        self.case.setCurrentIndex(self._rows[case_id])

    def chosen_kind(self) -> ReportKind:
        return report_kind(str(self.kind.currentData()))

    def case_id(self) -> str | None:
        row = self.case.currentIndex()
        return self.case_ids[row] if 0 <= row < len(self.case_ids) else None

    def _kind_chosen(self) -> None:
        kind = self.chosen_kind()
        self.description.setText(_(kind.description))
        visible = {
            "case": kind.needs_case,
            "first": kind.needs_period,
            "last": kind.needs_period,
            "funding": kind.can_choose_funding,
            "scope": kind.can_choose_scope and self._team,
            "password": kind.can_protect,
            "password_again": kind.can_protect,
        }
        for key, shown in visible.items():
            self.form.setRowVisible(self.rows[key], shown)
        self._case_chosen()

    def _case_chosen(self) -> None:
        line = self.case.lineEdit()
        if line is not None:
            line.setCursorPosition(0)  # the person's name first, not the end of the project
        self.funding.clear()
        case_id = self.case_id()
        if case_id is None or not self.chosen_kind().can_choose_funding:
            return
        try:
            case = self.session.services.cases.get(case_id)
        except AdvisorError as error:
            self.status.setText(describe(error))
            return
        self.funding.addItem(_("The pending request, or the latest"), None)
        for request in case.funding:
            self.funding.addItem(
                f"{request.funder} — {label(request.kind)} — "
                f"{format_money(request.amount_asked_cents)}",
                request.id,
            )

    def request(self) -> ReportRequest:
        kind = self.chosen_kind()
        return ReportRequest(
            kind=kind.key,
            case_id=self.case_id() if kind.needs_case else None,
            first=_to_date(self.first.date()) if kind.needs_period else None,
            last=_to_date(self.last.date()) if kind.needs_period else None,
            funding_id=self.funding.currentData() if kind.can_choose_funding else None,
            scope=self.chosen_scope(),
            password=(self.password.text() or None) if kind.can_protect else None,
            language=str(self.language.currentData()),
        )

    def chosen_scope(self) -> CaseScope:
        """The activity report's cases: the advisor's own unless the team's are asked for
        too (offered only in team mode)."""
        chosen = self.scope.currentData()  # the value: Qt keeps the enum as a plain str
        if self._team and self.chosen_kind().can_choose_scope and chosen:
            return CaseScope(chosen)
        return CaseScope.MINE

    # -- what is missing ---------------------------------------------------------------

    def password_problem(self) -> str | None:
        """Why the password typed cannot protect the file (too short, typed differently the
        second time), before a file is chosen; None when it can, or when there is none."""
        password = self.password.text()
        if not self.chosen_kind().can_protect or not password:
            return None
        try:
            check_password(password)
        except AdvisorError as error:
            return describe(error)
        if password != self.password_again.text():
            return _("The two passwords differ: type the same one twice.")
        return None

    def choice_problem(self) -> str | None:
        """What must still be chosen before printing (a case), said before any dialog."""
        if self.chosen_kind().needs_case and self.case_id() is None:
            return _("Choose the case to print.")
        return None

    def _refused(self, problem: str | None) -> bool:
        if problem is not None:
            self.status.setText(problem)
            self.open_button.setVisible(False)
        return problem is not None

    # -- saving as PDF -------------------------------------------------------------------

    def suggested_name(self) -> str:
        """ "Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf": the document, the person, the day."""
        return ReportService(self.session.services).file_name(self.request())

    def choose_file_and_save(self) -> None:
        if self._refused(self.choice_problem() or self.password_problem()):
            return
        try:
            name = self.suggested_name()
        except AdvisorError as error:
            self._refused(describe(error))
            return
        path = choose_save_file(
            self, FileKind.REPORTS, _("Save the report"), name, _("PDF documents (*.pdf)")
        )
        if path is not None:
            self.print_to(path)

    def print_to(self, path: Path) -> None:
        """Write the chosen report into `path` in the background."""
        if self._refused(self.password_problem()):
            return
        request = self.request()
        service = ReportService(self.session.services)
        self.status.setText(_("Saving the report…"))
        self.open_button.setVisible(False)
        task = self.session.tasks.run(
            lambda: service.render(request, path), on_done=self._written, on_error=self._failed
        )
        follow(task, _("Saving the report…"), self, cancellable=False)

    # -- printing on paper ---------------------------------------------------------------

    def print_report(self, printer: QPrinter | None = None) -> None:
        """Print the chosen report: written as a PDF in a private temporary folder, then,
        once the advisor chose the printer and the pages in Qt's print dialog, printed.
        Given a `printer` already set (as tests do), the dialog is not shown."""
        if self._refused(self.choice_problem()):
            return
        request = replace(self.request(), password=None)  # paper needs no password
        service = ReportService(self.session.services)
        try:
            name = service.file_name(request)
        except AdvisorError as error:
            self._refused(describe(error))
            return
        self._forget_print_folder()
        self._print_folder = tempfile.TemporaryDirectory(prefix="boussole-print-")
        path = Path(self._print_folder.name) / name
        self.status.setText(_("Preparing the report for printing…"))
        self.open_button.setVisible(False)
        task = self.session.tasks.run(
            lambda: service.render(request, path),
            on_done=lambda written: self._ready_to_print(Path(str(written)), printer),
            on_error=self._failed,
        )
        follow(task, _("Preparing the report for printing…"), self, cancellable=False)

    def _ready_to_print(self, path: Path, printer: QPrinter | None) -> None:
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(path.stem)
            if not self.ask_printer(printer, pdf_page_count(path)):
                self.status.setText(_("Printing cancelled."))
                self._forget_print_folder()
                return
        else:
            printer.setDocName(path.stem)
        self.status.setText(_("Printing…"))
        task = self.session.tasks.run(
            lambda: print_pdf(path, printer),
            on_done=self._printed,
            on_error=self._failed,
        )
        task.done.connect(lambda _result: self._forget_print_folder())
        task.error.connect(lambda _error: self._forget_print_folder())
        follow(task, _("Sending the report to the printer…"), self, cancellable=False)

    def ask_printer(self, printer: QPrinter, pages: int) -> bool:
        """Qt's print dialog: the printer, the pages (1 to `pages`), the copies."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the report"))
        dialog.setMinMax(1, max(1, pages))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _printed(self, pages: object) -> None:
        count = pages if isinstance(pages, int) else 0
        self.status.say(
            lambda: ngettext(
                "{count} page sent to the printer.", "{count} pages sent to the printer.", count
            ).format(count=count)
        )

    def _forget_print_folder(self) -> None:
        if self._print_folder is not None:
            shutil.rmtree(self._print_folder.name, ignore_errors=True)
            self._print_folder = None

    # -- many at once --------------------------------------------------------------------

    def choose_folder_and_print_batch(self) -> None:
        folder = choose_folder(self, FileKind.REPORTS, _("Folder for the progress reports"))
        if folder is not None:
            self.print_batch(folder)

    def print_batch(self, folder: Path) -> None:
        """Progress reports of every active case into `folder`, named after each person
        (nothing replaced), with progress and cancel."""
        services = self.session.services
        service = ReportService(services)
        language = str(self.language.currentData())
        self.status.setText(_("Printing…"))
        self.open_button.setVisible(False)

        def work() -> Iterator[Progress | int]:
            case_ids = [
                row.case_id
                for row in services.search.cases(CaseFilter(status=CaseStatus.ACTIVE))
                if not row.damaged
            ]
            yield from service.progress_batch(case_ids, folder, language)
            yield len(case_ids)  # the result

        task = self.session.tasks.run(
            work,
            on_done=lambda count: self._batch_written(folder, int(count)),
            on_error=self._failed,
        )
        follow(task, _("Printing the progress reports…"), self, cancellable=True)

    def _batch_written(self, folder: Path, count: int) -> None:
        self.last_written = folder
        self._wrote_folder = True
        self.status.say(
            lambda: ngettext(
                "{count} progress report saved in {folder}.",
                "{count} progress reports saved in {folder}.",
                count,
            ).format(count=count, folder=folder)
        )
        self._name_open_button()
        self.open_button.setVisible(True)

    # -- what was written ----------------------------------------------------------------

    def _written(self, path: object) -> None:
        if isinstance(path, Path):
            self.last_written = path
            self._wrote_folder = False
            written = path
            self.status.say(lambda: _("Saved in {path}.").format(path=written))
            self._name_open_button()
            self.open_button.setVisible(True)

    def _name_open_button(self) -> None:
        self.open_button.setText(_("Open the folder") if self._wrote_folder else _("Open the file"))

    def _failed(self, error: BaseException) -> bool:
        """A refusal (a case to choose, a password too short...) is said on the page; any
        other failure goes to the window, which says it and points to the log."""
        self._forget_print_folder()
        if isinstance(error, AdvisorError):
            self.status.say(lambda: describe(error))
            return True
        self.status.say(lambda: _("The report could not be printed; the details are in the log."))
        return False

    def open_last(self) -> None:
        if self.last_written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_written)))


def choice_text(name: str, project_title: str) -> str:
    return f"{name} — {project_title}" if project_title else name


def case_choices(rows: Sequence[CaseSummary]) -> tuple[list[str], list[str]]:
    """The ids and the names of the cases a report can be printed for (not the damaged)."""
    shown = [row for row in rows if not row.damaged]
    return (
        [row.case_id for row in shown],
        [choice_text(row.display_name, row.project_title) for row in shown],
    )


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
