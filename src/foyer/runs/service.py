"""Runs: submit, read, decide and cancel, for one authenticated identity.

The service writes only into the gateway namespace: it starts a RouterWorkflow
and sends it Updates. It reads a team workflow's status query for live
progress, the only thing it asks of a team namespace. HTTP, the CLI, the
portal and the benchmarks all go through it; it raises ``foyer.errors``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import (
    Catalog,
    Entry,
    EntryNotFound,
    FieldError,
    InputError,
    UnknownEnvironment,
    validate_inputs,
)
from foyer.contracts import (
    CancelCommand,
    DecisionCommand,
    DecisionResult,
    Identity,
    RunOutcome,
    RunSummary,
)
from foyer.contracts.names import (
    MEMO_KEY,
    ROUTER_CANCEL_UPDATE,
    ROUTER_DECIDE_UPDATE,
    ROUTER_TASK_QUEUE,
    ROUTER_WORKFLOW,
    decision_id,
    idempotent_run_id,
    new_run_id,
    run_search_attributes,
)
from foyer.contracts.policy import cancel_refusal, decision_refusal
from foyer.db import Actor, LedgerRun, NewRun, Stores
from foyer.errors import Conflict, Forbidden, FoyerError, NotFound, Unavailable
from foyer.runs.backend import (
    READ_TIMEOUT,
    RETRY_AFTER_SECONDS,
    WRITE_TIMEOUT,
    Backend,
    unavailable,
)
from foyer.runs.models import Run
from foyer.runs.reading import Pinned, RunReader
from foyer.runs.records import RunRecords
from foyer.runs.request import router_request
from foyer.signing import Signer, cancel_content, decision_content, digest, start_content

log = logging.getLogger("foyer.runs")

RUN_ID = re.compile(r"run-[0-9a-f]{20}")
ROUTER_MARGIN = timedelta(minutes=5)
"""Extra time the router gets past its Nexus operation, to record a timeout."""


class OptionChecker(Protocol):
    """Checks option fields against their sources' current options (``foyer.options``)."""

    async def check_inputs(
        self, entry: Entry, environment: str | None, inputs: Mapping[str, Any]
    ) -> list[tuple[str, str]]: ...


class RunNotFound(NotFound):
    """No run with this id was started by the gateway."""

    def __init__(self, run_id: str) -> None:
        super().__init__(f"Run `{run_id}` does not exist", field="id")
        self.run_id = run_id


@dataclass(frozen=True)
class Caller:
    """Who is asking, through which client (``http``, ``cli``, ``portal``…), from where."""

    identity: Identity
    client: str = "http"
    source: str = ""
    """The network address the request came from, as the audit log records it."""

    @property
    def actor(self) -> Actor:
        return Actor(self.identity.subject, self.client, self.source)


class RunService:
    """The gateway's operations on runs."""

    def __init__(
        self,
        catalog: Catalog,
        signer: Signer,
        secret: bytes,
        backend: Backend,
        stores: Stores,
        options: OptionChecker | None = None,
    ) -> None:
        self.catalog = catalog
        self.backend = backend
        self.records = RunRecords(stores)
        self.reader = RunReader(backend)
        self.options = options
        self._signer = signer
        self._secret = secret

    async def submit(
        self,
        caller: Caller,
        workflow: str,
        inputs: dict[str, Any],
        environment: str | None = None,
        idempotency_key: str | None = None,
    ) -> tuple[Run, bool]:
        """Validate and start a run, and record it in the ledger before answering.

        Returns:
            The run and whether this call created it. A refusal is audited as
            ``run.refused`` with its reason, an accepted run as ``run.submitted``.

        Raises:
            EntryNotFound, UnknownEnvironment, InputError: The request is wrong (an option
                field whose value is not one of its source's current options included).
            Forbidden: The caller may not run this entry.
            Conflict: The idempotency key was used for another request.
            Unavailable: Temporal, the database or the entry's Nexus endpoint is not there.
        """
        try:
            return await self._submit(caller, workflow, inputs, environment, idempotency_key)
        except (FoyerError, EntryNotFound, UnknownEnvironment, InputError) as err:
            if not isinstance(err, Unavailable):
                await self.records.audit(
                    caller.actor,
                    "run.refused",
                    workflow[:200],
                    outcome="refused",
                    detail={"workflow": workflow[:200], "reason": _reason(err)},
                )
            raise

    async def _submit(
        self,
        caller: Caller,
        workflow: str,
        inputs: dict[str, Any],
        environment: str | None,
        idempotency_key: str | None,
    ) -> tuple[Run, bool]:
        entry = self.catalog.get(workflow)
        identity = caller.identity
        if not entry.may_run(identity.groups):
            groups = ", ".join(entry.access.run) or "none"
            raise Forbidden(f"You may not run `{entry.id}`; it is open to groups: {groups}")
        target = entry.target(environment)
        errors = validate_inputs(entry, inputs)
        if errors:
            raise InputError(errors)
        if self.options is not None and entry.options:
            problems = await self.options.check_inputs(entry, target.environment, inputs)
            if problems:
                raise InputError([FieldError(field, message) for field, message in problems])
        await self.backend.require_endpoint(target.nexus_endpoint)

        run_id = (
            idempotent_run_id(self._secret, identity.subject, idempotency_key)
            if idempotency_key
            else new_run_id()
        )
        content = start_content(target.environment, inputs)
        request_digest = digest({"entry": entry.id, **content})
        if idempotency_key:
            seen = await self.records.find(run_id)
            if seen is not None:
                return await self._again(seen, request_digest), False
        requested_at = datetime.now(UTC)
        summary = self._sealed(
            run_id,
            RunSummary(
                entry_id=entry.id,
                title=entry.title,
                environment=target.environment,
                namespace=target.namespace,
                inputs=inputs,
                requester=identity,
                client=caller.client,
                digest=request_digest,
                requested_at=requested_at,
            ),
        )
        request = router_request(
            entry,
            target,
            inputs,
            identity,
            run_id=run_id,
            signer=self._signer,
            client=caller.client,
            requested_at=requested_at,
        )
        run_timeout = request.timeout_seconds
        client = await self.backend.client()
        try:
            handle = await client.start_workflow(
                ROUTER_WORKFLOW,
                request,
                id=run_id,
                task_queue=ROUTER_TASK_QUEUE,
                execution_timeout=timedelta(seconds=run_timeout) + ROUTER_MARGIN,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                memo={MEMO_KEY: summary.model_dump(mode="json")},
                search_attributes=run_search_attributes(identity.subject, entry.id),
                rpc_timeout=WRITE_TIMEOUT,
                # Taken only when this process runs a router worker on the same client
                # (FOYER_GATEWAY_ROUTER_WORKER): the first router task comes back with
                # the start response instead of through the task queue.
                request_eager_start=True,
            )
        except WorkflowAlreadyStartedError:
            seen = await self.records.find(run_id) or await self._adopt(run_id, caller)
            return await self._again(seen, request_digest), False
        except RPCError as err:
            if err.status == RPCStatusCode.DEADLINE_EXCEEDED:
                # The start may still land: stop it, so nothing runs behind a 503.
                _spawn(self._withdraw(client, run_id))
            raise unavailable(err, "starting the run") from err
        execution = handle.result_run_id or ""
        try:
            await self.records.add(_new_run(run_id, execution, summary), caller.actor)
        except BaseException:
            # Not in the ledger means not accepted: nothing may run behind the error.
            _spawn(self._withdraw(client, run_id))
            raise
        return self.reader.view(run_id, summary, "pending", created_at=requested_at), True

    async def get(self, run_id: str) -> Run:
        """The run as it is now, read from the router execution the ledger names.

        Raises:
            RunNotFound: The gateway never accepted a run with this id.
        """
        return await self._refreshed(await self._pin(run_id))

    async def refresh(self, recorded: LedgerRun) -> Run:
        """Read a recorded run afresh and save its status in the ledger (the reconciler's step)."""
        return await self._refreshed(await self._pin_recorded(recorded))

    async def _again(self, recorded: LedgerRun, request_digest: str) -> Run:
        """The run a retried submission refers to, unless the retry asks for something else."""
        if recorded.request_digest != request_digest:
            raise Conflict(
                "This Idempotency-Key was already used for a different request",
                field="Idempotency-Key",
            )
        return await self._refreshed(await self._pin_recorded(recorded))

    async def _refreshed(self, pinned: Pinned) -> Run:
        run = await self.reader.read(pinned)
        await self.records.observe(pinned.recorded, run)
        return run

    async def decide(
        self,
        caller: Caller,
        run_id: str,
        approve: bool,
        comment: str = "",
        idempotency_key: str | None = None,
    ) -> Run:
        """Approve or reject, exactly once: a retry with the same key gets the first answer.

        Raises:
            Forbidden: Not an approver, or the requester of a run that forbids
                self-approval, or refused by the owning team.
            Conflict: The run is not awaiting this decision.
            Unavailable: No definite answer in time; retry with the same key.
        """
        action = "approve" if approve else "reject"
        pinned = await self._pin(run_id)
        try:
            return await self._decide(caller, pinned, approve, comment, idempotency_key)
        except (Forbidden, Conflict) as err:
            await self._refused(caller, run_id, action, err)
            raise

    async def _decide(
        self,
        caller: Caller,
        pinned: Pinned,
        approve: bool,
        comment: str,
        idempotency_key: str | None,
    ) -> Run:
        run_id = pinned.recorded.id
        entry = self.catalog.get(pinned.summary.entry_id)
        identity = caller.identity
        refusal = decision_refusal(
            identity.subject,
            identity.groups,
            requester=pinned.summary.requester.subject,
            approver_groups=entry.access.approve,
            allow_self_approval=entry.recorded_approval(
                pinned.summary.environment
            ).allow_self_approval,
        )
        if refusal is not None:
            raise Forbidden(refusal.reason)
        action = "approve" if approve else "reject"
        did = decision_id(self._secret, run_id, identity.subject, action, idempotency_key or "")
        token = self._signer.sign(
            identity,
            act="decide",
            run=run_id,
            entry=entry.id,
            content=decision_content(approve, comment, did),
        )
        command = DecisionCommand(approve=approve, comment=comment, token=token, decision_id=did)
        await self._relay(pinned, ROUTER_DECIDE_UPDATE, command, did)
        await self.records.audit_decision(
            caller.actor,
            "run.approved" if approve else "run.rejected",
            run_id,
            did,
            {"workflow": entry.id, "comment": comment},
        )
        return await self._refreshed(await self._pin_recorded(pinned.recorded))

    async def cancel(
        self, caller: Caller, run_id: str, reason: str = "", idempotency_key: str | None = None
    ) -> Run:
        """Cancel, as the requester or an approver, exactly once.

        Raises:
            Forbidden: Neither requester nor approver.
            Conflict: Finished, or past an irreversible step (``too late: …``).
            Unavailable: No definite answer in time; retry with the same key.
        """
        pinned = await self._pin(run_id)
        try:
            return await self._cancel(caller, pinned, reason, idempotency_key)
        except (Forbidden, Conflict) as err:
            await self._refused(caller, run_id, "cancel", err)
            raise

    async def _cancel(
        self, caller: Caller, pinned: Pinned, reason: str, idempotency_key: str | None
    ) -> Run:
        run_id = pinned.recorded.id
        entry = self.catalog.get(pinned.summary.entry_id)
        identity = caller.identity
        refusal = cancel_refusal(
            identity.subject,
            identity.groups,
            requester=pinned.summary.requester.subject,
            approver_groups=entry.access.approve,
        )
        if refusal is not None:
            raise Forbidden(refusal.reason)
        did = decision_id(self._secret, run_id, identity.subject, "cancel", idempotency_key or "")
        token = self._signer.sign(
            identity, act="cancel", run=run_id, entry=entry.id, content=cancel_content(reason, did)
        )
        command = CancelCommand(reason=reason, token=token, decision_id=did)
        await self._relay(pinned, ROUTER_CANCEL_UPDATE, command, did)
        await self.records.audit_decision(
            caller.actor, "run.cancelled", run_id, did, {"workflow": entry.id, "reason": reason}
        )
        return await self._refreshed(await self._pin_recorded(pinned.recorded))

    async def _refused(self, caller: Caller, run_id: str, action: str, err: FoyerError) -> None:
        await self.records.audit(
            caller.actor,
            "decision.refused",
            run_id,
            outcome="refused",
            detail={"decision": action, "reason": _reason(err)},
        )

    # -- the pinned router execution -------------------------------------------------

    def _seal_mac(self, run_id: str, summary: RunSummary) -> str:
        body = summary.model_dump(mode="json", exclude={"mac"})
        message = run_id + "\n" + json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hmac.new(self._secret, message.encode(), hashlib.sha256).hexdigest()

    def _sealed(self, run_id: str, summary: RunSummary) -> RunSummary:
        return summary.model_copy(update={"mac": self._seal_mac(run_id, summary)})

    async def _genuine(self, description: WorkflowExecutionDescription) -> RunSummary | None:
        """The summary of a router execution the gateway started, or ``None`` for any other."""
        if description.workflow_type != ROUTER_WORKFLOW:
            return None
        raw = await description.memo_value(MEMO_KEY, default=None)
        try:
            summary = RunSummary.model_validate(raw)
        except ValueError:
            return None
        expected = self._seal_mac(description.id, summary)
        if not hmac.compare_digest(summary.mac, expected):
            return None
        return summary

    async def _pin(self, run_id: str) -> Pinned:
        """The router execution the ledger recorded for ``run_id``.

        Whatever else was started under the same workflow id in the gateway
        namespace (by anyone able to write to it) is never read as the run.
        """
        if not RUN_ID.fullmatch(run_id):
            raise RunNotFound(run_id)
        recorded = await self.records.find(run_id)
        if recorded is None:
            raise RunNotFound(run_id)
        return await self._pin_recorded(recorded)

    async def _pin_recorded(self, recorded: LedgerRun) -> Pinned:
        client = await self.backend.client()
        handle = client.get_workflow_handle(
            recorded.id, run_id=recorded.execution_run_id, result_type=RunOutcome
        )
        description = await self._describe(handle, recorded.id)
        return Pinned(handle, description, _summary_of(recorded), recorded)

    async def _adopt(self, run_id: str, caller: Caller) -> LedgerRun:
        """Record a run the gateway started but did not record (it stopped in between).

        Run ids are random or keyed with the gateway's secret, so nobody can
        create one before the gateway does: the first execution under the id is
        the gateway's, and its memo carries the gateway's seal.
        """
        client = await self.backend.client()
        first: str | None = None
        first_start: datetime | None = None
        try:
            async for execution in client.list_workflows(
                f"WorkflowId = '{run_id}'", rpc_timeout=READ_TIMEOUT
            ):
                if first_start is None or execution.start_time < first_start:
                    first, first_start = execution.run_id, execution.start_time
        except RPCError as err:
            raise unavailable(err, "reading the run") from err
        # A run started a moment ago may not be listed yet; then it is the only one.
        handle = client.get_workflow_handle(run_id, run_id=first, result_type=RunOutcome)
        description = await self._describe(handle, run_id)
        summary = await self._genuine(description)
        if summary is None:
            raise RunNotFound(run_id)
        return await self.records.add(_new_run(run_id, description.run_id, summary), caller.actor)

    async def _describe(
        self, handle: WorkflowHandle[Any, Any], run_id: str
    ) -> WorkflowExecutionDescription:
        try:
            return await handle.describe(rpc_timeout=READ_TIMEOUT)
        except RPCError as err:
            if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                raise RunNotFound(run_id) from err
            raise unavailable(err, "reading the run") from err

    # -- decisions ---------------------------------------------------------------------

    async def _relay(
        self, pinned: Pinned, update: str, command: Any, update_id: str
    ) -> DecisionResult:
        try:
            result: DecisionResult = await asyncio.wait_for(
                pinned.handle.execute_update(
                    update,
                    command,
                    id=update_id,
                    result_type=DecisionResult,
                    rpc_timeout=WRITE_TIMEOUT,
                ),
                WRITE_TIMEOUT.total_seconds(),
            )
        except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError):
            raise Unavailable(
                "The owning team has not answered yet; retry with the same Idempotency-Key "
                "to get the answer",
                retry_after=RETRY_AFTER_SECONDS,
            ) from None
        except WorkflowUpdateFailedError as err:
            # A definite refusal by the router (finished, limits).
            cause = err.cause
            message = cause.message if isinstance(cause, ApplicationError) else str(cause)
            result = await self._earlier_answer(pinned, update_id, message)
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:
                raise unavailable(err, "relaying the decision") from err
            result = await self._earlier_answer(pinned, update_id, "This run has finished")
        if not result.accepted:
            if result.code == "forbidden":
                raise Forbidden(result.reason)
            raise Conflict(result.reason)
        return result

    async def _earlier_answer(self, pinned: Pinned, update_id: str, refusal: str) -> DecisionResult:
        """The answer this decision got before the router ended, else the refusal."""
        record = await self.reader.record(pinned.handle)
        if record is not None and update_id in record.decisions:
            return record.decisions[update_id]
        raise Conflict(refusal)

    async def _withdraw(self, client: Client, run_id: str) -> None:
        for attempt in range(30):
            try:
                await client.get_workflow_handle(run_id).terminate(
                    "The gateway answered 503: the start was not confirmed in time",
                    rpc_timeout=WRITE_TIMEOUT,
                )
                return
            except RPCError as err:
                if err.status == RPCStatusCode.NOT_FOUND and attempt >= 3:
                    return
                log.info("withdrawing unconfirmed run %s: %s", run_id, err.message)
            await asyncio.sleep(min(2**attempt, 30))


_BACKGROUND: set[asyncio.Task[None]] = set()


def _spawn(coroutine: Any) -> None:
    task = asyncio.ensure_future(coroutine)
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


def _new_run(run_id: str, execution_run_id: str, summary: RunSummary) -> NewRun:
    return NewRun(
        id=run_id,
        execution_run_id=execution_run_id,
        workflow=summary.entry_id,
        title=summary.title,
        environment=summary.environment,
        namespace=summary.namespace,
        requester=summary.requester.subject,
        requester_name=summary.requester.name,
        client=summary.client,
        request_digest=summary.digest,
        inputs=summary.inputs,
        created_at=summary.requested_at or datetime.now(UTC),
    )


def _summary_of(recorded: LedgerRun) -> RunSummary:
    return RunSummary(
        entry_id=recorded.workflow,
        title=recorded.title,
        environment=recorded.environment,
        namespace=recorded.namespace,
        inputs=recorded.inputs,
        requester=Identity(subject=recorded.requester, name=recorded.requester_name),
        client=recorded.client,
        digest=recorded.request_digest,
        requested_at=recorded.created_at,
    )


def _reason(err: BaseException) -> str:
    return str(err)[:500]
