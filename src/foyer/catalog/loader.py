"""Loading a catalog directory: every entry file, the shared definitions, cross-file rules."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from foyer.catalog._documents import SUFFIXES, read_document
from foyer.catalog._entry import build_entry
from foyer.catalog._metaschema import check_document, salvage
from foyer.catalog.errors import CatalogError, CatalogInvalid, EntryNotFound
from foyer.catalog.models import Entry
from foyer.catalog.resolve import DEFS_DIR, load_shared_defs


@dataclass(frozen=True)
class Catalog:
    """Every published workflow, loaded from one directory.

    Attributes:
        root: The catalog directory.
        entries: The entries, sorted by id.
    """

    root: Path
    entries: list[Entry]
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up on every gateway request.
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    @classmethod
    def load(cls, root: Path) -> Catalog:
        """Load and check every entry under ``root``.

        Entry files are the ``*.yaml``, ``*.yml`` and ``*.json`` files anywhere
        under ``root`` except ``root/defs``, which holds the shared definitions.

        Raises:
            CatalogInvalid: With every problem found, in every file.
        """
        if not root.is_dir():
            raise CatalogInvalid([CatalogError(root, "", "is not a directory")])
        defs, errors = load_shared_defs(root)
        entries: list[Entry] = []
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
            entry, problems = build_entry(document, path, defs)
            errors += problems
            if entry is not None:
                entries.append(entry)
        errors += _uniqueness_errors(entries)
        if errors:
            raise CatalogInvalid(errors)
        return cls(root=root, entries=sorted(entries, key=lambda entry: entry.id))

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
