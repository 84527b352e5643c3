"""Hatch build hook: a wheel carries the built portal as ``foyer/gateway/portal``.

The portal is built with npm when ``portal/dist`` is missing or older than its
sources, so ``python -m build`` on a fresh clone gives a complete wheel.
Editable installs skip this: there the gateway serves ``portal/dist`` directly.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")


def _newest(paths: list[Path]) -> float:
    times = [p.stat().st_mtime for path in paths for p in [path, *path.rglob("*")] if p.is_file()]
    return max(times, default=0.0)


class PortalBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        portal = Path(self.root) / "portal"
        index = portal / "dist" / "index.html"
        sources = [portal / name for name in SOURCES if (portal / name).exists()]
        if not index.is_file() or index.stat().st_mtime < _newest(sources):
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("building the portal needs npm (Node.js 20.19 or newer)")
            installed = portal / "node_modules" / ".package-lock.json"
            if not installed.is_file():
                subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=portal, check=True)
            subprocess.run([npm, "run", "build"], cwd=portal, check=True)
        build_data["force_include"][str(portal / "dist")] = "foyer/gateway/portal"
