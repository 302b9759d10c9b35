"""Long work off the UI thread: `run_task` runs a function in the thread pool and delivers its
result (or its error) back on the UI thread; a progress dialog can follow and cancel it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消."""


class Progress:
    """Handed to a task: report progress, and learn whether the user cancelled."""

    def __init__(self, signals: _Signals):
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._signals.progress.emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.work, self.signals, self.progress = work, signals, progress

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as error:
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)


_running: set[_Signals] = set()


def running() -> bool:
    """Whether a task's result or error is still to be delivered (a test waits for it)."""
    return bool(_running)


def run_task(work: Callable[[Progress], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None], *, parent: QWidget | None = None,
             title: str = "") -> Progress:
    """Run `work(progress)` in the background. With a title, a modal progress dialog shows it
    and its 取消 button cancels it (the task sees `Cancelled` at its next report)."""
    signals = _Signals()
    progress = Progress(signals)
    _running.add(signals)
    dialog = _dialog(parent, title, progress, signals) if title else None

    def finish(result: Any) -> None:
        _running.discard(signals)
        if dialog:
            dialog.reset()
        on_done(result)

    def fail(error: BaseException) -> None:
        _running.discard(signals)
        if dialog:
            dialog.reset()
        on_error(error)

    signals.finished.connect(finish)
    signals.failed.connect(fail)
    QThreadPool.globalInstance().start(_Runnable(work, signals, progress))
    return progress


def _dialog(parent: QWidget | None, title: str, progress: Progress,
            signals: _Signals) -> QProgressDialog:
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(progress.cancel)

    def update(done: int, total: int, text: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    signals.progress.connect(update)
    return dialog
