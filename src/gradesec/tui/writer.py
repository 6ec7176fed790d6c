"""One writer thread for the whole app: every signed write goes through it, in the order it was asked for.

Recording ``1`` then ``3`` on the same asset must store ``3`` last; separate thread workers could race, so
writes queue here. The result comes back to the UI thread as a ``Written`` message whose callback runs only if
the widget that asked is still on screen. A write still queued when the app quits is finished before exit.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import get_current_worker

from gradesec.tui.messages import Failed

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode


@dataclass
class Written(Message):
    node: DOMNode
    done: Callable[[Any], None] | None
    result: Any


@dataclass
class _Job:
    node: DOMNode
    work: Callable[[], Any]
    done: Callable[[Any], None] | None


class Writer:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.jobs: queue.Queue[_Job] = queue.Queue()

    def start(self) -> None:
        self.app.run_worker(self._loop, thread=True, group="writer", name="writer", exit_on_error=False)

    def submit(
        self, node: DOMNode, work: Callable[[], Any], done: Callable[[Any], None] | None = None
    ) -> None:
        self.jobs.put(_Job(node, work, done))

    @property
    def idle(self) -> bool:
        return self.jobs.unfinished_tasks == 0

    def _loop(self) -> None:
        worker = get_current_worker()
        while True:
            try:
                job = self.jobs.get(timeout=0.05)
            except queue.Empty:
                if worker.is_cancelled:
                    return
                continue
            try:
                result = job.work()
            except Exception as exc:
                self.app.post_message(Failed(exc))
            else:
                self.app.post_message(Written(job.node, job.done, result))
            finally:
                self.jobs.task_done()
