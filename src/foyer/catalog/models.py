"""What a loaded catalog entry looks like to the rest of Foyer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foyer.catalog.errors import UnknownEnvironment
from foyer.catalog.schedules import Schedule
from foyer.catalog.sources import OptionField
from foyer.contracts.policy import in_groups


@dataclass(frozen=True)
class Access:
    """Groups allowed to start (``run``) and to approve (``approve``) an entry."""

    run: list[str]
    approve: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Approval:
    """Approval policy applied before a run starts."""

    required: bool = False
    min_approvers: int = 1
    allow_self_approval: bool = False
    timeout_seconds: int = 86400


@dataclass(frozen=True)
class EnvironmentOverride:
    """Per-environment values that replace the entry's defaults when set."""

    namespace: str | None = None
    nexus_endpoint: str | None = None
    task_queue: str | None = None
    approval: Approval | None = None
    """The whole policy in this environment: the entry's, with the override's fields on top."""


@dataclass(frozen=True)
class Example:
    """A named set of inputs that must validate; shown in the portal and run by tests."""

    name: str
    inputs: dict[str, Any]
    description: str = ""
    environment: str | None = None


@dataclass(frozen=True)
class Target:
    """Where a run of an entry goes in one environment."""

    environment: str
    namespace: str
    nexus_endpoint: str
    task_queue: str


@dataclass(frozen=True, eq=False)
class Entry:
    """One published workflow, as loaded and validated from its catalog file.

    ``schema`` is fully resolved: shared definitions are inlined under its own
    ``$defs`` and no ``$ref`` leaves the document.
    """

    id: str
    title: str
    description: str = field(repr=False)
    owners: list[str]
    tags: list[str]
    workflow_type: str
    namespace: str
    nexus_endpoint: str
    task_queue: str
    default_environment: str
    environments: dict[str, EnvironmentOverride]
    access: Access
    approval: Approval
    timeout_seconds: int
    schema: dict[str, Any] = field(repr=False)
    ui_schema: dict[str, Any] | None = field(repr=False)
    guide: str = field(repr=False)
    examples: list[Example] = field(repr=False)
    source: Path
    options: dict[str, OptionField] = field(default_factory=dict, repr=False)
    """Fields whose values come from an option source, by field name."""
    schedules: list[Schedule] = field(default_factory=list, repr=False)

    def target(self, environment: str | None = None) -> Target:
        """Resolve where a run goes in ``environment``.

        Args:
            environment: One of the entry's environments; ``None`` for the default.

        Raises:
            UnknownEnvironment: If the entry does not declare ``environment``.
        """
        name = self.default_environment if environment is None else environment
        override = self.environments.get(name)
        if override is None:
            raise UnknownEnvironment(self.id, name, list(self.environments))
        return Target(
            environment=name,
            namespace=override.namespace or self.namespace,
            nexus_endpoint=override.nexus_endpoint or self.nexus_endpoint,
            task_queue=override.task_queue or self.task_queue,
        )

    def approval_for(self, environment: str | None = None) -> Approval:
        """The approval policy of runs in ``environment`` (``None``: the default).

        Raises:
            UnknownEnvironment: If the entry does not declare ``environment``.
        """
        name = self.default_environment if environment is None else environment
        override = self.environments.get(name)
        if override is None:
            raise UnknownEnvironment(self.id, name, list(self.environments))
        return override.approval or self.approval

    def recorded_approval(self, environment: str) -> Approval:
        """The approval policy of an existing run in ``environment``, the default one if the
        entry no longer declares that environment."""
        override = self.environments.get(environment)
        return (override.approval if override else None) or self.approval

    def targets(self) -> list[Target]:
        """The target of every environment, sorted by environment name."""
        return [self.target(name) for name in sorted(self.environments)]

    def may_run(self, groups: Iterable[str]) -> bool:
        """Whether a member of ``groups`` may start this workflow."""
        return in_groups(groups, self.access.run)

    def may_approve(self, groups: Iterable[str]) -> bool:
        """Whether a member of ``groups`` may approve a run of this workflow."""
        return in_groups(groups, self.access.approve)
