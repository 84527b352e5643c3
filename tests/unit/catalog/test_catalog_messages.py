"""did_you_mean: the hint every unknown name gets."""

from __future__ import annotations

import pytest

from foyer.catalog._messages import did_you_mean


@pytest.mark.parametrize(
    ("name", "candidates", "hint"),
    [
        ("tabel_name", ["table_name", "region"], "; did you mean `table_name`?"),
        ("env", ["workflow", "inputs", "environment"], "; did you mean `environment`?"),
        ("ENV", ["environment"], "; did you mean `environment`?"),
        ("re", ["region", "reason"], ""),  # abbreviates two: no guess
        ("e", ["environment"], ""),  # too short to be an abbreviation
        ("colour", ["table_name", "region"], ""),
    ],
)
def test_did_you_mean(name: str, candidates: list[str], hint: str) -> None:
    assert did_you_mean(name, candidates) == hint
