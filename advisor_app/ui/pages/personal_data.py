"""The person's rights on the Backups and data page: erasures to finish, the right of access,
closed cases past the retention period (to anonymise or erase)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import _, format_date
from advisor_app.ui.dialogs.access_export import AccessExportAction, export_access
from advisor_app.ui.dialogs.confirm import Confirmation, confirm
from advisor_app.ui.dialogs.progress import run_then_tell
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from advisor_app.ui.widgets.buttons import FlowLayout

if TYPE_CHECKING:
    pass

ID_ROLE = Qt.ItemDataRole.UserRole


def selected_id(widget: QListWidget) -> str | None:
    item = widget.currentItem()
    return str(item.data(ID_ROLE)) if item is not None else None


class BackgroundList:
    """What a box lists (every case, at 10,000 cases), read off the interface thread and
    shown when it comes, unless asked again meanwhile."""

    def __init__(self, session: AppSession) -> None:
        self.session = session
        self.asked = 0
        self.loading = False

    def read(self, work: Callable[[], Any], show: Callable[[Any], None]) -> None:
        self.asked += 1
        asked = self.asked
        self.loading = True

        def arrived(result: object) -> None:
            if asked == self.asked:
                self.loading = False
                show(result)

        def failed(_error: BaseException) -> bool:
            if asked == self.asked:
                self.loading = False
            return False  # said as any failure

        self.session.tasks.read(work, arrived, failed)


class ErasuresBox(QGroupBox):
    """Erasures that were interrupted (a crash, a power cut): each is finished by running
    it again, which reaches whatever it had not reached yet. Hidden when there is none."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: Task | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setFixedHeight(70)
        self.finish_button = QPushButton()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list)
        row = FlowLayout()
        row.addWidget(self.finish_button)
        layout.addLayout(row)
        self.setStyleSheet("QGroupBox { color: #8a4b00; font-weight: 600; }")
        self.finish_button.clicked.connect(self.finish_selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Interrupted erasures"))
        self.intro.setText(
            _(
                "These erasures were stopped before their end: part of each case may still be "
                "in the workspace or its backups. Finish them."
            )
        )
        self.finish_button.setText(_("Finish the erasure"))

    def refresh(self) -> None:
        self.list.clear()
        for case_id in self.session.services.privacy.unfinished_erasures():
            item = QListWidgetItem(_("Case {case_id}").format(case_id=case_id))
            item.setData(ID_ROLE, case_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.setVisible(self.list.count() > 0)

    def finish_selected(self) -> Task | None:
        case_id = selected_id(self.list)
        if case_id is None:
            return None
        services = self.session.services
        self.task = run_then_tell(
            self.session,
            self,
            lambda: services.privacy.erase(case_id),
            _("The erasure is finished: only the fact that a case was erased is kept."),
            waiting=_("Finishing the erasure…"),
        )
        return self.task


class AccessBox(QGroupBox):
    """The right of access: everything Boussole holds about a person, written to a folder."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.action: AccessExportAction | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.case = QComboBox()
        # a string list model filled in one call: 10,000 names as combo items take 30 ms
        self.case_names = QStringListModel(self)
        self.case.setModel(self.case_names)
        self._case_ids: list[str] = []  # of the names in `case`, in their order
        self.names = BackgroundList(session)
        self.case.setEditable(True)
        self.case.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.case.model(), self.case)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.case.setCompleter(completer)
        self.export_button = QPushButton()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        # the chooser above its button: a long name and a long label side by side would not
        # fit half a screen
        self.case.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case.setMinimumContentsLength(16)
        layout.addWidget(self.case)
        row = FlowLayout()
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.export_button.clicked.connect(self.export_chosen)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Right of access"))
        self.intro.setText(
            _(
                "A person may ask for everything held about them: it is written to a folder "
                "of your choice as a PDF to read, a JSON file and the attachments."
            )
        )
        self.export_button.setText(_("Export everything held about this person…"))
        self.case.setAccessibleName(_("Project holder"))
        line = self.case.lineEdit()
        if line is not None:
            line.setPlaceholderText(_("Project holder"))

    def refresh(self) -> None:
        self.names.read(self.session.services.search.names, self._show_names)

    def _show_names(self, names: list[tuple[str, str]]) -> None:
        index = self.case.currentIndex()
        chosen = self._case_ids[index] if 0 <= index < len(self._case_ids) else None
        # the names in one call, their case ids beside (10,000 items one by one are slow)
        self._case_ids = [case_id for case_id, _name in names]
        self.case_names.setStringList([name or case_id for case_id, name in names])
        found = self._case_ids.index(chosen) if chosen in self._case_ids else -1
        self.case.setCurrentIndex(found)

    def export_chosen(self) -> AccessExportAction | None:
        index = self.case.findText(self.case.currentText())
        if index < 0:
            return None
        self.case.setCurrentIndex(index)
        self.action = export_access(
            self, self.session, self._case_ids[index], self.case.itemText(index)
        )
        return self.action


class RetentionBox(QGroupBox):
    """Closed cases whose last contact is older than the retention period."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.confirmation: Confirmation | None = None
        self.list = QListWidget()
        self.list.setFixedHeight(120)
        self.candidates = BackgroundList(session)
        self.anonymise_button = QPushButton()
        self.erase_button = QPushButton()
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        row = FlowLayout()
        row.addWidget(self.anonymise_button)
        row.addWidget(self.erase_button)
        layout.addLayout(row)
        self.anonymise_button.clicked.connect(self.anonymise_selected)
        self.erase_button.clicked.connect(self.erase_selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Closed cases past the retention period"))
        self.anonymise_button.setText(_("Anonymise…"))
        self.erase_button.setText(_("Erase…"))

    def refresh(self) -> None:
        past_retention = self.session.services.privacy.past_retention

        def lines() -> list[tuple[str, str]]:
            """Said on the read thread: formatting hundreds of dates is not the window's work."""
            return [
                (
                    candidate.case_id,
                    _("{holder}, last contact {date}").format(
                        holder=candidate.holder, date=format_date(candidate.reference)
                    ),
                )
                for candidate in past_retention()
            ]

        self.candidates.read(lines, self._show)

    def _show(self, lines: list[tuple[str, str]]) -> None:
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for case_id, text in lines:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, case_id)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)

    def anonymise_selected(self) -> Confirmation | None:
        case_id = selected_id(self.list)
        if case_id is None:
            return None
        services = self.session.services
        self.confirmation = confirm(
            self,
            _(
                "Remove the identity and the free texts of this case? Figures for statistics "
                "are kept. This cannot be undone."
            ),
            _("Anonymise"),
            lambda: self._run(lambda: services.privacy.anonymise(case_id), ""),
        )
        return self.confirmation

    def erase_selected(self) -> Confirmation | None:
        case_id = selected_id(self.list)
        if case_id is None:
            return None
        services = self.session.services
        self.confirmation = confirm_erase(
            self,
            lambda: self._run(lambda: services.privacy.erase(case_id), _("The case was erased.")),
        )
        return self.confirmation

    def _run(self, call: Callable[[], object], success: str) -> None:
        run_then_tell(self.session, self, call, success)


def confirm_erase(parent: QWidget, on_confirm: Callable[[], None]) -> Confirmation:
    """The confirmation asked before an erasure."""
    return confirm(
        parent,
        _(
            "Erase this case everywhere: its file, its index, its queued packages and its "
            "copies in the backups? Only the fact that a case was erased is kept. This cannot "
            "be undone."
        ),
        _("Erase"),
        on_confirm,
    )
