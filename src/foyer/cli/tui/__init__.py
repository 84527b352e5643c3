"""``foyer tui``: the catalog, guides, snippets, forms, runs and the inbox in a terminal.

Built with Textual, which loads only when the terminal app starts. Every call
to the gateway runs in a worker thread, so the screen never waits on the network.
"""

from __future__ import annotations


def run_app(profile: str | None = None) -> None:
    """Open the app for ``profile``; a wrong key or URL is reported before the screen opens."""
    from foyer.cli.http import open_gateway
    from foyer.cli.tui.app import FoyerApp

    with open_gateway(profile) as gateway:
        me = gateway.get("/api/me")
        FoyerApp(gateway, me).run()
