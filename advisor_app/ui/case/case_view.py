"""One open case: a header (who, status, pathway progress) and its pages in tabs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from advisor_app.domain.enums import CaseStatus
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_date, format_duration, label
from advisor_app.services import Changes
from advisor_app.services.views import CaseDetail
from advisor_app.ui.accessibility import prepare_for_keyboard
from advisor_app.ui.case.actions import CaseActions
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import SavedField

NO_BREAK = "\u00a0"
# between the parts of the header, the dot kept with the part before it
PART_SEPARATOR = NO_BREAK + "· "


def unbreakable(part: str) -> str:
    """A part of the header that wraps whole or not at all ("Non commencé", "9/13 étapes",
    "1 h 30 d'accompagnement")."""
    return part.replace(" ", NO_BREAK)


def header_line(title: str, parts: list[str]) -> str:
    """The header's summary: the project's title wraps as prose, the other parts whole,
    lines breaking only between them."""
    whole = [unbreakable(part) for part in parts]
    return PART_SEPARATOR.join([title, *whole] if title else whole)


# each page's module and class, imported when a case first shows the page
PAGES: tuple[tuple[str, str], ...] = (
    (N_("Identity"), "identity:IdentityPage"),
    (N_("Project"), "project:ProjectPage"),
    (N_("Pathway"), "pathway:PathwayPage"),
    (N_("Appointments"), "appointments:AppointmentsPage"),
    (N_("Financing"), "financing:FinancingPage"),
    (N_("Notes"), "notes:NotesPage"),
    (N_("Documents"), "documents:DocumentsPage"),
    (N_("History"), "history:HistoryPage"),
)


def page_module(title: str) -> str:
    """The module of the page `title`, under advisor_app.ui.case."""
    return dict(PAGES)[title].split(":")[0]


def page_class(title: str) -> type[CasePage]:
    module, name = dict(PAGES)[title].split(":")
    page: type[CasePage] = getattr(import_module(f"advisor_app.ui.case.{module}"), name)
    return page


class LazyPages(Mapping[str, CasePage]):
    """The pages of a case by title, each built when first asked for (shown, filled or
    looked up): opening a case builds the page it shows, not eight."""

    def __init__(self, build: Callable[[str], CasePage]) -> None:
        self.built: dict[str, CasePage] = {}
        self._build = build

    def __getitem__(self, title: str) -> CasePage:
        page = self.built.get(title)
        if page is None:
            if title not in TITLES:
                raise KeyError(title)
            page = self.built[title] = self._build(title)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(TITLES)

    def __len__(self) -> int:
        return len(TITLES)


TITLES = [title for title, _page_class in PAGES]


class CaseView(QWidget):
    # the advisor left a page of the case where a field holds a refused value: the window
    # asks whether to keep editing it or to discard it
    left_refused_value = Signal()
    # the case was first read (off the interface thread): its name is known
    read_done = Signal()

    def __init__(self, session: AppSession, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self._parts: list[str] = []  # the header's parts, the team's added when shared
        self.reading = True  # the case is first read off the interface thread
        self._readings = 0  # each reading of the case, the latest shown
        self.edits = CaseEdits(session, case_id, self)
        self.name = QLabel()
        self.name.setObjectName("caseName")
        self.name.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.name.setWordWrap(True)  # a long name wraps rather than widening the window
        self.summary = QLabel()
        self.summary.setObjectName("caseSummary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # eight tabs in half a screen: shortened if they must be (said in full in their
        # tooltips), never scrolled out of sight
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.setUsesScrollButtons(False)
        self.pages = LazyPages(self._build_page)
        self._filled: set[str] = set()  # pages showing the current read model
        for title, _page_class in PAGES:  # an empty stand-in until the page is first seen
            self.tabs.setTabToolTip(self.tabs.addTab(QWidget(), _(title)), _(title))
        self.case_actions = CaseActions(session, case_id, self.edits)
        self.case_actions.binned.connect(self._binned)
        self.case_actions.team.sharing_changed.connect(self._show_summary)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.name)
        who.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(who)
        # the actions under the name, not beside it: together they would not fit half a screen
        layout.addWidget(self.case_actions, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.tabs, 1)
        # Ctrl+Tab is the tabs' own; Ctrl+Page Down and Up as in a browser
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self._next_tab(step))
        session.changed.connect(self._on_changed)
        self.tabs.currentChanged.connect(lambda _index: self._fill(self._current_title()))
        first = self.tabs.currentWidget()
        self._shown_page: CasePage | None = first if isinstance(first, CasePage) else None
        self.tabs.currentChanged.connect(self._page_changed)
        self.case_actions.show_detail(None)
        self._read_first()

    def when_read(self, then: Callable[[], object]) -> None:
        """Call `then` once the case is first read (at once if it is)."""
        if not self.reading:
            then()
            return

        def once() -> None:
            self.read_done.disconnect(once)
            then()

        self.read_done.connect(once)

    def _read_first(self) -> None:
        """Read the case off the interface thread: the tab shows at once, its name and its
        page when the case comes back (reading it and filling the page in one go took
        longer than a frame with a large workspace)."""
        cases, case_id, reading = self.session.services.cases, self.case_id, self._readings

        def arrived(detail: object) -> None:
            if not isValid(self):
                return  # closed meanwhile
            self.reading = False
            if self._readings == reading and isinstance(detail, CaseDetail):
                self._show(detail)
            self.read_done.emit()

        def failed(error: BaseException) -> bool:
            if not isValid(self):
                return True
            self.reading = False
            if self._readings == reading and isinstance(error, AdvisorError):
                self._show_error(error)
                self.read_done.emit()
                return True
            self.read_done.emit()
            return False

        self.session.tasks.read(lambda: cases.get(case_id), arrived, failed)

    def _build_page(self, title: str) -> CasePage:
        """Build the page `title` and put it in place of its stand-in, the tab shown kept."""
        index = TITLES.index(title)
        page = page_class(title)(self.session, self.case_id, self.edits)
        stand_in = self.tabs.widget(index)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, _(title))
        self.tabs.setTabToolTip(index, _(title))
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if stand_in is not None:
            stand_in.deleteLater()
        if self._shown_page is None and current == index:
            self._shown_page = page
        prepare_for_keyboard(page)
        return page

    def page(self, title: str) -> CasePage:
        self._fill(title)
        return self.pages[title]

    def _page_changed(self, _index: int) -> None:
        previous, current = self._shown_page, self.tabs.currentWidget()
        self._shown_page = current if isinstance(current, CasePage) else None
        if previous is None or previous is current:
            return
        if any(field.holds_refused_value() for field in previous.saved_fields()):
            self.left_refused_value.emit()

    def _current_title(self) -> str:
        return TITLES[self.tabs.currentIndex()]

    def _fill(self, title: str) -> None:
        """Pages are filled when first seen: opening a case fills one page, not eight."""
        if self.detail is not None and title not in self._filled:
            self.pages[title].show_detail(self.detail)
            self._filled.add(title)

    def show_page(self, title: str) -> None:
        self.tabs.setCurrentWidget(self.pages[title])

    def reload(self) -> None:
        """Read the case again, at once (after a change to it: a few milliseconds)."""
        self._readings += 1
        try:
            detail = self.session.services.cases.get(self.case_id)
        except AdvisorError as error:
            self._show_error(error)
            return
        self._show(detail)

    def _show_error(self, error: AdvisorError) -> None:
        self.summary.setText(describe(error))
        self.tabs.setEnabled(False)
        self.case_actions.show_detail(None)

    def _show(self, detail: CaseDetail) -> None:
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
        self._parts = parts
        self._show_summary()
        self.case_actions.show_detail(detail)
        self._filled.clear()
        self._fill(self._current_title())

    def _show_summary(self) -> None:
        """The header's line; a case shared with the team says so, and who its référent is."""
        if self.detail is None:
            return
        parts = list(self._parts)
        if self.case_actions.team.shared():
            parts.append(_("Shared with the team"))
            parts.append(_("lead advisor: {name}").format(name=self.detail.advisor or "—"))
        self.summary.setText(header_line(self.detail.project.title, parts))

    def _next_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def retranslate(self) -> None:
        self.case_actions.retranslate()
        for index, (title, _page_class) in enumerate(PAGES):
            self.tabs.setTabText(index, _(title))
            self.tabs.setTabToolTip(index, _(title))
        for page in self.pages.built.values():
            page.retranslate()
        self.reload()

    def title(self) -> str:
        """The person's name; an ellipsis while the case is first read, its id if it
        cannot be read."""
        if self.detail is not None:
            return self.detail.person.display_name
        return "…" if self.reading else self.case_id

    def undo_last(self) -> None:
        self.edits.stack.undo()

    # -- what is typed and not saved (asked about before the case or window closes) ------

    def saved_fields(self) -> list[SavedField]:
        return self.findChildren(SavedField)

    def save_typing(self) -> None:
        """Hand to the writer what is typed in a field and not saved yet (Ctrl+W pressed
        while typing, focus still in the field)."""
        for field in self.saved_fields():
            if field.isEnabled() and field.is_edited() and field.error.isHidden():
                field.commit()

    def refused_fields(self) -> list[SavedField]:
        """Fields holding a value that was refused (its red sentence showing)."""
        return [field for field in self.saved_fields() if field.holds_refused_value()]

    def show_field(self, field: SavedField) -> None:
        """Bring the page holding `field` forward and put the cursor in it."""
        for title, page in self.pages.built.items():
            if page.isAncestorOf(field):
                self.show_page(title)
        field.editor.setFocus()

    def discard_refused(self) -> None:
        for field in self.refused_fields():
            field.discard()

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
