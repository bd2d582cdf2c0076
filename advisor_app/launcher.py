"""Entry point: no command starts the desktop application, a command runs the CLI."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from advisor_app import version


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


CLI_EXAMPLES = (
    "  .venv/bin/advisor-app list\n"
    "  .venv/bin/advisor-app new-case --first-name ... --last-name ...\n"
    "  .venv/bin/advisor-app agenda --from 2026-01-01 --to 2026-01-31\n"
    "  .venv/bin/advisor-app --help"
)


def _window_request(arguments: list[str]) -> tuple[bool, Path | None]:
    """Whether the arguments ask for the window (nothing, or only a workspace), and which
    workspace (None: the default one)."""
    if not arguments:
        return True, None
    if len(arguments) == 2 and arguments[0] == "--workspace":
        return True, Path(arguments[1])
    if len(arguments) == 1 and arguments[0].startswith("--workspace="):
        return True, Path(arguments[0].split("=", 1)[1])
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:  # answered before anything heavy is imported
        print(f"Boussole {version()}")
        return 0
    from advisor_app.i18n import _, set_language

    window, workspace = _window_request(arguments)
    if not window:
        own_process = argv is None
        if own_process:
            # a command lives a fraction of a second: fewer collections while the database
            # layer is imported (a tenth of the time of a write command)
            gc.set_threshold(10_000)
        from advisor_app.cli import main as cli_main

        # a process of its own: today's backup is made after the command
        code = cli_main(arguments, backup_after=own_process)
        if own_process:
            leave(code)
        return code
    set_language(None)
    if not has_display():
        print(
            _(
                "Boussole cannot open its window: this computer has no graphical display. "
                "Use the command line instead, for example:"
            ),
            file=sys.stderr,
        )
        print(CLI_EXAMPLES, file=sys.stderr)
        return 1
    from advisor_app.ui.platform_check import missing_display_library

    missing = missing_display_library()
    if missing is not None:
        print(
            _(
                "Boussole cannot open its window: a system library that Qt needs is missing "
                "({error}). On Debian or Ubuntu: sudo apt install libxcb-cursor0 libxcb-icccm4 "
                "libxcb-keysyms1 libxkbcommon-x11-0. Meanwhile the command line works, "
                "for example:"
            ).format(error=missing),
            file=sys.stderr,
        )
        print(CLI_EXAMPLES, file=sys.stderr)
        return 1
    try:
        from advisor_app.ui.app import run_application
    except ImportError as error:
        print(_("The desktop interface cannot start: {error}").format(error=error), file=sys.stderr)
        return 1
    return run_application(workspace)


def leave(code: int) -> None:
    """End a command's process without tearing the interpreter down (another tenth of a
    second once the database layer is loaded): what an exit does that matters is done
    first. The command closed the workspace; output and the log are flushed here, and the
    functions registered to run at exit (temporary folders) run. A thread still at work
    (none is expected) gets the ordinary exit, which waits for it."""
    import atexit
    import logging
    import threading

    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            code = code or 1
    os._exit(code)
