"""The gateway serves the built portal: SPA fallback, cached assets, API paths left alone."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from foyer.gateway import static
from foyer.gateway.errors import install_error_handlers
from foyer.gateway.static import IMMUTABLE, mount_portal

INDEX = '<!doctype html><html><body><div id="root"></div></body></html>'
SCRIPT = "console.log('portal');" * 20


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "favicon.svg").write_text("<svg/>")
    (dist / "assets" / "index-abc123.js").write_text(SCRIPT)
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT.encode()))
    (tmp_path / "secret.txt").write_text("outside")
    return dist


@pytest.fixture
def client(built: Path) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/api/thing")
    async def thing() -> dict[str, str]:
        return {"thing": "yes"}

    mount_portal(app, built)
    return TestClient(app)


@pytest.mark.parametrize("path", ["/", "/workflows/delete-dynamodb-table", "/runs/run-1?x=1"])
def test_app_paths_answer_with_the_index_never_cached(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_hashed_assets_are_cached_for_a_year(client: TestClient) -> None:
    response = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})

    assert response.status_code == 200
    assert response.text == SCRIPT
    assert response.headers["cache-control"] == IMMUTABLE
    assert "javascript" in response.headers["content-type"]
    assert "content-encoding" not in response.headers


def test_assets_come_precompressed_to_clients_that_accept_gzip(client: TestClient) -> None:
    response = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, br"})

    assert response.headers["content-encoding"] == "gzip"
    assert response.text == SCRIPT  # decoded by the client
    assert int(response.headers["content-length"]) < len(SCRIPT)


def test_missing_assets_are_404_not_the_index(client: TestClient) -> None:
    response = client.get("/assets/index-gone.js")
    assert response.status_code == 404
    assert response.text != INDEX


def test_other_files_at_the_root_are_served_and_revalidated(client: TestClient) -> None:
    response = client.get("/favicon.svg")
    assert response.text == "<svg/>"
    assert response.headers["cache-control"] == "no-cache"


def test_head_is_answered(client: TestClient) -> None:
    assert client.head("/runs").status_code == 200


@pytest.mark.parametrize("path", ["/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt"])
def test_paths_cannot_leave_the_portal_directory(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert "outside" not in response.text


def test_api_paths_are_not_claimed(client: TestClient) -> None:
    assert client.get("/api/thing").json() == {"thing": "yes"}
    for method in ("GET", "POST", "DELETE"):
        response = client.request(method, "/api/nothing-here")
        assert response.status_code == 404, method
        assert response.headers["content-type"] == "application/json"
        assert response.json()["errors"][0]["message"]


def test_writes_to_app_paths_are_not_found(client: TestClient) -> None:
    response = client.post("/workflows/x")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"]


def test_routes_added_later_still_win(built: Path) -> None:
    app = FastAPI()
    mount_portal(app, built)

    @app.get("/later")
    async def later() -> dict[str, bool]:
        return {"later": True}

    assert TestClient(app).get("/later").json() == {"later": True}


def test_an_unbuilt_portal_says_how_to_build_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static, "portal_dir", lambda: None)
    app = FastAPI()
    mount_portal(app)

    response = TestClient(app).get("/")

    assert response.status_code == 503
    assert "make portal" in response.text


def test_relative_paths_resolve_only_inside_the_root(built: Path) -> None:
    assert static._inside(built, "../secret.txt") is None
    assert static._inside(built, "assets/../../secret.txt") is None
    assert static._inside(built, "assets") is None  # a directory
    assert static._inside(built, "favicon.svg") == (built / "favicon.svg").resolve()
