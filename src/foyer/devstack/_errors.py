"""Why a stack could not start or had to stop."""

from __future__ import annotations

from foyer.errors import FoyerError


class StackError(FoyerError):
    """The stack could not start or a component failed; the message says which and why."""


class PortInUse(StackError):
    """A port the stack needs is already taken by another process."""

    def __init__(self, component: str, port: int) -> None:
        super().__init__(f"port {port} for {component} is already in use")
        self.component = component
        self.port = port
