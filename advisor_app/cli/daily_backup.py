"""Today's backup, made after a command rather than before it: the first command of the day
answers at once, and a process of its own makes the backup.

`start` launches `python -m advisor_app.cli.daily_backup WORKSPACE`, detached from the
terminal (the shell gets its prompt back, a script its answer), which reads the passphrase
of an encrypted workspace on its standard input (never an argument, which `ps` would show),
then waits for the end of that input (the command's process has ended: the two never share
the processor) and makes the backup at a low priority. What goes wrong there is in the log.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

# The write end of each child's input, held open until this process ends.
_HELD: list[IO[bytes]] = []


def start(workspace: Path, passphrase: str | None) -> None:
    """Make today's backup of `workspace` (claimed already) in a detached process, which
    starts its work once this process has ended."""
    detached: dict[str, Any] = {"start_new_session": True}
    if sys.platform == "win32":
        flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        detached = {"creationflags": flags}
    for stream in (sys.stdout, sys.stderr):  # the command's answer, before anything else
        stream.flush()
    process = subprocess.Popen(  # our own interpreter and module
        [sys.executable, "-m", __name__, str(workspace.absolute())],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        **detached,
    )
    assert process.stdin is not None
    process.stdin.write(f"{passphrase or ''}\n".encode())
    process.stdin.flush()
    _HELD.append(process.stdin)


def main(argv: Sequence[str]) -> int:
    passphrase = sys.stdin.readline().removesuffix("\n") or None
    sys.stdin.read()  # until the command's process has ended
    if hasattr(os, "nice"):
        os.nice(10)  # the backup gives way to what the advisor does next
    from advisor_app.logs import setup_logging
    from advisor_app.services.backups import make_claimed_daily_backup_of

    setup_logging()
    try:
        make_claimed_daily_backup_of(Path(argv[0]), passphrase)
    except Exception:
        logging.getLogger("advisor_app").exception("the daily backup could not be made")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
