"""Option sources on the gateway side: reading inventories, searching them, checking inputs.

- :func:`check_inputs`: the rule for option fields, shared with the team side.
- :class:`OptionsCache`: snapshots of inventories, read with Queries and searched.
- :class:`SearchIndex`: keystroke search over one list of options.
"""

from foyer.options.cache import InventoryReader, OptionsCache
from foyer.options.check import Contains, check_inputs
from foyer.options.search import Hit, Option, Result, SearchIndex
from foyer.options.snapshot import Snapshot

__all__ = [
    "Contains",
    "Hit",
    "InventoryReader",
    "Option",
    "OptionsCache",
    "Result",
    "SearchIndex",
    "Snapshot",
    "check_inputs",
]
