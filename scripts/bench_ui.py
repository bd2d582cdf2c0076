"""Desktop application figures (issue 3): start to a usable window, list refresh, case, memory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from bench_core import Figure, time_each

from advisor_app.services.search import fts_query
from advisor_app.storage.casefile import CASE_SUFFIX

RUNS = 3
PATIENCE_S = 5.0  # how long a shown window may take to fill a list before we call it usable anyway
CHILD = Path(__file__).with_name("bench_ui_child.py")
HEARTBEAT_MS, IDLE_S = 5, 1.5  # as in bench_ui_child.py
TYPED = [
    word[:end]
    for word in ("boulangerie", "Guéret", "Lefèvre", "maraîchage", "Mamadou")
    for end in range(2, len(word) + 1)
]


def start_once(mode: str, root: Path, home: Path, work: dict[str, list[str]]) -> dict[str, Any]:
    """One process start: seconds from launch to a usable window, memory, and what was driven."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    for variable in (
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
    ):  # keep user settings out
        env[variable] = str(home / variable.lower())
    launched = time.time()
    done = subprocess.run(
        [sys.executable, str(CHILD), mode, str(root), str(PATIENCE_S), json.dumps(work)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("UNAVAILABLE "):
            return {"unavailable": line.removeprefix("UNAVAILABLE ")}
        if line.startswith("BENCH "):
            seen: dict[str, Any] = json.loads(line.removeprefix("BENCH "))
            seen["usable_s"] = (seen["filled"] or seen["shown"]) - launched
            return seen
    tail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    return {"unavailable": f"no window was shown ({tail})"}


def collect(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [value for seen in runs for value in seen.get(key, [])]


def bench_ui(root: Path, case_ids: list[str], figures: list[Figure]) -> list[str]:
    work = {"typed": TYPED, "cases": case_ids[:10]}
    runs: dict[str, list[dict[str, Any]]] = {"empty": [], "app": []}
    with tempfile.TemporaryDirectory(prefix="boussole-bench-") as home:
        for _ in range(RUNS):
            for mode in ("empty", "app"):
                seen = start_once(mode, root, Path(home), work)
                if "unavailable" in seen:
                    return [f"UI not available: {seen['unavailable']}"]
                runs[mode].append(seen)
    app, empty = runs["app"], runs["empty"]
    notes = []
    if not all(seen["rows"] for seen in app):
        notes.append(
            f"start: no list was filled within {PATIENCE_S:.0f} s of the window showing; "
            "usable is taken as shown + one pass of the event loop."
        )
    figures.append(
        Figure(
            f"UI: start to usable window ({RUNS} starts)",
            [seen["usable_s"] for seen in app],
            budget=1.0,
            ratio_budget=6.0,
            reference_name="empty QMainWindow",
            reference=[seen["usable_s"] for seen in empty],
            note=f"{app[-1]['window']} shown, then a visible {app[-1]['view']} "
            f"holding {app[-1]['rows']} rows.",
        )
    )
    with closing(sqlite3.connect(root / "workspace.sqlite")) as raw:
        match = "SELECT case_id FROM search_index WHERE search_index MATCH ?"
        fts = time_each(lambda q: raw.execute(match, (fts_query(str(q)) or "",)).fetchall(), TYPED)
        everything = time_each(
            lambda _: raw.execute("SELECT * FROM case_index").fetchall(), range(5)
        )
    if typing := collect(app, "typing"):
        figures.append(
            Figure(
                f"UI: list refresh as you type ({len(typing)} keys)",
                typing,
                budget=0.030,
                on="p95",
                reference_name="sqlite3 FTS5 MATCH",
                reference=fts,
                note="HoldersPage.refresh() after each key (bo, bou, boul...), debounce delay excluded.",
            )
        )
        figures.append(
            Figure(
                "UI: list refresh, search cleared",
                collect(app, "cleared"),
                budget=0.030,
                reference_name="sqlite3 SELECT * case_index",
                reference=everything,
                note=f"every case back in the list ({app[-1].get('list_rows')} rows).",
            )
        )
    else:
        notes.append("UI: search as you type skipped (no holders page with search and refresh).")
    if opened := collect(app, "case_open"):
        figures.append(
            Figure(
                f"UI: open a case tab ({len(opened)} opens)",
                opened,
                budget=0.060,
                on="p95",
                reference_name="sqlite3 open + 1 row",
                reference=time_each(lambda c: bare_case_read(root, str(c)), case_ids[:10]),
            )
        )
    if stalls := [seen["stall_s"] for seen in app if "stall_s" in seen]:
        worst = max(app, key=lambda seen: seen.get("stall_s", 0.0))
        pages = collect(app, "page_first_shown")
        figures.append(
            Figure(
                f"UI: longest interface-thread stall ({RUNS} runs)",
                stalls,
                budget=0.050,
                reference_name="empty QMainWindow, idle",
                reference=[seen["stall_s"] for seen in empty if "stall_s" in seen],
                note=f"start-up excluded; a {HEARTBEAT_MS} ms heartbeat while typing, clearing, "
                f"opening cases, showing each page once until it is filled"
                + (f" (the slowest in {max(pages) * 1000:.0f} ms)" if pages else "")
                + f", then {IDLE_S} s idle; worst {worst['stall_s'] * 1000:.0f} ms, during "
                f"“{worst.get('stall_during', '')}”"
                + over_budget(worst.get("stalls_over_budget", {}))
                + ".",
            )
        )
    figures.append(
        Figure(
            "UI: memory at start (max RSS)",
            [seen["rss_mb"] for seen in app],
            budget=250.0,
            unit="MB",
            reference_name="empty QMainWindow",
            reference=[seen["rss_mb"] for seen in empty],
        )
    )
    if after := [seen["rss_after_mb"] for seen in app if "rss_after_mb" in seen]:
        figures.append(
            Figure(
                "UI: memory after searching, 10 cases",
                after,
                budget=250.0,
                unit="MB",
                reference_name="empty QMainWindow",
                reference=[seen["rss_mb"] for seen in empty],
            )
        )
    return notes


def over_budget(stalls: dict[str, float], shown: int = 4) -> str:
    """The longest stalls over budget of one run, by what was being done."""
    if not stalls:
        return ""
    worst = sorted(stalls.items(), key=lambda item: -item[1])[:shown]
    return "; over 50 ms: " + ", ".join(f"{doing} {gap * 1000:.0f} ms" for doing, gap in worst)


def bare_case_read(root: Path, case_id: str) -> None:
    connection = sqlite3.connect(root / "cases" / f"{case_id}{CASE_SUFFIX}")
    connection.execute("SELECT * FROM person LIMIT 1").fetchone()
    connection.close()
