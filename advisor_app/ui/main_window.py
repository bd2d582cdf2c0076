"""The main window: a sidebar of pages, open cases in tabs, menus and shortcuts."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
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
from advisor_app.i18n import _, current_language, format_date, ngettext
from advisor_app.services import Changes
from advisor_app.services.demo import generate_demo
from advisor_app.ui.case.case_view import CaseView
from advisor_app.ui.dialogs.about import AboutDialog
from advisor_app.ui.dialogs.guide import GuideWindow
from advisor_app.ui.dialogs.import_package import choose_and_import
from advisor_app.ui.dialogs.new_case import NewCaseDialog
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.key_change import KeyChangeWatch
from advisor_app.ui.pages.agenda import AgendaPage
from advisor_app.ui.pages.backups import BackupsPage
from advisor_app.ui.pages.dashboard import DashboardPage
from advisor_app.ui.pages.holders import HoldersPage
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.pages.reports import ReportsPage
from advisor_app.ui.pages.settings import SettingsPage
from advisor_app.ui.pages.welcome import WelcomePage
from advisor_app.ui.qt_translations import install_qt_translations
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.banner import Banner

DEMO_CASES = 60
PAGE_NAMES: tuple[tuple[str, str], ...] = (
    ("dashboard", N_("Dashboard")),
    ("holders", N_("Project holders")),
    ("agenda", N_("Agenda")),
    ("cases", N_("Open cases")),
    ("reports", N_("Reports")),
    ("outbox", N_("Outbox")),
    ("backups", N_("Backups and data")),
    ("settings", N_("Settings")),
)


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
        self.dashboard = DashboardPage(session)
        self.holders = HoldersPage(session)
        self.agenda = AgendaPage(session)
        self.case_tabs = QTabWidget()
        self.case_tabs.setTabsClosable(True)
        self.case_tabs.setMovable(True)
        self.settings_page = SettingsPage(session)
        self.reports = ReportsPage(session)
        self.outbox = OutboxPage(session)
        self.backups = BackupsPage(session)
        self.idle_lock: QObject | None = None
        self.guide: GuideWindow | None = None
        self.about: AboutDialog | None = None
        self.pages: dict[str, QWidget] = {
            "dashboard": self.dashboard,
            "holders": self.holders,
            "agenda": self.agenda,
            "cases": self.case_tabs,
            "reports": self.reports,
            "outbox": self.outbox,
            "backups": self.backups,
            "settings": self.settings_page,
        }
        for key, _title in PAGE_NAMES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
            self.stack.addWidget(self.pages[key])
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
        self.holders.new_case_requested.connect(self.new_case)
        self.welcome.create_requested.connect(self.new_case)
        self.welcome.demo_requested.connect(self.load_demo)
        self.settings_page.workspace_chosen.connect(self.workspace_chosen)
        session.open_case_requested.connect(self.open_case)
        session.language_changed.connect(self._install_qt_translations)
        session.language_changed.connect(self.retranslate)
        session.changed.connect(self._on_changed)
        session.tasks.failed.connect(self.report_error)
        self.key_watch.unlocked.connect(self._read_everything_again)
        self.erasure_banner.action_clicked.connect(lambda: self.show_page("backups"))
        self.state_banner.action_clicked.connect(lambda: self.show_page("backups"))
        self.retranslate()
        self._restore_state()

    # -- building -------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.go_menu = QMenu(self)
        self.help_menu = QMenu(self)
        bar.addMenu(self.file_menu)
        bar.addMenu(self.go_menu)
        bar.addMenu(self.help_menu)
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
        self.print_case_action = QAction(self)
        self.print_case_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_case_action.triggered.connect(self.print_current_case)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        for action in (
            self.new_case_action,
            self.new_appointment_action,
            self.search_action,
            self.print_case_action,
            self.import_action,
            self.close_tab_action,
        ):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
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
        self.go_menu.setTitle(_("&Go"))
        self.new_case_action.setText(_("New case…"))
        self.new_appointment_action.setText(_("New appointment…"))
        self.search_action.setText(_("Search the project holders"))
        self.close_tab_action.setText(_("Close the tab"))
        self.print_case_action.setText(_("Print a report for this case…"))
        self.import_action.setText(_("Import a package from another advisor…"))
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
        self.dashboard.retranslate()
        self.holders.retranslate()
        self.agenda.retranslate()
        self.settings_page.retranslate()
        self.reports.retranslate()
        self.outbox.retranslate()
        for index in range(self.case_tabs.count()):
            view = self.case_tabs.widget(index)
            if isinstance(view, CaseView):
                view.retranslate()
        self._update_cases_item()
        self._fit_sidebar()

    def _fit_sidebar(self) -> None:
        """As wide as its longest label in the current language, and no narrower than 190."""
        metrics = self.sidebar.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(self.sidebar.item(row).text())
            for row in range(self.sidebar.count())
        )
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
        else:
            self.stack.setCurrentWidget(self.pages[key])
        for banner in (self.erasure_banner, self.state_banner):  # the page says it in full
            banner.withhold(key == "backups")

    def _update_cases_item(self) -> None:
        row = [key for key, _title in PAGE_NAMES].index("cases")
        self.sidebar.item(row).setHidden(self.case_tabs.count() == 0)

    def focus_search(self) -> None:
        self.show_page("holders")
        self.holders.focus_search()

    # -- cases -----------------------------------------------------------------------

    def open_case(self, case_id: str) -> CaseView:
        for index in range(self.case_tabs.count()):
            view = self.case_tabs.widget(index)
            if isinstance(view, CaseView) and view.case_id == case_id:
                self.case_tabs.setCurrentIndex(index)
                self.show_page("cases")
                return view
        view = CaseView(self.session, case_id)
        index = self.case_tabs.addTab(view, view.title())
        self.case_tabs.setCurrentIndex(index)
        self._update_cases_item()
        self.show_page("cases")
        return view

    def current_case(self) -> CaseView | None:
        view = self.case_tabs.currentWidget()
        return view if isinstance(view, CaseView) else None

    def close_case_tab(self, index: int) -> None:
        if index < 0:
            return
        view = self.case_tabs.widget(index)
        self.case_tabs.removeTab(index)
        if view is not None:
            view.deleteLater()
        self._update_cases_item()
        if self.case_tabs.count() == 0 and self.current_page() == "cases":
            self.show_page("holders")

    def new_case(self) -> None:
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
        case_id = choose_and_import(self.session, self)
        if case_id:
            self.open_case(case_id)

    def print_current_case(self) -> None:
        """Open the Reports page on the progress report of the case being looked at."""
        view = self.current_case() if self.current_page() == "cases" else None
        self.show_page("reports")
        if view is not None:
            self.reports.prepare(view.case_id)

    # -- help ------------------------------------------------------------------------

    def show_guide(self) -> GuideWindow:
        """The user guide beside the window (F1), in the current language."""
        if self.guide is None:
            self.guide = GuideWindow(self)
        self.guide.show_guide()
        return self.guide

    def show_about(self) -> AboutDialog:
        """The About box, opened without waiting on it."""
        if self.about is not None:
            self.about.deleteLater()
        self.about = AboutDialog(self.session, self)
        self.about.open()
        return self.about

    def load_demo(self) -> None:
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
        for index in range(self.case_tabs.count()):
            view = self.case_tabs.widget(index)
            if isinstance(view, CaseView) and view.case_id in changes.cases:
                self.case_tabs.setTabText(index, view.title())
        if changes.case_list and self.stack.currentWidget() is self.welcome:
            self._page_chosen(self.sidebar.currentRow())

    # -- state -----------------------------------------------------------------------

    def _restore_state(self) -> None:
        state = QSettings()
        geometry = state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        page = str(state.value("window/page", "dashboard"))
        self.show_page(page if page in self.pages and page != "cases" else "dashboard")

    def closeEvent(self, event: QCloseEvent) -> None:
        state = QSettings()
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("window/page", self.current_page())
        super().closeEvent(event)
