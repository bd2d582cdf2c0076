"""Backups and personal data: back up, restore (everything, or the partners, outbox and
settings alone), damaged files, erasures to finish, the right of access, cases past
retention."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import _, format_date, format_datetime, ngettext
from advisor_app.services import CaseFilter, Services
from advisor_app.services.quarantine import (
    NewerSaveInQuarantineError,
    QuarantinedCase,
    RestoreChoice,
)
from advisor_app.services.workspace_lock import BackupInfo, WorkspaceChangedError
from advisor_app.ui.accessibility import no_focus_for_frames
from advisor_app.ui.dialogs.confirm import Confirmation, confirm
from advisor_app.ui.dialogs.progress import run_then_tell
from advisor_app.ui.dialogs.restore_choice import RestoreChoiceBox, newest_sound_copy
from advisor_app.ui.pages.personal_data import (
    ID_ROLE,
    AccessBox,
    ErasuresBox,
    RetentionBox,
    selected_id,
)
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from advisor_app.ui.widgets.banner import Banner
from advisor_app.ui.widgets.buttons import FlowLayout


class BackupsPage(QWidget):
    """The backups of the workspace, the damaged files kept aside, the person's rights."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.confirmation: Confirmation | None = None
        self.choice: RestoreChoiceBox | None = None
        self.task: Task | None = None
        self._backups: dict[str, BackupInfo] = {}
        self.whole_state: BackupInfo | None = None  # the backup to bring a lost state from
        outer = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        outer.addWidget(self.title)
        # the page reads from the top down, as long as what it has to say: never taller
        # or wider than the window leaves it
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        no_focus_for_frames(self.scroll_area)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 0)

        self.erasures = ErasuresBox(session)
        layout.addWidget(self.erasures)

        self.backups_box = backups_box = QGroupBox()
        box = QVBoxLayout(backups_box)
        self.loss = Banner("stateLoss")
        box.addWidget(self.loss)
        self.backups = QListWidget()
        self.backups.setFixedHeight(150)
        box.addWidget(self.backups)
        self.back_up_button = QPushButton()
        self.restore_button = QPushButton()
        self.restore_state_button = QPushButton()
        for buttons in (
            (self.back_up_button, self.restore_button),
            (self.restore_state_button,),
        ):
            row = FlowLayout()
            for button in buttons:
                row.addWidget(button)
            box.addLayout(row)
        layout.addWidget(backups_box)

        self.damaged_box = damaged_box = QGroupBox()
        box = QVBoxLayout(damaged_box)
        self.damaged = QListWidget()
        self.damaged.setFixedHeight(90)
        box.addWidget(self.damaged)
        row = FlowLayout()
        self.repair_button = QPushButton()
        row.addWidget(self.repair_button)
        box.addLayout(row)
        layout.addWidget(damaged_box)

        self.access = AccessBox(session)
        layout.addWidget(self.access)
        self.retention = RetentionBox(session)
        layout.addWidget(self.retention)
        layout.addStretch(1)
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area, 1)

        self.back_up_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_state_button.clicked.connect(self.restore_state_selected)
        self.loss.action_clicked.connect(self.restore_lost_state)
        self.backups.currentItemChanged.connect(lambda *_items: self._backup_chosen())
        self.repair_button.clicked.connect(self.repair_selected)
        self._stale = True
        session.changed.connect(lambda _changes: self._refresh_when_seen())
        session.tasks.failed.connect(lambda _error: self._after_failure())
        session.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Backups and personal data"))
        self.backups_box.setTitle(_("Backups"))
        self.back_up_button.setText(_("Back up now"))
        self.restore_button.setText(_("Restore this backup…"))
        self.restore_state_button.setText(_("Restore partners, outbox and settings only…"))
        self.restore_state_button.setToolTip(
            _(
                "Bring back the partners, the outbox queue and the settings this backup holds "
                "and the workspace lacks; the cases are left as they are."
            )
        )
        self.damaged_box.setTitle(_("Damaged case files"))
        self.repair_button.setText(_("Restore from the newest backup"))
        self.loss.retranslate()
        for part in (self.erasures, self.access, self.retention):
            part.retranslate()
        self._refresh_when_seen()

    def _refresh_when_seen(self) -> None:
        """Backups are read from disk: only for the page on screen, not at every edit."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            try:
                self.refresh()
            except WorkspaceChangedError:  # re-encrypted elsewhere: the window asks for it
                self._stale = True  # and this page reads again once it is given
                self.session.key_changed.emit()
        super().showEvent(event)

    def _after_failure(self) -> None:
        """Work that failed may have left an erasure halfway (a full disk): say so here too
        (a folder looked at, nothing read that the failure could stop)."""
        if self.isVisible():
            with contextlib.suppress(OSError):
                self.erasures.refresh()

    @property
    def services(self) -> Services:
        return self.session.services

    @property
    def loading(self) -> bool:
        """Some list of the page is being read off the interface thread."""
        return self.access.names.loading or self.retention.candidates.loading

    def refresh(self) -> None:
        self._stale = False
        self.erasures.refresh()
        self.backups.clear()
        self._backups = {}
        for backup in self.services.backups.all():
            count = ngettext("{count} case", "{count} cases", len(backup.case_ids)).format(
                count=len(backup.case_ids)
            )
            item = QListWidgetItem(f"{format_datetime(backup.created_at)}  ({count})")
            item.setData(ID_ROLE, backup.name)
            self.backups.addItem(item)
            self._backups[backup.name] = backup
        self._backup_chosen()
        self._show_loss()
        self._list_damaged()
        self.access.refresh()
        self.retention.refresh()

    # -- backups -------------------------------------------------------------------------

    def _chosen_backup(self) -> BackupInfo | None:
        name = selected_id(self.backups)
        return self._backups.get(name) if name is not None else None

    def _backup_chosen(self) -> None:
        backup = self._chosen_backup()
        self.restore_button.setEnabled(backup is not None)
        self.restore_state_button.setEnabled(backup is not None and backup.state_source is not None)

    def back_up(self) -> Task:
        self.task = run_then_tell(
            self.session,
            self,
            self.services.backups.back_up_now,
            _("The workspace was backed up."),
        )
        return self.task

    def restore_selected(self) -> Confirmation | None:
        backup = self._chosen_backup()
        if backup is None:
            return None
        name = backup.name
        self.confirmation = confirm(
            self,
            _(
                "Put every case file back as it was in this backup? The present state is "
                "backed up first."
            ),
            _("Restore"),
            lambda: self._run(
                lambda: self.services.backups.restore(name), _("The backup was restored.")
            ),
        )
        return self.confirmation

    def restore_state_selected(self) -> Confirmation | None:
        backup = self._chosen_backup()
        return self._ask_restore_state(backup) if backup is not None else None

    def restore_lost_state(self) -> Confirmation | None:
        """The loss notice's action: from the newest backup made before the loss."""
        return self._ask_restore_state(self.whole_state) if self.whole_state else None

    def _ask_restore_state(self, backup: BackupInfo) -> Confirmation:
        name, when = backup.name, format_datetime(backup.created_at)
        self.confirmation = confirm(
            self,
            _(
                "Bring back the partners, the outbox queue and the settings of the backup of "
                "{date}? What the workspace holds now is kept, and the cases are left as they "
                "are. The present state is backed up first."
            ).format(date=when),
            _("Restore"),
            lambda: self._run(
                lambda: self.services.backups.restore_state(name),
                _(
                    "The partners, the outbox queue and the settings were brought back from "
                    "the backup of {date}."
                ).format(date=when),
            ),
        )
        return self.confirmation

    def _show_loss(self) -> None:
        """What `check` says of a lost state, in the window's words, with the backup."""
        lost = self.services.maintenance.lost_state()
        self.whole_state = None
        if lost is None:
            self.loss.clear()
            return
        day = format_date(lost.at.date())
        what = (
            _(
                "The partners, outbox queue, settings and audit log of the workspace were "
                "lost on {day}: their file was damaged and set aside as {aside}; empty ones "
                "replaced them."
            ).format(day=day, aside=lost.set_aside)
            if lost.damaged
            else _(
                "The partners, outbox queue, settings and audit log of the workspace were "
                "lost on {day}: their file was missing; empty ones replaced them."
            ).format(day=day)
        )
        self.whole_state = self.services.backups.newest_whole_state()
        if self.whole_state is None:
            self.loss.say(
                f"{what} {_('No backup holds them: add the partners and settings again.')}"
            )
            return
        self.loss.say(
            what
            + " "
            + _(
                "The backup of {date}, made before, holds them: bring them back from it (the "
                "cases are left as they are)."
            ).format(date=format_datetime(self.whole_state.created_at)),
            _("Restore them from this backup…"),
        )

    # -- damaged case files --------------------------------------------------------------

    def _list_damaged(self) -> None:
        self.damaged.clear()
        files = self.services.quarantine.files()
        names = {}
        if files:
            names = {
                row.case_id: row.display_name
                for row in self.services.search.cases(CaseFilter(include_binned=True))
            }
        for kept in files:
            item = QListWidgetItem(_damaged_line(kept, names.get(kept.case_id) or kept.case_id))
            item.setData(ID_ROLE, kept.case_id)
            self.damaged.addItem(item)
        if self.damaged.count():
            self.damaged.setCurrentRow(0)

    def repair_selected(self) -> Task | None:
        case_id = selected_id(self.damaged)
        if case_id is None:
            return None
        return self.restore_case(case_id, RestoreChoice.SAFEST)

    def restore_case(self, case_id: str, choice: RestoreChoice) -> Task:
        """Restore a damaged case; when the quarantine holds a newer save than the newest
        backup, the advisor chooses which one (RestoreChoiceBox)."""
        services = self.services
        done = (
            _("The case {case_id} was put back from the quarantine.").format(case_id=case_id)
            if choice is RestoreChoice.QUARANTINED
            else _("The case was restored from a backup.")
        )
        self.task = run_then_tell(
            self.session,
            self,
            lambda: services.backups.set_aside_and_restore(case_id, choice),
            done,
            on_error=lambda error: self._offer_choice(case_id, error),
        )
        return self.task

    def _offer_choice(self, case_id: str, error: BaseException) -> bool:
        if not isinstance(error, NewerSaveInQuarantineError):
            return False
        newest = newest_sound_copy(self.services.quarantine.files(), case_id)
        if newest is None:
            return False
        self.choice = RestoreChoiceBox(
            self, newest, lambda choice: self.restore_case(case_id, choice)
        )
        self.choice.open()
        return True

    def _run(self, call: Callable[[], object], success: str) -> None:
        self.task = run_then_tell(self.session, self, call, success)


def _damaged_line(kept: QuarantinedCase, who: str) -> str:
    if kept.state is None:
        return _("{case_id}: damaged, kept aside").format(case_id=who)
    saved = format_datetime(kept.state.updated_at)
    if kept.newer_than_backup:
        return _("{holder}: a sound copy saved on {saved}, newer than its newest backup").format(
            holder=who, saved=saved
        )
    return _("{holder}: a sound copy saved on {saved}, kept aside").format(holder=who, saved=saved)
