"""The Nexus service generated from a team's catalog entries.

nexusrpc has no wildcard operation, so the handler class is built at worker
start-up: one workflow-run operation per entry, named after its workflow type.
The gateway namespace may be writable by more than the gateway, so every start
is checked here again: the signed identity, the right to run, and the inputs
against the very schema the gateway used.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from nexusrpc import HandlerError, HandlerErrorType
from nexusrpc.handler import service_handler
from temporalio import nexus
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from foyer.catalog import Entry, OptionSource, Target, UnknownEnvironment, validate_inputs
from foyer.contracts import Identity, StartRequest, WorkflowRequest
from foyer.contracts.names import (
    WORKFLOWS_SERVICE,
    run_search_attributes,
    team_workflow_id,
)
from foyer.publish.option_check import refuse_unknown_options
from foyer.publish.policy import approval_policy
from foyer.signing import SignatureError, Verifier, start_content

StartMethod = Callable[
    [Any, nexus.WorkflowRunOperationContext, StartRequest],
    Awaitable[nexus.WorkflowHandle[Any]],
]


def _refuse(message: str, kind: HandlerErrorType = HandlerErrorType.BAD_REQUEST) -> HandlerError:
    return HandlerError(message, type=kind, retryable_override=False)


async def start_entry(
    entry: Entry,
    verifier: Verifier,
    ctx: nexus.WorkflowRunOperationContext,
    request: StartRequest,
    sources: Mapping[str, OptionSource] | None = None,
) -> nexus.WorkflowHandle[Any]:
    """Check one start request for ``entry`` and start the team workflow.

    ``sources`` are the catalog's option sources, to check option fields against
    the team's own inventories.
    """
    if request.entry_id != entry.id:
        raise _refuse(
            f"Operation {entry.workflow_type} serves `{entry.id}`, not `{request.entry_id}`"
        )
    try:
        target = entry.target(request.environment)
    except UnknownEnvironment as err:
        raise _refuse(str(err)) from err
    try:
        identity = verifier.verify(
            request.token,
            act="start",
            run=request.run_id,
            entry=entry.id,
            content=start_content(request.environment, request.inputs),
        )
    except SignatureError as err:
        raise _refuse(f"Refused: {err}", HandlerErrorType.UNAUTHENTICATED) from err
    if not entry.may_run(identity.groups):
        raise _refuse(f"{identity.subject} may not run `{entry.id}`", HandlerErrorType.UNAUTHORIZED)
    errors = validate_inputs(entry, request.inputs)
    if errors:
        details = "; ".join(f"{e.field or 'inputs'}: {e.message}" for e in errors)
        raise _refuse(f"Invalid inputs for `{entry.id}`: {details}")
    if entry.options:
        await refuse_unknown_options(entry, target.environment, request.inputs, sources or {})
    try:
        return await _start(ctx, entry, target, request, identity)
    except WorkflowAlreadyStartedError as err:
        # Retries of this very start reuse its Nexus request id and are
        # answered by the server with the existing workflow; anything else
        # asking for the same run again is a replay.
        raise _refuse(
            f"Run {request.run_id} has already started its `{entry.id}` workflow once; "
            "a run's workflow is never started again"
        ) from err


async def _start(
    ctx: nexus.WorkflowRunOperationContext,
    entry: Entry,
    target: Target,
    request: StartRequest,
    identity: Identity,
) -> nexus.WorkflowHandle[Any]:
    policy = approval_policy(entry, target.environment)
    return await ctx.start_workflow(
        entry.workflow_type,
        WorkflowRequest(
            run_id=request.run_id,
            entry_id=entry.id,
            environment=target.environment,
            inputs=request.inputs,
            requester=identity,
            approval=policy,
        ),
        id=team_workflow_id(entry.id, request.run_id),
        task_queue=target.task_queue,
        execution_timeout=timedelta(seconds=policy.timeout_seconds + entry.timeout_seconds),
        search_attributes=run_search_attributes(identity.subject, entry.id),
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        # Taken only when the team's workflow worker runs in this process on the same
        # client: its first task then comes back with the start instead of through the
        # task queue.
        request_eager_start=True,
    )


def _operation(
    entry: Entry, verifier: Verifier, sources: Mapping[str, OptionSource]
) -> StartMethod:
    # `self` stays unannotated: the SDK reads the operation's input type from
    # exactly two annotated parameters.
    async def start(  # type: ignore[no-untyped-def]
        self, ctx: nexus.WorkflowRunOperationContext, request: StartRequest
    ) -> nexus.WorkflowHandle[Any]:
        return await start_entry(entry, verifier, ctx, request, sources)

    start.__name__ = start.__qualname__ = "start_" + entry.id.replace("-", "_")
    return nexus.workflow_run_operation(name=entry.workflow_type)(start)


def build_workflows_handler(
    entries: Sequence[Entry],
    verifier: Verifier,
    sources: Sequence[OptionSource] = (),
) -> object:
    """An instance of the team's generated ``foyer.workflows`` service handler.

    Args:
        entries: The catalog entries this team's namespace serves.
        verifier: Trusts the gateway's public keys.
        sources: The catalog's option sources, for entries with option fields.
    """
    by_name = {source.name: source for source in sources}
    methods = {f"start_{e.id.replace('-', '_')}": _operation(e, verifier, by_name) for e in entries}
    cls: type[Any] = type("WorkflowsServiceHandler", (), methods)
    return service_handler(name=WORKFLOWS_SERVICE)(cls)()
