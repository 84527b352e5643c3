"""The root of every error Foyer reports to a person or a program.

Each layer raises a subclass that carries the data needed to report it; the
gateway maps each class to one HTTP status, once, and the CLI prints
``error: <message>`` for any of them. A message names the thing and the fix.
This module imports nothing from foyer, so every layer may use it.
"""

from __future__ import annotations

from collections.abc import Sequence


class FoyerError(Exception):
    """Something a caller can act on.

    Attributes:
        message: What is wrong and, where it helps, how to fix it.
        field: The request field at fault (``inputs.table_name``,
            ``Idempotency-Key``), ``""`` when no single field is.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class Invalid(FoyerError):
    """The request itself is wrong; ``problems`` lists each field and rule."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(f"{field}: {message}" if field else message for field, message in problems),
            self.problems[0][0] if self.problems else "",
        )


class Unauthenticated(FoyerError):
    """The caller did not prove who they are."""


class Forbidden(FoyerError):
    """The caller is known but may not do this; the message says why."""


class NotFound(FoyerError):
    """The thing asked for does not exist (or is not visible to the caller)."""


class Conflict(FoyerError):
    """The thing exists but is in a state that refuses this action."""


class TooLarge(FoyerError):
    """The request exceeds a documented size limit."""


class Unavailable(FoyerError):
    """A dependency (Temporal, a Nexus endpoint, the database) did not answer in time.

    Attributes:
        retry_after: Seconds after which the same request, retried with the
            same idempotency key, may get a definite answer.
    """

    def __init__(self, message: str, field: str = "", retry_after: int | None = None) -> None:
        super().__init__(message, field)
        self.retry_after = retry_after
