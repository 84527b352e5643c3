"""``foyer up``: a whole Foyer stack on loopback, for development and tests.

Temporal's dev server (namespaces, search attributes, Nexus endpoints), moto
seeded with example AWS resources, the gateway's keys and demo users, the
workers and the gateway, each a child process with its output relayed.
"""

from foyer.devstack._config import (
    PortInUse,
    StackConfig,
    StackError,
    StackPaths,
    free_port,
    port_is_free,
)
from foyer.devstack._credentials import DEMO_USERS
from foyer.devstack._process import ConsoleSink, Exited, FileSink, LogSink
from foyer.devstack._stack import Stack

__all__ = [
    "DEMO_USERS",
    "ConsoleSink",
    "Exited",
    "FileSink",
    "LogSink",
    "PortInUse",
    "Stack",
    "StackConfig",
    "StackError",
    "StackPaths",
    "free_port",
    "port_is_free",
]
