"""The main window: a sidebar of pages, open cases in tabs, menus and shortcuts."""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import (
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    format_date,
    format_datetime,
    format_money,
    ngettext,
    using_language,
)
from advisor_app.services import CaseFilter, Changes
from advisor_app.ui import team_sync
from advisor_app.ui.accessibility import prepare_for_keyboard
from advisor_app.ui.case.case_view import TITLES, CaseView, page_module
from advisor_app.ui.case.tab_titles import case_tab_titles
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.key_change import KeyChangeWatch
from advisor_app.ui.pages.welcome import WelcomePage
from advisor_app.ui.qt_translations import install_qt_translations
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.banner import Banner

if TYPE_CHECKING:  # the dialogs and pages are imported when first opened
    from advisor_app.ui.dialogs.about import AboutDialog
    from advisor_app.ui.dialogs.guide import GuideWindow
    from advisor_app.ui.pages.agenda import AgendaPage
    from advisor_app.ui.pages.backups import BackupsPage
    from advisor_app.ui.pages.dashboard import DashboardPage
    from advisor_app.ui.pages.holders import HoldersPage
    from advisor_app.ui.pages.outbox import OutboxPage
    from advisor_app.ui.pages.reports import ReportsPage
    from advisor_app.ui.pages.settings import SettingsPage

DEMO_CASES = 60
OUTBOX_START_MS = 60_000  # the outbox page's AUTOMATIC_SYNC_MS: its first automatic sync
PAGE_NAMES: tuple[tuple[str, str], ...] = (
    ("dashboard", N_("Dashboard")),
    ("holders", N_("Project holders")),
    ("agenda", N_("Agenda")),
    ("cases", N_("Open cases")),
    ("reports", N_("Reports")),
    ("outbox", N_("Outbox")),
    ("team", N_("Team")),
    ("backups", N_("Backups and data")),
    ("settings", N_("Settings")),
)


# the pages whose modules take long to import (reportlab, jsonschema, keyring, their own
# dialogs): imported on the reading thread before the page is built, its blank stand-in
# shown meanwhile (they make no Qt object as they are imported)
SLOW_IMPORTS = {
    "agenda": "advisor_app.ui.pages.agenda",
    "reports": "advisor_app.ui.pages.reports",
    "outbox": "advisor_app.ui.pages.outbox",
    "team": "advisor_app.ui.pages.team",
    "backups": "advisor_app.ui.pages.backups",
    "settings": "advisor_app.ui.pages.settings",
}


def build_page(key: str, session: AppSession) -> QWidget:
    """The page `key` of the sidebar, its module imported when it is first shown."""
    if key == "dashboard":
        from advisor_app.ui.pages.dashboard import DashboardPage

        return DashboardPage(session)
    if key == "holders":
        from advisor_app.ui.pages.holders import HoldersPage

        return HoldersPage(session)
    if key == "agenda":
        from advisor_app.ui.pages.agenda import AgendaPage

        return AgendaPage(session)
    if key == "outbox":
        from advisor_app.ui.pages.outbox import OutboxPage

        return OutboxPage(session)
    if key == "team":
        from advisor_app.ui.pages.team import TeamPage

        return TeamPage(session)
    if key == "reports":
        from advisor_app.ui.pages.reports import ReportsPage

        return ReportsPage(session)
    if key == "backups":
        from advisor_app.ui.pages.backups import BackupsPage

        return BackupsPage(session)
    if key == "settings":
        from advisor_app.ui.pages.settings import SettingsPage

        return SettingsPage(session)
    raise KeyError(key)


class WindowPages(Mapping[str, QWidget]):
    """The sidebar's pages by key, each built when first asked for (shown, or used by a
    menu): the window opens with the page it shows, not eight."""

    def __init__(self, build: Callable[[str], QWidget], built: dict[str, QWidget]) -> None:
        self.built = built
        self._build = build

    def __getitem__(self, key: str) -> QWidget:
        page = self.built.get(key)
        if page is None:
            if key not in PAGE_KEYS:
                raise KeyError(key)
            page = self.built[key] = self._build(key)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(PAGE_KEYS)

    def __len__(self) -> int:
        return len(PAGE_KEYS)


PAGE_KEYS = [key for key, _title in PAGE_NAMES]


def help_keys() -> list[QKeySequence]:
    """F1, and the platform's own help key where it differs (Cmd+? on macOS)."""
    keys = [QKeySequence(Qt.Key.Key_F1)]
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents):
        if key not in keys:
            keys.append(key)
    return keys


class MainWindow(QMainWindow):
    workspace_chosen = Signal(object)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.resize(1280, 800)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setStyleSheet(
            "#sidebar { font-size: 11pt; } #sidebar::item { padding: 8px 10px; }"
        )
        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.case_tabs = QTabWidget()
        self.case_tabs.setTabsClosable(True)
        self.case_tabs.setMovable(True)
        self.idle_lock: QObject | None = None
        # Édition ▸ Annuler / Rétablir follow the case shown: one undo stack per open case
        self.undo_group = QUndoGroup(self)
        self.question: QMessageBox | None = None  # a typed value refused: keep or discard?
        self._closing_checked = False
        self.guide: GuideWindow | None = None
        self.about: AboutDialog | None = None
        self.pages = WindowPages(self._build_page, {"cases": self.case_tabs})
        self._stand_ins: dict[str, QWidget] = {}  # empty until their page is first asked for
        self._importing: dict[str, list[Callable[[], object]]] = {}  # module: then what
        for key, _title in PAGE_NAMES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
            page = self.pages.built.get(key)
            if page is None:
                page = self._stand_ins[key] = QWidget()
            self.stack.addWidget(page)
        self.stack.addWidget(self.welcome)
        # what the advisor should know whichever page is shown: a workspace re-encrypted
        # under this window, an erasure left unfinished, partners and settings lost
        self.key_banner = Banner("keyBanner")
        self.erasure_banner = Banner("erasureBanner")
        self.state_banner = Banner("stateBanner")
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(4)
        for banner in (self.key_banner, self.erasure_banner, self.state_banner):
            right.addWidget(banner)
        right.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.key_watch = KeyChangeWatch(session, self, self.key_banner)

        self.sidebar.currentRowChanged.connect(self._page_chosen)
        self.case_tabs.tabCloseRequested.connect(self.close_case_tab)
        self.case_tabs.currentChanged.connect(self._case_tab_changed)
        self._shown_case: CaseView | None = None
        self.welcome.create_requested.connect(self.new_case)
        self.welcome.demo_requested.connect(self.load_demo)
        session.open_case_requested.connect(self.open_case)
        session.open_appointment_requested.connect(self.open_appointment)
        session.language_changed.connect(self._install_qt_translations)
        session.language_changed.connect(self.retranslate)
        session.changed.connect(self._on_changed)
        session.tasks.failed.connect(self.report_error)
        self.key_watch.unlocked.connect(self._read_everything_again)
        self.erasure_banner.action_clicked.connect(lambda: self.show_page("backups"))
        self.state_banner.action_clicked.connect(lambda: self.show_page("backups"))
        self.retranslate()
        self._restore_state()
        # the outbox page syncs while the window is open: built by then if not shown before
        QTimer.singleShot(OUTBOX_START_MS, self, self._start_outbox)
        QTimer.singleShot(0, self, self._warm_up)
        self.team_sync = team_sync.install(self, session)  # its sync and the status bar

    def _warm_up(self) -> None:
        """Load off the interface thread what the first page the advisor opens would load
        on it: the language's formats (babel's data, 50 ms at their first use), the holders
        list's count and search and a case's reading (their queries compiled at first use,
        10 to 30 ms each), the first page of a case."""
        services = self.session.services
        now = services.context.now()

        def warm() -> None:
            format_date(now.date())
            format_datetime(now)
            format_money(0)
            importlib.import_module("advisor_app.ui.case." + page_module(TITLES[0]))

        def read() -> None:
            services.search.count(CaseFilter())
            services.search.best_matches(CaseFilter(text="a"), 1)  # ranked, then counted
            first = services.search.cases(CaseFilter(limit=1))
            if first and first[0].damaged is None:
                services.cases.get(first[0].case_id)

        self.session.tasks.read(warm, lambda _result: None)
        # a reading that fails here says nothing: the page that reads it again says it
        self.session.tasks.read(read, lambda _result: None, lambda _error: True)

    # -- building -------------------------------------------------------------------

    @property
    def dashboard(self) -> DashboardPage:
        return cast("DashboardPage", self.pages["dashboard"])

    @property
    def holders(self) -> HoldersPage:
        return cast("HoldersPage", self.pages["holders"])

    @property
    def agenda(self) -> AgendaPage:
        return cast("AgendaPage", self.pages["agenda"])

    @property
    def outbox(self) -> OutboxPage:
        return cast("OutboxPage", self.pages["outbox"])

    def _start_outbox(self) -> None:
        if "outbox" not in self.pages.built:
            # then every minute, on the page's own timer
            self._import_then("outbox", lambda: self.outbox.automatic_sync())

    def _import_then(self, key: str, then: Callable[[], object]) -> bool:
        """Whether the page `key` waits for a slow module, imported off the interface thread;
        `then` runs once it is (at once, returning False, when nothing is to wait for)."""
        module = SLOW_IMPORTS.get(key)
        if (
            key in self.pages.built
            or module is None
            or (module in sys.modules and module not in self._importing)
        ):
            then()
            return False
        waiting = self._importing.setdefault(module, [])
        waiting.append(then)
        if len(waiting) == 1:

            def imported(_module: object) -> None:
                for each in self._importing.pop(module, []):
                    each()

            def failed(_error: BaseException) -> bool:
                self._importing.pop(module, None)
                return False  # said as any failure; the page is built when next asked for

            self.session.tasks.read(lambda: importlib.import_module(module), imported, failed)
        return True

    @property
    def reports(self) -> ReportsPage:
        return cast("ReportsPage", self.pages["reports"])

    @property
    def backups(self) -> BackupsPage:
        return cast("BackupsPage", self.pages["backups"])

    @property
    def settings_page(self) -> SettingsPage:
        return cast("SettingsPage", self.pages["settings"])

    def _build_page(self, key: str) -> QWidget:
        """Build the page `key` and put it in place of its stand-in in the stack."""
        page = build_page(key, self.session)
        # known at once: showing it may open a dialog (a passphrase asked) whose event loop
        # runs a callback that asks for this page again, which must not build a second one
        self.pages.built[key] = page
        stand_in = self._stand_ins.pop(key)
        self.stack.insertWidget(self.stack.indexOf(stand_in), page)
        if self.stack.currentWidget() is stand_in:
            self.stack.setCurrentWidget(page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        if key == "holders":
            page.new_case_requested.connect(self.new_case)  # type: ignore[attr-defined]
        if key == "settings":
            page.workspace_chosen.connect(self.workspace_chosen)  # type: ignore[attr-defined]
            page.team_asked.connect(lambda: self.show_page("team"))  # type: ignore[attr-defined]
        prepare_for_keyboard(page)
        return page

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.edit_menu = QMenu(self)
        self.go_menu = QMenu(self)  # Affichage: the pages
        self.help_menu = QMenu(self)
        bar.addMenu(self.file_menu)
        bar.addMenu(self.edit_menu)
        bar.addMenu(self.go_menu)
        bar.addMenu(self.help_menu)
        self.undo_action = QAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo_group.undo)
        self.redo_action = QAction(self)
        self.redo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        self.redo_action.triggered.connect(self.undo_group.redo)
        self.undo_group.canUndoChanged.connect(lambda _can: self._name_undo_actions())
        self.undo_group.canRedoChanged.connect(lambda _can: self._name_undo_actions())
        self.undo_group.undoTextChanged.connect(lambda _text: self._name_undo_actions())
        self.undo_group.redoTextChanged.connect(lambda _text: self._name_undo_actions())
        self.preferences_action = QAction(self)
        # Cmd+, on macOS; where the platform has none (Windows, most Linux desktops), Ctrl+,
        self.preferences_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
            or [QKeySequence("Ctrl+,")]
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(lambda: self.show_page("settings"))
        self.new_case_action = QAction(self)
        self.new_case_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_case_action.triggered.connect(self.new_case)
        self.new_appointment_action = QAction(self)
        self.new_appointment_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_appointment_action.triggered.connect(self.new_appointment)
        self.search_action = QAction(self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.triggered.connect(self.focus_search)
        self.close_tab_action = QAction(self)
        self.close_tab_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_tab_action.triggered.connect(
            lambda: self.close_case_tab(self.case_tabs.currentIndex())
        )
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self.import_package)
        self.import_sheet_action = QAction(self)
        self.import_sheet_action.triggered.connect(self.import_sheet)
        self.export_sheet_action = QAction(self)
        self.export_sheet_action.triggered.connect(self.export_sheet)
        self.print_case_action = QAction(self)
        self.print_case_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_case_action.triggered.connect(self.print_current_case)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        for action in (
            self.new_case_action,
            self.new_appointment_action,
            self.print_case_action,
            self.import_action,
            self.import_sheet_action,
            self.export_sheet_action,
            self.close_tab_action,
        ):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.search_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.preferences_action)
        self.go_actions: list[QAction] = []
        for number, (key, _title) in enumerate(PAGE_NAMES, start=1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, k=key: self.show_page(k))
            self.go_menu.addAction(action)
            self.go_actions.append(action)
        self.guide_action = QAction(self)
        self.guide_action.setShortcuts(help_keys())
        self.guide_action.triggered.connect(self.show_guide)
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Boussole"))
        for row, (_key, title) in enumerate(PAGE_NAMES):
            self.sidebar.item(row).setText(_(title))
            self.go_actions[row].setText(_(title))
        self.file_menu.setTitle(_("&File"))
        self.edit_menu.setTitle(_("&Edit"))
        self.go_menu.setTitle(_("&View"))
        self.preferences_action.setText(_("Preferences…"))
        self._name_undo_actions()
        self.new_case_action.setText(_("New case…"))
        self.new_appointment_action.setText(_("New appointment…"))
        self.search_action.setText(_("Search the project holders"))
        self.close_tab_action.setText(_("Close the tab"))
        self.print_case_action.setText(_("Print a report for this case…"))
        self.import_action.setText(_("Import a package from another advisor…"))
        self.import_sheet_action.setText(_("Import a spreadsheet…"))
        self.export_sheet_action.setText(_("Export the list of cases…"))
        self.quit_action.setText(_("Quit"))
        self.help_menu.setTitle(_("&Help"))
        self.guide_action.setText(_("User guide"))
        self.about_action.setText(_("About Boussole"))
        for dialog in (self.guide, self.about):
            if dialog is not None:
                dialog.retranslate()
        for banner in (self.key_banner, self.erasure_banner, self.state_banner):
            banner.retranslate()
        self.key_watch.retranslate()
        self.show_notices()
        self.welcome.retranslate()
        for key in ("dashboard", "holders", "agenda", "settings", "reports", "outbox"):
            if (page := self.pages.built.get(key)) is not None:  # the others: when built
                page.retranslate()  # type: ignore[attr-defined]
        for index in range(self.case_tabs.count()):
            view = self.case_tabs.widget(index)
            if isinstance(view, CaseView):
                view.retranslate()
        self._update_cases_item()
        self._fit_sidebar()
        self.sidebar.setAccessibleName(_("Pages"))
        prepare_for_keyboard(self)  # names Qt leaves out, in the new language; Tab through

    def _fit_sidebar(self) -> None:
        """As wide as its longest label in any language, so that the page does not move
        when the language changes, and no narrower than 190."""
        self.sidebar.ensurePolished()  # the style sheet's font, not the default one
        metrics = self.sidebar.fontMetrics()
        titles = []
        for language in SUPPORTED_LANGUAGES:
            with using_language(language):
                titles += [_(title) for _key, title in PAGE_NAMES]
        widest = max(metrics.horizontalAdvance(title) for title in titles)
        self.sidebar.setFixedWidth(max(190, widest + 40))

    @staticmethod
    def _install_qt_translations() -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_qt_translations(app, current_language())

    def sidebar_labels(self) -> list[str]:
        return [self.sidebar.item(row).text() for row in range(self.sidebar.count())]

    # -- navigation ------------------------------------------------------------------

    def is_empty_workspace(self) -> bool:
        return not self.session.services.search.has_cases()

    def show_page(self, key: str) -> None:
        keys = [k for k, _t in PAGE_NAMES]
        self.sidebar.setCurrentRow(keys.index(key))
        self._page_chosen(keys.index(key))

    def current_page(self) -> str:
        item = self.sidebar.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else "dashboard"

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        key = PAGE_NAMES[row][0]
        if key == "dashboard" and self.is_empty_workspace():
            self.stack.setCurrentWidget(self.welcome)
        elif key in self._stand_ins and self._import_then(key, lambda: self._show_built(key)):
            self.stack.setCurrentWidget(self._stand_ins[key])
        else:
            self.stack.setCurrentWidget(self.pages[key])
        for banner in (self.erasure_banner, self.state_banner):  # the page says it in full
            banner.withhold(key == "backups")
        self._follow_undo_stack()

    def _show_built(self, key: str) -> None:
        """The page `key` in place of its stand-in, if the advisor is still on it."""
        if self.current_page() == key:
            self.stack.setCurrentWidget(self.pages[key])

    def _update_cases_item(self) -> None:
        row = [key for key, _title in PAGE_NAMES].index("cases")
        self.sidebar.item(row).setHidden(self.case_tabs.count() == 0)

    def focus_search(self) -> None:
        self.show_page("holders")
        self.holders.focus_search()

    # -- cases -----------------------------------------------------------------------

    def open_appointment(self, case_id: str, appointment_id: str) -> None:
        view = self.open_case(case_id, "Appointments")

        def select() -> None:
            page = view.page("Appointments")
            from advisor_app.ui.case.appointments import AppointmentsPage

            if isinstance(page, AppointmentsPage):
                page.select(appointment_id)

        view.when_read(select)

    def open_case(self, case_id: str, page: str = "") -> CaseView:
        for index in range(self.case_tabs.count()):
            view = self.case_tabs.widget(index)
            if isinstance(view, CaseView) and view.case_id == case_id:
                if page:
                    view.show_page(page)
                self.case_tabs.setCurrentIndex(index)
                self.show_page("cases")
                return view
        view = CaseView(self.session, case_id)
        prepare_for_keyboard(view)
        self.undo_group.addStack(view.edits.stack)
        view.left_refused_value.connect(lambda: self._ask_about_refused([view], lambda: None))
        view.read_done.connect(self._retitle_case_tabs)
        if page:
            view.show_page(page)
        index = self.case_tabs.addTab(view, view.title())
        self._retitle_case_tabs()
        self.case_tabs.setCurrentIndex(index)
        self._update_cases_item()
        self.show_page("cases")
        return view

    def _case_views(self) -> list[CaseView]:
        views = (self.case_tabs.widget(i) for i in range(self.case_tabs.count()))
        return [view for view in views if isinstance(view, CaseView)]

    def _retitle_case_tabs(self) -> None:
        """Each tab named after its person; two of the same name told apart (tab_titles)."""
        views = self._case_views()
        titles = case_tab_titles([(view.title(), view.detail) for view in views])
        for view, title in zip(views, titles, strict=True):
            self.case_tabs.setTabText(self.case_tabs.indexOf(view), title)

    def current_case(self) -> CaseView | None:
        view = self.case_tabs.currentWidget()
        return view if isinstance(view, CaseView) else None

    def close_case_tab(self, index: int) -> None:
        """Once its writes have landed, and what was typed and refused is kept or discarded
        as the advisor answers."""
        if index < 0:
            return
        view = self.case_tabs.widget(index)
        if isinstance(view, CaseView) and not self._ready_to_close(
            [view], lambda: self.close_case_tab(self.case_tabs.indexOf(view))
        ):
            return
        self.case_tabs.removeTab(index)
        if view is not None:
            view.deleteLater()
        self._retitle_case_tabs()
        self._update_cases_item()
        if self.case_tabs.count() == 0 and self.current_page() == "cases":
            self.show_page("holders")

    def new_case(self) -> None:
        from advisor_app.ui.dialogs.new_case import NewCaseDialog

        dialog = NewCaseDialog(self.session, self)
        if dialog.exec() and dialog.case_id:
            self.open_case(dialog.case_id)

    def new_appointment(self) -> None:
        view = self.current_case() if self.current_page() == "cases" else None
        if view is not None:
            view.show_page("Appointments")
            page = view.page("Appointments")
            page.new_appointment()  # type: ignore[attr-defined]
            return
        self.show_page("agenda")
        start = self.session.services.context.now().replace(minute=0)
        self.agenda.book_at(start)

    def import_package(self) -> None:
        from advisor_app.ui.dialogs.import_package import choose_and_import

        case_id = choose_and_import(self.session, self)
        if case_id:
            self.open_case(case_id)

    def import_sheet(self) -> None:
        from advisor_app.ui.dialogs.sheet_import import open_sheet_import

        open_sheet_import(self.session, self)

    def export_sheet(self) -> None:
        from advisor_app.ui.dialogs.sheet_export import choose_and_export

        choose_and_export(self.session, self)

    def print_current_case(self) -> None:
        """Open the Reports page on the progress report of the case being looked at."""
        view = self.current_case() if self.current_page() == "cases" else None
        self.show_page("reports")
        if view is not None:
            self.reports.prepare(view.case_id)

    # -- undo, and what was typed but refused ------------------------------------------

    def _name_undo_actions(self) -> None:
        """The change that Ctrl+Z would undo, by name: "Annuler « Modifier : E-mail »"."""
        group = self.undo_group
        undo, redo = group.undoText(), group.redoText()
        self.undo_action.setText(_("Undo “{change}”").format(change=undo) if undo else _("Undo"))
        self.redo_action.setText(_("Redo “{change}”").format(change=redo) if redo else _("Redo"))
        self.undo_action.setEnabled(group.canUndo())
        self.redo_action.setEnabled(group.canRedo())

    def _follow_undo_stack(self) -> None:
        """Édition ▸ Annuler acts on the case shown, and on nothing while another page is."""
        view = self.current_case() if self.current_page() == "cases" else None
        self.undo_group.setActiveStack(view.edits.stack if view is not None else None)  # type: ignore[arg-type]
        self._name_undo_actions()

    def _case_tab_changed(self, _index: int) -> None:
        previous, self._shown_case = self._shown_case, self.current_case()
        self._follow_undo_stack()
        if previous is None or previous is self._shown_case:
            return
        if self.case_tabs.indexOf(previous) >= 0 and previous.refused_fields():
            self._ask_about_refused([previous], lambda: None)

    def _ready_to_close(self, views: list[CaseView], then: Callable[[], object]) -> bool:
        """Hand what is being typed to the writer and wait for every write to land; if a
        field then holds a refused value, ask (keep editing, or discard it and `then`)."""
        for view in views:
            view.save_typing()
        self.session.tasks.finish_writes()
        refused = [view for view in views if view.refused_fields()]
        if not refused:
            return True
        self._ask_about_refused(refused, then)
        return False

    def _ask_about_refused(self, views: list[CaseView], then: Callable[[], object]) -> QMessageBox:
        """Asked without blocking: "Keep editing" shows the field, "Discard the change" puts
        the stored value back and goes on with `then`."""
        view = views[0]
        field = view.refused_fields()[0]
        name = _(field.caption) if field.caption else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("A change was not saved"),
            _("The value typed in “{field}” for {holder} was refused, so it is not saved.").format(
                field=name, holder=view.title()
            ),
            parent=self,
        )
        box.setInformativeText(field.error.text())
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        discard = box.addButton(_("Discard the change"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: object) -> None:
            self.question = None
            if button is discard:
                for each in views:
                    each.discard_refused()
                then()
            else:
                self.case_tabs.setCurrentWidget(view)
                self.show_page("cases")
                view.show_field(field)

        box.buttonClicked.connect(answered)
        box.keep_button = keep  # type: ignore[attr-defined]
        box.discard_button = discard  # type: ignore[attr-defined]
        self.question = box
        box.open()
        return box

    # -- help ------------------------------------------------------------------------

    def show_guide(self) -> GuideWindow:
        """The user guide beside the window (F1), in the current language."""
        from advisor_app.ui.dialogs.guide import GuideWindow

        if self.guide is None:
            self.guide = GuideWindow(self)
        self.guide.show_guide()
        return self.guide

    def show_about(self) -> AboutDialog:
        """The About box, opened without waiting on it."""
        if self.about is not None:
            self.about.deleteLater()
        from advisor_app.ui.dialogs.about import AboutDialog

        self.about = AboutDialog(self.session, self)
        self.about.open()
        return self.about

    def load_demo(self) -> None:
        from advisor_app.services.demo import generate_demo

        services = self.session.services
        task = self.session.tasks.run(
            lambda: generate_demo(services, DEMO_CASES, 1),
            changes=Changes(case_list=True, agenda=True),
        )
        follow(task, _("Creating demo project holders…"), self)
        task.done.connect(lambda _result: self.show_page("dashboard"))

    # -- what went wrong, what to know ------------------------------------------------------

    def report_error(self, error: object) -> QMessageBox | None:
        """A failure of background work or of a slot: a sentence, or the passphrase asked
        again when another window re-encrypted the workspace (AppSession.report)."""
        if not isinstance(error, BaseException):
            return None
        with contextlib.suppress(OSError):  # an erasure the failure stopped halfway
            self.show_notices(state=False)
        return self.session.report(error, self)

    def show_notices(self, *, state: bool = True) -> None:
        """Say, above every page, what was left unfinished or lost: an interrupted erasure,
        partners and settings lost (their file damaged or missing; looked for when `state`).
        Each stays until the Backups and data page has made it good."""
        services = self.session.services
        pending = len(services.privacy.unfinished_erasures())
        if pending:
            self.erasure_banner.say(
                ngettext(
                    "The erasure of a case was interrupted: part of it is still in the "
                    "workspace or its backups.",
                    "The erasures of {count} cases were interrupted: part of them is still in "
                    "the workspace or its backups.",
                    pending,
                ).format(count=pending),
                ngettext("Finish it…", "Finish them…", pending),
            )
        else:
            self.erasure_banner.clear()
        if not state:
            return
        try:
            lost = services.maintenance.lost_state()
        except AdvisorError:  # the key changed or the disk refused: said where it matters
            return
        if lost is not None:
            self.state_banner.say(
                _(
                    "The partners, outbox queue and settings of this workspace were lost on "
                    "{day} and replaced by empty ones. A backup may hold them."
                ).format(day=format_date(lost.at.date())),
                _("See the backups…"),
            )
        else:
            self.state_banner.clear()

    def _read_everything_again(self) -> None:
        """The workspace was unlocked again: every page and open case reads it afresh."""
        cases = frozenset(
            view.case_id
            for index in range(self.case_tabs.count())
            if isinstance(view := self.case_tabs.widget(index), CaseView)
        )
        self.session.announce(
            Changes(cases=cases, case_list=True, agenda=True, settings=True, outbox=True)
        )

    def _on_changed(self, changes: Changes) -> None:
        # an erasure is a folder looked at; a loss, a row of the catalog read when it may
        # have been made good (a restore says settings=True)
        self.show_notices(state=changes.settings and self.state_banner.showing)
        if changes.cases:  # once the case views have read their cases again
            QTimer.singleShot(0, self, self._retitle_case_tabs)
        if changes.case_list and self.stack.currentWidget() is self.welcome:
            self._page_chosen(self.sidebar.currentRow())

    # -- state -----------------------------------------------------------------------

    def _restore_state(self) -> None:
        state = QSettings()
        geometry = state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        page = str(state.value("window/page", "dashboard"))
        if self.is_empty_workspace():  # a new workspace opens on its welcome and demo offer
            page = "dashboard"
        self.show_page(page if page in self.pages and page != "cases" else "dashboard")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._ready_to_close(self._case_views(), self.close):
            event.ignore()
            return
        self.session.tasks.finish_writes()  # never lose a write: the window waits for them
        state = QSettings()
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("window/page", self.current_page())
        super().closeEvent(event)
