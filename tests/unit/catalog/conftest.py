"""Fixtures for writing small catalogs to tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from .builders import DEFS, WriteCatalog


@pytest.fixture
def write_catalog(tmp_path: Path) -> WriteCatalog:
    """Write ``{relative path: document or raw text}`` plus the shared defs; return the root."""

    def write(files: dict[str, Any], *, defs: bool = True) -> Path:
        root = tmp_path / "catalog"
        for name, content in ({**DEFS, **files} if defs else files).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                text = content
            elif path.suffix == ".json":
                text = json.dumps(content, indent=2)
            else:
                text = yaml.safe_dump(content, sort_keys=False)
            path.write_text(text)
        return root

    return write
