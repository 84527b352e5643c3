"""Code that starts a run of a catalog workflow, in each way a caller can: the
``foyer`` CLI, cURL, Python with httpx or requests, and, for the owning team,
a direct Temporal SDK start.

Pure text generation: no network, no Temporal, no web framework, so the
gateway's snippets API and the CLI's terminal app share it. Every snippet reads
the API key from ``FOYER_API_KEY`` (never embeds one) and sends an
``Idempotency-Key``.
"""

from foyer.snippets._build import (
    LANGUAGES,
    Snippet,
    SnippetRequest,
    TemporalStart,
    build_snippets,
    cli_command,
)

__all__ = [
    "LANGUAGES",
    "Snippet",
    "SnippetRequest",
    "TemporalStart",
    "build_snippets",
    "cli_command",
]
