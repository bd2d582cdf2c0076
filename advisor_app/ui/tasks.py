"""Background work: a service call run off the UI thread, its progress, its `Changes`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEvent,
    QObject,
    QRunnable,
    QThreadPool,
    Signal,
    Slot,
)

from advisor_app.services import Changes, Progress


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.cancelled = False
        self.setAutoDelete(False)

    @Slot()
    def run(self) -> None:
        try:
            result = self.work()
            if isinstance(result, Iterator):
                result = self._drain(result)
        except BaseException as error:  # reported to the UI thread, logged there
            self.signals.failed.emit(error)
            return
        self.signals.finished.emit(result)

    def _drain(self, steps: Iterator[Any]) -> Any:
        last: Any = None
        for step in steps:
            if self.cancelled:
                close = getattr(steps, "close", None)
                if close is not None:
                    close()
                return last
            if isinstance(step, Progress):
                self.signals.progress.emit(step.done, step.total)
            else:
                last = step
        return last


class Task(QObject):
    """One piece of work in flight; `done` carries its result, `error` what went wrong."""

    progress = Signal(int, int)
    done = Signal(object)
    error = Signal(object)

    def __init__(self, job: _Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self.running = True
        job.signals.progress.connect(self.progress)
        job.signals.finished.connect(self._finish)
        job.signals.failed.connect(self._fail)

    def cancel(self) -> None:
        self._job.cancelled = True

    def _finish(self, result: object) -> None:
        self.running = False
        self.done.emit(result)

    def _fail(self, error: object) -> None:
        self.running = False
        self.error.emit(error)


class TaskRunner(QObject):
    """Runs work on one worker thread, in the order asked (writes are serialised), and
    announces `Changes`.

    `writes_settled` is emitted each time the last write asked for has come back, so that
    what waits on them (closing a case, the window) can go on.
    """

    changed = Signal(object)
    failed = Signal(object)
    writes_settled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        # what only reads (a long list, the dashboard's figures) does not wait behind a
        # backup or a sync: its own thread
        self.readers = QThreadPool(self)
        self.readers.setMaxThreadCount(1)
        self._tasks: set[Task] = set()
        self._writes: set[Task] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        changes: Changes | None = None,
        on_error: Callable[[BaseException], bool] | None = None,
    ) -> Task:
        """Run `work` (a call, or a generator yielding `Progress`) off the UI thread.

        When it ends, `on_done` receives its result (the last non-progress value of a
        generator); a `Changes` result, or the `changes` given, is announced on `changed`.
        An exception goes to `on_error` first: when it returns True it has dealt with it (a
        refusal that offers a choice, say); otherwise it is announced on `failed`.
        """
        return self._start(work, on_done, changes, on_error, write=False)

    def read(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], bool] | None = None,
    ) -> Task:
        """Run `work`, a reading of the services that changes nothing, off the UI thread
        and beside the work of `run` and `write` rather than after it; as `run` otherwise."""
        return self._start(work, on_done, None, on_error, write=False, pool=self.readers)

    def write(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], bool] | None = None,
    ) -> Task:
        """Run one write of the services (a quick call returning `Changes`, alone or last
        of a tuple) after those asked before it, off the UI thread; as `run` otherwise.
        Pending writes are counted (`writing`) so that nothing closes before they land."""
        return self._start(work, on_done, None, on_error, write=True)

    def _start(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        changes: Changes | None,
        on_error: Callable[[BaseException], bool] | None,
        *,
        write: bool,
        pool: QThreadPool | None = None,
    ) -> Task:
        job = _Job(work)
        task = Task(job, self)
        self._tasks.add(task)
        if write:
            self._writes.add(task)

        def settle() -> None:
            self._tasks.discard(task)
            if task in self._writes:
                self._writes.discard(task)
                if not self._writes:
                    self.writes_settled.emit()

        # settled first: what the result sets going (closing a case, say) finds it landed
        def finish(result: object) -> None:
            settle()
            if on_done is not None:
                on_done(result)
            announced = changes_in(result) or changes
            if announced is not None and not announced.empty:
                self.changed.emit(announced)

        def fail(error: object) -> None:
            settle()
            if on_error is not None and isinstance(error, BaseException) and on_error(error):
                return
            self.failed.emit(error)

        task.done.connect(finish)
        task.error.connect(fail)
        (pool or self.pool).start(job)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    @property
    def writing(self) -> bool:
        """Some write asked for has not come back yet."""
        return bool(self._writes)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.readers.waitForDone(msecs) and self.pool.waitForDone(msecs)

    def finish_writes(self, msecs: int = 30_000) -> bool:
        """Wait for every pending write and deliver what it says (its `Changes`, its
        refusal), before the window or a case closes; False if one is still running."""
        deadline = QDeadlineTimer(msecs)
        while self._writes and not deadline.hasExpired():
            self.pool.waitForDone(50)
            # only the jobs' own news (queued signals), not the advisor's clicks
            QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
        return not self._writes


def changes_in(result: Any) -> Changes | None:
    """The `Changes` a service call returned, alone or as the last item of a tuple."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        for item in reversed(result):
            if isinstance(item, Changes):
                return item
    return None
