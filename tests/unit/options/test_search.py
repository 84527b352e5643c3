"""Search over one list of options: matching, ranking, highlighting."""

from __future__ import annotations

import random

import pytest

from foyer.options.search import Option, SearchIndex, highlight, tokenize


def labels(index: SearchIndex, query: str, limit: int = 10) -> list[str]:
    return [hit.option.shown for hit in index.search(query, limit).hits]


def test_matching_is_case_insensitive_on_words_and_substrings() -> None:
    index = SearchIndex(
        [Option("orders-prod-db"), Option("Payments-Prod"), Option("sessions-stage")]
    )
    assert labels(index, "PROD") == ["orders-prod-db", "Payments-Prod"]
    assert labels(index, "ion") == ["sessions-stage"]
    assert labels(index, "prod pay") == ["Payments-Prod"]
    assert index.search("prod", 10).matched == 2
    assert index.search("prod", 10).total == 3


def test_prefix_then_whole_word_then_word_start_then_substring_then_elsewhere() -> None:
    index = SearchIndex(
        [
            Option("app-reprod"),  # substring in the label
            Option("prodigal-app"),  # label prefix
            Option("app-prod"),  # whole word
            Option("app-production"),  # word start
            Option("zz", description="prod only here"),  # elsewhere
        ]
    )
    result = index.search("prod", 10)
    assert [hit.option.shown for hit in result.hits] == [
        "prodigal-app",
        "app-prod",
        "app-production",
        "app-reprod",
        "zz",
    ]
    assert [hit.tier for hit in result.hits] == [1, 2, 3, 4, 5]


def test_empty_query_lists_everything_in_label_order() -> None:
    index = SearchIndex([Option("b"), Option("a"), Option("c")])
    result = index.search("  ", 2)
    assert (result.total, result.matched) == (3, 3)
    assert [hit.option.value for hit in result.hits] == ["a", "b"]


def test_value_and_description_are_searched_and_label_defaults_to_value() -> None:
    index = SearchIndex([Option("db-1234", "Orders", "postgres 15 in eu-west-1")])
    assert labels(index, "1234") == ["Orders"]
    assert labels(index, "eu-west") == ["Orders"]
    assert SearchIndex([Option("only-value")]).search("only", 1).hits[0].option.shown == (
        "only-value"
    )


def test_highlight_marks_each_word_preferring_word_starts() -> None:
    assert highlight("orders-prod-db", ["prod"]) == [(7, 11)]
    assert highlight("reprod-prod", ["prod"]) == [(7, 11)]
    assert highlight("reprod", ["prod"]) == [(2, 6)]
    assert highlight("orders-prod", ["ord", "orders"]) == [(0, 6)]
    assert highlight("Orders", ["rd", "ers"]) == [(1, 6)]
    assert highlight("Orders", ["o", "ers"]) == [(0, 1), (3, 6)]


def test_tokenize_lowers_splits_and_dedupes() -> None:
    assert tokenize(" Prod  DB prod ") == ["prod", "db"]


def test_contains_is_exact_on_values() -> None:
    index = SearchIndex([Option("orders"), Option("orders-archive")])
    assert index.contains("orders")
    assert not index.contains("Orders")
    assert not index.contains("order")


def _brute_force(options: list[Option], query: str, limit: int) -> tuple[int, list[str]]:
    """The specification, written the slow way."""
    tokens = tokenize(query)
    ordered = sorted(options, key=lambda o: (o.shown.lower(), o.value))

    def tier(option: Option) -> int:
        label = option.shown.lower()
        if label.startswith(" ".join(tokens)):
            return 1
        kinds = []
        for token in tokens:
            starts = [
                i
                for i in range(len(label))
                if label.startswith(token, i)
                and token[0].isalnum()
                and (i == 0 or not label[i - 1].isalnum())
            ]
            whole = [
                i
                for i in starts
                if i + len(token) == len(label) or not label[i + len(token)].isalnum()
            ]
            kinds.append(2 if whole else 3 if starts else 0)
        if all(kinds):
            return max(kinds)
        return 4 if all(t in label for t in tokens) else 5

    text = [f"{o.shown}\x00{o.value}\x00{o.description}".lower() for o in ordered]
    matched = [i for i, t in enumerate(text) if all(token in t for token in tokens)]
    ranked = sorted(matched, key=lambda i: (tier(ordered[i]), i))[:limit]
    return len(matched), [ordered[i].value for i in ranked]


WORDS = ["orders", "payments", "prod", "production", "pg", "db", "stage", "reprod", "eu", "x1"]


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_the_slow_specification_on_random_data(seed: int) -> None:
    rng = random.Random(seed)
    options = [
        Option(
            f"id-{n}",
            "-".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) + f"-{n % 50}",
            rng.choice(["", "postgres production", "mysql", "eu-west-1 prod"])
            # Odd seeds: every description differs, so none is shared between options.
            + (f" n{n}" if seed % 2 else ""),
        )
        for n in range(2000)
    ]
    index = SearchIndex(options)
    queries = ["p", "pr", "pro", "prod", "prod-", "rod", "x", "orders p", "db prod", "1", "eu we"]
    queries += ["postgres", "mysql prod", "production", "stage orders", "zzz", "o r", "n12", "-1"]
    for query in queries:
        for limit in (1, 7, 20):
            result = index.search(query, limit)
            expected_matched, expected = _brute_force(options, query, limit)
            assert result.matched == expected_matched, query
            assert [hit.option.value for hit in result.hits] == expected, (query, limit)
