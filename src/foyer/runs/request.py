"""The RouterWorkflow's input for a validated request: what the gateway signs and starts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from foyer.catalog import Entry, Target
from foyer.contracts import Identity, RouterRequest
from foyer.signing import Signer, start_content


def router_request(
    entry: Entry,
    target: Target,
    inputs: dict[str, Any],
    requester: Identity,
    *,
    run_id: str,
    signer: Signer,
    client: str,
    requested_at: datetime,
) -> RouterRequest:
    """A signed request to run ``entry`` in ``target``; its timeout covers approval and work."""
    timeout = entry.approval_for(target.environment).timeout_seconds + entry.timeout_seconds
    return RouterRequest(
        run_id=run_id,
        entry_id=entry.id,
        workflow_type=entry.workflow_type,
        namespace=target.namespace,
        endpoint=target.nexus_endpoint,
        environment=target.environment,
        inputs=inputs,
        requester=requester,
        token=signer.sign(
            requester,
            act="start",
            run=run_id,
            entry=entry.id,
            content=start_content(target.environment, inputs),
        ),
        client=client,
        requested_at=requested_at,
        timeout_seconds=timeout,
    )
