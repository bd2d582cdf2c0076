"""Partners in Settings: who receives packages, and where; add one, remove one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe
from advisor_app.services import Changes
from advisor_app.services.partners import PartnerView
from advisor_app.ui.dialogs.confirm import Confirmation, confirm
from advisor_app.ui.dialogs.partner import PartnerDialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.banner import Saying
from advisor_app.ui.widgets.buttons import FlowLayout
from advisor_app.ui.widgets.fields import ErrorLabel


def where_text(partner: PartnerView) -> str:
    """Where a partner's packages go, as the advisor reads it."""
    if partner.transport == "folder":
        return _("Folder {folder}").format(folder=partner.location)
    return _("WebDAV {url} as {user}").format(url=partner.location, user=partner.user)


def no_partner() -> str:
    return _("No partner yet.")


class PartnersBox(QGroupBox):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.partners: list[PartnerView] = []
        self.dialog: PartnerDialog | None = None
        self.confirmation: Confirmation | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(200)
        self.status = Saying()
        self.error = ErrorLabel()
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        buttons = FlowLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(self.add_partner)
        self.remove_button.clicked.connect(self.ask_remove)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Partners"))
        self.intro.setText(
            _(
                "Partners receive the packages you export from a case, once the person "
                "has consented to share it with them."
            )
        )
        self.add_button.setText(_("Add a partner…"))
        self.remove_button.setText(_("Remove"))
        self.table.setHorizontalHeaderLabels([_("Name"), _("Kind"), _("Packages go to")])
        self.table.setAccessibleName(_("Partners"))
        self.status.retranslate()
        self.error.show_message("")  # a refusal said in the other language: no longer news
        self.refresh()

    def refresh(self) -> None:
        self.partners = self.session.services.partners.all()
        self.table.setRowCount(len(self.partners))
        for row, partner in enumerate(self.partners):
            for column, text in enumerate(
                (partner.name, _(partner.kind_label_id), where_text(partner))
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, partner.name)
                self.table.setItem(row, column, item)
        if not self.partners:
            if self.status.sentence is None:  # "… removed." is the news, when it was said
                self.status.say(no_partner)
        elif self.status.sentence is no_partner:
            self.status.say(None)
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if changes.settings:
            self.refresh()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def selected(self) -> PartnerView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.partners[rows[0].row()]

    def select(self, name: str) -> None:
        for row, partner in enumerate(self.partners):
            if partner.name == name:
                self.table.selectRow(row)
                return

    # -- actions ------------------------------------------------------------------------

    def add_partner(self) -> PartnerDialog:
        """Open the dialog (without waiting on it); `dialog_done` reports what was added."""
        self.dialog = PartnerDialog(self.session, self)
        self.dialog.accepted.connect(self._added)
        self.dialog.open()
        return self.dialog

    def _added(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.partner is None:
            return
        partner = dialog.partner
        unkept = (
            partner.transport == "webdav"
            and bool(dialog.password.text())
            and not dialog.password_kept
        )

        def added() -> str:
            text = _("{name} added.").format(name=partner.name)
            if unkept:
                text += " " + _(
                    "No keyring on this system: the password was not kept; sync will ask for it."
                )
            return text

        self.refresh()
        self.select(partner.name)
        self.status.say(added)

    def ask_remove(self) -> Confirmation | None:
        partner = self.selected()
        if partner is None:
            return None
        self.confirmation = confirm(
            self,
            _("Remove the partner {name}?").format(name=partner.name),
            _("Remove"),
            lambda: self.remove(partner.name),
            _(
                "Packages already sent stay where they are; packages still waiting for it "
                "stay in the Outbox until you cancel them or add the partner again."
            ),
        )
        return self.confirmation

    def remove(self, name: str) -> None:
        """Remove the partner by the one writer (off the interface thread); the list and a
        sentence once it is written, or the refusal under the list."""
        self.error.show_message("")
        partners = self.session.services.partners

        def removed(_changes: object) -> None:
            self.refresh()
            self.status.say(lambda: _("{name} removed.").format(name=name))

        def refused(error: BaseException) -> bool:
            if isinstance(error, AdvisorError):
                self.error.show_message(describe(error))
                return True
            return False

        self.session.write(lambda: partners.remove(name), removed, refused)
