"""The team's sync while the window is open: when the network comes back, every few minutes,
and when the advisor asks; never on the interface thread. One per open workspace
(`TeamSync.of(session)`), shared by the Team page and the window's status bar.

A sync runs on the task runner's one worker, as the outbox's does, so it takes its turn
with the writes; its progress comes back as (cases done, cases) and its `Changes` are
announced when it lands, so that open cases and lists show what came in. A failure (server
down, password refused or unknown, storage full) leaves the workspace as it was: its
sentence is kept to be shown, and the next sync starts again from there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, format_datetime, format_number, format_time, ngettext
from advisor_app.services import Changes
from advisor_app.ui.errors import error_sentence, log_exception, quietly
from advisor_app.ui.session import AppSession

if TYPE_CHECKING:
    from advisor_app.services.team import SyncReport, TeamStatus

AUTOMATIC_SYNC_MS = 5 * 60_000  # while the window is open
RETRY_MS = 60_000  # after a server that could not be reached: is the network back?
START_MS = 20_000  # the first sync, once the window has settled
STATUS_DELAY_MS = 400  # changes come in bursts: the status is read once after them


class _Progress(QObject):
    """Carries the service's progress calls from the worker to the interface thread."""

    moved = Signal(int, int)


class TeamSync(QObject):
    """`status` is the team's last read status (None without a team, or until first read);
    `running`, `progress` (done, total), `error` (what stopped the last sync), `report`
    (what the last sync here did) say where the sync is. `state_changed` is emitted on each
    change of them; `password_needed` when a sync needs the WebDAV password."""

    state_changed = Signal()
    password_needed = Signal()
    synced = Signal(object)  # the SyncReport

    def __init__(self, session: AppSession) -> None:
        super().__init__(session)
        self.setObjectName("teamSync")
        self.session = session
        self.status: TeamStatus | None = None
        self.status_read = False  # whether `status` was read at least once
        self.running = False
        self.progress: tuple[int, int] | None = None
        self.error: BaseException | None = None
        self.failure = ""  # the kind of `error` ("unreachable", "password"...)
        self.report: SyncReport | None = None
        self._started = False
        self._network: Any = None
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOMATIC_SYNC_MS)
        self.timer.timeout.connect(self.automatic_sync)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_DELAY_MS)
        self._status_timer.timeout.connect(self.read_status)
        session.changed.connect(self._on_changed)

    @staticmethod
    def of(session: AppSession) -> TeamSync:
        """The one `TeamSync` of the session, made when first asked for."""
        found = session.findChild(TeamSync, "teamSync")
        return found if isinstance(found, TeamSync) else TeamSync(session)

    @property
    def in_team(self) -> bool:
        return self.status is not None

    @property
    def needs_password(self) -> bool:
        """The last sync stopped for the WebDAV password: refused, or not kept here."""
        return self.failure in ("password", "no password")

    # -- starting --------------------------------------------------------------------------

    def start(self) -> None:
        """Read the status now, sync once the window has settled, then every few minutes
        and when the network comes back."""
        if self._started:
            return
        self._started = True
        self.read_status()
        QTimer.singleShot(START_MS, self, self.automatic_sync)
        self.timer.start()
        self._watch_network()

    def _watch_network(self) -> None:
        """Sync when the system says the network is back (where Qt can tell: otherwise the
        retries after a failure find it)."""
        from PySide6.QtNetwork import QNetworkInformation

        with contextlib.suppress(Exception):  # no backend on this system: retries suffice
            if QNetworkInformation.loadDefaultBackend():
                info = QNetworkInformation.instance()
                if info is not None:
                    self._network = info
                    info.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.automatic_sync()

    # -- the status ------------------------------------------------------------------------

    def read_status(self, then: Callable[[], object] | None = None) -> None:
        """Read the team's status off the interface thread; `state_changed` when it is in."""
        services = self.session.services

        def arrived(status: object) -> None:
            self.status = status  # type: ignore[assignment]  # TeamStatus, or None: no team
            self.status_read = True
            self.state_changed.emit()
            if then is not None:
                then()

        # a refusal is said by the page that reads the workspace next; a fault is logged
        self.session.tasks.read(lambda: services.team.status(), arrived, quietly)

    def _on_changed(self, changes: Changes) -> None:
        # a case changed may have changes waiting to leave; a team made or joined: settings
        if changes.settings or (self.in_team and (changes.cases or changes.case_list)):
            self._status_timer.start()

    # -- syncing ---------------------------------------------------------------------------

    def automatic_sync(self) -> None:
        """A sync nobody asked for: only in a team, never behind other work, never asking."""
        if not self.in_team or self.running or self.session.tasks.busy:
            return
        if self.session.services.locked:
            return  # the idle lock: nothing is read or written until it is unlocked
        if self.needs_password:
            return  # the page asks for it; trying again would be refused again
        self.sync(automatic=True)

    def sync(self, password: str | None = None, *, automatic: bool = False) -> bool:
        """Start a sync (False if one is running or there is no team). With `password`, the
        WebDAV password typed by the advisor, kept once the server has taken it."""
        if self.running or not self.in_team:
            return False
        services = self.session.services
        self.running = True
        self.progress = None
        self.state_changed.emit()
        moved = self._progress.moved

        def work() -> SyncReport:
            return services.team.sync(
                password=password, progress=moved.emit, keep_password=password is not None
            )

        def done(report: object) -> None:
            self.running = False
            self.progress = None
            self.error, self.failure = None, ""
            self.report = report  # type: ignore[assignment]
            self.timer.setInterval(AUTOMATIC_SYNC_MS)
            changes = getattr(report, "changes", None)
            if isinstance(changes, Changes):
                self.session.announce(changes)
            self.synced.emit(report)
            self.state_changed.emit()
            self.read_status()

        self.session.tasks.run(
            work, done, on_error=lambda error: self._failed(error, automatic=automatic)
        )
        return True

    def join(
        self,
        call: Callable[[Callable[[int, int], None]], SyncReport],
        on_done: Callable[[], None],
        on_refused: Callable[[BaseException], bool],
    ) -> None:
        """Join a team by the one writer: `call(progress)` is the service's join, whose first
        sync takes in the team's shared cases with its progress shown as a sync's."""
        self.running = True
        self.progress = None
        self.error, self.failure = None, ""
        self.state_changed.emit()
        moved = self._progress.moved

        def done(report: object) -> None:
            self.running = False
            self.progress = None
            self.report = report  # type: ignore[assignment]
            changes = getattr(report, "changes", Changes())
            self.session.announce(Changes(settings=True, case_list=True) | changes)
            self.read_status(on_done)

        def refused(error: BaseException) -> bool:
            self.running = False
            self.progress = None
            self.state_changed.emit()
            return on_refused(error)

        self.session.write(lambda: call(moved.emit), done, refused)

    def clear_failure(self) -> None:
        self.error, self.failure = None, ""

    def _failed(self, error: BaseException, *, automatic: bool = False) -> bool:
        """Kept to be said on the page and in the status bar; nothing else changes. A fault
        of Boussole (not a refusal) is also said by the window, with the log, when the
        advisor asked for the sync; one met in the background is logged only."""
        from advisor_app.services.team import sync_failure

        self.running = False
        self.progress = None
        self.error = error
        self.failure = sync_failure(error)
        if self.failure == "unreachable":
            self.timer.setInterval(RETRY_MS)  # is the network back?
        self.state_changed.emit()
        if self.needs_password:
            self.password_needed.emit()
        self.read_status()
        if automatic and not isinstance(error, AdvisorError):
            log_exception(error)
            return True
        return isinstance(error, AdvisorError) and not _workspace_changed(error)

    def _moved(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self.state_changed.emit()

    # -- what is said ----------------------------------------------------------------------

    def short_status(self) -> str:
        """The status bar's words: "Team: synced at 14:32", "3 waiting to be sent",
        "sync failed: server unreachable"."""
        status = self.status
        if status is None:
            return ""
        if self.running:
            if self.progress is not None and self.progress[1]:
                return _("Team: syncing… {done}/{total}").format(
                    done=format_number(self.progress[0]), total=format_number(self.progress[1])
                )
            return _("Team: syncing…")
        if self.error is not None:
            return _("Team: sync failed: {reason}").format(reason=failure_words(self.failure))
        if status.last_sync.get("key_missing") or status.last_sync.get("refused"):
            return _("Team: synced with problems, see the Team page")
        waiting = status.waiting_cases + status.waiting_batches
        if waiting:
            return _("Team: {count} waiting to be sent").format(count=format_number(waiting))
        if status.last_sync_at is None:
            return _("Team: not synced yet")
        return _("Team: synced at {when}").format(when=when(status.last_sync_at, self.now()))

    def error_sentence(self) -> str:
        return "" if self.error is None else error_sentence(self.error)

    def now(self) -> datetime:
        return self.session.services.context.now()


def failure_words(failure: str) -> str:
    if failure == "unreachable":
        return _("server unreachable")
    if failure in ("password", "no password"):
        return _("password needed")
    if failure == "full":
        return _("server storage full")
    return _("see the Team page")


def when(moment: datetime, now: datetime) -> str:
    """The time alone today, else the date and time."""
    return format_time(moment) if moment.date() == now.date() else format_datetime(moment)


def came_in_text(last_sync: dict[str, object]) -> str:
    """What the last sync took in and sent, in a sentence."""
    cases_in = _count(last_sync, "cases_in")
    removed = _count(last_sync, "cases_removed")
    sent = _count(last_sync, "changes_out")
    parts = []
    if cases_in:
        parts.append(
            ngettext(
                "{count} case updated by the team", "{count} cases updated by the team", cases_in
            ).format(count=format_number(cases_in))
        )
    if removed:
        parts.append(
            ngettext(
                "{count} case removed (erased or no longer shared)",
                "{count} cases removed (erased or no longer shared)",
                removed,
            ).format(count=format_number(removed))
        )
    if sent:
        parts.append(
            ngettext("{count} change sent", "{count} changes sent", sent).format(
                count=format_number(sent)
            )
        )
    return "; ".join(parts) if parts else _("nothing new either way")


def problems_text(last_sync: dict[str, object]) -> str:
    """What the last sync refused, and a passphrase changed by another member."""
    lines = []
    refused = last_sync.get("refused")
    if isinstance(refused, list) and refused:
        lines.append(
            ngettext(
                "{count} file of the team folder was refused (it does not open or does not "
                "validate): nothing of it was applied, and that member's later changes wait "
                "behind it.",
                "{count} files of the team folder were refused (they do not open or do not "
                "validate): nothing of them was applied, and those members' later changes "
                "wait behind them.",
                len(refused),
            ).format(count=format_number(len(refused)))
        )
    if last_sync.get("key_missing"):
        lines.append(
            _(
                "A member has changed the team passphrase: agree on the new one with the "
                "team, then change it here (Change the team passphrase…)."
            )
        )
    return "\n".join(lines)


def _count(values: dict[str, object], key: str) -> int:
    value = values.get(key, 0)
    return value if isinstance(value, int) else 0


def _workspace_changed(error: BaseException) -> bool:
    from advisor_app.services.workspace_lock import WorkspaceChangedError

    return isinstance(error, WorkspaceChangedError)


class TeamStatusLine(QLabel):
    """The team's short status at the right of the window's status bar; the bar is shown
    only while the workspace belongs to a team."""

    def __init__(self, window: QMainWindow, sync: TeamSync) -> None:
        super().__init__()
        self.setObjectName("teamStatusLine")
        self.setContentsMargins(0, 0, 8, 0)
        self.window_ = window
        self.sync = sync
        bar = window.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addPermanentWidget(self)
        bar.hide()
        sync.state_changed.connect(self.refresh)
        sync.session.language_changed.connect(self.refresh)

    def refresh(self) -> None:
        text = self.sync.short_status()
        self.setText(text)
        self.setToolTip(self.sync.error_sentence())
        self.setStyleSheet("color: #8a4b00;" if self.sync.error is not None else "")
        self.window_.statusBar().setVisible(bool(text))


def install(window: QMainWindow, session: AppSession) -> TeamSync:
    """The team's sync for `window` and its status line; started once the window is up."""
    sync = TeamSync.of(session)
    window.team_status_line = TeamStatusLine(window, sync)  # type: ignore[attr-defined]
    QTimer.singleShot(0, window, sync.start)
    return sync
