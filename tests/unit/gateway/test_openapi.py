"""The OpenAPI document says what the gateway really answers; /docs works offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from foyer.catalog import Catalog
from tests.unit.gateway.conftest import DEMO_CATALOG

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}

EXPECTED = {
    ("get", "/healthz"): ("healthz", {"200"}),
    ("get", "/readyz"): ("readyz", {"200", "503"}),
    ("get", "/api/catalog"): ("listCatalog", {"200", "401", "422"}),
    ("get", "/api/catalog/{entry_id}"): ("getCatalogEntry", {"200", "401", "404", "422"}),
    ("post", "/api/runs"): (
        "submitRun",
        {"200", "201", "401", "403", "404", "409", "413", "422", "503"},
    ),
    ("get", "/api/runs/{run_id}"): ("getRun", {"200", "401", "404", "422", "503"}),
    ("post", "/api/runs/{run_id}/approve"): (
        "approveRun",
        {"200", "401", "403", "404", "409", "413", "422", "503"},
    ),
    ("post", "/api/runs/{run_id}/reject"): (
        "rejectRun",
        {"200", "401", "403", "404", "409", "413", "422", "503"},
    ),
    ("post", "/api/runs/{run_id}/cancel"): (
        "cancelRun",
        {"200", "401", "403", "404", "409", "413", "422", "503"},
    ),
    ("get", "/api/me"): ("getMe", {"200", "401", "422"}),
}


@pytest.fixture
def document(anonymous: TestClient) -> dict[str, Any]:
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_operation_ids_are_stable_names(document: dict[str, Any]) -> None:
    found = {key: op["operationId"] for key, op in operations(document).items()}
    expected = {key: operation_id for key, (operation_id, _) in EXPECTED.items()}
    assert {key: found.get(key) for key in expected} == expected


def test_every_error_status_is_declared_with_the_error_body(document: dict[str, Any]) -> None:
    for key, operation in operations(document).items():
        if key not in EXPECTED:
            continue
        _, statuses = EXPECTED[key]
        assert set(operation["responses"]) == statuses, key
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == ERROR_BODY, key
                assert response["description"], key


def test_error_body_schema_is_the_real_one(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorBody"]["required"] == ["errors"]
    assert schemas["ErrorBody"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/ErrorDetail"
    }
    assert set(schemas["ErrorDetail"]["required"]) == {"field", "message"}
    assert "HTTPValidationError" not in schemas


def test_a_repeated_submission_is_declared(document: dict[str, Any]) -> None:
    responses = operations(document)[("post", "/api/runs")]["responses"]
    assert responses["200"]["content"] == responses["201"]["content"]
    assert "Idempotency-Key" in responses["200"]["description"]


def test_unauthorised_answers_declare_www_authenticate(document: dict[str, Any]) -> None:
    unauthorised = operations(document)[("get", "/api/me")]["responses"]["401"]
    assert "WWW-Authenticate" in unauthorised["headers"]
    unavailable = operations(document)[("post", "/api/runs")]["responses"]["503"]
    assert "Retry-After" in unavailable["headers"]


def test_bearer_scheme_instead_of_an_authorization_parameter(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"] == {
        "apiKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key: `Authorization: Bearer <API key>`.",
        }
    }
    for (method, path), operation in operations(document).items():
        names = [p["name"].lower() for p in operation.get("parameters", [])]
        assert "authorization" not in names
        if path == "/api/session":  # signing in and out need no credentials
            assert operation["security"] == [], (method, path)
        elif path.startswith("/api/"):
            assert operation["security"] == [{"apiKey": []}], (method, path)
        else:
            assert "security" not in operation


def test_client_header_is_documented_on_every_api_operation(document: dict[str, Any]) -> None:
    for (_, path), operation in operations(document).items():
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("X-Foyer-Client" in headers) == path.startswith("/api/"), path
        if path.startswith("/api/"):
            assert headers["X-Foyer-Client"]["schema"] == {
                "type": "string",
                "pattern": "^[A-Za-z0-9._-]{1,40}$",
            }


def test_a_submitted_run_links_to_what_can_be_done_with_it(document: dict[str, Any]) -> None:
    responses = operations(document)[("post", "/api/runs")]["responses"]
    for status in ("200", "201"):
        links = responses[status]["links"]
        assert set(links) == {"getRun", "approveRun", "rejectRun", "cancelRun"}
        assert links["getRun"] == {
            "operationId": "getRun",
            "parameters": {"run_id": "$response.body#/id"},
        }


def test_catalog_entry_ids_are_examples(document: dict[str, Any]) -> None:
    (entry_id,) = operations(document)[("get", "/api/catalog/{entry_id}")]["parameters"][:1]
    assert entry_id["name"] == "entry_id"
    entries = Catalog.load(DEMO_CATALOG).entries
    assert entry_id["examples"] == {entry.id: {"value": entry.id} for entry in entries}


def test_submit_examples_come_from_the_catalog(document: dict[str, Any]) -> None:
    content = operations(document)[("post", "/api/runs")]["requestBody"]["content"]
    examples = content["application/json"]["examples"]
    entries = Catalog.load(DEMO_CATALOG).entries
    assert [(e["value"]["workflow"], e["value"]["inputs"]) for e in examples.values()] == [
        (entry.id, example.inputs) for entry in entries for example in entry.examples
    ]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_page_uses_only_local_assets(anonymous: TestClient) -> None:
    page = anonymous.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert not re.search(r"https?://|//[a-z]", page.text)
    links = _Links()
    links.feed(page.text)
    assert len(links.urls) == 3
    for url in links.urls:
        assert url.startswith("/docs/assets/"), url
        asset = anonymous.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
    assert 'url: "/openapi.json"' in page.text


def test_docs_bundle_renders_openapi_3_1(anonymous: TestClient) -> None:
    # Swagger UI before 5 cannot render OpenAPI 3.1, which FastAPI generates.
    bundle = anonymous.get("/docs/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    assert re.search(r'"5\.\d+\.\d+"', bundle)


def test_docs_need_no_api_key(anonymous: TestClient) -> None:
    assert anonymous.get("/openapi.json").status_code == 200
    assert anonymous.get("/docs").status_code == 200
