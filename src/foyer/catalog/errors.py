"""Errors raised by the catalog; each carries the data needed to report it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from foyer.errors import NotFound


class CatalogError(Exception):
    """One problem in one catalog file.

    Attributes:
        path: The file the problem is in.
        pointer: JSON pointer to the offending value, e.g. ``/schema/properties/x``;
            ``""`` for the whole document.
        message: What is wrong, naming the rule that failed.
    """

    def __init__(self, path: Path, pointer: str, message: str) -> None:
        super().__init__(path, pointer, message)
        self.path = path
        self.pointer = pointer
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}:{self.pointer or '/'}: {self.message}"

    def __repr__(self) -> str:
        return f"CatalogError({self.path!r}, {self.pointer!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CatalogError):
            return NotImplemented
        return (self.path, self.pointer, self.message) == (other.path, other.pointer, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.pointer, self.message))


class CatalogInvalid(Exception):
    """The catalog could not be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[CatalogError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


class EntryNotFound(LookupError):
    """No catalog entry has the requested id.

    Attributes:
        entry_id: The id that was asked for.
        suggestion: The closest existing id, if any is close.
    """

    def __init__(self, entry_id: str, suggestion: str | None = None) -> None:
        self.entry_id = entry_id
        self.suggestion = suggestion
        message = f"Workflow `{entry_id}` is not in the catalog"
        if suggestion is not None:
            message += f"; did you mean `{suggestion}`?"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownEnvironment(ValueError):
    """An entry was asked for an environment it does not declare.

    Attributes:
        entry_id: The entry's id.
        environment: The environment that was asked for.
        allowed: The entry's environments, sorted.
    """

    def __init__(self, entry_id: str, environment: str, allowed: Sequence[str]) -> None:
        self.entry_id = entry_id
        self.environment = environment
        self.allowed = sorted(allowed)
        super().__init__(
            f"Workflow `{entry_id}` has no environment `{environment}`; "
            f"choose one of: {', '.join(self.allowed)}"
        )


@dataclass(frozen=True)
class FieldError:
    """One reason a set of inputs is invalid.

    Attributes:
        field: Dotted path of the field within the inputs (``table_name``,
            ``tags.0``), ``""`` for the inputs as a whole.
        message: What is wrong, e.g. ``is required``.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(ValueError):
    """Inputs failed validation against an entry's schema."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


class SourceNotFound(NotFound):
    """No option source has the requested name.

    Attributes:
        name: The name that was asked for.
        suggestion: The closest existing name, if any is close.
    """

    def __init__(self, name: str, suggestion: str | None = None) -> None:
        message = f"Option source `{name}` is not in the catalog"
        if suggestion is not None:
            message += f"; did you mean `{suggestion}`?"
        super().__init__(message, "source")
        self.name = name
        self.suggestion = suggestion
