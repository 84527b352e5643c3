"""The team's Nexus service, generated from its catalog entries."""

from __future__ import annotations

from pathlib import Path

import nexusrpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from foyer.catalog import Catalog
from foyer.contracts import StartRequest
from foyer.contracts.names import CONTROL_SERVICE, WORKFLOWS_SERVICE
from foyer.publish.control import ControlServiceHandler
from foyer.publish.handler import build_workflows_handler
from foyer.signing import Verifier

CATALOG = Path(__file__).resolve().parents[3] / "examples" / "catalog"


def test_one_operation_per_workflow_type_taking_a_start_request() -> None:
    entries = Catalog.load(CATALOG).for_namespace("cloud-ops")
    handler = build_workflows_handler(
        entries, Verifier([Ed25519PrivateKey.generate().public_key()])
    )

    definition = nexusrpc.get_service_definition(type(handler))
    assert definition is not None
    assert definition.name == WORKFLOWS_SERVICE
    assert sorted(definition.operation_definitions) == sorted(e.workflow_type for e in entries)
    for operation in definition.operation_definitions.values():
        assert operation.input_type is StartRequest


def test_control_service_serves_decide_and_cancel() -> None:
    definition = nexusrpc.get_service_definition(ControlServiceHandler)
    assert definition is not None
    assert definition.name == CONTROL_SERVICE
    assert sorted(definition.operation_definitions) == ["cancel", "decide"]
