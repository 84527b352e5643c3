"""Restarting crashed components with backoff, and knowing when to give up."""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass

from foyer.devstack._process import Exited


@dataclass(frozen=True)
class RestartPolicy:
    """How a crashed worker or gateway is restarted, like a process manager would.

    The n-th crash of a component within ``window`` seconds is followed by a
    restart after ``initial_delay * 2 ** (n - 1)`` seconds, at most
    ``max_delay``; the ``crash_limit``-th crash within ``window`` is a crash
    loop, and the stack stops instead.
    """

    initial_delay: float = 0.5
    max_delay: float = 10.0
    crash_limit: int = 5
    window: float = 60.0

    def delay(self, crashes: int) -> float:
        """Seconds to wait before restarting after the ``crashes``-th recent crash."""
        return float(min(self.initial_delay * 2 ** (crashes - 1), self.max_delay))


@dataclass(frozen=True)
class Failure:
    """A component exited and will not be restarted: the stack cannot go on."""

    name: str
    returncode: int
    message: str
    """What happened, e.g. ``gateway crashed 5 times in 60 s (last status 1)``."""


def describe_status(returncode: int) -> str:
    """``status 1``, or ``status -9 (SIGKILL)`` for a process killed by a signal."""
    if returncode < 0:
        try:
            return f"status {returncode} ({signal.Signals(-returncode).name})"
        except ValueError:
            pass
    return f"status {returncode}"


class Supervisor:
    """Turns each crash into a scheduled restart or a :class:`Failure`.

    It holds no processes and no threads: the stack feeds it crashes, asks it
    which restarts are due and starts them, so the policy can be tested with a
    fake clock.

    Args:
        policy: How to restart; ``None`` makes every crash a failure.
        restartable: Components that may be restarted; a crash of any other is a failure.
        log: Receives ``(component, line)`` for each restart it schedules.
        clock: Monotonic seconds.
    """

    def __init__(
        self,
        policy: RestartPolicy | None,
        restartable: Collection[str],
        log: Callable[[str, str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._policy = policy
        self._restartable = frozenset(restartable)
        self._log = log
        self._clock = clock
        self._crashes: dict[str, deque[float]] = {}
        self._due: dict[str, float] = {}
        self._lock = threading.Lock()

    def crashed(self, exited: Exited) -> Failure | None:
        """Record a crash; schedule a restart and return ``None``, or return the failure."""
        status = describe_status(exited.returncode)
        if self._policy is None or exited.name not in self._restartable:
            return Failure(
                exited.name, exited.returncode, f"{exited.name} exited unexpectedly with {status}"
            )
        policy = self._policy
        now = self._clock()
        with self._lock:
            recent = self._crashes.setdefault(exited.name, deque())
            recent.append(now)
            while recent and recent[0] <= now - policy.window:
                recent.popleft()
            crashes = len(recent)
            if crashes >= policy.crash_limit:
                self._due.pop(exited.name, None)
                return Failure(
                    exited.name,
                    exited.returncode,
                    f"{exited.name} crashed {crashes} times in {policy.window:g} s "
                    f"(last exit {status})",
                )
            delay = policy.delay(crashes)
            self._due[exited.name] = now + delay
        self._log(
            exited.name,
            f"foyer up: {exited.name} exited with {status}; restarting it in {delay:g} s "
            f"(crash {crashes} in {policy.window:g} s; {policy.crash_limit} stop the stack)",
        )
        return None

    def cancel(self, name: str) -> None:
        """Forget a pending restart: the component was started or stopped on purpose."""
        with self._lock:
            self._due.pop(name, None)

    def due(self) -> list[str]:
        """Components whose restart time has come, in order; each is returned once."""
        now = self._clock()
        with self._lock:
            ready = sorted((at, name) for name, at in self._due.items() if at <= now)
            for _, name in ready:
                del self._due[name]
        return [name for _, name in ready]

    def seconds_to_next(self) -> float | None:
        """Seconds until the next pending restart, ``None`` when none is pending."""
        with self._lock:
            if not self._due:
                return None
            return max(0.0, min(self._due.values()) - self._clock())
