"""Extra gateway processes and a local OpenID Connect issuer, for the system-of-record tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from foyer.devstack import free_port

READY_TIMEOUT = 60.0


class Gateway:
    """``python -m foyer gateway`` in its own process group, logging to a file."""

    def __init__(self, env: Mapping[str, str], log: Path, cwd: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {**env, "FOYER_PORT": str(self.port)}
        self._log = log
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Gateway:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "foyer", "gateway"],
                env=self._env,
                cwd=self._cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self) -> Gateway:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"gateway exited: {self._log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"gateway not ready in {READY_TIMEOUT}s: {self._log.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def foyer(env: Mapping[str, str], *args: str) -> Finished:
    """Run a ``foyer`` command with ``env``'s ``FOYER_*`` settings, in this process.

    The command is the real one, on the real database; only the interpreter is
    shared, which keeps the suite fast (a new Python process costs seconds here).
    """
    from typer.testing import CliRunner

    from foyer.cli.app import app
    from foyer.settings import get_settings

    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith("FOYER_")})
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
    return Finished(result.exit_code, result.stdout, result.stderr)


class Issuer:
    """An OpenID Connect issuer on loopback: discovery, JWKS, and tokens minted on demand."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex[:8]
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        documents = {
            "/.well-known/openid-configuration": {
                "issuer": self.url,
                "jwks_uri": f"{self.url}/jwks",
            },
            "/jwks": {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]},
        }

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                document = documents.get(self.path)
                body = json.dumps(document).encode()
                self.send_response(200 if document else 404)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Issuer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(
        self,
        email: str,
        *,
        groups: list[str] | None = None,
        audience: str = "foyer",
        lifetime: int = 300,
        key: RSAPrivateKey | None = None,
        issued_at: int | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time()) if issued_at is None else issued_at
        body = {
            "iss": self.url,
            "sub": email,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime,
            "email": email,
            "name": email.split("@")[0].title(),
            **({"groups": groups} if groups is not None else {}),
            **claims,
        }
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": self.kid})
