"""One open case: a header (who, status, pathway progress) and its pages in tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_date, format_duration, label
from advisor_app.services import Changes
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.actions import CaseActions
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.documents import DocumentsPage
from advisor_app.ui.case.financing import FinancingPage
from advisor_app.ui.case.history import HistoryPage
from advisor_app.ui.case.identity import IdentityPage
from advisor_app.ui.case.notes import NotesPage
from advisor_app.ui.case.pathway import PathwayPage
from advisor_app.ui.case.project import ProjectPage
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import UndoList

PAGES: tuple[tuple[str, type[CasePage]], ...] = (
    (N_("Identity"), IdentityPage),
    (N_("Project"), ProjectPage),
    (N_("Pathway"), PathwayPage),
    (N_("Appointments"), AppointmentsPage),
    (N_("Financing"), FinancingPage),
    (N_("Notes"), NotesPage),
    (N_("Documents"), DocumentsPage),
    (N_("History"), HistoryPage),
)


class CaseView(QWidget):
    def __init__(self, session: AppSession, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.undo = UndoList()
        self.name = QLabel()
        self.name.setObjectName("caseName")
        self.name.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.name.setWordWrap(True)  # a long name wraps rather than widening the window
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, CasePage] = {}
        self._filled: set[str] = set()  # pages showing the current read model
        for title, page_class in PAGES:
            page = page_class(session, case_id, self.undo)
            self.pages[title] = page
            self.tabs.addTab(page, _(title))
        self.case_actions = CaseActions(session, case_id)
        self.case_actions.binned.connect(self._binned)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.name)
        who.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(who)
        # the actions under the name, not beside it: together they would not fit half a screen
        layout.addWidget(self.case_actions, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.tabs, 1)
        undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo_shortcut.activated.connect(self.undo_last)
        session.changed.connect(self._on_changed)
        self.tabs.currentChanged.connect(lambda _index: self._fill(self._current_title()))
        self.reload()

    def page(self, title: str) -> CasePage:
        self._fill(title)
        return self.pages[title]

    def _current_title(self) -> str:
        current = self.tabs.currentWidget()
        return next(title for title, page in self.pages.items() if page is current)

    def _fill(self, title: str) -> None:
        """Pages are filled when first seen: opening a case fills one page, not eight."""
        if self.detail is not None and title not in self._filled:
            self.pages[title].show_detail(self.detail)
            self._filled.add(title)

    def show_page(self, title: str) -> None:
        self.tabs.setCurrentWidget(self.pages[title])

    def reload(self) -> None:
        try:
            detail = self.session.services.cases.get(self.case_id)
        except AdvisorError as error:
            self.summary.setText(describe(error))
            self.tabs.setEnabled(False)
            self.case_actions.show_detail(None)
            return
        self.detail = detail
        person = detail.person
        self.name.setText(person.display_name)
        done = sum(1 for m in detail.milestones if m.done_on is not None)
        stage = detail.stage
        if detail.status is CaseStatus.CLOSED and detail.outcome is not None:
            status = _("Closed on {date}: {outcome}").format(
                date=format_date(detail.closed_on), outcome=label(detail.outcome)
            )
        else:
            status = label(detail.status)
        parts = [
            status,
            _("opened on {date}").format(date=format_date(detail.opened_on)),
            _(stage.label) if stage is not None else _("Not started"),
            _("{done}/{total} milestones").format(done=done, total=len(detail.milestones)),
            _("{hours} of accompaniment").format(hours=format_duration(detail.done_minutes)),
        ]
        if detail.project.title:
            parts.insert(0, detail.project.title)
        self.summary.setText("  ·  ".join(parts))
        self.case_actions.show_detail(detail)
        self._filled.clear()
        self._fill(self._current_title())

    def retranslate(self) -> None:
        self.case_actions.retranslate()
        for index, (title, _page_class) in enumerate(PAGES):
            self.tabs.setTabText(index, _(title))
        for page in self.pages.values():
            page.retranslate()
        self.reload()

    def title(self) -> str:
        return self.detail.person.display_name if self.detail else self.case_id

    def undo_last(self) -> None:
        self.undo.undo()

    def _on_changed(self, changes: Changes) -> None:
        if self.case_id in changes.cases:
            self.reload()

    def _binned(self, _case_id: str) -> None:
        """The case went to the bin: close its tab, through the tabs' own close request."""
        self.session.announce(Changes(agenda=True))
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QTabWidget):
            widget = widget.parentWidget()
        if isinstance(widget, QTabWidget) and widget.indexOf(self) >= 0:
            widget.tabCloseRequested.emit(widget.indexOf(self))
        else:
            self.close()
