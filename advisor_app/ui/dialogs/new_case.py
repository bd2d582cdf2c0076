"""Opening a case: the person's name and the project in a few words; more on the pages.

Before anything is created, the people who may already have a case (the same names, e-mail
address, or birth date and last name: `CaseService.find_duplicates`) are listed with what
tells them apart; the advisor opens the existing case, creating nothing, or creates anyway.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import ValidationError
from advisor_app.i18n import _, describe, format_date, label, ngettext, parse_date
from advisor_app.services import NewCase
from advisor_app.services.views import DuplicateWarning
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel, say_refusal


class NewCaseDialog(QDialog):
    """Accepted with `case_id`: the case created, or the existing one the advisor chose to
    open instead (`created` says which)."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.created = False
        self.setWindowTitle(_("New case"))
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(_("e.g. 14/03/1990"))
        self.email = QLineEdit()
        self.commune = QLineEdit()
        self.project = QLineEdit()
        self.consent = QCheckBox(_("The person agrees to the processing of their data"))
        self.errors = {
            n: ErrorLabel() for n in ("first_name", "last_name", "birth_date", "email", "other")
        }
        form = QFormLayout()
        form.addRow(_("First name"), self.first_name)
        form.addRow("", self.errors["first_name"])
        form.addRow(_("Last name"), self.last_name)
        form.addRow("", self.errors["last_name"])
        form.addRow(_("Birth date"), self.birth_date)
        form.addRow("", self.errors["birth_date"])
        form.addRow(_("E-mail"), self.email)
        form.addRow("", self.errors["email"])
        form.addRow(_("Commune"), self.commune)
        form.addRow(_("Project"), self.project)
        form.addRow(self.consent)
        buttons, _accept = accept_cancel(self, self.save, _("Open the case"))
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        # What the advisor chose to create anyway: not asked again for the same person.
        self._create_anyway_for: tuple[str, ...] | None = None
        self.duplicates_dialog: DuplicatesDialog | None = None

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        try:
            birth = (
                parse_date("birth_date", self.birth_date.text())
                if self.birth_date.text().strip()
                else None
            )
        except ValidationError as error:
            self.errors["birth_date"].show_message(describe(error))
            return
        existing = self._existing_case_chosen(birth)
        if existing is not None:
            if existing:
                self.case_id = existing
                self.accept()
            return
        new = NewCase(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            birth_date=birth,
            email=self.email.text(),
            commune=self.commune.text(),
            project_title=self.project.text(),
            processing_consent_how=_("Recorded at the first interview")
            if self.consent.isChecked()
            else None,
        )
        cases = self.session.services.cases

        def landed(created: tuple[str, list[DuplicateWarning], object]) -> None:
            self.case_id, self.created = created[0], True
            self.accept()

        # written by the one writer, off the interface thread; the dialog stays open (its
        # buttons off) until the case is written, and says a refusal at its field
        self.buttons.setEnabled(False)
        self.session.write(lambda: cases.create(new), landed, self._refused)

    def _refused(self, error: BaseException) -> bool:
        self.buttons.setEnabled(True)
        return say_refusal(self.errors, error)

    def _existing_case_chosen(self, birth: date | None) -> str | None:
        """None to create the case; else the id of the existing case to open instead, or ""
        to stay on the form (the advisor went back to it)."""
        typed = (self.first_name.text(), self.last_name.text(), str(birth), self.email.text())
        if not self.last_name.text().strip() or self._create_anyway_for == typed:
            return None
        found = self.session.services.cases.find_duplicates(
            self.first_name.text(), self.last_name.text(), birth, self.email.text()
        )
        if not found:
            return None
        self.duplicates_dialog = DuplicatesDialog(found, self)
        choice = self.duplicates_dialog.exec()
        if choice == DuplicatesDialog.CREATE_ANYWAY:
            self._create_anyway_for = typed
            return None
        if choice == DuplicatesDialog.OPEN_EXISTING and self.duplicates_dialog.chosen:
            return self.duplicates_dialog.chosen
        return ""


class DuplicatesDialog(QDialog):
    """The cases that may be this person's, with what tells them apart; "Open this case"
    (`exec` returns OPEN_EXISTING, `chosen` is its id) or "Create anyway" (CREATE_ANYWAY);
    Escape goes back to the form (Rejected)."""

    OPEN_EXISTING = 2
    CREATE_ANYWAY = 3
    COLUMNS = 6

    def __init__(self, found: list[DuplicateWarning], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.found = found
        self.chosen: str | None = None
        self.setWindowTitle(_("This person may already have a case"))
        self.intro = QLabel(
            ngettext(
                "A case that may be this person's is already in the workspace. "
                "Open it rather than creating a second one?",
                "{count} cases that may be this person's are already in the workspace. "
                "Open one of them rather than creating another?",
                len(found),
            ).format(count=len(found))
        )
        self.intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels(
            [_("Name"), _("Birth date"), _("Commune"), _("Status"), _("Opened on"), _("Reason")]
        )
        self.table.setAccessibleName(_("Cases that may be this person's"))
        for duplicate in found:
            item = QTreeWidgetItem(duplicate_row(duplicate))
            item.setData(0, Qt.ItemDataRole.UserRole, duplicate.case_id)
            self.table.addTopLevelItem(item)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # every cell whole when the screen allows (half of a 1,920-pixel screen at most)
        needed = sum(
            max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(self.COLUMNS)
        )
        width = min(max(needed + 60, 560), 940)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
        self.table.itemDoubleClicked.connect(lambda _item, _column: self.open_existing())
        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton(_("Open this case"))
        self.open_button.setDefault(True)
        self.create_button = QPushButton(_("Create anyway"))
        self.back_button = QPushButton(_("Back to the form"))
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(self.open_existing)
        self.create_button.clicked.connect(lambda: self.done(self.CREATE_ANYWAY))
        self.back_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(width, 160 + 28 * min(len(found), 6))

    def open_existing(self) -> None:
        item = self.table.currentItem()
        if item is None:
            return
        self.chosen = str(item.data(0, Qt.ItemDataRole.UserRole))
        self.done(self.OPEN_EXISTING)


def duplicate_row(duplicate: DuplicateWarning) -> list[str]:
    """What tells the person's cases apart: name, birth date, commune, status, opening day,
    and why it was found."""
    return [
        duplicate.holder,
        format_date(duplicate.birth_date) if duplicate.birth_date else "—",
        duplicate.commune or "—",
        label(duplicate.status),
        format_date(duplicate.opened_on) if duplicate.opened_on else "—",
        sentence_case(_(duplicate.reason)),
    ]


def sentence_case(text: str) -> str:
    """ "same e-mail address" as a cell of its own: "Same e-mail address"."""
    return text[:1].upper() + text[1:]
