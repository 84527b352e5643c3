"""What a catalog needs from a stack: team namespaces, Nexus endpoints, handler workers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from foyer.catalog import Catalog
from foyer.devstack._errors import StackError


@dataclass(frozen=True)
class CatalogTargets:
    """Every namespace and Nexus endpoint the catalog's entries name, in any environment."""

    namespaces: tuple[str, ...]
    """Team namespaces, sorted; each gets a Nexus handler worker."""
    endpoints: Mapping[str, str]
    """Nexus endpoint name → the namespace it targets."""


def catalog_targets(catalog_dir: Path, gateway_namespace: str) -> CatalogTargets:
    """Load the catalog with Foyer's own loader and collect what every environment targets.

    Raises:
        StackError: If the directory is missing, an endpoint would have to target two
            namespaces, or an entry runs in the gateway's namespace.
        CatalogInvalid: If the catalog does not load; lists every problem.
    """
    if not catalog_dir.is_dir():
        raise StackError(f"catalog directory {catalog_dir} does not exist; pass --catalog DIR")
    catalog = Catalog.load(catalog_dir)
    namespaces: set[str] = set()
    endpoints: dict[str, tuple[str, str]] = {}
    for entry in catalog.entries:
        for target in entry.targets():
            where = f"`{entry.id}` ({target.environment})"
            if target.namespace == gateway_namespace:
                raise StackError(
                    f"catalog entry {where} runs in `{gateway_namespace}`, the gateway's "
                    "namespace; give the team a namespace of its own"
                )
            namespaces.add(target.namespace)
            first_namespace, first = endpoints.setdefault(
                target.nexus_endpoint, (target.namespace, where)
            )
            if first_namespace != target.namespace:
                raise StackError(
                    f"Nexus endpoint `{target.nexus_endpoint}` targets namespace "
                    f"`{first_namespace}` for {first} but `{target.namespace}` for {where}; "
                    "an endpoint reaches one namespace, so give one of them its own endpoint"
                )
    return CatalogTargets(
        tuple(sorted(namespaces)),
        {name: namespace for name, (namespace, _) in sorted(endpoints.items())},
    )
