"""The one rule for option fields, used by the gateway and by the team's Nexus handler:
a value must be one of the source's current options under the params the other
fields set."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from foyer.catalog import Entry, OptionField

Contains = Callable[[OptionField, str, dict[str, str]], Awaitable[bool | None]]
"""``(field, value, params) -> whether value is a current option``; ``None`` when unknown."""


async def check_inputs(
    entry: Entry, inputs: Mapping[str, Any], contains: Contains
) -> list[tuple[str, str]]:
    """Every option field of ``entry`` whose value in ``inputs`` is not a current option.

    Call it after the schema validated the inputs. A field left empty is the
    schema's business; an answer of ``None`` (the inventory could not be read)
    is not a refusal.

    Returns:
        ``(field, message)`` pairs, ``field`` being the input's name.
    """
    problems = []
    for name, option in entry.options.items():
        value = inputs.get(name)
        if not isinstance(value, str) or not value:
            continue
        params = option.param_values(dict(inputs))
        if await contains(option, value, params) is False:
            problems.append((name, not_an_option(option, value, params)))
    return problems


def not_an_option(option: OptionField, value: str, params: Mapping[str, str]) -> str:
    where = ", ".join(f"{key} {params[key]}" for key in sorted(params))
    return f"`{value}` is not one of the current options of `{option.source}`" + (
        f" for {where}" if where else ""
    )
