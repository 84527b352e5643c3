"""The gateway's one mapping from errors to HTTP responses.

Every error body has one shape, ``{"errors": [{"field": ..., "message": ...}]}``.
Each :mod:`foyer.errors` class and each catalog error maps to one status,
here and nowhere else; bad input is always a 4xx naming the field, and no
response ever carries a stack trace or a transport's internals.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from temporalio.service import RPCError, RPCStatusCode

from foyer.catalog import EntryNotFound, InputError, UnknownEnvironment
from foyer.catalog._messages import did_you_mean
from foyer.errors import (
    Conflict,
    Forbidden,
    FoyerError,
    Invalid,
    NotFound,
    TooLarge,
    Unauthenticated,
    Unavailable,
)
from foyer.runs import RunNotFound

__all__ = [
    "STATUS",
    "Conflict",
    "ErrorBody",
    "ErrorDetail",
    "Forbidden",
    "GatewayError",
    "Invalid",
    "NotFound",
    "RunNotFound",
    "TooLarge",
    "Unauthenticated",
    "Unavailable",
    "error_body",
    "error_response",
    "install_error_handlers",
]

log = logging.getLogger("foyer.gateway")

GatewayError = FoyerError
"""The root of the errors the gateway maps; an alias kept for older imports."""


STATUS: dict[type[FoyerError], int] = {
    Invalid: 422,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Unavailable: 503,
}
"""The HTTP status of each domain error class (subclasses inherit theirs)."""


class ErrorDetail(BaseModel):
    """One thing wrong with a request."""

    field: str = Field(
        description="The request field at fault: a body field as a dotted path "
        '(`inputs.table_name`), a header (`Idempotency-Key`), or `""` when no '
        "single field is.",
        examples=["inputs.table_name"],
    )
    message: str = Field(
        description="What is wrong and how to fix it.",
        examples=["must match pattern ^[A-Za-z0-9_.-]{3,255}$"],
    )


class ErrorBody(BaseModel):
    """The body of every error response."""

    errors: list[ErrorDetail] = Field(min_length=1)


def error_body(*errors: tuple[str, str]) -> dict[str, list[dict[str, str]]]:
    """The error body for ``(field, message)`` pairs."""
    return {"errors": [{"field": field, "message": message} for field, message in errors]}


def error_response(
    status: int, errors: Iterable[tuple[str, str]], headers: dict[str, str] | None = None
) -> JSONResponse:
    """A JSON error response; at least one error is always reported."""
    listed = list(errors) or [("", "The request could not be served")]
    return JSONResponse(error_body(*listed), status_code=status, headers=headers)


def status_of(err: FoyerError) -> int:
    """The status of ``err``'s class or its nearest mapped ancestor; 400 when none is."""
    return next((STATUS[cls] for cls in type(err).__mro__ if cls in STATUS), 400)


def foyer_response(err: FoyerError) -> JSONResponse:
    """The response for a domain error."""
    status = status_of(err)
    headers: dict[str, str] = {}
    problems: list[tuple[str, str]] = [(err.field, err.message)]
    if isinstance(err, Invalid) and err.problems:
        problems = list(err.problems)
    elif isinstance(err, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    elif isinstance(err, Unavailable):
        problems = [(err.field, public_message(err))]
        if err.retry_after is not None:
            headers["Retry-After"] = str(err.retry_after)
    return error_response(status, problems, headers or None)


def public_message(err: Unavailable) -> str:
    """What a caller may read about an outage; the detail goes to the log.

    A message written for the caller is kept. One that quotes the transport or
    RPC failure that caused it becomes a plain sentence: gRPC and Rust
    transport errors (``tonic::transport::Error…``) say nothing a caller can
    act on and reveal the gateway's internals.
    """
    cause = err.__cause__
    if cause is None or isinstance(cause, FoyerError) or not str(cause):
        return err.message
    if str(cause) not in err.message:
        return err.message
    log.warning("%s (%s)", err.message, type(cause).__name__)
    return temporal_problem(cause)


def temporal_problem(cause: BaseException) -> str:
    """A caller-safe sentence for a failure talking to Temporal."""
    if isinstance(cause, TimeoutError) or (
        isinstance(cause, RPCError) and cause.status == RPCStatusCode.DEADLINE_EXCEEDED
    ):
        return "Temporal did not answer in time"
    if isinstance(cause, RPCError) and cause.status not in (
        RPCStatusCode.UNAVAILABLE,
        RPCStatusCode.UNKNOWN,
        RPCStatusCode.CANCELLED,
    ):
        return "Temporal could not serve the request"
    return "Temporal is unreachable"


# --- request validation: FastAPI/pydantic errors, in the same words as the catalog's ---

_TYPES = {
    "string_type": "must be a string",
    "string_unicode": "must be a string",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be a boolean",
    "bool_parsing": "must be a boolean",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be an array",
}


def validation_problems(
    errors: Sequence[Any], body: Any = None, route: Any = None
) -> list[tuple[str, str]]:
    """``(field, message)`` for each error FastAPI found in a request."""
    found: dict[tuple[str, str], None] = {}
    for error in errors:
        found.setdefault(_problem(error, body, route), None)
    return list(found)


def _problem(error: Any, body: Any, route: Any) -> tuple[str, str]:
    kind = str(error.get("type", ""))
    loc = tuple(error.get("loc", ()))
    where, path = (loc[0], loc[1:]) if loc else ("body", ())
    ctx = error.get("ctx") or {}
    if kind == "json_invalid":
        return "", _json_message(str(ctx.get("error", "")), body, path)
    if where == "body":
        field = ".".join(str(part) for part in path)
    else:  # a header, query or path parameter, by its name
        field = str(path[0]) if path else str(where)
    if kind == "extra_forbidden" and path:
        known = _known_fields(route, path[:-1])
        return field, "is not a field of the request" + did_you_mean(str(path[-1]), known)
    if kind == "missing":
        return field, "is required" if path or where != "body" else "a JSON body is required"
    if where == "body" and not path and isinstance(error.get("input"), bytes | bytearray):
        return field, "must be a JSON object sent with `Content-Type: application/json`"
    if kind in _TYPES:
        return field, _TYPES[kind]
    if kind in ("string_too_long", "too_long") and "max_length" in ctx:
        unit = "character" if kind == "string_too_long" else "item"
        return field, f"must be at most {_count(ctx['max_length'], unit)}"
    if kind in ("string_too_short", "too_short") and "min_length" in ctx:
        unit = "character" if kind == "string_too_short" else "item"
        return field, f"must be at least {_count(ctx['min_length'], unit)}"
    if kind == "string_pattern_mismatch" and "pattern" in ctx:
        return field, f"must match pattern {ctx['pattern']}"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return field, f"must be {ctx['expected']}"
    return field, str(error.get("msg", "is invalid"))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _json_message(reason: str, body: Any, path: tuple[Any, ...]) -> str:
    position = path[0] if path and isinstance(path[0], int) else None
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", "replace")
    if position is None or not isinstance(body, str):
        return f"Malformed JSON: {reason or 'cannot be parsed'}"
    line = body.count("\n", 0, position) + 1
    column = position - (body.rfind("\n", 0, position) + 1) + 1
    return f"Malformed JSON at line {line}, column {column}: {reason}"


def _known_fields(route: Any, path: tuple[Any, ...]) -> list[str]:
    """The field names of the body model at ``path``, for a "did you mean" hint."""
    field = getattr(route, "body_field", None)
    model = _model_of(getattr(getattr(field, "field_info", None), "annotation", None))
    for part in path:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return []
        model = _model_of(model.model_fields[part].annotation)
    return [] if model is None else list(model.model_fields)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, (_model_of(arg) for arg in get_args(annotation))), None)


# --- the handlers ---


def install_error_handlers(app: FastAPI) -> None:
    """Map every error the gateway can raise to the one error body."""

    @app.exception_handler(FoyerError)
    async def foyer_error(request: Request, err: FoyerError) -> JSONResponse:
        return foyer_response(err)

    @app.exception_handler(EntryNotFound)
    async def entry_not_found(request: Request, err: EntryNotFound) -> JSONResponse:
        return error_response(404, [("workflow", str(err))])

    @app.exception_handler(UnknownEnvironment)
    async def unknown_environment(request: Request, err: UnknownEnvironment) -> JSONResponse:
        return error_response(422, [("environment", str(err))])

    @app.exception_handler(InputError)
    async def input_error(request: Request, err: InputError) -> JSONResponse:
        fields = (("inputs." + e.field if e.field else "inputs", e.message) for e in err.errors)
        return error_response(422, fields)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        problems = validation_problems(err.errors(), err.body, request.scope.get("route"))
        return error_response(422, problems)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        # Starlette's own errors: 404 for an unknown path, 405 with `Allow`, ...
        message = str(err.detail)
        if err.status_code == 404 and message == "Not Found":
            message = f"There is nothing at {request.url.path}"
        elif err.status_code == 405:
            allowed = (err.headers or {}).get("Allow", "")
            message = f"{request.method} is not allowed on {request.url.path}; use {allowed}"
        return error_response(err.status_code, [("", message)], dict(err.headers or {}))

    @app.exception_handler(RPCError)
    async def temporal_error(request: Request, err: RPCError) -> JSONResponse:
        log.warning("Temporal failed on %s %s: %s", request.method, request.url.path, err)
        return error_response(503, [("", temporal_problem(err))])

    @app.exception_handler(TimeoutError)
    async def timed_out(request: Request, err: TimeoutError) -> JSONResponse:
        log.warning("timed out on %s %s", request.method, request.url.path)
        return error_response(503, [("", "Temporal did not answer in time")])

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, [("", "Internal error; the gateway log has the details")])
