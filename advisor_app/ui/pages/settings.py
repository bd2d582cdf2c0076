"""Settings: language, advisor, organisation, workspace folder, index upkeep."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, current_language, set_language
from advisor_app.services import Changes
from advisor_app.ui.accessibility import no_focus_for_frames
from advisor_app.ui.case.base import Translated
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.errors import quietly
from advisor_app.ui.file_dialogs import FileKind, choose_folder
from advisor_app.ui.pages.partners import PartnersBox
from advisor_app.ui.pages.protection import ProtectionBox
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import FlowLayout
from advisor_app.ui.widgets.fields import SavedChoice, SavedLine

# Each language is named in itself, so that it can be found whatever is shown now.
LANGUAGES = (("fr", "Français"), ("en", "English"))


class SettingsPage(QWidget):
    workspace_chosen = Signal(Path)
    # the advisor asks for the Team page (its forms and status live there)
    team_asked = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.texts = Translated()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        settings = session.services.settings
        self.language = SavedChoice([(name, code) for code, name in LANGUAGES], self.set_language)
        self.advisor = SavedLine(  # written by the one writer (session.change)
            lambda v: lambda: settings.set("advisor_name", v.strip()), session
        )
        self.organisation = SavedLine(
            lambda v: lambda: settings.set("organisation", v.strip()), session
        )
        self.you = QGroupBox()
        form = QFormLayout(self.you)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for caption, field in (
            (N_("Language"), self.language),
            (N_("Advisor's name"), self.advisor),
            (N_("Organisation"), self.organisation),
        ):
            form.addRow(self.texts.add(QLabel(), caption), field)
        self.workspace_box = QGroupBox()
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.open_other = QPushButton()
        self.create_new = QPushButton()
        self.rebuild = QPushButton()
        self.texts.add(self.open_other, N_("Open another workspace…"))
        self.texts.add(self.create_new, N_("Create a new workspace…"))
        self.texts.add(self.rebuild, N_("Rebuild the index"))
        buttons = FlowLayout()
        for button in (self.open_other, self.create_new, self.rebuild):
            buttons.addWidget(button)
        box = QVBoxLayout(self.workspace_box)
        box.addWidget(self.folder)
        box.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        # the boxes read from the top down and scroll in a low window, never sideways
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        no_focus_for_frames(self.scroll_area)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.you)
        layout.addWidget(self.workspace_box)
        self.partners = PartnersBox(session)
        layout.addWidget(self.partners)
        self.team_box = QGroupBox()
        self.team_line = QLabel()
        self.team_line.setWordWrap(True)
        self.team_button = QPushButton()
        self.texts.add(self.team_button, N_("Open the Team page…"))
        team_layout = QVBoxLayout(self.team_box)
        team_layout.addWidget(self.team_line)
        team_buttons = FlowLayout()
        team_buttons.addWidget(self.team_button)
        team_layout.addLayout(team_buttons)
        layout.addWidget(self.team_box)
        self.team_button.clicked.connect(self.team_asked)
        self.protection = ProtectionBox(session)
        layout.addWidget(self.protection)
        layout.addStretch(1)
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area, 1)
        self.you.setMaximumWidth(720)
        self.workspace_box.setMaximumWidth(720)
        self.partners.setMaximumWidth(720)
        self.team_box.setMaximumWidth(720)
        self.protection.setMaximumWidth(720)
        self.open_other.clicked.connect(lambda: self._choose_folder(create=False))
        self.create_new.clicked.connect(lambda: self._choose_folder(create=True))
        self.rebuild.clicked.connect(self.rebuild_index)
        self.retranslate()

    def retranslate(self) -> None:
        self.texts.retranslate()
        self.title.setText(_("Settings"))
        self.you.setTitle(_("You"))
        self.workspace_box.setTitle(_("Workspace"))
        self.partners.retranslate()
        self.protection.retranslate()
        self.team_box.setTitle(_("Team"))
        self._read_team()
        self.folder.setText(
            _("Case files are kept in {folder}.").format(
                folder=self.session.services.workspace.root
            )
        )
        settings = self.session.services.settings.all()
        self.language.set_value(current_language())
        self.advisor.set_value(settings.get("advisor_name", ""))
        self.organisation.set_value(settings.get("organisation", ""))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._read_team()  # joined or created on the Team page meanwhile

    def _read_team(self) -> None:
        """Say which team the workspace belongs to, read off the interface thread."""
        team = self.session.services.team

        def said(status: object) -> None:
            if not isValid(self.team_line):
                return
            if status is None:
                self.team_line.setText(
                    _(
                        "This workspace belongs to no team. The advisors of one association "
                        "can share their cases through a team folder: create or join it on "
                        "the Team page."
                    )
                )
            else:
                self.team_line.setText(
                    _("Team {name}, you are {member}.").format(
                        name=getattr(status, "name", "") or "—",
                        member=getattr(status, "member_name", ""),
                    )
                )

        self.session.tasks.read(team.status, said, quietly)

    def set_language(self, code: str) -> None:
        self.session.edit(lambda: self.session.services.settings.set("language", code))
        set_language(code)
        self.session.language_changed.emit()

    def _choose_folder(self, create: bool) -> None:
        title = _("Create a new workspace") if create else _("Open another workspace")
        folder = choose_folder(self, FileKind.WORKSPACES, title)
        if folder is not None:
            self.workspace_chosen.emit(folder)

    def rebuild_index(self) -> None:
        maintenance = self.session.services.maintenance
        task = self.session.tasks.run(
            maintenance.rebuild_index,
            changes=Changes(case_list=True, agenda=True),
        )
        follow(task, _("Reading every case file again…"), self, cancellable=False)
