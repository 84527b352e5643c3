"""A team workflow reads its inputs as its own model."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from temporalio.exceptions import ApplicationError

from foyer.contracts import Identity, WorkflowRequest
from foyer.contracts.names import INPUTS_MISMATCH


class Resize(BaseModel):
    identifier: str
    size: int
    dry_run: bool = True


def request(**inputs: object) -> WorkflowRequest:
    return WorkflowRequest(
        run_id="run-1",
        entry_id="resize-db",
        environment="prod",
        inputs=inputs,
        requester=Identity(subject="ada@example.com"),
    )


def test_inputs_that_fit_become_the_model() -> None:
    assert request(identifier="orders", size=2).inputs_as(Resize) == Resize(
        identifier="orders", size=2, dry_run=True
    )


def test_a_mismatch_fails_the_run_for_good_naming_each_field() -> None:
    with pytest.raises(ApplicationError) as caught:
        request(identifier="orders", size="large").inputs_as(Resize)
    error = caught.value
    assert error.type == INPUTS_MISMATCH
    assert error.non_retryable is True
    assert error.message == (
        "The inputs of `resize-db` do not fit Resize: "
        "size: Input should be a valid integer, unable to parse string as an integer. "
        "The catalog entry's schema and the workflow's model disagree; fix one of them."
    )


def test_a_missing_field_is_named() -> None:
    with pytest.raises(ApplicationError, match=r"identifier: Field required"):
        request(size=1).inputs_as(Resize)
