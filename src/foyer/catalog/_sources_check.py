"""Rules between option sources and the entries whose fields use them."""

from __future__ import annotations

from foyer.catalog._documents import pointer
from foyer.catalog._messages import did_you_mean
from foyer.catalog.errors import CatalogError
from foyer.catalog.models import Entry
from foyer.catalog.sources import OPTIONS_KEYWORD, OptionSource


def source_uniqueness_errors(sources: list[OptionSource]) -> list[CatalogError]:
    errors: list[CatalogError] = []
    names: dict[str, OptionSource] = {}
    for source in sources:
        first = names.setdefault(source.name, source)
        if first is not source:
            errors.append(
                CatalogError(
                    source.source, "/name", f"`{source.name}` is already used by {first.source}"
                )
            )
    return errors


def option_field_errors(entries: list[Entry], sources: list[OptionSource]) -> list[CatalogError]:
    """Each option field names a known source, only its params, and a source the team side can read.

    The team's Nexus handler checks a value against the inventory in its own
    namespace, so in every environment the source must live where the entry runs.
    """
    by_name = {source.name: source for source in sources}
    errors: list[CatalogError] = []
    for entry in entries:
        for option in entry.options.values():
            at = ("schema", "properties", option.field, OPTIONS_KEYWORD)

            def fail(
                where: tuple[str, ...], message: str, at: tuple[str, ...] = at, entry: Entry = entry
            ) -> None:
                errors.append(CatalogError(entry.source, pointer((*at, *where)), message))

            fields = list(entry.schema.get("properties", {}))
            for param, other in option.params.items():
                if other == option.field:
                    fail(("params", param), f"`{other}` cannot depend on itself")
                elif other not in fields:
                    fail(
                        ("params", param),
                        f"`{other}` is not a field of `{entry.id}`" + did_you_mean(other, fields),
                    )
            source = by_name.get(option.source)
            if source is None:
                known = ", ".join(sorted(by_name)) or "none"
                fail(
                    ("source",),
                    f"no option source `{option.source}`"
                    + (did_you_mean(option.source, by_name) or f" (known: {known})"),
                )
                continue
            for param in option.params:
                if param not in source.param_names:
                    declared = ", ".join(source.param_names) or "none"
                    fail(
                        ("params", param),
                        f"`{param}` is not a param of `{source.name}` (it has: {declared})"
                        + did_you_mean(param, source.param_names),
                    )
            for environment in sorted(entry.environments):
                runs_in = entry.target(environment).namespace
                kept_in = source.target(environment).namespace
                if runs_in != kept_in:
                    fail(
                        ("source",),
                        f"`{source.name}` is kept in namespace `{kept_in}` but `{entry.id}` runs "
                        f"in `{runs_in}` in environment `{environment}`; the team side can only "
                        f"check values in its own namespace: give the source "
                        f"`environments: {{{environment}: {{namespace: {runs_in}}}}}`",
                    )
    return errors
