"""An OpenAPI document that says what the gateway really does, and its docs page.

FastAPI's generated document is completed here: the one error body declared
for every status each operation can answer, the bearer scheme instead of a
free ``Authorization`` header parameter, stable operation ids and request
examples taken from the catalog. ``/docs`` serves Swagger UI from assets in
the installed package, so it works offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from foyer.catalog import Catalog
from foyer.gateway.errors import ErrorBody
from foyer.gateway.middleware import CLIENT_HEADER, CLIENT_TOKEN

BEARER = "apiKey"
"""Name of the security scheme: ``Authorization: Bearer <API key>``."""

DOCS_ASSETS = "/docs/assets"

ERRORS: dict[str, tuple[int, ...]] = {
    "listCatalog": (401, 422),
    "getCatalogEntry": (401, 404, 422),
    "getSnippets": (401, 404, 422),
    "submitRun": (401, 403, 404, 409, 413, 422, 503),
    "getRun": (401, 404, 422, 503),
    "approveRun": (401, 403, 404, 409, 413, 422, 503),
    "rejectRun": (401, 403, 404, 409, 413, 422, 503),
    "cancelRun": (401, 403, 404, 409, 413, 422, 503),
    "getMe": (401, 422),
    "listRuns": (401, 422, 503),
    "listApprovals": (401, 422, 503),
    "countApprovals": (401, 503),
    "adminListUsers": (401, 403, 422),
    "adminAddUser": (401, 403, 409, 413, 422),
    "adminGetUser": (401, 403, 404, 422),
    "adminSetGroups": (401, 403, 404, 413, 422),
    "adminListKeys": (401, 403, 404, 422),
    "adminCreateKey": (401, 403, 404, 413, 422),
    "adminRevokeKey": (401, 403, 404, 422),
    "listAudit": (401, 403, 422),
    "listOptionSources": (401, 422),
    "searchOptions": (401, 403, 404, 422, 503),
    "listSchedules": (401, 422, 503),
    "getSchedule": (401, 404, 422, 503),
    "pauseSchedule": (401, 403, 404, 409, 413, 422, 503),
    "unpauseSchedule": (401, 403, 404, 409, 413, 422, 503),
    "triggerSchedule": (401, 403, 404, 409, 422, 503),
    "healthz": (),
    "readyz": (503,),
}
"""Error statuses of each operation, beyond those every operation of its kind has.

Routes not listed get the statuses their shape implies: 401 when they take an
API key, 422 when they take parameters or a body, 413 when they take a body.
"""

_MEANING = {
    401: "No valid API key: send `Authorization: Bearer <API key>`.",
    403: "The caller may not do this; the message says why.",
    404: "No such thing; the field names what was not found.",
    409: "The thing is in a state that refuses this, or the idempotency key was "
    "used for a different request.",
    413: "The request body is larger than the gateway's limit.",
    422: "The request is invalid; one error per field at fault.",
    500: "A bug in the gateway; its log has the details.",
    503: "Temporal or a Nexus endpoint did not answer; retry later "
    "(with the same idempotency key). `Retry-After` says when, if known.",
}


def operation_id(route: APIRoute) -> str:
    """A route's stable operation id: its function's name in camelCase (``submitRun``)."""
    head, *rest = route.name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def install_openapi(app: FastAPI, catalog: Catalog) -> None:
    """Complete the app's OpenAPI document and serve Swagger UI at ``/docs``."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete(document, catalog)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    _install_docs(app)


def complete(document: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Add errors, security and examples to a FastAPI-generated document."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(body.pop("$defs", {}))
    schemas["ErrorBody"] = body
    document["components"]["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key: `Authorization: Bearer <API key>`.",
        }
    }
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            _complete_operation(operation)
    submit = _operation(document, "submitRun")
    if submit is not None:
        _add_examples(submit, catalog)
        _add_repeat(submit)
        _add_run_links(submit, document)
    entry = _operation(document, "getCatalogEntry")
    if entry is not None:
        _add_entry_examples(entry, catalog)
    return document


RUN_OPERATIONS = ("getRun", "approveRun", "rejectRun", "cancelRun")


def _add_run_links(operation: dict[str, Any], document: dict[str, Any]) -> None:
    """Link a submitted run to what can be done with it, by the id in the answer."""
    links = {
        target: {"operationId": target, "parameters": {"run_id": "$response.body#/id"}}
        for target in RUN_OPERATIONS
        if _operation(document, target) is not None
    }
    for status in ("200", "201"):
        response = operation.get("responses", {}).get(status)
        if response is not None and links:
            response.setdefault("links", {}).update(links)


def _add_entry_examples(operation: dict[str, Any], catalog: Catalog) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter.get("name") == "entry_id":
            parameter["examples"] = {entry.id: {"value": entry.id} for entry in catalog.entries}


def _add_repeat(operation: dict[str, Any]) -> None:
    """Declare the 200 a repeated ``Idempotency-Key`` gets, alongside the 201 of a new run."""
    responses = operation.setdefault("responses", {})
    if "201" in responses and "200" not in responses:
        responses["200"] = {
            **responses["201"],
            "description": "The run first submitted with this `Idempotency-Key`.",
        }


def _complete_operation(operation: dict[str, Any]) -> None:
    parameters = operation.get("parameters", [])
    for parameter in parameters:
        if parameter.get("in") == "header" and parameter.get("name") == CLIENT_HEADER:
            # Whichever dependency declared it, the rule is the one `client_name` applies.
            parameter["schema"] = {"type": "string", "pattern": f"^{CLIENT_TOKEN.pattern}$"}
    authenticated = any(_is_authorization(p) for p in parameters)
    kept = [p for p in parameters if not _is_authorization(p)]
    if kept:
        operation["parameters"] = kept
    else:
        operation.pop("parameters", None)
    statuses = set(ERRORS.get(operation.get("operationId", ""), ()))
    if authenticated:
        operation["security"] = [{BEARER: []}]
        statuses.add(401)
    if kept or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses.add(413)
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        responses[str(status)] = _error_response(status, responses.get(str(status)))


def _is_authorization(parameter: dict[str, Any]) -> bool:
    return parameter.get("in") == "header" and parameter.get("name", "").lower() == "authorization"


def _error_response(status: int, existing: dict[str, Any] | None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _MEANING.get(status, "Error"),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    if existing and existing.get("description") not in (None, "", "Validation Error"):
        response["description"] = existing["description"]
    headers = {
        401: {"WWW-Authenticate": "`Bearer`"},
        503: {"Retry-After": "Seconds to wait before retrying, when known."},
    }.get(status, {})
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return response


def _operation(document: dict[str, Any], operation_id: str) -> dict[str, Any] | None:
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if operation.get("operationId") == operation_id:
                return operation
    return None


def _add_examples(operation: dict[str, Any], catalog: Catalog) -> None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return
    examples: dict[str, Any] = {}
    for entry in catalog.entries:
        for example in entry.examples:
            value: dict[str, Any] = {"workflow": entry.id, "inputs": example.inputs}
            if example.environment is not None:
                value["environment"] = example.environment
            examples[_example_key(examples, f"{entry.id}: {example.name}")] = {
                "summary": f"{entry.title}: {example.name}",
                "description": example.description,
                "value": value,
            }
    if examples:
        content["examples"] = examples


def _example_key(taken: Iterable[str], name: str) -> str:
    taken = set(taken)
    candidates = [name, *(f"{name} ({n})" for n in range(2, 1000))]
    return next(candidate for candidate in candidates if candidate not in taken)


_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({{
  url: "{openapi}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout",
}});
</script>
</body>
</html>
"""


def _install_docs(app: FastAPI) -> None:
    # Swagger UI's own files, shipped in a Python package: no CDN, works offline.
    assets = resources.files("fastapi_offline").joinpath("static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return HTMLResponse(
            _DOCS_PAGE.format(
                title=app.title, assets=root + DOCS_ASSETS, openapi=root + (app.openapi_url or "")
            )
        )
