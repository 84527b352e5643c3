"""The gateway client: error statuses become exit statuses, safe requests are retried."""

from __future__ import annotations

import httpx
import pytest

from foyer.cli import http
from foyer.cli.config import Profile
from foyer.cli.http import Gateway, GatewayProblem, Unreachable, line_of

PROFILE = Profile("default", "http://gateway.test", "secret-key")


def client(handler: object) -> Gateway:
    return Gateway(PROFILE, transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http.time, "sleep", lambda seconds: None)


def test_requests_carry_the_key_and_the_client_name() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    assert client(handle).post("/api/x", {"a": 1}, idempotency_key="k-1") == {"ok": True}
    headers = seen[0].headers
    assert headers["Authorization"] == "Bearer secret-key"
    assert headers["X-Foyer-Client"] == "cli"
    assert headers["Idempotency-Key"] == "k-1"


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, 2), (401, 1), (403, 3), (404, 4), (409, 3), (413, 2), (422, 2), (500, 1), (503, 5)],
)
def test_each_status_has_its_exit_code(status: int, code: int) -> None:
    body = {"errors": [{"field": "inputs.x", "message": "must be a string"}]}
    with pytest.raises(GatewayProblem) as raised:
        client(lambda request: httpx.Response(status, json=body)).get("/api/x")
    assert (raised.value.status, raised.value.exit_code) == (status, code)


def test_every_field_error_is_kept() -> None:
    body = {
        "errors": [
            {"field": "inputs.a", "message": "is required"},
            {"field": "inputs.b", "message": "must be a string"},
        ]
    }
    with pytest.raises(GatewayProblem) as raised:
        client(lambda request: httpx.Response(422, json=body)).get("/api/x")
    assert raised.value.problems == [("inputs.a", "is required"), ("inputs.b", "must be a string")]


def test_an_error_without_the_error_shape_still_reads() -> None:
    with pytest.raises(GatewayProblem) as raised:
        client(lambda request: httpx.Response(502, text="<html>bad gateway</html>")).get("/x")
    assert raised.value.problems == [("", "the gateway answered 502 Bad Gateway")]


def test_reads_and_keyed_writes_are_retried_but_other_writes_are_not() -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) % 2:
            return httpx.Response(503, json={"errors": [{"field": "", "message": "busy"}]})
        return httpx.Response(200, json={})

    gateway = client(flaky)
    assert gateway.get("/x") == {}
    assert gateway.post("/x", {}, idempotency_key="k") == {}
    assert calls == ["GET", "GET", "POST", "POST"]
    with pytest.raises(GatewayProblem):
        gateway.post("/x", {})
    assert len(calls) == 5


def test_unreachable_gateway_is_named() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused")

    with pytest.raises(Unreachable) as raised:
        client(refuse).get("/api/me")
    assert raised.value.exit_code == 5
    assert str(raised.value) == (
        "cannot reach the gateway at http://gateway.test: Connection refused"
    )


def test_rule_messages_name_their_field_and_sentences_stand_alone() -> None:
    assert line_of("inputs.a", "is required") == "inputs.a: is required"
    assert line_of("workflow", "Workflow `x` is not in the catalog") == (
        "Workflow `x` is not in the catalog"
    )
    assert line_of("", "is odd") == "is odd"
