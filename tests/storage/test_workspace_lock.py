"""The workspace's lock file, within one process and against another.

The lock file is written with `os.ftruncate` last: making it fail is a disk that fills up.
Two `WorkspaceLock`s on one folder behave as two processes do: `flock` locks belong to the
open file, so the second one is "another window". An exclusive operation that fails to
start lets the lock go, so that the other windows are not refused until this one closes;
and two threads of one window never both believe they hold the workspace alone.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path

import pytest

from advisor_app.domain.disk import DiskFullError
from advisor_app.storage import workspace_lock
from advisor_app.storage.workspace_lock import ERASE, REKEY, WorkspaceBusyError, WorkspaceLock


@pytest.fixture(autouse=True)
def _short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace_lock.WorkspaceLock, "timeout_s", 0.5)


def _disk_full(_fd: int, _length: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_an_erasure_that_cannot_write_its_name_into_the_lock_file_lets_the_workspace_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = WorkspaceLock(tmp_path)
    other_window = WorkspaceLock(tmp_path)
    monkeypatch.setattr(os, "ftruncate", _disk_full)
    with pytest.raises(DiskFullError), window.exclusive(ERASE):
        pytest.fail("the erasure must not start")
    monkeypatch.undo()
    # the other window saves, and the first one can try again
    with other_window.shared():
        pass
    with window.exclusive(ERASE):
        pass


def test_a_re_keying_whose_end_cannot_be_written_still_lets_the_workspace_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = WorkspaceLock(tmp_path)
    other_window = WorkspaceLock(tmp_path)
    with pytest.raises(DiskFullError), window.exclusive(REKEY):
        monkeypatch.setattr(os, "ftruncate", _disk_full)
    monkeypatch.undo()
    with other_window.shared():
        pass
    # another thread of the same window is not refused as if the re-keying still ran
    saved: list[bool] = []

    def save() -> None:
        with window.shared():
            saved.append(True)

    thread = threading.Thread(target=save)
    thread.start()
    thread.join()
    assert saved == [True]


def test_two_threads_waiting_for_a_save_to_end_do_not_both_hold_the_workspace_alone(
    tmp_path: Path,
) -> None:
    lock = WorkspaceLock(tmp_path)
    save_started, save_may_end = threading.Event(), threading.Event()
    inside = 0
    most_inside = 0
    refused: list[BaseException] = []
    guard = threading.Lock()

    def save() -> None:
        with lock.shared():
            save_started.set()
            save_may_end.wait(5)

    def rewrite() -> None:
        nonlocal inside, most_inside
        try:
            with lock.exclusive(ERASE):
                with guard:
                    inside += 1
                    most_inside = max(most_inside, inside)
                time.sleep(0.2)
                with guard:
                    inside -= 1
        except WorkspaceBusyError as error:
            refused.append(error)

    saver = threading.Thread(target=save)
    saver.start()
    assert save_started.wait(5)
    rewriters = [threading.Thread(target=rewrite) for _ in range(2)]
    for thread in rewriters:
        thread.start()
    time.sleep(0.1)  # both wait for the save
    save_may_end.set()
    for thread in (saver, *rewriters):
        thread.join()
    assert most_inside == 1
    assert len(refused) == 1  # the second is told the workspace is busy
