"""Blocking work on Qt's thread pool, its outcome delivered back as queued signals.

The coordinator's merge, report builds and exports read every row of several files: run here,
they leave the window responsive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

__all__ = ["Task", "Tasks"]


class Task(QObject):
    """One piece of blocking work on Qt's thread pool; its outcome arrives as a queued signal.

    The outcome comes with the ``tag`` the work was started with (which build, which file), so
    the widget receives it in a method of its own: a connection to a method dies with the
    widget, one to a ``partial`` would call into a widget already gone.

    Signals:
        succeeded(object, object): the tag and what the work returned.
        failed(object, object): the tag and the exception it raised.
        done(): after either.
    """

    succeeded = Signal(object, object)
    failed = Signal(object, object)
    done = Signal()

    def __init__(self, work: Callable[[], object], tag: object = None) -> None:
        super().__init__()
        self._work = work
        self._tag = tag

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._run)

    def _run(self) -> None:
        try:
            value = self._work()
        except Exception as exc:  # handed to the widget, which shows it
            self.failed.emit(self._tag, exc)
        else:
            self.succeeded.emit(self._tag, value)
        self.done.emit()


class Tasks:
    """The tasks a widget has running, kept referenced until each is done."""

    def __init__(self) -> None:
        self._running: set[Task] = set()

    def start(
        self,
        work: Callable[[], object],
        done: Callable[[Any, Any], None],
        failed: Callable[[Any, Any], None],
        tag: object = None,
    ) -> None:
        """Run ``work``; ``done`` or ``failed`` receives ``tag`` and its outcome."""
        task = Task(work, tag)
        self._running.add(task)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        task.done.connect(partial(self._running.discard, task))
        task.start()
