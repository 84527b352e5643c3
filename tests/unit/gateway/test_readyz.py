"""/readyz answers within 2 s whatever Temporal does, and never leaks transport details."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from foyer.gateway import create_app
from foyer.settings import Settings


@pytest.fixture
def frozen_temporal() -> Iterator[str]:
    """An address that accepts TCP connections and then never answers, like a stopped server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"127.0.0.1:{listener.getsockname()[1]}"


def test_healthz(anonymous: TestClient) -> None:
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_with_temporal_frozen_answers_503_within_2_seconds(
    settings: Settings, frozen_temporal: str
) -> None:
    app = create_app(settings.model_copy(update={"temporal_address": frozen_temporal}))
    with TestClient(app, raise_server_exceptions=False) as client:
        for _ in range(2):  # the second call must not wait behind the first attempt
            started = time.monotonic()
            response = client.get("/readyz")
            elapsed = time.monotonic() - started
            assert response.status_code == 503
            assert response.json() == {
                "errors": [{"field": "", "message": "Temporal did not answer in time"}]
            }
            assert elapsed < 2.0


def test_readyz_with_temporal_down_names_no_transport_internals(anonymous: TestClient) -> None:
    started = time.monotonic()
    response = anonymous.get("/readyz")
    assert time.monotonic() - started < 2.0
    assert response.status_code == 503
    (error,) = response.json()["errors"]
    assert error["message"].startswith("Temporal did not answer")
    assert "tonic" not in response.text
    assert "transport" not in response.text
