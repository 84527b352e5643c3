"""The catalog: one file per published workflow, checked against a versioned meta-schema.

Load a directory with :meth:`Catalog.load`, look entries up with :meth:`Catalog.get`
and check a run's inputs with :func:`validate_inputs`.
"""

from foyer.catalog.durations import parse_duration
from foyer.catalog.errors import (
    CatalogError,
    CatalogInvalid,
    EntryNotFound,
    FieldError,
    InputError,
    SourceNotFound,
    UnknownEnvironment,
)
from foyer.catalog.loader import Catalog
from foyer.catalog.models import Access, Approval, Entry, EnvironmentOverride, Example, Target
from foyer.catalog.schedules import Schedule
from foyer.catalog.sources import OPTIONS_KEYWORD, OptionField, OptionSource, SourceTarget
from foyer.catalog.validation import validate_inputs

__all__ = [
    "OPTIONS_KEYWORD",
    "Access",
    "Approval",
    "Catalog",
    "CatalogError",
    "CatalogInvalid",
    "Entry",
    "EntryNotFound",
    "EnvironmentOverride",
    "Example",
    "FieldError",
    "InputError",
    "OptionField",
    "OptionSource",
    "Schedule",
    "SourceNotFound",
    "SourceTarget",
    "Target",
    "UnknownEnvironment",
    "parse_duration",
    "validate_inputs",
]
