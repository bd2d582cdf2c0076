"""Reports: choose a report, a case or a period, a language, where to save; print it.

Printing runs in the background (the activity report and batches of progress reports can
take a while), with a progress dialog and, for batches, a cancel button.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, current_language, describe, format_money, label
from advisor_app.services import CaseFilter, Changes
from advisor_app.services.reports import (
    PASSWORD_MIN_LENGTH,
    REPORT_KINDS,
    ReportKind,
    ReportRequest,
    ReportService,
    check_password,
    report_kind,
)
from advisor_app.ui.case.base import Translated
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.session import AppSession

LANGUAGES = (("fr", "Français"), ("en", "English"))


class ReportsPage(QWidget):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.texts = Translated()
        self.last_written: Path | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.kind = QComboBox()
        for kind in REPORT_KINDS:
            self.kind.addItem("", kind.key)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.case = QComboBox()
        self.case.setEditable(True)
        self.case.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.case.setMinimumWidth(420)
        completer = QCompleter(self.case.model(), self.case)
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
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.print_button = QPushButton()
        self.print_button.setDefault(True)
        self.batch_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.setVisible(False)

        self.form = QFormLayout()
        self.rows: dict[str, QWidget] = {}
        for key, caption, field in (
            ("kind", N_("Report"), self.kind),
            ("case", N_("Project holder"), self.case),
            ("first", N_("From"), self.first),
            ("last", N_("To"), self.last),
            ("funding", N_("Funding request"), self.funding),
            ("password", N_("Password (optional)"), self.password),
            ("password_again", N_("Same password again"), self.password_again),
            ("language", N_("Language of the report"), self.language),
        ):
            caption_label = self.texts.add(QLabel(), caption)
            self.form.addRow(caption_label, field)
            self.rows[key] = field
        box = QGroupBox()
        self.box = box
        inner = QVBoxLayout(box)
        inner.addWidget(self.description)
        inner.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
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
        self.print_button.clicked.connect(self.choose_file_and_print)
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
        self.texts.retranslate()
        self.print_button.setText(_("Print…"))
        self.batch_button.setText(_("Progress reports of all active cases…"))
        self.open_button.setText(_("Open the file"))
        self.password.setPlaceholderText(
            _("At least {minimum} characters; empty for a file without password").format(
                minimum=PASSWORD_MIN_LENGTH
            )
        )
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
        chosen = self.case_id()
        self.case.blockSignals(True)
        self.case.clear()
        for row in self.session.services.search.cases():
            if row.damaged:
                continue
            text = (
                f"{row.display_name} — {row.project_title}"
                if row.project_title
                else row.display_name
            )
            self.case.addItem(text, row.case_id)
        self.case.setCurrentIndex(self.case.findData(chosen) if chosen else -1)
        self.case.blockSignals(False)
        self._cases_stale = False
        self._case_chosen()

    def prepare(self, case_id: str, kind: str = "progress") -> None:
        """Preselect a case and a report (the "Print report" action of a case)."""
        if self._cases_stale or self.case.findData(case_id) < 0:
            self.reload_cases()
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.case.setCurrentIndex(self.case.findData(case_id))

    def chosen_kind(self) -> ReportKind:
        return report_kind(str(self.kind.currentData()))

    def case_id(self) -> str | None:
        if self.case.currentIndex() < 0:
            return None
        data = self.case.currentData()
        return str(data) if data else None

    def _kind_chosen(self) -> None:
        kind = self.chosen_kind()
        self.description.setText(_(kind.description))
        visible = {
            "case": kind.needs_case,
            "first": kind.needs_period,
            "last": kind.needs_period,
            "funding": kind.can_choose_funding,
            "password": kind.can_protect,
            "password_again": kind.can_protect,
        }
        for key, shown in visible.items():
            self.form.setRowVisible(self.rows[key], shown)

    def _case_chosen(self) -> None:
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
            password=(self.password.text() or None) if kind.can_protect else None,
            language=str(self.language.currentData()),
        )

    # -- printing --------------------------------------------------------------------

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

    def choose_file_and_print(self) -> None:
        problem = self.password_problem()
        if problem is not None:
            self.status.setText(problem)
            return
        kind = self.chosen_kind()
        suggested = str(Path.home() / f"{_(kind.title)}.pdf")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the report"), suggested, _("PDF documents (*.pdf)")
        )
        if path:
            self.print_to(Path(path))

    def print_to(self, path: Path) -> None:
        """Print the chosen report into `path` in the background."""
        problem = self.password_problem()
        if problem is not None:
            self.status.setText(problem)
            return
        request = self.request()
        service = ReportService(self.session.services)
        self.status.setText(_("Printing…"))
        self.open_button.setVisible(False)
        task = self.session.tasks.run(lambda: service.render(request, path), on_done=self._written)
        task.error.connect(self._failed)
        follow(task, _("Printing the report…"), self, cancellable=False)

    def choose_folder_and_print_batch(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the progress reports"))
        if folder:
            self.print_batch(Path(folder))

    def print_batch(self, folder: Path) -> None:
        """Progress reports of every active case into `folder`, with progress and cancel."""
        services = self.session.services
        case_ids = [
            row.case_id
            for row in services.search.cases(CaseFilter(status=CaseStatus.ACTIVE))
            if not row.damaged
        ]
        service = ReportService(services)
        language = str(self.language.currentData())
        self.status.setText(_("Printing…"))
        task = self.session.tasks.run(
            lambda: service.progress_batch(case_ids, folder, language),
            on_done=lambda _result: self._written(folder),
        )
        task.error.connect(self._failed)
        follow(task, _("Printing the progress reports…"), self, cancellable=True)

    def _written(self, path: object) -> None:
        if isinstance(path, Path):
            self.last_written = path
            self.status.setText(_("Saved in {path}.").format(path=path))
            self.open_button.setVisible(True)

    def _failed(self, error: object) -> None:
        if isinstance(error, AdvisorError):
            self.status.setText(describe(error))
        else:
            self.status.setText(_("The report could not be printed; the details are in the log."))

    def open_last(self) -> None:
        if self.last_written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_written)))


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
