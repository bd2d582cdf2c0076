"""One process rewrites a workspace at a time: an OS file lock on `<workspace>/.lock`.

Operations that rewrite files (re-keying, restoring, rebuilding the index, erasing,
upgrading) hold the lock exclusively; ordinary work (a save, a read, a backup, a check)
holds it shared. So a re-keying waits for the saves in progress, and a save waits for the
re-keying, up to a timeout after which it is refused with a sentence that names what holds
the workspace: the exclusive holder writes its operation, process and start time into the
lock file. The lock file also counts the exclusive operations (`generation`), so that a
window that kept the workspace open notices, at its next save, that another process
rewrote the files under it (`on_change`).

Inside one process the lock is shared between threads (a count of holders per thread) and
re-entrant; a thread holding it exclusively may take it shared again. A save asked for while
another thread of the same process holds it exclusively is refused at once rather than
freezing the window.

POSIX: `fcntl.flock`. Windows: `LockFileEx` on one byte far past the text, so that the text
stays readable by the processes that wait.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage.disk import disk_problem

LOCK_NAME = ".lock"
DEFAULT_TIMEOUT_S = 10.0
_POLL_S = 0.02

# What an exclusive holder is doing, as the others are told it.
ENCRYPT = "encrypt"
REKEY = "rekey"
DECRYPT = "decrypt"
REPAIR = "repair"
RESTORE = "restore"
REBUILD = "rebuild"
ERASE = "erase"
UPGRADE = "upgrade"
UNDO_IMPORT = "undo-import"

BUSY_MESSAGES = {
    ENCRYPT: N_("The workspace is being encrypted by another window; try again when it finishes."),
    REKEY: N_("The workspace is being re-encrypted by another window; try again when it finishes."),
    DECRYPT: N_("The workspace is being decrypted by another window; try again when it finishes."),
    REPAIR: N_(
        "An interrupted re-encryption of the workspace is being finished by another window; "
        "try again when it finishes."
    ),
    RESTORE: N_("A backup is being restored by another window; try again when it finishes."),
    REBUILD: N_(
        "The index of the workspace is being rebuilt by another window; try again when it finishes."
    ),
    ERASE: N_("A case is being erased by another window; try again when it finishes."),
    UPGRADE: N_("The workspace is being upgraded by another window; try again when it finishes."),
    UNDO_IMPORT: N_("An import is being undone by another window; try again when it finishes."),
}
IN_USE = N_("The workspace is in use by another window; try again in a moment.")


class WorkspaceBusyError(AdvisorError):
    """Another window or command holds the workspace for an operation that rewrites it."""


# _acquire(fd, exclusive) tries once to take the OS lock (False when another process holds
# it); _release(fd) lets it go.
if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2
    _ERROR_LOCK_VIOLATION = 33
    _ERROR_IO_PENDING = 997
    _REGION = 0x7FFFFFFF  # the locked byte lies past any text the file holds

    def _overlapped() -> _Overlapped:
        overlapped = _Overlapped()
        overlapped.Offset = _REGION
        return overlapped

    def _acquire(fd: int, exclusive: bool) -> bool:
        handle = msvcrt.get_osfhandle(fd)
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        overlapped = _overlapped()
        if _kernel32.LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(overlapped)):
            return True
        error = ctypes.get_last_error()
        if error in (_ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING):
            return False
        raise ctypes.WinError(error)

    def _release(fd: int) -> None:
        handle = msvcrt.get_osfhandle(fd)
        overlapped = _overlapped()
        _kernel32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(overlapped))

else:
    import fcntl

    def _acquire(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class WorkspaceLock:
    """The lock file of one open workspace (`shared()`, `exclusive(operation)`).

    `on_change(generation)` is called when the lock is taken and another process ran an
    exclusive operation since this one last held it; it may raise to refuse the work.
    """

    timeout_s = DEFAULT_TIMEOUT_S

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self._fd: int | None = None
        self._mutex = threading.Condition()
        self._readers: dict[int, int] = {}  # thread → how many times it holds the lock shared
        self._owner: int | None = None  # the thread holding it exclusively
        self._depth = 0
        self._holder: dict[str, Any] = {}  # what this process wrote as exclusive holder
        self._os_mode: str | None = None  # None, "shared" or "exclusive"
        self.on_change: Callable[[int], None] | None = None
        self._open()
        self.known_generation = self.read()["generation"]

    # -- the file ----------------------------------------------------------------------

    def _open(self) -> int:
        if self._fd is None:
            try:
                # a new workspace folder is its owner's only: it holds personal data
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
                self._fd = os.open(self.path, flags, 0o600)
            except OSError as error:
                problem = disk_problem(error, self.path)  # read-only, full: said as such
                if problem is not None:
                    raise problem from error
                raise AdvisorError(
                    N_("The workspace {path} cannot be used ({reason})."),
                    N_("Choose a folder you can write to."),
                    path=str(self.path.parent),
                    reason=error.strerror or str(error),
                ) from error
        return self._fd

    def close(self) -> None:
        with self._mutex:
            if self._fd is not None and self._os_mode is None:
                os.close(self._fd)
                self._fd = None

    def read(self) -> dict[str, Any]:
        """What the lock file says: its generation, and the exclusive holder if any."""
        fd = self._open()
        with self._mutex:
            os.lseek(fd, 0, os.SEEK_SET)
            data = os.read(fd, 4096)
        try:
            content = json.loads(data.decode("utf-8")) if data.strip() else {}
        except (UnicodeDecodeError, ValueError):
            content = {}
        if not isinstance(content, dict):
            content = {}
        generation = content.get("generation")
        content["generation"] = generation if isinstance(generation, int) else 0
        return content

    def _write(self, content: dict[str, Any]) -> None:
        fd = self._open()
        data = json.dumps(content).encode("utf-8")
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data)
            os.ftruncate(fd, len(data))
        except OSError as error:  # a full disk, a folder gone read-only: said as such
            problem = disk_problem(error, self.path)
            if problem is not None:
                raise problem from error
            raise

    # -- taking it ---------------------------------------------------------------------

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the workspace for ordinary work (a save, a read, a backup)."""
        me = threading.get_ident()
        with self._mutex:
            if self._owner is not None and self._owner != me:
                raise busy_error(self._holder)
            if self._owner is None and not self._readers:
                self._take(exclusive=False)
                try:
                    self._catch_up()
                except BaseException:
                    self._let_go()
                    raise
            self._readers[me] = self._readers.get(me, 0) + 1
        try:
            yield
        finally:
            with self._mutex:
                self._readers[me] -= 1
                if not self._readers[me]:
                    del self._readers[me]
                if self._owner is None and not self._readers:
                    self._let_go()
                self._mutex.notify_all()

    @contextmanager
    def exclusive(self, operation: str, *, wait: bool = True) -> Iterator[None]:
        """Hold the workspace alone, for an operation that rewrites files; `wait=False`
        refuses at once when another holds it (the repair of an interrupted re-keying)."""
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
            else:
                if self._owner is not None:
                    raise busy_error(self._holder)
                if self._other_readers(me) and not (
                    wait
                    and self._mutex.wait_for(lambda: not self._other_readers(me), self.timeout_s)
                ):
                    raise busy_error({})
                if self._owner is not None:  # another thread took it while this one waited
                    raise busy_error(self._holder)
                if not self._readers:
                    self._take(exclusive=True, wait=wait)
                    try:
                        self._catch_up()
                    except BaseException:
                        self._let_go()
                        raise
                else:  # this thread held it shared: the OS lock becomes exclusive
                    self._take(exclusive=True, wait=wait)
                generation = self.known_generation + 1
                holder = {
                    "generation": generation,
                    "operation": operation,
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": datetime.now().isoformat(timespec="seconds"),
                }
                try:
                    self._write(holder)
                except BaseException:
                    self._back_to_readers()
                    raise
                self._holder = holder
                self.known_generation = generation
                self._owner, self._depth = me, 1
        try:
            yield
        finally:
            with self._mutex:
                self._depth -= 1
                if not self._depth:
                    self._owner, self._holder = None, {}
                    try:
                        self._write({"generation": self.known_generation})
                    finally:  # the lock goes back even if its file cannot be written
                        self._back_to_readers()
                        self._mutex.notify_all()

    def _back_to_readers(self) -> None:
        """After an exclusive hold: the OS lock shared again if this thread still holds it
        shared, released otherwise."""
        if self._readers:
            self._take(exclusive=False)
        else:
            self._let_go()

    def _other_readers(self, me: int) -> bool:
        """Whether threads other than `me` hold the lock shared in this process."""
        return any(thread != me for thread in self._readers)

    def _take(self, *, exclusive: bool, wait: bool = True) -> None:
        """Take the OS lock (converting the one held), polling up to the timeout."""
        fd = self._open()
        mode = "exclusive" if exclusive else "shared"
        if self._os_mode == mode:
            return
        if self._os_mode is not None and sys.platform == "win32":  # pragma: no cover
            _release(fd)  # LockFileEx does not convert a lock
            self._os_mode = None
        deadline = time.monotonic() + (self.timeout_s if wait else 0)
        while not _acquire(fd, exclusive):
            if time.monotonic() >= deadline:
                raise busy_error(self.read())
            time.sleep(_POLL_S)
        self._os_mode = mode

    def _let_go(self) -> None:
        if self._os_mode is not None and self._fd is not None:
            _release(self._fd)
        self._os_mode = None

    def _catch_up(self) -> None:
        """Tell the workspace when another process ran an exclusive operation meanwhile."""
        generation = self.read()["generation"]
        if generation != self.known_generation:
            if self.on_change is not None:
                self.on_change(generation)
            self.known_generation = generation

    def holder(self) -> dict[str, Any]:
        """The exclusive holder written in the lock file (empty when none)."""
        content = self.read()
        return content if content.get("operation") else {}


def busy_error(holder: dict[str, Any]) -> WorkspaceBusyError:
    """The sentence for a workspace held by `holder` (what its lock file says)."""
    operation = str(holder.get("operation") or "")
    pid = holder.get("pid")
    if operation in BUSY_MESSAGES and _alive(pid, holder.get("host")):
        since = str(holder.get("since") or "")
        return WorkspaceBusyError(
            BUSY_MESSAGES[operation],
            N_("Boussole process {pid} has held the workspace since {since}."),
            pid=pid,
            since=since.replace("T", " "),
        )
    return WorkspaceBusyError(IN_USE)


def _alive(pid: object, host: object) -> bool:
    """Whether the process named in the lock file may still run (a crashed one's text
    stays behind; the OS released its lock)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid() or host != socket.gethostname() or sys.platform == "win32":
        return True  # another machine's process, or no safe probe (Windows' os.kill kills)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
