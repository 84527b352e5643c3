"""Loading a catalog directory: every entry file, the shared definitions, cross-file rules."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from foyer.catalog._documents import SUFFIXES, read_document
from foyer.catalog._entry import build_entry
from foyer.catalog._metaschema import OPTION_SOURCE, check_document, kind_of, salvage
from foyer.catalog._sources_check import option_field_errors, source_uniqueness_errors
from foyer.catalog.errors import CatalogError, CatalogInvalid, EntryNotFound, SourceNotFound
from foyer.catalog.models import Entry
from foyer.catalog.resolve import DEFS_DIR, load_shared_defs
from foyer.catalog.sources import OptionSource, build_source


@dataclass(frozen=True)
class Catalog:
    """Every published workflow, loaded from one directory.

    Attributes:
        root: The catalog directory.
        entries: The entries, sorted by id.
        sources: The option sources, sorted by name.
    """

    root: Path
    entries: list[Entry]
    sources: list[OptionSource] = field(default_factory=list)
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)
    _sources: dict[str, OptionSource] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up on every gateway request.
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})
        object.__setattr__(self, "_sources", {source.name: source for source in self.sources})

    @classmethod
    def load(cls, root: Path) -> Catalog:
        """Load and check every entry under ``root``.

        Entry files are the ``*.yaml``, ``*.yml`` and ``*.json`` files anywhere
        under ``root`` except ``root/defs``, which holds the shared definitions.
        Files of ``kind: OptionSource`` among them are option sources.

        Raises:
            CatalogInvalid: With every problem found, in every file.
        """
        if not root.is_dir():
            raise CatalogInvalid([CatalogError(root, "", "is not a directory")])
        defs, errors = load_shared_defs(root)
        entries: list[Entry] = []
        sources: list[OptionSource] = []
        for path in _entry_files(root):
            try:
                document = read_document(path)
            except CatalogError as err:
                errors.append(err)
                continue
            problems = check_document(document, path)
            if problems:
                errors += problems
                document = salvage(document, problems)
                if document is None:
                    continue
            if kind_of(document) == OPTION_SOURCE:
                source, problems = build_source(document, path)
                errors += problems
                if source is not None:
                    sources.append(source)
                continue
            entry, problems = build_entry(document, path, defs)
            errors += problems
            if entry is not None:
                entries.append(entry)
        errors += _uniqueness_errors(entries)
        errors += source_uniqueness_errors(sources)
        errors += option_field_errors(entries, sources)
        if errors:
            raise CatalogInvalid(errors)
        return cls(
            root=root,
            entries=sorted(entries, key=lambda entry: entry.id),
            sources=sorted(sources, key=lambda source: source.name),
        )

    def get(self, entry_id: str) -> Entry:
        """The entry with id ``entry_id``.

        Raises:
            EntryNotFound: If there is none; carries the closest id as a suggestion.
        """
        entry = self._by_id.get(entry_id)
        if entry is not None:
            return entry
        close = difflib.get_close_matches(entry_id, list(self._by_id), n=1)
        raise EntryNotFound(entry_id, close[0] if close else None)

    def source(self, name: str) -> OptionSource:
        """The option source called ``name``.

        Raises:
            SourceNotFound: If there is none; carries the closest name as a suggestion.
        """
        source = self._sources.get(name)
        if source is not None:
            return source
        close = difflib.get_close_matches(name, list(self._sources), n=1)
        raise SourceNotFound(name, close[0] if close else None)

    def used_by(self, source: str) -> list[tuple[Entry, str]]:
        """Every ``(entry, field)`` whose values come from ``source``, by entry id."""
        return [
            (entry, option.field)
            for entry in self.entries
            for option in entry.options.values()
            if option.source == source
        ]

    def sources_in(self, namespace: str) -> list[OptionSource]:
        """The sources whose inventory runs in ``namespace`` in at least one environment."""
        return [
            source
            for source in self.sources
            if any(target.namespace == namespace for target in source.targets())
        ]

    def for_namespace(self, namespace: str) -> list[Entry]:
        """The entries that run in ``namespace`` in at least one of their environments."""
        return [
            entry
            for entry in self.entries
            if any(target.namespace == namespace for target in entry.targets())
        ]


def _entry_files(root: Path) -> list[Path]:
    defs = root / DEFS_DIR
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in SUFFIXES
        and path.is_file()
        and defs not in path.parents
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def _uniqueness_errors(entries: list[Entry]) -> list[CatalogError]:
    errors: list[CatalogError] = []
    ids: dict[str, Entry] = {}
    types: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        first = ids.setdefault(entry.id, entry)
        if first is not entry:
            errors.append(
                CatalogError(entry.source, "/id", f"`{entry.id}` is already used by {first.source}")
            )
            continue
        for namespace in sorted({target.namespace for target in entry.targets()}):
            first = types.setdefault((namespace, entry.workflow_type), entry)
            if first is not entry:
                errors.append(
                    CatalogError(
                        entry.source,
                        "/workflow_type",
                        f"`{entry.workflow_type}` is already published in namespace "
                        f"`{namespace}` by `{first.id}` ({first.source})",
                    )
                )
    return errors
