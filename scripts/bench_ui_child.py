"""One start of a window for the benchmark, run in a fresh interpreter by bench_ui.py.

    python bench_ui_child.py empty|app WORKSPACE PATIENCE_S WORK_JSON

"empty" shows a bare QMainWindow; "app" starts Boussole on WORKSPACE through
`advisor_app.launcher.main` (which reuses the QApplication made here). Once a window is
visible and the event loop has run, it waits up to PATIENCE_S for a visible list to hold
rows, then (for "app") drives the holders page, opens cases as WORK_JSON says and shows
every page of the sidebar, then leaves the event loop running for IDLE_S; and prints one
line "BENCH {json}" with wall-clock times and peak memory. It prints "UNAVAILABLE reason"
when the UI cannot start.

From the usable window on (start-up excluded), a heartbeat timer every HEARTBEAT_MS
measures the longest time the interface thread went without running its event loop:
"stall_s", and what was being done then, "stall_during".
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QWidget

MODE, WORKSPACE, PATIENCE = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
WORK: dict[str, list[str]] = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
state: dict[str, Any] = {}
HEARTBEAT_MS = 5
IDLE_S = 1.5  # after the driving: background work finishing, figures arriving


class Heartbeat:
    """The longest gap between two beats of a timer on the interface thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self.beat)
        self.doing = "waiting"
        self.longest = 0.0
        self.longest_during = ""
        self.by_step: dict[str, float] = {}  # the longest gap during each thing done

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def beat(self) -> None:
        gap = self.clock.nsecsElapsed() / 1e9
        self.clock.restart()
        if gap > self.longest:
            self.longest, self.longest_during = gap, self.doing
        if gap > self.by_step.get(self.doing, 0.0):
            self.by_step[self.doing] = gap

    def idle(self, seconds: float) -> None:
        self.doing = "idle"
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()


heartbeat: Heartbeat | None = None


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_each(call: Any, items: list[str]) -> list[float]:
    app = QApplication.instance()
    samples = []
    for item in items:
        if heartbeat is not None:
            heartbeat.doing = f"{getattr(call, '__name__', 'call')} {item}"
        start = time.perf_counter()
        call(item)
        app.processEvents()  # type: ignore[union-attr]
        samples.append(time.perf_counter() - start)
    return samples


def drive(window: QWidget, seen: dict[str, Any]) -> None:
    """Search as you type on the holders page, then open cases, if the window offers them."""
    holders = getattr(window, "holders", None)
    if holders is not None and hasattr(holders, "refresh") and hasattr(holders, "search"):
        if heartbeat is not None:
            heartbeat.doing = "show_page holders"
        shown = time.perf_counter()
        window.show_page("holders")  # type: ignore[attr-defined]
        app = QApplication.instance()
        while getattr(holders, "loading", False):  # a long list is read in the background
            app.processEvents()  # type: ignore[union-attr]
            time.sleep(0.002)
        seen["list_filled_s"] = time.perf_counter() - shown

        def typed(text: str) -> None:
            holders.search.setText(text)
            holders.refresh_search()  # what the debounce timer calls

        seen["typing"] = timed_each(typed, WORK.get("typed", []))
        seen["cleared"] = timed_each(typed, ["x", ""] * 3)[1::2]
        seen["list_rows"] = holders.model.rowCount()
    if hasattr(window, "open_case") and hasattr(window, "close_case_tab"):

        def open_case(case_id: str) -> None:
            window.open_case(case_id)  # type: ignore[attr-defined]

        samples = []
        for case_id in WORK.get("cases", []):
            samples += timed_each(open_case, [case_id])
            window.close_case_tab(0)  # type: ignore[attr-defined]
        seen["case_open"] = samples
    seen["rss_after_mb"] = rss_mb()
    if hasattr(window, "show_page") and hasattr(window, "pages"):

        def show_page(key: str) -> None:
            """Show the page, and stay on it until it is built and filled (a page may be
            built, and read its data, in the background)."""
            window.show_page(key)  # type: ignore[attr-defined]
            app = QApplication.instance()
            built = getattr(window.pages, "built", {})  # type: ignore[attr-defined]
            stack = getattr(window, "stack", None)
            deadline = time.perf_counter() + PATIENCE
            while time.perf_counter() < deadline:
                page = built.get(key)
                shown = page is not None and (stack is None or stack.currentWidget() is page)
                if shown and not getattr(page, "loading", False):
                    break
                app.processEvents()  # type: ignore[union-attr]
                time.sleep(0.002)

        keys = [key for key in window.pages if key != "cases"]  # type: ignore[attr-defined]
        seen["page_first_shown"] = timed_each(show_page, keys)


def settle(window: QWidget) -> None:
    """Let what the window reads at start in the background (the dashboard's figures)
    come back before driving it, as an advisor takes a moment to reach for the list: the
    heartbeat runs meanwhile, its stalls counted as "settling"."""
    tasks = getattr(getattr(window, "session", None), "tasks", None)
    if heartbeat is not None:
        heartbeat.doing = "settling"
    app = QApplication.instance()
    deadline = time.perf_counter() + PATIENCE
    while getattr(tasks, "busy", False) and time.perf_counter() < deadline:
        app.processEvents()  # type: ignore[union-attr]
        time.sleep(0.002)


def watch() -> None:
    app = QApplication.instance()
    app.processEvents()  # type: ignore[union-attr]
    windows = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]  # type: ignore[union-attr]
    if windows:
        state.setdefault("shown", time.time())
        views = [v for w in windows for v in w.findChildren(QAbstractItemView) if v.isVisible()]
        filled = sorted((v.model().rowCount(), type(v).__name__) for v in views if v.model())
        rows, view = filled[-1] if filled else (0, "")
        if MODE == "empty" or rows > 0 or time.time() - state["shown"] > PATIENCE:
            seen = {
                "shown": state["shown"],
                "filled": time.time() if rows else None,
                "rows": rows,
                "view": view,
                "window": type(windows[0]).__name__,
                "rss_mb": rss_mb(),
            }
            global heartbeat
            heartbeat = Heartbeat()
            heartbeat.start()
            if MODE == "app":
                settle(windows[0])
                drive(windows[0], seen)
            heartbeat.idle(IDLE_S)
            seen["stall_s"] = heartbeat.longest
            seen["stall_during"] = heartbeat.longest_during
            seen["stalls_over_budget"] = {
                doing: gap for doing, gap in heartbeat.by_step.items() if gap > 0.050
            }
            print("BENCH " + json.dumps(seen), flush=True)
            os._exit(0)  # no closeEvent: nothing is saved, no background work is awaited
    QTimer.singleShot(2, watch)


def main() -> None:
    if MODE == "empty":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1280, 800)
        window.show()
        QTimer.singleShot(0, watch)
        app.exec()
        return
    try:
        from advisor_app.launcher import main as launch
    except Exception as error:
        print(f"UNAVAILABLE {error!r}", flush=True)
        os._exit(3)
    # the first start of the day backs the workspace up in the background: not into the
    # cached workspace (each run would leave a half-made copy of 1.3 GB there), nor beside
    # the figures (a whole copy on one of two cores)
    from advisor_app.services.backups import BackupService

    BackupService.daily_backup_if_due = lambda _self: None  # type: ignore[method-assign]
    exec_loop = QApplication.exec

    def exec_and_watch() -> int:
        QTimer.singleShot(0, watch)
        return exec_loop()

    QApplication.exec = staticmethod(exec_and_watch)  # type: ignore[assignment,method-assign]
    launch(["--workspace", str(WORKSPACE)])


if __name__ == "__main__":
    main()
