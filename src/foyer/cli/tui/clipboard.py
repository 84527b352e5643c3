"""Copying a snippet: OSC 52 where the terminal takes it, else a file the user can open."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

# Terminals known to ignore OSC 52: copying there would silently do nothing.
_NO_OSC52_PROGRAMS = frozenset({"Apple_Terminal"})
_NO_OSC52_TERMS = frozenset({"linux", "dumb"})


class Copier(Protocol):
    @property
    def is_headless(self) -> bool: ...

    def copy_to_clipboard(self, text: str) -> None: ...


def copied_file(environ: Mapping[str, str] = os.environ) -> Path:
    """Where a copy goes when the clipboard cannot be reached: ``~/.cache/foyer/copied.txt``."""
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "foyer" / "copied.txt"


def osc52_works(app: Copier, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether an OSC 52 sequence would reach a clipboard, as far as can be told."""
    if environ.get("FOYER_CLIPBOARD") == "file" or app.is_headless:
        return False
    if environ.get("TERM_PROGRAM") in _NO_OSC52_PROGRAMS:
        return False
    return environ.get("TERM", "") not in _NO_OSC52_TERMS and sys.__stdout__ is not None


def copy(app: Copier, text: str, environ: Mapping[str, str] = os.environ) -> str:
    """Copy ``text``; returns what was done, to tell the user."""
    if osc52_works(app, environ):
        app.copy_to_clipboard(text)
        return "Copied to the clipboard"
    path = copied_file(environ)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"No clipboard here; saved to {path}"
