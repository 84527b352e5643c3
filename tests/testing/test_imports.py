"""foyer.testing is for tests: nothing that runs in production imports it."""

from __future__ import annotations

import pytest

from tests.unit.test_layering import offenders

PRODUCTION = ("catalog", "cli", "contracts", "devstack", "gateway", "publish", "router", "runs")


@pytest.mark.parametrize("package", PRODUCTION)
def test_production_code_does_not_import_the_test_kit(package: str) -> None:
    assert offenders(package, ("foyer.testing",)) == []
