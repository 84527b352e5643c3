"""Gateway errors and their one mapping to HTTP.

Every error body has one shape, ``{"errors": [{"field": ..., "message": ...}]}``;
no handler ever returns a stack trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from foyer import errors
from foyer.catalog import EntryNotFound, InputError, UnknownEnvironment

log = logging.getLogger("foyer.gateway")


GatewayError = errors.FoyerError
Unauthenticated = errors.Unauthenticated
Forbidden = errors.Forbidden
Conflict = errors.Conflict
Unavailable = errors.Unavailable

STATUS: dict[type[errors.FoyerError], int] = {
    errors.Invalid: 422,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooLarge: 413,
    errors.Unavailable: 503,
}
"""The one HTTP status of each domain error."""


def status_of(err: errors.FoyerError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(*errors: tuple[str, str]) -> dict[str, list[dict[str, str]]]:
    return {"errors": [{"field": field, "message": message} for field, message in errors]}


def _respond(
    status: int, *errors: tuple[str, str], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(*errors), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.FoyerError)
    async def foyer_error(request: Request, err: errors.FoyerError) -> JSONResponse:
        headers = {}
        if isinstance(err, errors.Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(err, errors.Unavailable) and err.retry_after is not None:
            headers["Retry-After"] = str(err.retry_after)
        problems = err.problems if isinstance(err, errors.Invalid) else [(err.field, err.message)]
        return _respond(status_of(err), *problems, headers=headers)

    @app.exception_handler(EntryNotFound)
    async def entry_not_found(request: Request, err: EntryNotFound) -> JSONResponse:
        return _respond(404, ("workflow", str(err)))

    @app.exception_handler(UnknownEnvironment)
    async def unknown_environment(request: Request, err: UnknownEnvironment) -> JSONResponse:
        return _respond(422, ("environment", str(err)))

    @app.exception_handler(InputError)
    async def input_error(request: Request, err: InputError) -> JSONResponse:
        fields = (("inputs." + e.field if e.field else "inputs", e.message) for e in err.errors)
        return _respond(422, *fields)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        fields = []
        for error in err.errors():
            location = [str(part) for part in error.get("loc", ()) if part != "body"]
            fields.append((".".join(location), str(error.get("msg", "is invalid"))))
        return _respond(422, *fields)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        return _respond(err.status_code, ("", str(err.detail)))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(500, ("", "Internal error; the gateway log has the details"))
