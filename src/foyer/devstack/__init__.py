"""``foyer up``: a whole Foyer stack on loopback, for development and tests.

Temporal's dev server (namespaces, search attributes, Nexus endpoints), moto
seeded with example AWS resources, the gateway's keys and demo users, the
workers and the gateway, each a child process with its output relayed and,
for the workers and the gateway, restarted when it crashes.
"""

from foyer.devstack._config import StackConfig, StackPaths, free_port, port_is_free
from foyer.devstack._credentials import DEMO_USERS
from foyer.devstack._errors import PortInUse, StackError
from foyer.devstack._process import ConsoleSink, Exited, FileSink, LogSink
from foyer.devstack._stack import Stack
from foyer.devstack._supervise import Failure, RestartPolicy
from foyer.devstack._workers import (
    WORKERS_FILE,
    WorkersFileError,
    WorkerSpec,
    parse_worker_option,
)

__all__ = [
    "DEMO_USERS",
    "WORKERS_FILE",
    "ConsoleSink",
    "Exited",
    "Failure",
    "FileSink",
    "LogSink",
    "PortInUse",
    "RestartPolicy",
    "Stack",
    "StackConfig",
    "StackError",
    "StackPaths",
    "WorkerSpec",
    "WorkersFileError",
    "free_port",
    "parse_worker_option",
    "port_is_free",
]
