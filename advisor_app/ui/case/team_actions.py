"""A case and the team, from its header: share it, stop sharing it, hand it over to another
member. Shown only while the workspace belongs to a team; whether the case is shared is read
off the interface thread each time the case is shown again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _
from advisor_app.ui.accessibility import prepare_for_keyboard
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.dialogs.confirm import Confirmation, confirm
from advisor_app.ui.errors import quietly, show_error
from advisor_app.ui.session import AppSession
from advisor_app.ui.team_sync import TeamSync

if TYPE_CHECKING:
    from advisor_app.services.team import CaseSharing


class HandoverDialog(QDialog):
    """To whom the case goes: a member of the team, who becomes its référent."""

    def __init__(self, holder: str, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Hand over the case"))
        self.member = QComboBox()
        self.member.addItems(names)
        self.explanation = QLabel(
            _(
                "The member chosen becomes the lead advisor of the case of {holder}; the case "
                "stays shared with the team."
            ).format(holder=holder)
        )
        self.explanation.setWordWrap(True)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Hand over to"), self.member)
        buttons = QDialogButtonBox()
        self.hand_over_button = buttons.addButton(
            _("Hand over"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        prepare_for_keyboard(self)


class TeamCaseActions(QObject):
    """The three buttons of a case's header for the team, and what they do. `sharing` is
    what was last read (None: no team, or not read yet); `sharing_changed` when it changes."""

    sharing_changed = Signal()

    def __init__(
        self,
        session: AppSession,
        case_id: str,
        edits: CaseEdits,
        holder: Callable[[], str],
        referent: Callable[[], str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.holder = holder
        self.referent = referent
        self.parent_widget = parent
        self.sync = TeamSync.of(session)
        self.sharing: CaseSharing | None = None
        self.dialog: HandoverDialog | None = None
        self.confirmation: Confirmation | None = None
        self._readings = 0
        self.share_button = QPushButton()
        self.unshare_button = QPushButton()
        self.handover_button = QPushButton()
        self.share_button.clicked.connect(self.share)
        self.unshare_button.clicked.connect(self.ask_unshare)
        self.handover_button.clicked.connect(self.ask_handover)
        self.sync.state_changed.connect(self._team_changed)
        self.sync.synced.connect(self._synced)
        self._in_team = self.sync.in_team
        self.retranslate()
        self._show_buttons()

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.share_button, self.unshare_button, self.handover_button)

    def retranslate(self) -> None:
        self.share_button.setText(_("Share with the team"))
        self.share_button.setToolTip(
            _(
                "The other advisors of the team receive the case at their next sync; the "
                "person's consent to the processing of their data covers the team."
            )
        )
        self.unshare_button.setText(_("Stop sharing…"))
        self.handover_button.setText(_("Hand over to…"))

    def shared(self) -> bool:
        return self.sharing is not None and self.sharing.shared

    def _show_buttons(self) -> None:
        team = self.sharing is not None
        shared = self.shared()
        self.share_button.setVisible(team and not shared)
        self.unshare_button.setVisible(shared)
        self.handover_button.setVisible(shared)
        self.handover_button.setEnabled(bool(self.others()))  # none in a team of one

    def others(self) -> list[str]:
        """The members the case can be handed over to: all but its lead advisor."""
        if self.sharing is None:
            return []
        current = self.referent().casefold()
        return [name for name in self.sharing.members if name.casefold() != current]

    def _team_changed(self) -> None:
        """A team created or joined (or its status first read): look again."""
        if self.sync.in_team != self._in_team:
            self._in_team = self.sync.in_team
            self.read()

    def _synced(self, _report: object) -> None:
        self.read()  # members may have joined, the case may have changed hands

    def read(self) -> None:
        """Read off the interface thread whether the case is shared (not at all without a
        team)."""
        if self.sync.status_read and not self.sync.in_team:
            if self.sharing is not None:
                self.sharing = None
                self._show_buttons()
                self.sharing_changed.emit()
            return
        self._readings += 1
        reading, services, case_id = self._readings, self.session.services, self.case_id

        def work() -> CaseSharing | None:
            return services.team.case_sharing(case_id)

        def arrived(sharing: object) -> None:
            if not isValid(self.share_button) or reading != self._readings:
                return  # closed meanwhile, or an older reading
            self.sharing = sharing  # type: ignore[assignment]
            self._show_buttons()
            self.sharing_changed.emit()

        # a case that cannot be read says so itself, in its header
        self.session.tasks.read(work, arrived, quietly)

    # -- actions -----------------------------------------------------------------------------

    def _refused(self, error: BaseException) -> bool:
        """A refusal (no consent to the processing of their data...) said in a sentence."""
        if isinstance(error, AdvisorError):
            show_error(self.parent_widget, error)
            return True
        return False

    def share(self) -> None:
        team, case_id = self.session.services.team, self.case_id
        self.edits.write(lambda: team.share(case_id), None, self._refused)

    def ask_unshare(self) -> Confirmation:
        self.confirmation = confirm(
            self.parent_widget,
            _("Stop sharing the case of {holder} with the team?").format(holder=self.holder()),
            _("Stop sharing"),
            self.unshare,
            _(
                "The copies the other members hold are removed at their next sync. The case "
                "stays here as it is."
            ),
        )
        return self.confirmation

    def unshare(self) -> None:
        team, case_id = self.session.services.team, self.case_id
        self.edits.write(lambda: team.unshare(case_id), None, self._refused)

    def ask_handover(self) -> HandoverDialog | None:
        names = self.others()
        if not names:
            return None
        dialog = HandoverDialog(self.holder(), names, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.hand_over(dialog.member.currentText()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def hand_over(self, name: str) -> None:
        if not name:
            return
        team, case_id = self.session.services.team, self.case_id
        self.edits.write(lambda: team.handover(case_id, name), None, self._refused)
