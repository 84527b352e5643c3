"""What an insider with write access to the gateway namespace can do, as helpers."""

from __future__ import annotations

from typing import Any

from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from foyer.contracts import RouterRequest
from foyer.devstack import Stack
from foyer.signing import Signer, load_private_key


def gateway_signer(stack: Stack) -> Signer:
    """The gateway's own signer: what a thief of its key could sign (tests only)."""
    return Signer(load_private_key(stack.settings.signing_key_file))


def decode(payload: Payload, cls: type[Any]) -> Any:
    return pydantic_data_converter.payload_converter.from_payloads([payload], [cls])[0]


async def router_input(client: Client, run_id: str) -> RouterRequest:
    """The RouterRequest of a run, as anyone who can read the gateway namespace sees it."""
    async for event in client.get_workflow_handle(run_id).fetch_history_events():
        started = event.workflow_execution_started_event_attributes
        return decode(started.input.payloads[0], RouterRequest)  # type: ignore[no-any-return]
    raise AssertionError(f"{run_id} has no history")


async def update_inputs(client: Client, run_id: str, name: str, cls: type[Any]) -> list[Any]:
    """The arguments of every accepted Update called ``name`` in a run's router history."""
    found = []
    async for event in client.get_workflow_handle(run_id).fetch_history_events():
        accepted = event.workflow_execution_update_accepted_event_attributes
        if accepted.accepted_request.input.name == name:
            found.append(decode(accepted.accepted_request.input.args.payloads[0], cls))
    return found
