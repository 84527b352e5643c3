"""What every request passes before routing and authentication.

:class:`BodyLimit` refuses oversized bodies (413) without buffering them;
:class:`JsonBody` refuses bodies that are not well-formed UTF-8 JSON (422,
naming the line and column or the field). Both are plain ASGI middleware, so
they run before FastAPI reads a byte. :func:`client_name` checks the
``X-Foyer-Client`` header.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Header
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foyer.errors import Invalid
from foyer.gateway.errors import error_body

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a request body may have."""

CLIENT_HEADER = "X-Foyer-Client"
DEFAULT_CLIENT = "http"
CLIENT_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,40}")
NOT_UNICODE = "is not valid Unicode text (invalid UTF-8, or a lone surrogate such as \\ud800)"


def client_name(header: str | None) -> str:
    """The calling client's name from the ``X-Foyer-Client`` header; ``http`` when absent.

    Raises:
        Invalid: Unless the header is a short token: 1 to 40 letters, digits, ``-``, ``.``, ``_``.
    """
    if header is None:
        return DEFAULT_CLIENT
    if CLIENT_TOKEN.fullmatch(header) is None:
        raise Invalid(
            [(CLIENT_HEADER, "must be 1 to 40 letters, digits, `-`, `.` or `_` (e.g. `cli`)")]
        )
    return header


async def checked_client(
    header: Annotated[
        str | None,
        Header(
            alias=CLIENT_HEADER,
            description="Which client is calling (`cli`, `portal`, `bot`…; default `http`): "
            "1 to 40 letters, digits, `-`, `.` or `_`. Recorded with each action.",
        ),
    ] = None,
) -> str:
    """Dependency: the checked ``X-Foyer-Client`` of a request."""
    return client_name(header)


async def _respond(send: Send, status: int, errors: Iterable[tuple[str, str]]) -> None:
    body = json.dumps(error_body(*errors)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The rest of the body is never read, so the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key.lower() == name), None)


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, reading no more than that.

    A declared ``Content-Length`` over the limit is refused before a byte of
    the body is read; a body without one (chunked) is counted as it streams
    and refused as soon as it passes the limit. The connection is then closed,
    so the rest of the upload is never read, let alone parsed.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def problem(self) -> tuple[str, str]:
        return ("", f"The request body is larger than the limit of {_size(self.max_bytes)}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _respond(send, 413, [self.problem()])
            return

        received = 0
        exceeded = False
        answered = False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # To the application the client went away; it never sees the excess.
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal answered
            if not exceeded:
                await send(message)
            elif not answered:
                answered = True
                await _respond(send, 413, [self.problem()])

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not answered:
            await _respond(send, 413, [self.problem()])


def _size(count: int) -> str:
    if count % 1024 == 0 and count >= 1024:
        return f"{count // 1024} KiB ({count} bytes)"
    return f"{count} bytes"


class JsonBody:
    """Refuses a ``POST``/``PUT``/``PATCH`` JSON body that is not well-formed UTF-8 JSON (422).

    Catches what would otherwise surface later as a 500 or a vague 400:
    invalid UTF-8 and lone surrogates (``"\\ud800"``) anywhere, syntax errors
    (reported by line and column), ``NaN``/``Infinity``, and nesting deeper
    than :data:`MAX_JSON_DEPTH`. Reads the whole body, so it must sit inside
    :class:`BodyLimit`; the application then receives the same bytes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in _BODY_METHODS
            or not _is_json(_header(scope, b"content-type"))
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away (or sent too much: BodyLimit answers)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problems = json_problems(body) if body else []
        if problems:
            await _respond(send, 422, problems)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


_BODY_METHODS = {"POST", "PUT", "PATCH"}


def _is_json(content_type: bytes | None) -> bool:
    if content_type is None:
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise _NotJson(f"{text} is out of range for a number")
    return number


def json_problems(body: bytes) -> list[tuple[str, str]]:
    """Why ``body`` is not well-formed UTF-8 JSON, as ``(field, message)``; ``[]`` if it is."""
    # Invalid UTF-8 bytes become lone surrogates here, found below with the field they are in.
    text = body.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except json.JSONDecodeError as err:
        return [("", f"Malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}")]
    except _NotJson as err:
        return [("", f"Malformed JSON: {err}")]
    except RecursionError:
        return [("", f"The body nests deeper than {MAX_JSON_DEPTH} levels")]
    except ValueError:  # an integer with more digits than Python converts
        return [("", "Malformed JSON: a number has too many digits")]
    return _value_problems(value)


def _value_problems(value: Any) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while pending:
        path, node = pending.pop()
        field = ".".join(str(part) for part in path)
        if len(path) > MAX_JSON_DEPTH:
            problems.append((field, f"nests deeper than {MAX_JSON_DEPTH} levels"))
        elif isinstance(node, str):
            if not _is_unicode(node):
                problems.append((field, NOT_UNICODE))
        elif isinstance(node, dict):
            for key, item in node.items():
                if _is_unicode(key):
                    pending.append(((*path, key), item))
                else:
                    problems.append((field, f"has a key that {NOT_UNICODE}"))
        elif isinstance(node, list):
            pending.extend(((*path, index), item) for index, item in enumerate(node))
    return sorted(set(problems))


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
