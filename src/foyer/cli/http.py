"""The gateway over HTTP, as the ``foyer`` user commands and the terminal app see it.

Every answer that is not a success becomes a :class:`GatewayProblem` carrying
the gateway's per-field errors and the exit status documented for it, so each
command reports failures the same way.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from foyer.cli.config import Profile
from foyer.errors import FoyerError

if TYPE_CHECKING:
    import httpx

CLIENT_NAME = "cli"
"""Sent as ``X-Foyer-Client``: the gateway records which client started or decided a run."""

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_NOT_FOUND = 4
EXIT_UNAVAILABLE = 5

_EXIT_BY_STATUS = {
    400: EXIT_USAGE,
    401: EXIT_ERROR,
    403: EXIT_REFUSED,
    404: EXIT_NOT_FOUND,
    409: EXIT_REFUSED,
    413: EXIT_USAGE,
    422: EXIT_USAGE,
    429: EXIT_UNAVAILABLE,
    502: EXIT_UNAVAILABLE,
    503: EXIT_UNAVAILABLE,
    504: EXIT_UNAVAILABLE,
}

RETRIES = 2
"""Extra attempts for a request that is safe to repeat (a read, or a write with an
Idempotency-Key) when the gateway could not be reached or answered 502/503/504."""


class CliError(FoyerError):
    """A failure the user commands report as ``error: …`` lines and an exit status.

    Attributes:
        problems: ``(field, message)`` pairs, one line each.
        exit_code: The documented exit status.
    """

    exit_code = EXIT_ERROR

    def __init__(self, problems: list[tuple[str, str]] | str, exit_code: int | None = None) -> None:
        self.problems = [("", problems)] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(line_of(f, m) for f, m in self.problems))
        if exit_code is not None:
            self.exit_code = exit_code


class UsageProblem(CliError):
    """The command line or the inputs are wrong (exit 2)."""

    exit_code = EXIT_USAGE


class GatewayProblem(CliError):
    """The gateway answered with an error status.

    Attributes:
        status: The HTTP status.
    """

    def __init__(self, status: int, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems, _EXIT_BY_STATUS.get(status, EXIT_ERROR))
        self.status = status


class Unreachable(CliError):
    """The gateway did not answer at all (exit 5)."""

    exit_code = EXIT_UNAVAILABLE


def line_of(field: str, message: str) -> str:
    """One error line: rule messages (``must …``, ``is required``) name their field."""
    if field and message[:1].islower():
        return f"{field}: {message}"
    return message


def new_idempotency_key() -> str:
    """A fresh key: retries of one command reuse it, the next command gets another."""
    return str(uuid.uuid4())


class Gateway:
    """A synchronous client of one gateway, authenticated with one API key.

    Args:
        profile: Where the gateway is and the key to use.
        transport: Replaces the network in unit tests.
        timeout: Seconds to wait for each answer.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        import httpx

        self.profile = profile
        self._http = httpx.Client(
            base_url=profile.url,
            headers={
                "Authorization": f"Bearer {profile.api_key}",
                "X-Foyer-Client": CLIENT_NAME,
                "Accept": "application/json",
            },
            timeout=timeout,
            transport=transport,
        )

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and return the decoded JSON body."""
        query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        return self._send("GET", path, params=query, retry=True)

    def post(self, path: str, body: Any = None, *, idempotency_key: str | None = None) -> Any:
        """POST a JSON body; with an ``idempotency_key``, retries are safe and made."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._send(
            "POST", path, json=body, headers=headers, retry=idempotency_key is not None
        )

    def post_status(
        self, path: str, body: Any = None, *, idempotency_key: str | None = None
    ) -> tuple[int, Any]:
        """Like :meth:`post`, also returning the status (201 created, 200 seen before)."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = self._request(
            "POST", path, json=body, headers=headers, retry=idempotency_key is not None
        )
        return response.status_code, _decoded(response)

    def _send(self, method: str, path: str, *, retry: bool, **kwargs: Any) -> Any:
        return _decoded(self._request(method, path, retry=retry, **kwargs))

    def _request(self, method: str, path: str, *, retry: bool, **kwargs: Any) -> httpx.Response:
        import httpx

        attempts = 1 + (RETRIES if retry else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as err:
                if last:
                    raise Unreachable(
                        f"cannot reach the gateway at {self.profile.url}: {_reason(err)}"
                    ) from None
            else:
                if response.status_code not in (502, 503, 504) or last:
                    break
            time.sleep(0.2 * 2**attempt)
        if response.is_success:
            return response
        raise GatewayProblem(response.status_code, _problems(response))


def _decoded(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise CliError(
            f"the gateway answered {response.request.url} with something that is not JSON"
        ) from None


def _problems(response: httpx.Response) -> list[tuple[str, str]]:
    try:
        errors = response.json()["errors"]
        problems = [(str(e.get("field") or ""), str(e["message"])) for e in errors]
    except (ValueError, KeyError, TypeError, AttributeError):
        problems = []
    if not problems:
        problems = [("", f"the gateway answered {response.status_code} {response.reason_phrase}")]
    if response.status_code == 401:
        problems = [(f, f"{m}; check the key with `foyer login`") for f, m in problems]
    return problems


def _reason(err: Exception) -> str:
    text = str(err)
    return text or type(err).__name__


def open_gateway(profile: str | None = None) -> Gateway:
    """A client for the chosen profile (see :func:`foyer.cli.config.resolve`)."""
    from foyer.cli.config import resolve

    return Gateway(resolve(profile))
