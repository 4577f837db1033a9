"""Work done in a forked process while this one goes on: how a build uses the machine's other cores.

A forked process starts with everything this one holds, so it needs nothing sent to it; it
sends back its result, pickled, and leaves. Only a build forks (`mktogether build`, `mkdocs
build`): never the preview, whose server runs threads that a fork would copy mid-step.
"""
from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def cores(jobs: int | None = None) -> int:
    """How many processes a build uses: `jobs`, or the cores this process may run on."""
    if jobs is not None:
        return max(1, jobs)
    if not hasattr(os, "fork"):
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Later(Generic[T]):
    """The result of work in a forked process, read when it is first needed; with `fork` false, the
    work is done here, when the result is first needed."""

    def __init__(self, work: Callable[[], T], fork: bool = True):
        self.work, self.got, self.value = work, False, None
        self.pid: int | None = None
        if not fork:
            return
        reader, writer = os.pipe()
        # Ctrl+C held over the fork: the new process would forget one that came before Python's own
        # start in it, and this one must know the new process (abandon_all) before it stops
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.pid = os.fork()
            if self.pid != 0:
                os.close(writer)
                self.reader = reader
                _waiting.add(self)
                return
        finally:
            if self.pid != 0:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        status = 1
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(reader)
            result = work()
            with os.fdopen(writer, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)  # no atexit handler, no buffered output of this process written twice

    def get(self) -> T | None:
        """The result, waiting for it; None if the process failed (the caller then does the work)."""
        if not self.got and self.pid is None:
            self.got, self.value = True, self.work()
        if not self.got:
            with os.fdopen(self.reader, "rb") as source:
                data = source.read()
            _, status = os.waitpid(self.pid, 0)  # type: ignore[arg-type]
            self.got, self.value = True, pickle.loads(data) if status == 0 and data else None
            _waiting.discard(self)
        return self.value

    def result(self) -> T:
        """The result; where the process failed, the work done here."""
        value = self.get()
        if value is None:
            value = self.value = self.work()
        return value

    def abandon(self) -> None:
        """Not needed after all: the process is stopped."""
        if not self.got and self.pid is not None:
            os.close(self.reader)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.got = True
            _waiting.discard(self)


_waiting: set[Later] = set()  # type: ignore[type-arg]


def abandon_all() -> None:
    """Stop every process whose result was not read: a build that stopped leaves none behind."""
    for later in list(_waiting):
        later.abandon()
