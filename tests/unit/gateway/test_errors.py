"""Each domain error maps to one status and the one error body, once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field
from temporalio.service import RPCError, RPCStatusCode

from foyer import errors
from foyer.catalog import EntryNotFound, FieldError, InputError, UnknownEnvironment
from foyer.gateway import create_app
from foyer.gateway import errors as gateway_errors
from foyer.settings import Settings

TRANSPORT = (
    "Failed client connect: Server connection error: tonic::transport::Error(Transport, "
    'ConnectError(ConnectError("tcp connect error", 127.0.0.1:7233, Os { code: 111 })))'
)


def unavailable_from(cause: BaseException, message: str) -> errors.Unavailable:
    try:
        raise cause
    except BaseException as err:
        try:
            raise errors.Unavailable(message) from err
        except errors.Unavailable as wrapped:
            return wrapped


RAISED: dict[str, Callable[[], BaseException]] = {
    "invalid": lambda: errors.Invalid(
        [("Idempotency-Key", "must be at most 200 characters"), ("comment", "is too long")]
    ),
    "unauthenticated": lambda: errors.Unauthenticated("This API key is not valid", "Authorization"),
    "forbidden": lambda: errors.Forbidden("You may not approve this run"),
    "not-found": lambda: gateway_errors.RunNotFound("run-123"),
    "conflict": lambda: errors.Conflict("The run is not awaiting approval"),
    "too-large": lambda: errors.TooLarge("`comment` is longer than 4000 characters", "comment"),
    "unavailable": lambda: errors.Unavailable("Nexus endpoint `x` does not exist", retry_after=7),
    "unavailable-transport": lambda: unavailable_from(
        RuntimeError(TRANSPORT), f"Temporal is unreachable: {TRANSPORT}"
    ),
    "unavailable-deadline": lambda: unavailable_from(
        RPCError("deadline exceeded; tonic::Status", RPCStatusCode.DEADLINE_EXCEEDED, b""),
        "Temporal did not answer: deadline exceeded; tonic::Status",
    ),
    "unavailable-timeout": lambda: unavailable_from(TimeoutError(), "Temporal did not answer"),
    "rpc": lambda: RPCError(TRANSPORT, RPCStatusCode.UNAVAILABLE, b""),
    "timeout": lambda: TimeoutError(),
    "entry": lambda: EntryNotFound("delete-tabel", "delete-table"),
    "environment": lambda: UnknownEnvironment("delete-table", "qa", ["prod", "stage"]),
    "inputs": lambda: InputError([FieldError("table_name", "is required"), FieldError("", "x")]),
    "bug": lambda: ZeroDivisionError("secret internals"),
}


class Strict(BaseModel):
    """A request model as the API declares them: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    workflow: str
    environment: str | None = None
    comment: str = Field(default="", max_length=10)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    app = create_app(settings)

    @app.get("/test/raise/{kind}")
    async def raise_(kind: str) -> None:
        raise RAISED[kind]()

    @app.post("/test/strict")
    async def strict(body: Strict) -> Strict:
        return body

    return app


@pytest.fixture
def raw(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def body(*errors: tuple[str, str]) -> dict[str, list[dict[str, str]]]:
    return {"errors": [{"field": field, "message": message} for field, message in errors]}


@pytest.mark.parametrize(
    ("kind", "status", "headers", "expected"),
    [
        (
            "invalid",
            422,
            {},
            body(("Idempotency-Key", "must be at most 200 characters"), ("comment", "is too long")),
        ),
        (
            "unauthenticated",
            401,
            {"www-authenticate": "Bearer"},
            body(("Authorization", "This API key is not valid")),
        ),
        ("forbidden", 403, {}, body(("", "You may not approve this run"))),
        ("not-found", 404, {}, body(("id", "Run `run-123` does not exist"))),
        ("conflict", 409, {}, body(("", "The run is not awaiting approval"))),
        ("too-large", 413, {}, body(("comment", "`comment` is longer than 4000 characters"))),
        (
            "unavailable",
            503,
            {"retry-after": "7"},
            body(("", "Nexus endpoint `x` does not exist")),
        ),
        ("unavailable-transport", 503, {}, body(("", "Temporal is unreachable"))),
        ("unavailable-deadline", 503, {}, body(("", "Temporal did not answer in time"))),
        # Written for the caller, without the cause's detail: kept as it is.
        ("unavailable-timeout", 503, {}, body(("", "Temporal did not answer"))),
        ("rpc", 503, {}, body(("", "Temporal is unreachable"))),
        ("timeout", 503, {}, body(("", "Temporal did not answer in time"))),
        (
            "entry",
            404,
            {},
            body(
                (
                    "workflow",
                    "Workflow `delete-tabel` is not in the catalog; did you mean `delete-table`?",
                )
            ),
        ),
        (
            "environment",
            422,
            {},
            body(
                (
                    "environment",
                    "Workflow `delete-table` has no environment `qa`; choose one of: prod, stage",
                )
            ),
        ),
        ("inputs", 422, {}, body(("inputs.table_name", "is required"), ("inputs", "x"))),
        ("bug", 500, {}, body(("", "Internal error; the gateway log has the details"))),
    ],
)
def test_each_error_maps_to_one_status_and_body(
    raw: TestClient, kind: str, status: int, headers: dict[str, str], expected: object
) -> None:
    response = raw.get(f"/test/raise/{kind}")
    assert response.status_code == status
    assert response.json() == expected
    for name, value in headers.items():
        assert response.headers[name] == value
    if "retry-after" not in headers:
        assert "retry-after" not in response.headers


def test_transport_detail_goes_to_the_log_not_the_caller(
    raw: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="foyer.gateway"):
        response = raw.get("/test/raise/unavailable-transport")
    assert "tonic" not in response.text
    assert "tonic::transport::Error" in caplog.text


def test_a_bug_is_logged_and_hidden(raw: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="foyer.gateway"):
        response = raw.get("/test/raise/bug")
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "secret internals" in caplog.text


def test_unknown_field_names_it_and_suggests_the_closest(raw: TestClient) -> None:
    response = raw.post("/test/strict", json={"workflow": "x", "env": "stage"})
    assert response.status_code == 422
    assert response.json() == body(
        ("env", "is not a field of the request; did you mean `environment`?")
    )


def test_unknown_field_without_a_close_match(raw: TestClient) -> None:
    response = raw.post("/test/strict", json={"workflow": "x", "colour": "blue"})
    assert response.json() == body(("colour", "is not a field of the request"))


def test_pydantic_errors_read_like_the_catalog_s(raw: TestClient) -> None:
    response = raw.post("/test/strict", json={"workflow": 3, "comment": "x" * 11})
    assert response.status_code == 422
    assert response.json() == body(
        ("workflow", "must be a string"), ("comment", "must be at most 10 characters")
    )
    missing = raw.post("/test/strict", json={})
    assert missing.json() == body(("workflow", "is required"))


def test_names_stay_importable_as_domain_errors() -> None:
    assert gateway_errors.GatewayError is errors.FoyerError
    for name in ("Unauthenticated", "Forbidden", "Conflict", "Unavailable"):
        assert getattr(gateway_errors, name) is getattr(errors, name)
    assert issubclass(gateway_errors.RunNotFound, errors.NotFound)
    assert gateway_errors.RunNotFound("run-1").run_id == "run-1"


def test_an_unmapped_domain_error_is_a_client_error() -> None:
    class Odd(errors.FoyerError):
        pass

    assert gateway_errors.status_of(Odd("x")) == 400
    assert gateway_errors.status_of(gateway_errors.RunNotFound("r")) == 404
