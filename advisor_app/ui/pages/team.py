"""Team: the advisors of one association share cases through a team folder.

Without a team, two forms: create one, or join the association's. With a team: its status
(members, shared cases, the last sync, what waits to be sent, what was refused), a progress
line while a sync runs, and the buttons to sync now, remove a member and change the team
passphrase. The sync itself is the window's (ui/team_sync.py); this page shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_datetime, format_number, ngettext
from advisor_app.services.team import TeamPlace, TeamStatus
from advisor_app.ui.accessibility import no_focus_for_frames, prepare_for_keyboard
from advisor_app.ui.case.base import Translated
from advisor_app.ui.dialogs.team_members import RekeyDialog, RemoveMemberDialog
from advisor_app.ui.pages.team_forms import TeamForm, password_line
from advisor_app.ui.session import AppSession
from advisor_app.ui.team_sync import TeamSync, came_in_text, problems_text
from advisor_app.ui.widgets.banner import Saying
from advisor_app.ui.widgets.buttons import FlowLayout
from advisor_app.ui.widgets.fields import say_refusal

WARNING = "color: #8a4b00;"  # a warning, not a refusal: the sync goes on
BOX_WIDTH = 720


class ElidedLabel(QLabel):
    """A path or an address on one line, shortened in its middle when it does not fit (said
    in full in its tooltip), rather than widening the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setProperty("elided", True)

    def setText(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance(self.full_text)
        return QSize(width, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        metrics = self.fontMetrics()
        super().setText(metrics.elidedText(self.full_text, Qt.TextElideMode.ElideMiddle, width))


class TeamPage(QWidget):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sync = TeamSync.of(session)
        self.dialog: QDialog | None = None
        self.asked_place: TeamPlace | None = None  # whose password is asked for
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        # without a team
        self.setup = QWidget()
        self.setup_intro = QLabel()
        self.setup_intro.setWordWrap(True)
        self.create_form = TeamForm(creating=True)
        self.join_form = TeamForm(creating=False)
        setup = QVBoxLayout(self.setup)
        setup.setContentsMargins(0, 0, 0, 0)
        setup.addWidget(self.setup_intro)
        setup.addWidget(self.create_form)
        setup.addWidget(self.join_form)
        # with a team
        self.overview = QWidget()
        self.status_box = QGroupBox()
        self.facts = QFormLayout()
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fact_texts = Translated()
        self.facts_shown: dict[str, QLabel] = {}
        for key, caption in (
            ("team", N_("Team")),
            ("you", N_("You")),
            ("folder", N_("Team folder")),
            ("members", N_("Members")),
            ("shared", N_("Shared cases")),
            ("last_sync", N_("Last sync")),
            ("came_in", N_("At the last sync")),
            ("waiting", N_("Waiting to be sent")),
        ):
            value = ElidedLabel() if key == "folder" else QLabel()
            value.setWordWrap(key != "folder")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"team_{key}")
            self.facts_shown[key] = value
            self.facts.addRow(self.fact_texts.add(QLabel(), caption), value)
        status_layout = QVBoxLayout(self.status_box)
        status_layout.addLayout(self.facts)
        self.warning = QLabel()
        self.warning.setObjectName("teamWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING)
        self.progress_line = QLabel()
        self.progress_line.setObjectName("teamProgress")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.sync_button = QPushButton()
        self.remove_button = QPushButton()
        self.rekey_button = QPushButton()
        buttons = FlowLayout()
        for button in (self.sync_button, self.remove_button, self.rekey_button):
            buttons.addWidget(button)
        self.news = Saying()
        self.password_box = QGroupBox()
        self.password_question = QLabel()
        self.password_question.setWordWrap(True)
        self.password = password_line()
        self.password_button = QPushButton()
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.password_button)
        password_layout = QVBoxLayout(self.password_box)
        password_layout.addWidget(self.password_question)
        password_layout.addLayout(password_row)
        self.password_box.hide()
        overview = QVBoxLayout(self.overview)
        overview.setContentsMargins(0, 0, 0, 0)
        overview.addWidget(self.status_box)
        overview.addWidget(self.warning)
        overview.addLayout(buttons)
        overview.addWidget(self.password_box)
        overview.addWidget(self.news)
        # the page scrolls in a low window, never sideways
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 0)
        # a sync, or the first one of a team joined
        layout.addWidget(self.progress_line)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.setup)
        layout.addWidget(self.overview)
        layout.addStretch(1)
        for widget in (
            self.create_form,
            self.join_form,
            self.status_box,
            self.password_box,
            self.progress_bar,
        ):
            widget.setMaximumWidth(BOX_WIDTH)
        for label in (self.setup_intro, self.warning, self.news, self.progress_line):
            label.setMaximumWidth(BOX_WIDTH)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        no_focus_for_frames(self.scroll_area)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        outer.addWidget(self.scroll_area, 1)
        self.create_form.submit.clicked.connect(self.create_team)
        self.join_form.submit.clicked.connect(self.join_team)
        self.sync_button.clicked.connect(self.sync_now)
        self.remove_button.clicked.connect(self.ask_remove_member)
        self.rekey_button.clicked.connect(self.ask_rekey)
        self.password_button.clicked.connect(self.sync_with_password)
        self.password.returnPressed.connect(self.sync_with_password)
        self.sync.state_changed.connect(self.show_state)
        self.sync.password_needed.connect(self.ask_password)
        session.language_changed.connect(self.retranslate)
        self.setup.hide()
        self.overview.hide()
        self.retranslate()
        if self.sync.status_read:
            self.show_state()
        else:
            self.sync.read_status()

    def retranslate(self) -> None:
        self.title.setText(_("Team"))
        self.setup_intro.setText(
            _(
                "The advisors of one association can share their cases through a team folder "
                "on the association's server (a Nextcloud or any WebDAV share) or a synced "
                "folder: each one works on them offline, and the changes cross at each sync."
            )
        )
        self.create_form.retranslate()
        self.join_form.retranslate()
        self.fact_texts.retranslate()
        self.status_box.setTitle(_("Your team"))
        self.sync_button.setText(_("Sync now"))
        self.remove_button.setText(_("Remove a member…"))
        self.rekey_button.setText(_("Change the team passphrase…"))
        self.password_box.setTitle(_("Password of the team folder"))
        self.password_button.setText(_("Sync with this password"))
        self.password.setAccessibleName(_("Password"))
        self._ask_password_text()
        self.news.retranslate()
        self.show_state()
        prepare_for_keyboard(self)

    def showEvent(self, event: QShowEvent) -> None:
        # what a sync in the background moved on: looked at again when shown
        if self.sync.status_read:
            self.sync.read_status()
        super().showEvent(event)

    # -- what is shown -----------------------------------------------------------------------

    def show_state(self) -> None:
        if not self.sync.status_read:
            return
        status = self.sync.status
        self.setup.setVisible(status is None)
        self.overview.setVisible(status is not None)
        if status is not None:
            self._show_status(status)
        self._show_progress()

    def _show_progress(self) -> None:
        """Above the team's status while it syncs; beside Join the team while joining."""
        running = self.sync.running
        progress = self.sync.progress
        if running and progress is not None and progress[1]:
            text = ngettext(
                "Syncing: {done} of {total} case taken in…",
                "Syncing: {done} of {total} cases taken in…",
                progress[1],
            ).format(done=format_number(progress[0]), total=format_number(progress[1]))
            self.progress_bar.setRange(0, progress[1])
            self.progress_bar.setValue(progress[0])
        else:
            text = _("Syncing with the team folder…")
            self.progress_bar.setRange(0, 0)  # busy, no count yet
        in_team = self.sync.status is not None
        self.progress_line.setText(text)
        self.join_form.progress.setText(text)
        self.progress_line.setVisible(running and in_team)
        self.progress_bar.setVisible(running and in_team)
        self.join_form.progress.setVisible(running and not in_team)
        self.sync_button.setEnabled(not running)
        self.create_form.submit.setEnabled(not running)
        self.join_form.submit.setEnabled(not running)

    def _show_status(self, status: TeamStatus) -> None:
        facts = self.facts_shown
        facts["team"].setText(status.name or "—")
        facts["you"].setText(status.member_name)
        facts["folder"].setText(status.destination)
        facts["members"].setText(", ".join(self._member_texts(status)))
        facts["shared"].setText(format_number(status.shared_cases))
        last = status.last_sync_at
        facts["last_sync"].setText(format_datetime(last) if last is not None else _("never"))
        facts["came_in"].setText(came_in_text(status.last_sync) if last is not None else "—")
        facts["waiting"].setText(format_number(status.waiting_cases + status.waiting_batches))
        warnings = problems_text(status.last_sync)
        # a password not kept here is asked for below, not reported as a failure
        error = self.sync.error_sentence() if self.sync.failure != "no password" else ""
        self.warning.setText("\n".join(text for text in (error, warnings) if text))
        self.warning.setVisible(bool(self.warning.text()))
        others = [m for m in status.members if not m.me and not m.removed]
        self.remove_button.setEnabled(bool(others))
        if not self.sync.needs_password:
            self.password_box.hide()

    @staticmethod
    def _member_texts(status: TeamStatus) -> list[str]:
        texts = []
        for member in status.members:
            if member.me:
                texts.append(_("{name} (you)").format(name=member.name))
            elif member.removed:
                texts.append(_("{name} (removed)").format(name=member.name))
            else:
                texts.append(member.name)
        return texts

    # -- create and join ----------------------------------------------------------------------

    def create_team(self) -> None:
        form = self.create_form
        form.clear_errors()
        place, passphrase = form.place(), form.checked_passphrase()
        if place is None or passphrase is None:
            return
        team = self.session.services.team
        name, member, password = (
            form.team_name.text(),
            form.member_name.text(),
            form.typed_password(),
        )

        def created(_changes: object) -> None:
            form.submit.setEnabled(True)
            self.news.say(
                lambda: _(
                    "Team {name} created. Give the passphrase in person to each advisor who "
                    "joins; share a case from its header."
                ).format(name=name.strip())
            )
            self.sync.read_status()

        form.submit.setEnabled(False)  # not created twice
        self.session.write(
            lambda: team.create(name, member, place, passphrase, password), created, form.refused
        )

    def join_team(self) -> None:
        form = self.join_form
        form.clear_errors()
        place, passphrase = form.place(), form.checked_passphrase()
        if place is None or passphrase is None:
            return
        team = self.session.services.team
        member, password = form.member_name.text(), form.typed_password()

        def joined() -> None:
            form.submit.setEnabled(True)
            self.news.say(lambda: _("You joined the team as {name}.").format(name=member.strip()))

        form.submit.setEnabled(False)
        self.sync.join(
            lambda progress: team.join(member, place, passphrase, password, progress),
            joined,
            form.refused,
        )

    # -- with a team ----------------------------------------------------------------------

    def sync_now(self) -> None:
        """Sync at once; a WebDAV password refused or not kept here is then asked for
        (`TeamSync.password_needed`)."""
        self.news.say(None)
        self.sync.sync()

    def ask_password(self) -> None:
        status = self.sync.status
        self.asked_place = status.place if status is not None else None
        if self.asked_place is None:
            return
        self._ask_password_text()
        self.password_box.show()
        self.password.setFocus()

    def _ask_password_text(self) -> None:
        place = self.asked_place
        if place is not None:
            self.password_question.setText(
                _(
                    "The password of {user} on {url}: the server refused it, or it is not "
                    "kept here."
                ).format(user=place.user, url=place.location)
            )

    def sync_with_password(self) -> None:
        password = self.password.text()
        if not password:
            return
        if not self.sync.sync(password):
            return  # a sync is under way: the password stays typed for when it ends
        self.password.clear()
        self.password_box.hide()
        self.sync.clear_failure()

    def ask_remove_member(self) -> RemoveMemberDialog | None:
        status = self.sync.status
        if status is None:
            return None
        names = [m.name for m in status.members if not m.me and not m.removed]
        if not names:
            return None
        dialog = RemoveMemberDialog(names, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.remove_button.clicked.connect(lambda: self.remove_member(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def remove_member(self, dialog: RemoveMemberDialog) -> None:
        name = dialog.member.currentText()
        team = self.session.services.team

        def removed(_changes: object) -> None:
            if isValid(dialog):  # closed meanwhile: the removal stands all the same
                dialog.accept()
            self.news.say(
                lambda: _(
                    "{name} is removed from the team. Ask the association to revoke their "
                    "access to the server, agree on a new passphrase in person, then change it "
                    "here and in every remaining workspace."
                ).format(name=name)
            )
            self.sync.read_status()

        def refused(error: BaseException) -> bool:
            if not isValid(dialog):
                return False  # said by the window
            dialog.remove_button.setEnabled(True)
            if isinstance(error, AdvisorError):
                dialog.error.show_message(describe(error))
                return True
            return False

        dialog.remove_button.setEnabled(False)  # one removal, however many clicks
        self.session.write(lambda: team.remove_member(name), removed, refused)

    def ask_rekey(self) -> RekeyDialog:
        dialog = RekeyDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda passphrase: self.rekey(dialog, passphrase))
        self.dialog = dialog
        dialog.open()
        return dialog

    def rekey(self, dialog: RekeyDialog, passphrase: str) -> None:
        team = self.session.services.team

        def changed(_generation: object) -> None:
            if isValid(dialog):
                dialog.accept()
            self.news.say(
                lambda: _(
                    "The team passphrase is changed: what you send from now on is sealed with "
                    "the new one."
                )
            )
            self.sync.clear_failure()
            self.sync.read_status()

        def refused(error: BaseException) -> bool:
            if not isValid(dialog):
                return False  # said by the window
            dialog.buttons.setEnabled(True)
            return say_refusal(dialog.errors, error)

        dialog.buttons.setEnabled(False)
        self.session.write(lambda: team.rekey(passphrase), changed, refused)
