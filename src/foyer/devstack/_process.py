"""Child processes whose output is relayed line by line, and where those lines go."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from foyer.devstack._files import open_private_for_append, private_dir

PREFIX_WIDTH = 16
CHILD_UMASK = 0o077
"""Whatever a child creates (the Temporal database, logs) is readable by the owner only."""


class LogSink(Protocol):
    """Receives every output line of every child."""

    def write(self, name: str, line: str) -> None: ...

    def close(self) -> None: ...


class ConsoleSink:
    """Prints ``name | line`` on stdout, names padded so the bars line up."""

    def __init__(self, width: int = PREFIX_WIDTH, stream: IO[str] | None = None) -> None:
        self._width = width
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, name: str, line: str) -> None:
        stream = self._stream or sys.stdout
        with self._lock:
            stream.write(f"{name:<{self._width}}| {line}\n")
            stream.flush()

    def close(self) -> None:
        pass


class FileSink:
    """Appends each child's lines to ``<directory>/<name>.log``, owner-only files."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._files: dict[str, IO[str]] = {}
        self._lock = threading.Lock()

    def write(self, name: str, line: str) -> None:
        with self._lock:
            file = self._files.get(name)
            if file is None:
                private_dir(self._directory)
                descriptor = open_private_for_append(self._directory / f"{name}.log")
                file = self._files[name] = os.fdopen(descriptor, "a")
            file.write(line + "\n")
            file.flush()

    def close(self) -> None:
        with self._lock:
            for file in self._files.values():
                file.close()
            self._files.clear()


@dataclass(frozen=True)
class Exited:
    """A child that exited without being asked to."""

    name: str
    returncode: int


class Process:
    """One child in its own process group, so stopping it also stops what it spawned."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        sink: LogSink,
        exits: queue.Queue[Exited | None],
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self._cwd = cwd
        self._env = dict(env)
        self._sink = sink
        self._exits = exits
        self._popen: subprocess.Popen[str] | None = None
        self._pump: threading.Thread | None = None
        self._asked_to_exit = threading.Event()
        """Set when the current child is told to stop: its exit is not a crash."""
        self.tail: deque[str] = deque(maxlen=30)
        """The last lines of output, to explain a failed start."""

    @property
    def pid(self) -> int | None:
        return None if self._popen is None else self._popen.pid

    @property
    def alive(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    @property
    def crashed(self) -> bool:
        """Started, then exited without being asked to."""
        return (
            self._popen is not None
            and self._popen.poll() is not None
            and not self._asked_to_exit.is_set()
        )

    @property
    def returncode(self) -> int | None:
        return None if self._popen is None else self._popen.poll()

    def start(self) -> None:
        if self.alive:
            raise RuntimeError(f"{self.name} is already running")
        self.tail.clear()
        # A new event per child: the relay of an earlier child keeps its own.
        self._asked_to_exit = threading.Event()
        self._popen = subprocess.Popen(
            self.argv,
            cwd=self._cwd,
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            bufsize=1,
            start_new_session=True,
            umask=CHILD_UMASK,
        )
        self._pump = threading.Thread(
            target=self._relay,
            args=(self._popen, self._asked_to_exit),
            name=f"relay-{self.name}",
            daemon=True,
        )
        self._pump.start()

    def _relay(self, popen: subprocess.Popen[str], asked_to_exit: threading.Event) -> None:
        assert popen.stdout is not None
        for raw in popen.stdout:
            line = raw.rstrip("\n")
            self.tail.append(line)
            self._sink.write(self.name, line)
        popen.stdout.close()
        returncode = popen.wait()
        if not asked_to_exit.is_set():
            self._exits.put(Exited(self.name, returncode))

    def kill(self) -> None:
        """SIGKILL the whole process group at once."""
        self._signal(signal.SIGKILL)
        self._reap(timeout=None)

    def stop(self, timeout: float) -> None:
        """SIGTERM the process group, then SIGKILL it if it is still there after ``timeout``."""
        self._signal(signal.SIGTERM)
        if not self._reap(timeout):
            self._signal(signal.SIGKILL)
            self._reap(timeout=None)

    def _signal(self, signum: int) -> None:
        if self._popen is None:
            return
        self._asked_to_exit.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._popen.pid, signum)

    def _reap(self, timeout: float | None) -> bool:
        if self._popen is None:
            return True
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        # The leader is gone; whatever it spawned into its group goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._popen.pid, signal.SIGKILL)
        if self._pump is not None:
            self._pump.join(timeout=1)
        return True
