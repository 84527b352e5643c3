"""The team side of option fields: before a start, every option field's value must be
one of the current options of the team's own inventory (asked with a Query)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from nexusrpc import HandlerError, HandlerErrorType
from temporalio import nexus
from temporalio.client import WorkflowQueryFailedError, WorkflowQueryRejectedError
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import Entry, OptionField, OptionSource
from foyer.contracts.names import OPTIONS_CONTAINS_QUERY
from foyer.contracts.options import ContainsAnswer, ContainsRequest
from foyer.options.check import check_inputs

QUERY_TIMEOUT = timedelta(seconds=3)
"""Well within the time a Nexus start handler has to answer."""


async def refuse_unknown_options(
    entry: Entry,
    environment: str,
    inputs: Mapping[str, Any],
    sources: Mapping[str, OptionSource],
) -> None:
    """Refuse the start (non-retryable) if an option field holds a value that is not a
    current option; ask again later (retryable) if the inventory cannot answer now.

    Raises:
        HandlerError: ``BAD_REQUEST`` naming each field, or ``UNAVAILABLE``.
    """
    client = nexus.client()

    async def contains(option: OptionField, value: str, params: dict[str, str]) -> bool:
        source = sources[option.source]
        workflow_id = source.target(environment).workflow_id
        handle = client.get_workflow_handle(workflow_id)
        try:
            answer: ContainsAnswer = await handle.query(
                OPTIONS_CONTAINS_QUERY,
                ContainsRequest(value=value, params=params),
                result_type=ContainsAnswer,
                rpc_timeout=QUERY_TIMEOUT,
            )
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise HandlerError(
                    f"Cannot check `{option.field}`: no inventory workflow `{workflow_id}` runs "
                    f"in namespace `{client.namespace}` for option source `{source.name}`",
                    type=HandlerErrorType.BAD_REQUEST,
                    retryable_override=False,
                ) from err
            raise _later(source, str(err.message)) from err
        except (WorkflowQueryFailedError, WorkflowQueryRejectedError) as err:
            raise _later(source, str(err)) from err
        if not answer.ready:
            raise _later(source, "it is still reading its first list")
        return answer.found

    problems = await check_inputs(entry, inputs, contains)
    if problems:
        details = "; ".join(f"{field}: {message}" for field, message in problems)
        raise HandlerError(
            f"Invalid inputs for `{entry.id}`: {details}",
            type=HandlerErrorType.BAD_REQUEST,
            retryable_override=False,
        )


def _later(source: OptionSource, why: str) -> HandlerError:
    return HandlerError(
        f"The inventory of option source `{source.name}` cannot answer now: {why}",
        type=HandlerErrorType.UNAVAILABLE,
        retryable_override=True,
    )
