"""The whole local stack: start in order, wait for each part, stop everything."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

from foyer.devstack import _aws
from foyer.devstack._config import (
    LOOPBACK,
    StackConfig,
    StackPaths,
    app_commands,
    check_ports,
    child_env,
    free_port,
    moto_command,
    stack_settings,
    temporal_binary,
    temporal_command,
    urls,
    worker_env,
)
from foyer.devstack._credentials import ensure_keys, ensure_users, write_credentials
from foyer.devstack._errors import StackError
from foyer.devstack._files import private_dir
from foyer.devstack._process import PREFIX_WIDTH, ConsoleSink, Exited, FileSink, LogSink, Process
from foyer.devstack._supervise import Failure, Supervisor
from foyer.devstack._targets import catalog_targets
from foyer.devstack._temporal import prepare_temporal
from foyer.devstack._workers import check_workers, declared_workers

POLL_INTERVAL = 0.1
INFRASTRUCTURE = ("temporal", "moto")
"""Components the stack cannot restart: a crash of one stops the stack."""


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def _http_answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1.0)
    except httpx.HTTPError:
        return False
    return True


class Stack:
    """Temporal, moto, keys and users, workers and gateway, for development and tests.

    Use it as a context manager: entering starts every component in order and
    waits until each is ready; leaving stops them in reverse order. If starting
    fails half-way, what was started is stopped before the error propagates.
    Once open, a crashed worker or gateway is restarted as ``config.restart``
    says; :meth:`wait_for_failure` reports what the stack cannot recover from.

    Raises:
        StackError: From the constructor, for a missing catalog directory, a bad
            workers file or a catalog the stack cannot serve.
        CatalogInvalid: From the constructor, if the catalog does not load.
    """

    def __init__(self, config: StackConfig, sink: LogSink | None = None) -> None:
        self.config = config
        self.paths = StackPaths.of(config)
        self.targets = catalog_targets(config.catalog_dir, config.gateway_namespace)
        self.workers = (
            declared_workers(config.workers_file, config.catalog_dir, config.workers)
            if config.apps
            else []
        )
        check_workers(self.workers, self.targets.namespaces, config.catalog_dir)
        self.settings = stack_settings(config, self.paths)
        self.env = child_env(config, self.paths)
        self.credentials: dict[str, Any] = {}
        self._exits: queue.Queue[Exited | None] = queue.Queue()
        self._failures: queue.Queue[Failure] = queue.Queue()
        self._opening = False
        self._closing = threading.Event()
        self._supervising: threading.Thread | None = None
        self._starting = threading.Lock()
        commands = {
            "temporal": temporal_command(
                config,
                self.paths,
                self.targets.namespaces,
                binary=temporal_binary(),
                http_port=free_port(),
                metrics_port=free_port(),
            ),
            "moto": moto_command(config),
        }
        if config.apps:
            commands.update(app_commands(self.targets.namespaces, self.workers))
        if sink is None:
            width = max(PREFIX_WIDTH, *(len(name) + 1 for name in commands))
            sink = ConsoleSink(width) if config.logs == "console" else FileSink(self.paths.logs)
        self._sink = sink
        extra_env = {worker.name: worker_env(worker) for worker in self.workers}
        self.processes = {
            name: Process(
                name,
                argv,
                cwd=config.repo_root.resolve(),
                env={**self.env, **extra_env.get(name, {})},
                sink=sink,
                exits=self._exits,
            )
            for name, argv in commands.items()
        }
        self._supervisor = Supervisor(
            config.restart,
            restartable=[name for name in self.processes if name not in INFRASTRUCTURE],
            log=sink.write,
        )
        self._ready: dict[str, Callable[[Process], None]] = {
            "temporal": self._temporal_ready,
            "moto": self._moto_ready,
            "gateway": self._gateway_ready,
        }

    @property
    def urls(self) -> dict[str, str | None]:
        return urls(self.config)

    def __enter__(self) -> Stack:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        """Start every component in order, each ready before the next starts, then supervise."""
        check_ports(self.config)
        private_dir(self.paths.state_dir)
        self._opening = True
        try:
            self.start("temporal")
            self.start("moto")
            ensure_keys(self.paths)
            users = ensure_users(self.paths)
            self.credentials = write_credentials(self.paths.credentials, self.urls, users)
            for name in self.processes:
                if name not in INFRASTRUCTURE:
                    self.start(name)
            self._raise_if_crashed()
        except BaseException:
            self.close()
            raise
        finally:
            self._opening = False
        self._supervising = threading.Thread(
            target=self._supervise, name="devstack-supervisor", daemon=True
        )
        self._supervising.start()

    def close(self) -> None:
        """Stop supervising, then every process, newest first: SIGTERM, then SIGKILL
        after a bounded wait."""
        self._closing.set()
        self._exits.put(None)  # wakes the supervisor
        if self._supervising is not None:
            self._supervising.join()
        for process in reversed(self.processes.values()):
            process.stop(self.config.stop_timeout)
        self._sink.close()

    def start(self, name: str) -> None:
        """Start one component (again) and wait until it is ready."""
        process = self._process(name)
        self._supervisor.cancel(name)
        with self._starting:
            process.start()
        self._ready.get(name, self._still_alive)(process)

    def kill(self, name: str) -> None:
        """SIGKILL one component on purpose: it is not restarted."""
        self._supervisor.cancel(name)
        self._process(name).kill()

    def stop(self, name: str) -> None:
        """Stop one component gracefully: it is not restarted."""
        self._supervisor.cancel(name)
        self._process(name).stop(self.config.stop_timeout)

    def wait_for_failure(self, timeout: float | None = None) -> Failure | None:
        """Block until a component exits and will not be restarted, or ``timeout`` passes.

        That is a crash of Temporal or moto, a crash loop of a worker or the
        gateway, or any crash when ``config.restart`` is ``None``.
        """
        try:
            return self._failures.get(timeout=timeout)
        except queue.Empty:
            return None

    def _supervise(self) -> None:
        while not self._closing.is_set():
            try:
                exited = self._exits.get(timeout=self._supervisor.seconds_to_next())
            except queue.Empty:
                exited = None
            if self._closing.is_set():
                return
            if exited is not None:
                failure = self._supervisor.crashed(exited)
                if failure is not None:
                    self._failures.put(failure)
            for name in self._supervisor.due():
                self._restart(name)

    def _restart(self, name: str) -> None:
        process = self.processes[name]
        with self._starting:
            if process.alive:  # started again by hand meanwhile
                return
            try:
                process.start()
            except OSError as err:
                self._failures.put(Failure(name, -1, f"{name} could not be restarted: {err}"))
                return
        self._sink.write(name, f"foyer up: restarted {name} (pid {process.pid})")

    def _process(self, name: str) -> Process:
        try:
            return self.processes[name]
        except KeyError:
            raise StackError(
                f"no component named `{name}`; the stack has {', '.join(self.processes)}"
            ) from None

    def _failed(self, process: Process, reason: str) -> StackError:
        tail = "\n".join(f"    {line}" for line in process.tail)
        return StackError(
            f"{process.name} {reason}" + (f"; its last output:\n{tail}" if tail else "")
        )

    def _poll(self, process: Process, check: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.config.ready_timeout
        while not check():
            if self._opening:
                self._raise_if_crashed()
            if not process.alive:
                raise self._failed(process, f"exited with status {process.returncode} {what}")
            if time.monotonic() > deadline:
                raise self._failed(
                    process, f"was not ready {what} in {self.config.ready_timeout} s"
                )
            time.sleep(POLL_INTERVAL)

    def _raise_if_crashed(self) -> None:
        for process in self.processes.values():
            if process.crashed:
                raise self._failed(process, f"exited with status {process.returncode}")

    def _temporal_ready(self, process: Process) -> None:
        try:
            prepare_temporal(
                self.settings,
                (self.config.gateway_namespace, *self.targets.namespaces),
                self.targets.endpoints,
                timeout=self.config.ready_timeout,
                alive=lambda: process.alive,
            )
        except StackError as err:
            raise self._failed(process, f"failed to start: {err}") from err

    def _moto_ready(self, process: Process) -> None:
        url = str(self.urls["aws_endpoint_url"])
        self._poll(process, lambda: _http_answers(url), f"at {url}")
        _aws.seed(url, self.config.aws_scale)

    def _gateway_ready(self, process: Process) -> None:
        url = f"http://{LOOPBACK}:{self.config.gateway_port}/readyz"
        self._poll(process, lambda: _http_ok(url), f"at {url}")

    def _still_alive(self, process: Process) -> None:
        # Workers have no port to probe; the gateway's readyz covers them end to end.
        if not process.alive:
            raise self._failed(process, f"exited with status {process.returncode} on start")
