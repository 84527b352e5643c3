"""Oversized bodies get 413 before authentication or parsing, without being buffered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from foyer.gateway import create_app
from foyer.gateway.middleware import BodyLimit, JsonBody
from foyer.settings import Settings

LIMIT = 1024
TOO_LARGE = {
    "errors": [
        {"field": "", "message": "The request body is larger than the limit of 1 KiB (1024 bytes)"}
    ]
}


@pytest.fixture
def small(settings: Settings) -> Iterator[TestClient]:
    """An unauthenticated client of a gateway with a 1 KiB body limit."""
    limited = settings.model_copy(update={"max_body_bytes": LIMIT})
    with TestClient(create_app(limited), raise_server_exceptions=False) as client:
        yield client


def chunks(total: int, size: int = 256) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def test_declared_length_over_the_limit_is_413_before_authentication(small: TestClient) -> None:
    response = small.post("/api/runs", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.json() == TOO_LARGE
    assert response.headers["connection"] == "close"


def test_a_body_at_the_limit_reaches_authentication(small: TestClient) -> None:
    body = b'{"workflow": "x"}'.ljust(LIMIT)
    response = small.post("/api/runs", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 401


def test_chunked_body_over_the_limit_is_413(small: TestClient) -> None:
    response = small.post(
        "/api/runs", content=chunks(LIMIT + 1), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_chunked_body_of_another_type_is_413_too(small: TestClient) -> None:
    response = small.post(
        "/api/runs", content=chunks(4 * LIMIT), headers={"content-type": "text/plain"}
    )
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_any_path_and_method(small: TestClient) -> None:
    assert small.put("/nowhere", content=b"x" * (LIMIT + 1)).status_code == 413
    assert small.post("/api/runs/r/approve", content=chunks(LIMIT + 1)).status_code == 413


def test_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOYER_MAX_BODY_BYTES", "2048")
    assert Settings().max_body_bytes == 2048
    monkeypatch.delenv("FOYER_MAX_BODY_BYTES")
    assert Settings().max_body_bytes == 256 * 1024


class Upload:
    """An ASGI receive that streams ``total`` bytes lazily and counts what was pulled."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total, self.chunk, self.pulled = total, chunk, 0

    async def __call__(self) -> Message:
        size = min(self.chunk, self.total - self.pulled)
        self.pulled += size
        return {"type": "http.request", "body": b"x" * size, "more_body": self.pulled < self.total}


class Recorder:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.messages if m["type"] == "http.response.start"))


def scope(headers: list[tuple[bytes, bytes]]) -> Scope:
    return {"type": "http", "method": "POST", "path": "/api/runs", "headers": headers}


async def reached(scope: Scope, receive: Receive, send: Send) -> Any:
    raise AssertionError("the application must not be called")


async def test_200_mb_stream_is_refused_after_reading_only_the_limit() -> None:
    limit = 256 * 1024
    upload, sent = Upload(200 * 1024 * 1024), Recorder()
    seen = 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal seen
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message["body"])
            if not message.get("more_body"):
                raise AssertionError("the whole body must never be read")

    await BodyLimit(app, limit)(scope([]), upload, sent)
    assert sent.status == 413
    assert upload.pulled <= limit + upload.chunk
    assert seen <= limit


async def test_json_check_never_sees_more_than_the_limit() -> None:
    limit = 256 * 1024
    upload, sent = Upload(200 * 1024 * 1024), Recorder()
    await BodyLimit(JsonBody(reached), limit)(scope([]), upload, sent)
    assert sent.status == 413
    assert upload.pulled <= limit + upload.chunk


async def test_declared_length_is_refused_without_reading_a_byte() -> None:
    upload, sent = Upload(200 * 1024 * 1024), Recorder()
    declared = [(b"content-length", str(200 * 1024 * 1024).encode())]
    await BodyLimit(reached, 256 * 1024)(scope(declared), upload, sent)
    assert sent.status == 413
    assert upload.pulled == 0
