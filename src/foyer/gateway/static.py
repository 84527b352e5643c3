"""The portal: the built single-page app, served by the gateway itself.

Everything the browser needs comes from here, so the portal works without
internet access. Files under ``assets/`` carry a content hash in their names
and are cached for a year; every other path the API does not claim answers
with ``index.html`` (never cached), where the app's router takes over.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from starlette.types import Receive, Scope, Send

PACKAGED_DIR = Path(__file__).resolve().parent / "portal"
"""Where a wheel carries the built portal."""

CHECKOUT_DIR = Path(__file__).resolve().parents[3] / "portal" / "dist"
"""Where ``npm run build`` puts it in a source checkout."""

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# ajv compiles each form's schema into a function, hence 'unsafe-eval'.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
PAGE_HEADERS = {
    "Cache-Control": REVALIDATE,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Foyer</title></head><body><main><h1>The portal is not built</h1>
<p>The HTTP API works; to build the web portal run <code>make portal</code>
(or <code>npm ci &amp;&amp; npm run build</code> in <code>portal/</code>) and reload.</p>
</main></body></html>"""


def portal_dir() -> Path | None:
    """The built portal: packaged in the wheel, else in the source checkout, else None."""
    for candidate in (PACKAGED_DIR, CHECKOUT_DIR):
        if (candidate / "index.html").is_file():
            return candidate
    return None


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _inside(root: Path, relative: str) -> Path | None:
    """The regular file ``relative`` names under ``root``; None for anything outside it."""
    if not relative or "\x00" in relative:
        return None
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


def _file(request: Request, path: Path, cache: str) -> Response:
    headers = {
        "Cache-Control": cache,
        "X-Content-Type-Options": "nosniff",
        "Vary": "Accept-Encoding",
    }
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compressed = path.with_name(path.name + ".gz")
    if "gzip" in request.headers.get("accept-encoding", "") and compressed.is_file():
        headers["Content-Encoding"] = "gzip"
        return FileResponse(compressed, media_type=media_type, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)


def mount_portal(app: FastAPI, directory: Path | None = None) -> None:
    """Serve the portal for every GET that no route of ``app`` answers.

    The portal is the router's fallback rather than a catch-all route, so routes
    added later still win, and unknown ``/api`` paths or other methods keep the
    router's own 404.

    Args:
        app: The gateway.
        directory: The built portal; found with :func:`portal_dir` when omitted.
    """
    built = directory or portal_dir()
    root = built.resolve() if built else None
    not_found = app.router.default

    def respond(request: Request) -> Response:
        if root is None:
            return HTMLResponse(NOT_BUILT, status_code=503, headers={"Cache-Control": REVALIDATE})
        relative = request.url.path.lstrip("/")
        if relative.startswith("assets/"):
            asset = _inside(root, relative)
            if asset is None:
                return Response("Not found", status_code=404, media_type="text/plain")
            return _file(request, asset, IMMUTABLE)
        found = _inside(root, relative)
        if found is not None and found.name != "index.html":
            return _file(request, found, REVALIDATE)
        return FileResponse(root / "index.html", media_type="text/html", headers=PAGE_HEADERS)

    async def portal_or_not_found(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or _is_api(scope["path"])
        ):
            await not_found(scope, receive, send)
            return
        await respond(Request(scope, receive))(scope, receive, send)

    app.router.default = portal_or_not_found
