import pytest

from foyer.catalog import parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("90m", 5400), ("24h", 86400), ("7d", 604800), ("1h30m", 5400), (" 2h ", 7200)],
)
def test_parses_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "24", "h", "1w", "1.5h", "30m1h", "-1h", "1 h"])
def test_rejects_malformed_durations(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == (
        f"invalid duration `{text}`: use a number followed by s, m, h or d, e.g. 90m, 24h, 7d"
    )


def test_rejects_zero() -> None:
    with pytest.raises(ValueError, match=r"^invalid duration `0m`: must be greater than zero$"):
        parse_duration("0m")
