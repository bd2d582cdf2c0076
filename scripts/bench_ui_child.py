"""One start of a window for the benchmark, run in a fresh interpreter by bench_ui.py.

    python bench_ui_child.py empty|app WORKSPACE PATIENCE_S WORK_JSON

"empty" shows a bare QMainWindow; "app" starts Boussole on WORKSPACE through
`advisor_app.ui.app.run_application`. Once a window is visible and the event loop has run,
it waits up to PATIENCE_S for a visible list to hold rows, then (for "app") drives the
holders page and opens cases as WORK_JSON says, and prints one line "BENCH {json}" with
wall-clock times and peak memory. It prints "UNAVAILABLE reason" when the UI cannot start.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QWidget

MODE, WORKSPACE, PATIENCE = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
WORK: dict[str, list[str]] = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
state: dict[str, Any] = {}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_each(call: Any, items: list[str]) -> list[float]:
    app = QApplication.instance()
    samples = []
    for item in items:
        start = time.perf_counter()
        call(item)
        app.processEvents()  # type: ignore[union-attr]
        samples.append(time.perf_counter() - start)
    return samples


def drive(window: QWidget, seen: dict[str, Any]) -> None:
    """Search as you type on the holders page, then open cases, if the window offers them."""
    holders = getattr(window, "holders", None)
    if holders is not None and hasattr(holders, "refresh") and hasattr(holders, "search"):
        window.show_page("holders")  # type: ignore[attr-defined]

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
            if MODE == "app":
                drive(windows[0], seen)
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
        from advisor_app.ui.app import run_application
    except Exception as error:
        print(f"UNAVAILABLE {error!r}", flush=True)
        os._exit(3)
    exec_loop = QApplication.exec

    def exec_and_watch() -> int:
        QTimer.singleShot(0, watch)
        return exec_loop()

    QApplication.exec = staticmethod(exec_and_watch)  # type: ignore[assignment,method-assign]
    run_application(WORKSPACE)


if __name__ == "__main__":
    main()
