"""Command-line figures (issue 14): whole processes, as a script or a person runs them.

Each command is timed as a child process (`advisor-app ...`, the installed entry point),
beside a bare Python start (`python -c pass`) timed in turns with it, so that the load of
a shared machine falls on both. The write commands run on a scratch copy of the workspace
(in .bench/, removed after), never on the cached one, since every command makes the
day's backup when it is due: the first write there is the first command of the day.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench_core import BENCH_DIR, FULL_SIZE, Figure, say, table, timed

from advisor_app.services.backups import DAILY_MARKER

RUNS = 5
FIRST_RUNS = 3
ENTRY = Path(sys.executable).with_name("advisor-app")


def command(*arguments: str) -> list[str]:
    entry = [str(ENTRY)] if ENTRY.exists() else [sys.executable, "-m", "advisor_app"]
    return [*entry, *arguments]


def run(arguments: list[str]) -> float:
    """The wall time of one child process; it must succeed."""
    # as installed: with its bytecode written once and read at each start (the warm-up run
    # writes what an edit made stale), whatever this shell says
    env = {**os.environ, "LANGUAGE": "fr", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def once() -> None:
        done = subprocess.run(
            arguments, capture_output=True, env=env, stdin=subprocess.DEVNULL, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(arguments[1:4])}... ended with {done.returncode}: "
                f"{done.stderr.decode(errors='replace')[-300:]}"
            )

    return timed(once)


def bare_start() -> float:
    return run([sys.executable, "-c", "pass"])


def in_turns(arguments: list[str], runs: int = RUNS) -> tuple[list[float], list[float]]:
    """`runs` timings of the command and of a bare Python start, alternating."""
    measured: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        bare.append(bare_start())
        measured.append(run(arguments))
    return measured, bare


def bench_cli(root: Path, case_ids: list[str], figures: list[Figure], cases: int) -> list[str]:
    notes: list[str] = []
    run(command("--version"))  # warm the file cache, as after any earlier start
    run(command("--help"))  # and write the bytecode of every module a command imports
    bare_start()
    for name, arguments in (("--version", ["--version"]), ("--help", ["--help"])):
        measured, bare = in_turns(command(*arguments))
        figures.append(
            Figure(
                f"CLI: advisor-app {name}",
                measured,
                ratio_budget=5.0,
                reference_name="python -c pass",
                reference=bare,
            )
        )
    with tempfile.TemporaryDirectory(dir=BENCH_DIR, prefix="cli-") as scratch_name:
        # every command makes the day's backup if it is due: never in the cached workspace
        scratch = Path(scratch_name) / "workspace"
        say("  copying the workspace for the commands (scratch)...")
        shutil.copytree(root, scratch)
        start = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)

        def add_appointment(number: int) -> list[str]:
            when = start + timedelta(days=500 + number)
            return command(
                "--workspace",
                str(scratch),
                "add-appointment",
                case_ids[number % len(case_ids)],
                "--start",
                when.strftime("%Y-%m-%dT%H:%M"),
                "--minutes",
                "60",
                "--mode",
                "office",
                "--topic",
                "Benchmark",
            )

        running = scratch / "backups" / DAILY_MARKER
        first: list[float] = []
        first_bare: list[float] = []
        backups: list[str] = []
        for attempt in range(FIRST_RUNS):
            os.sync()  # the copy just written is not written out during the command
            first_bare.append(bare_start())
            first.append(run(add_appointment(attempt)))
            # the day's backup is made by a child process once the command has answered:
            # let it finish before the next figure (it would load the machine) and before
            # the scratch copy is removed under it
            deadline = time.monotonic() + 600
            while running.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            made = [p for p in (scratch / "backups").iterdir() if p.name.endswith("-daily")]
            backups = backups or sorted(p.name for p in made)
            if attempt < FIRST_RUNS - 1:
                for backup in made:  # the next command is the first of the day again
                    shutil.rmtree(backup)
        os.sync()
        searches, search_bare = in_turns(
            command("--workspace", str(scratch), "list", "--search", "boul")
        )
        measured, bare = [], []
        for number in range(FIRST_RUNS, FIRST_RUNS + RUNS):
            bare.append(bare_start())
            measured.append(run(add_appointment(number)))
    figures.append(
        Figure(
            f"CLI: list --search ({cases} cases)",
            searches,
            budget=0.3,
            reference_name="python -c pass",
            reference=search_bare,
        )
    )
    figures.append(
        Figure(
            "CLI: first write of the day (add-appointment)",
            first,
            budget=0.4,
            reference_name="python -c pass",
            reference=first_bare,
            note=f"the daily backup is due ({FIRST_RUNS} times: today's is removed after "
            "each): "
            + (f"the backup made after it: {', '.join(backups)}." if backups else "none was made."),
        )
    )
    figures.append(
        Figure(
            "CLI: a write (add-appointment)",
            measured,
            budget=0.4,
            reference_name="python -c pass",
            reference=bare,
            note="the day's backup made: each a child process on a scratch copy.",
        )
    )
    return notes


if __name__ == "__main__":  # on its own: python scripts/bench_cli.py [ROOT]
    from bench import sample_cases

    from advisor_app.services import Services

    base = Path(sys.argv[1]) if len(sys.argv) > 1 else BENCH_DIR / f"ws-{FULL_SIZE}-seed1"
    base = base.resolve()
    services = Services.open(base)
    try:
        ids = sample_cases(services, 10)
        total = len(services.search.cases())
    finally:
        services.close()
    found: list[Figure] = []
    extra = bench_cli(base, ids, found, total)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {base}")
    print(table(found, extra))
