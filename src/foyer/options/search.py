"""Keystroke search over one list of options.

Matching is case-insensitive: every word of the query must occur somewhere in
an option's label, value or description. Results are ranked in tiers, and in
label order within a tier:

1. the label starts with the query;
2. every query word is a whole word of the label;
3. every query word starts a word of the label;
4. every query word occurs in the label;
5. the rest (matched in the value or description only).

The index is built once per snapshot so that a keystroke never scans or sorts
every option:

- the matching set of a word comes from unigram and bigram postings (one- and
  two-letter words), from the vocabulary of labels and values (the options
  holding the words that contain it), and from the distinct descriptions that
  contain it (descriptions repeat, so each is searched once); it is kept per
  word and per set of vocabulary words, so typing on within a word is free;
- further words of the query are checked only on the smallest such set;
- tier 1 is a range of the sorted labels (bisection), tiers 2 and 3 walk
  label-word and word-start postings in label order, tier 4 searches all
  labels joined in one string, and only the best ``limit`` are ever ranked.
"""

from __future__ import annotations

import bisect
import gc
import re
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

_WORD = re.compile(r"[^\W_]+")
_START_GRAM = 3
"""Word-start postings are kept for word prefixes up to this length."""
_CACHE_SIZE = 16
_SMALL = 256
"""Up to this many matches, rank them all directly."""
_MAX_WORDS = 64
"""A word-character query word found in more distinct words than this is matched by bigrams."""
_EMPTY: array[int] = array("I")


@dataclass(frozen=True)
class Option:
    """One value a field can take.

    Attributes:
        value: What the field is set to.
        label: What people read and search; the value when empty.
        description: A line of detail, also searched.
    """

    value: str
    label: str = ""
    description: str = ""

    @property
    def shown(self) -> str:
        return self.label or self.value


@dataclass(frozen=True)
class Hit:
    """One ranked option, with the parts of its label that matched.

    Attributes:
        match: ``[start, end)`` character ranges of the label, sorted, not overlapping.
        tier: 1 (label prefix) to 5 (matched outside the label); lower ranks first.
    """

    option: Option
    match: list[tuple[int, int]] = field(default_factory=list)
    tier: int = 5


@dataclass(frozen=True)
class Result:
    """The answer to one search: how many options, how many matched, the best ones."""

    total: int
    matched: int
    hits: list[Hit]


class SearchIndex:
    """Options prepared for fast repeated search; immutable once built."""

    def __init__(self, options: Iterable[Option]) -> None:
        ordered = sorted(options, key=lambda o: (o.shown.lower(), o.value))
        self.options: list[Option] = ordered
        self._labels = [option.shown.lower() for option in ordered]
        # What identifies an option (label, and value when it differs), searched per option...
        self._fields = [
            f"{label}\x00{value}" if (value := option.value.lower()) != label else label
            for label, option in zip(self._labels, ordered, strict=True)
        ]
        # ...and descriptions, which repeat ("db.r6g.large · postgres 15"): searched once each.
        distinct: dict[str, int] = {}
        self._description_of = array(
            "I", (distinct.setdefault(o.description.lower(), len(distinct)) for o in ordered)
        )
        self._descriptions = list(distinct)
        self._texts = [
            f"{fields}\x00{self._descriptions[number]}"
            for fields, number in zip(self._fields, self._description_of, strict=True)
        ]
        # " orders prod db 00042": a word starts wherever a space precedes it.
        self._word_texts = [" " + " ".join(_WORD.findall(label)) for label in self._labels]
        self._values = frozenset(option.value for option in ordered)
        self._joined = "\n".join(self._labels)
        self._offsets = array("Q", _offsets(self._labels))
        enabled = gc.isenabled()
        gc.disable()  # millions of short-lived containers; collecting mid-build only slows it
        try:
            self._build_postings()
        finally:
            if enabled:
                gc.enable()
        self._cache: OrderedDict[tuple[str, ...], Sequence[int]] = OrderedDict()
        self._merges: OrderedDict[tuple[str, tuple[int, ...]], Sequence[int]] = OrderedDict()
        self._token_cache: OrderedDict[str, Sequence[int]] = OrderedDict()

    def _build_postings(self) -> None:
        grams: defaultdict[str, list[int]] = defaultdict(list)
        words: defaultdict[str, list[int]] = defaultdict(list)
        label_words: defaultdict[str, list[int]] = defaultdict(list)
        starts: defaultdict[str, list[int]] = defaultdict(list)
        described: list[list[int]] = [[] for _ in self._descriptions]
        rows = zip(self._texts, self._fields, self._labels, self._description_of, strict=True)
        for index, (text, fields, label, description) in enumerate(rows):
            # map() over str.__add__ pairs neighbouring characters without a Python-level loop.
            for gram in {*text, *map(str.__add__, text, text[1:])}:
                grams[gram].append(index)
            for word in set(_WORD.findall(fields)):
                words[word].append(index)
            in_label = set(_WORD.findall(label))
            for word in in_label:
                label_words[word].append(index)
            for prefix in {w[:n] for w in in_label for n in range(1, _START_GRAM + 1)}:
                starts[prefix].append(index)
            described[description].append(index)
        # Built in index order, so every posting list is sorted; arrays keep them small.
        self._grams = {gram: array("I", postings) for gram, postings in grams.items()}
        self._label_words = {word: array("I", postings) for word, postings in label_words.items()}
        self._starts = {prefix: array("I", postings) for prefix, postings in starts.items()}
        self._described = [array("I", postings) for postings in described]
        vocabulary = sorted(words)
        self._words = [array("I", words[word]) for word in vocabulary]
        self._vocabulary = "\n".join(vocabulary)
        self._vocabulary_offsets = array("Q", _offsets(vocabulary))

    def __len__(self) -> int:
        return len(self.options)

    def search(self, query: str, limit: int) -> Result:
        """The ``limit`` best options for ``query`` and how many matched in all."""
        tokens = tokenize(query)
        total = len(self.options)
        if not tokens:
            return Result(total, total, [Hit(o, [], 1) for o in self.options[:limit]])
        matched = self.matching(tokens)
        if len(matched) <= max(_SMALL, limit):
            ranked = sorted(matched, key=lambda i: (self._tier(i, tokens), i))[:limit]
        else:
            ranked = self._walk_tiers(tokens, matched, limit)
        hits = []
        for index in ranked:
            option = self.options[index]
            hits.append(Hit(option, highlight(option.shown, tokens), self._tier(index, tokens)))
        return Result(total, len(matched), hits)

    def contains(self, value: str) -> bool:
        """Whether some option has exactly ``value``."""
        return value in self._values

    def matching(self, tokens: Sequence[str]) -> Sequence[int]:
        """Indexes of every option containing every token, ascending."""
        if len(tokens) == 1:
            return self._token(tokens[0])
        key = tuple(tokens)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        each = sorted(((self._token(token), token) for token in tokens), key=lambda x: len(x[0]))
        matched, settled = each[0]
        for earlier, found in self._cache.items():
            # A query whose words all lie inside ours matched a superset of our matches.
            if len(found) < len(matched) and all(
                any(word in token for token in tokens) for word in earlier
            ):
                matched, settled = found, ""
        texts = self._texts
        for _, token in each:
            if token != settled and matched:
                matched = [i for i in matched if token in texts[i]]
        _remember(self._cache, key, matched)
        return matched

    def _token(self, token: str) -> Sequence[int]:
        """Indexes of every option containing ``token``, ascending; cached by token."""
        if len(token) <= 2:
            return self._grams.get(token, _EMPTY)
        found = self._token_cache.get(token)
        if found is not None:
            self._token_cache.move_to_end(token)
            return found
        own = self._in_fields(token)
        described = self._in_descriptions(token)
        if not own:
            found = described
        elif not described:
            found = own
        else:
            found = sorted(set(own).union(described))
        _remember(self._token_cache, token, found)
        return found

    def _in_fields(self, token: str) -> Sequence[int]:
        """Options whose label or value contains ``token``."""
        parts = _WORD.findall(token)
        if parts:
            # Every part lies inside one word of the label or value: the vocabulary gives
            # the options holding the longest part, usually few and kept from the last letter.
            longest = max(parts, key=len)
            words = self._words_containing(longest)
            if words is not None:
                holding = self._merge("w", words, self._words)
                if token == longest:
                    return holding
                fields = self._fields
                return [i for i in holding if token in fields[i]]
        rarest = min((self._grams.get(a + b, _EMPTY) for a, b in pairwise(token)), key=len)
        fields = self._fields
        return [i for i in rarest if token in fields[i]]

    def _in_descriptions(self, token: str) -> Sequence[int]:
        """Options whose description contains ``token``, found among distinct descriptions."""
        numbers = tuple(n for n, text in enumerate(self._descriptions) if token in text)
        return self._merge("d", numbers, self._described)

    def _words_containing(self, token: str) -> tuple[int, ...] | None:
        """The vocabulary words containing ``token``; ``None`` if there are too many."""
        vocabulary, offsets = self._vocabulary, self._vocabulary_offsets
        found: list[int] = []
        position = vocabulary.find(token)
        while position >= 0:
            number = bisect.bisect_right(offsets, position) - 1
            found.append(number)
            if len(found) > _MAX_WORDS:
                return None
            if number + 1 >= len(offsets):
                break
            position = vocabulary.find(token, offsets[number + 1])
        return tuple(found)

    def _merge(
        self, kind: str, numbers: tuple[int, ...], postings: list[array[int]]
    ) -> Sequence[int]:
        """The union of some posting lists, ascending; computed once per set of lists,
        since typing on within a word usually keeps the same words and descriptions."""
        if not numbers:
            return _EMPTY
        if len(numbers) == 1:
            return postings[numbers[0]]
        key = (kind, numbers)
        merged = self._merges.get(key)
        if merged is None:
            merged = sorted(set().union(*(postings[number] for number in numbers)))
            _remember(self._merges, key, merged)
        else:
            self._merges.move_to_end(key)
        return merged

    def _tier(self, index: int, tokens: Sequence[str]) -> int:
        label = self._labels[index]
        if label.startswith(" ".join(tokens)):
            return 1
        best = 2
        for token in tokens:
            found = _word_occurrence(label, token)
            if found is None:
                return 4 if all(t in label for t in tokens) else 5
            if found == 3:
                best = 3
        return best

    def _walk_tiers(self, tokens: Sequence[str], matched: Sequence[int], limit: int) -> list[int]:
        """The best ``limit`` of many matches, visiting as few of them as the tiers allow."""
        labels = self._labels
        phrase = " ".join(tokens)
        low = bisect.bisect_left(labels, phrase)
        high = bisect.bisect_left(labels, phrase + "\U0010ffff", low)
        taken = list(range(low, min(high, low + limit)))
        seen = set(taken)
        if len(taken) < limit and all(token[0].isalnum() for token in tokens):
            walked = self._word_tiers(tokens, limit - len(taken), seen)
            taken += walked
            seen.update(walked)
        if len(taken) < limit and self._labels_may_hold(max(tokens, key=len)):
            walked = self._label_tier(tokens, limit - len(taken), seen)
            taken += walked
            seen.update(walked)
        wanted = limit - len(taken)
        if wanted > 0:
            # Every option left has a word outside its label; tiers 1-4 are complete.
            for index in matched:
                if index not in seen and not all(t in labels[index] for t in tokens):
                    taken.append(index)
                    wanted -= 1
                    if not wanted:
                        break
        return taken

    def _word_tiers(self, tokens: Sequence[str], wanted: int, seen: set[int]) -> list[int]:
        """Tier 2, then tier 3, each in label order; walks the rarest token's word postings."""
        found: list[int] = []
        heads = [_head(token) for token in tokens]
        starts = [" " + head for head in heads]
        word_texts = self._word_texts
        # A whole-word match of a token means its first word is a whole word of the label.
        for tier, postings in (
            (2, [self._label_words.get(head, _EMPTY) for head in heads]),
            (3, [self._starts.get(head[:_START_GRAM], _EMPTY) for head in heads]),
        ):
            for index in min(postings, key=len):
                # Cheap first: every token's first word must start a word of the label.
                if index in seen or not all(start in word_texts[index] for start in starts):
                    continue
                if self._tier(index, tokens) == tier:
                    found.append(index)
                    if len(found) >= wanted:
                        return found
            seen = seen | set(found)
        return found

    def _labels_may_hold(self, token: str) -> bool:
        """False when no label can contain ``token``, found without scanning every label."""
        if _WORD.fullmatch(token):
            return self._words_containing(token) != ()
        return len(token) <= 2 or bool(self._in_fields(token))

    def _label_tier(self, tokens: Sequence[str], wanted: int, seen: set[int]) -> list[int]:
        """Tier 4 in label order: options whose label holds every token, found by searching
        all labels at once for the longest token."""
        longest = max(tokens, key=len)
        joined, offsets, labels = self._joined, self._offsets, self._labels
        found: list[int] = []
        position = joined.find(longest)
        while position >= 0 and len(found) < wanted:
            index = bisect.bisect_right(offsets, position) - 1
            if index not in seen and all(token in labels[index] for token in tokens):
                found.append(index)
            if index + 1 >= len(offsets):
                break
            position = joined.find(longest, offsets[index + 1])
        return found


def _remember(cache: OrderedDict[Any, Sequence[int]], key: Any, value: Sequence[int]) -> None:
    cache[key] = value
    if len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def _offsets(strings: Sequence[str]) -> list[int]:
    """Where each string starts in ``"\\n".join(strings)``."""
    offsets, position = [], 0
    for string in strings:
        offsets.append(position)
        position += len(string) + 1
    return offsets


def tokenize(query: str) -> list[str]:
    """The distinct lowercase words of a query, in order."""
    return list(dict.fromkeys(query.lower().split()))


def _head(token: str) -> str:
    """The leading run of letters and digits of a token."""
    match = _WORD.match(token)
    return match.group() if match else token


def _word_occurrence(label: str, token: str) -> int | None:
    """2 if ``token`` occurs in ``label`` as whole words, 3 if only at a word start, else None."""
    if not token[0].isalnum():
        return None
    start = label.find(token)
    best: int | None = None
    while start >= 0:
        if start == 0 or not label[start - 1].isalnum():
            end = start + len(token)
            if end == len(label) or not label[end].isalnum():
                return 2
            best = 3
        start = label.find(token, start + 1)
    return best


def highlight(label: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Ranges of ``label`` that the tokens matched, preferring word starts, merged and sorted."""
    lowered = label.lower()
    if len(lowered) != len(label):
        return []  # lowering changed the length; offsets would point at the wrong characters
    ranges = []
    for token in tokens:
        position = _first_word_start(lowered, token)
        if position is None:
            position = lowered.find(token)
        if position >= 0:
            ranges.append((position, position + len(token)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _first_word_start(label: str, token: str) -> int | None:
    start = label.find(token)
    while start >= 0:
        if start == 0 or not label[start - 1].isalnum():
            return start
        start = label.find(token, start + 1)
    return None
