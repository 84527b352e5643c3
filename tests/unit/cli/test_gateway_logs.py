"""`foyer gateway` keeps query strings, which may carry API keys, out of its access log."""

from __future__ import annotations

import logging

import pytest
from uvicorn.logging import AccessFormatter

from foyer.cli.gateway import RedactQueryStrings, log_config


def access_record(path: str) -> logging.LogRecord:
    """A record as uvicorn's HTTP protocol logs it."""
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:50000", "GET", path, "1.1", 200),
        None,
    )


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/api/runs?api_key=foyer_secret&limit=5", "/api/runs?[redacted]"),
        ("/api/runs?foyer_secret", "/api/runs?[redacted]"),
        ("/api/runs", "/api/runs"),
    ],
)
def test_query_strings_are_redacted(path: str, logged: str) -> None:
    record = access_record(path)

    assert RedactQueryStrings().filter(record) is True

    formatter = AccessFormatter(log_config()["formatters"]["access"]["fmt"], use_colors=False)
    assert formatter.format(record) == (
        f'INFO:     127.0.0.1:50000 - "GET {logged} HTTP/1.1" 200 OK'
    )


def test_the_filter_guards_the_access_logger_whatever_its_handlers() -> None:
    config = log_config()

    assert config["loggers"]["uvicorn.access"]["filters"] == ["redact_query_strings"]
    assert config["filters"]["redact_query_strings"] == {"()": RedactQueryStrings}
