"""Bad input gets a clear 4xx naming the field, never a 5xx, whatever the bytes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from foyer.errors import Invalid
from foyer.gateway.middleware import client_name, json_problems

JSON = {"content-type": "application/json"}
NOT_UNICODE = "is not valid Unicode text (invalid UTF-8, or a lone surrogate such as \\ud800)"


def errors_of(response: object) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in response.json()["errors"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"workflow": "\\ud800"}', "workflow"),
        (b'{"workflow": "x", "inputs": {"table_name": "orders\\udfff"}}', "inputs.table_name"),
        (b'{"workflow": "x", "inputs": {"tags": ["ok", "\\ud83d"]}}', "inputs.tags.1"),
        (b'{"workflow": "x", "environment": "pr\\ud800od"}', "environment"),
        (b'{"workflow": "x", "inputs": {"\\ud800": 1}}', "inputs"),
    ],
)
def test_a_lone_surrogate_anywhere_is_422_naming_the_field(
    client: TestClient, body: bytes, field: str
) -> None:
    response = client.post("/api/runs", content=body, headers=JSON)
    assert response.status_code == 422
    message = NOT_UNICODE if field != "inputs" else f"has a key that {NOT_UNICODE}"
    assert errors_of(response) == [(field, message)]


def test_a_lone_surrogate_in_a_decision_comment(client: TestClient) -> None:
    response = client.post(
        "/api/runs/run-1/approve", content=b'{"comment": "ok \\udc00"}', headers=JSON
    )
    assert response.status_code == 422
    assert errors_of(response) == [("comment", NOT_UNICODE)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"workflow": "orders\xff"}', "workflow"),  # a byte that never occurs in UTF-8
        (b'{"workflow": "x", "inputs": {"a": "\xc3"}}', "inputs.a"),  # truncated sequence
        (b'{"workflow": "x", "inputs": {"a": "\xed\xa0\x80"}}', "inputs.a"),  # encoded surrogate
        (b'{"workflow": "x", "inputs": {"a": "\xc0\xaf"}}', "inputs.a"),  # overlong "/"
    ],
)
def test_invalid_utf8_is_422_naming_the_field(client: TestClient, body: bytes, field: str) -> None:
    response = client.post("/api/runs", content=body, headers=JSON)
    assert response.status_code == 422
    assert errors_of(response) == [(field, NOT_UNICODE)]


def test_valid_unicode_passes_the_check() -> None:
    assert json_problems('{"a": "héllo 😀 \\ud83d\\ude00"}'.encode()) == []


def test_malformed_json_names_line_and_column(client: TestClient) -> None:
    body = b'{\n  "workflow": "delete-dynamodb-table",\n  "inputs": {"a": 1,}\n}'
    response = client.post("/api/runs", content=body, headers=JSON)
    assert response.status_code == 422
    assert errors_of(response) == [
        (
            "",
            "Malformed JSON at line 3, column 21: "
            "Expecting property name enclosed in double quotes",
        )
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"workflow": NaN}', "Malformed JSON: NaN is not a JSON number"),
        (b'{"workflow": -Infinity}', "Malformed JSON: -Infinity is not a JSON number"),
        (b'{"workflow": 1e999}', "Malformed JSON: 1e999 is out of range for a number"),
        (b'{"workflow": 1' + b"0" * 5000 + b"}", "Malformed JSON: a number has too many digits"),
        (b"[" * 5000 + b"]" * 5000, "The body nests deeper than 32 levels"),
    ],
)
def test_what_python_would_accept_but_json_does_not(
    client: TestClient, body: bytes, message: str
) -> None:
    response = client.post("/api/runs", content=body, headers=JSON)
    assert response.status_code == 422
    assert errors_of(response) == [("", message)]


def test_a_byte_order_mark_is_ignored(client: TestClient) -> None:
    response = client.post("/api/runs", content=b"\xef\xbb\xbf{}", headers=JSON)
    assert errors_of(response) == [("workflow", "is required")]


def test_nesting_is_bounded() -> None:
    shallow = b'{"a":' * 32 + b"1" + b"}" * 32
    deep = b'{"a":' * 33 + b"1" + b"}" * 33
    assert json_problems(shallow) == []
    assert json_problems(deep) == [(".".join(["a"] * 33), "nests deeper than 32 levels")]


def test_unknown_top_level_fields_are_refused_with_a_suggestion(client: TestClient) -> None:
    # Silently ignoring `env` once sent a run meant for stage to prod.
    response = client.post(
        "/api/runs", json={"workflow": "delete-dynamodb-table", "inputs": {}, "env": "stage"}
    )
    assert response.status_code == 422
    assert errors_of(response) == [
        ("env", "is not a field of the request; did you mean `environment`?")
    ]
    decision = client.post("/api/runs/run-1/approve", json={"coment": "ok"})
    assert errors_of(decision) == [
        ("coment", "is not a field of the request; did you mean `comment`?")
    ]


def test_a_body_that_is_not_an_object(client: TestClient) -> None:
    response = client.post("/api/runs", json=["delete-dynamodb-table"])
    assert response.status_code == 422
    assert errors_of(response) == [("", "must be an object")]


def test_a_missing_body(client: TestClient) -> None:
    response = client.post("/api/runs")
    assert response.status_code == 422
    assert errors_of(response) == [("", "a JSON body is required")]


def test_a_body_without_a_json_content_type(client: TestClient) -> None:
    response = client.post("/api/runs", content=b"{}", headers={"content-type": "text/plain"})
    assert response.status_code == 422
    assert errors_of(response) == [
        ("", "must be a JSON object sent with `Content-Type: application/json`")
    ]


def test_wrong_types_name_the_field(client: TestClient) -> None:
    response = client.post("/api/runs", json={"workflow": 3, "inputs": []})
    assert response.status_code == 422
    assert errors_of(response) == [
        ("workflow", "must be a string"),
        ("inputs", "must be an object"),
    ]


def test_idempotency_key_is_bounded(client: TestClient) -> None:
    response = client.post(
        "/api/runs", json={"workflow": "x"}, headers={"Idempotency-Key": "k" * 201}
    )
    assert response.status_code == 422
    assert errors_of(response) == [("Idempotency-Key", "must be at most 200 characters")]


def test_405_carries_allow(client: TestClient) -> None:
    response = client.delete("/api/catalog")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert errors_of(response) == [("", "DELETE is not allowed on /api/catalog; use GET")]
    post_only = client.get("/api/runs/run-1/approve")
    assert post_only.status_code == 405
    assert post_only.headers["allow"] == "POST"


def test_unknown_path_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert errors_of(response) == [("", "There is nothing at /api/nothing-here")]


@pytest.mark.parametrize("name", ["cli", "portal", "bot", "ci-job_2.1", "x" * 40])
def test_client_header_accepts_short_tokens(client: TestClient, name: str) -> None:
    assert client_name(name) == name
    assert client.get("/api/me", headers={"X-Foyer-Client": name}).status_code == 200


def test_client_header_defaults_to_http() -> None:
    assert client_name(None) == "http"


@pytest.mark.parametrize(
    "name", ["", "x" * 41, "my client", "cli;drop", "cli\t", "ünï", "a/b", "<script>"]
)
def test_client_header_refuses_anything_else(client: TestClient, name: str) -> None:
    with pytest.raises(Invalid) as caught:
        client_name(name)
    assert caught.value.problems == [
        ("X-Foyer-Client", "must be 1 to 40 letters, digits, `-`, `.` or `_` (e.g. `cli`)")
    ]
    response = client.get("/api/me", headers={"X-Foyer-Client": name.encode()})  # type: ignore[dict-item]
    assert response.status_code == 422
    assert errors_of(response) == caught.value.problems


def test_authentication_comes_before_the_client_header(anonymous: TestClient) -> None:
    response = anonymous.get("/api/me", headers={"X-Foyer-Client": "not a token"})
    assert response.status_code == 401
