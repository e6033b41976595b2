"""Amounts at the game's prompts: 10k, 1.5M, $10,000 and 1.1x read; anything else asked again."""

from __future__ import annotations

import json

import pytest

from salessim.cli.game_prompts import amount, multiple, whole
from tests.cli_process import cli
from tests.support import ROOT

SCENARIO = ROOT / "scenarios" / "game" / "pay_plan_redesign.yaml"
SETTINGS = ["calendar.horizon=1y", "game.budget=5M"]
ARGS = [SCENARIO.as_posix(), *(arg for key in SETTINGS for arg in ("--set", key))]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("10k", 10_000), ("1.5M", 1_500_000), ("$10,000", 10_000), ("$1,250.5", 1250.5),
     ("7", 7), (" 2.5 ", 2.5), ("1e3", 1000), ("25K", 25_000)],
)  # fmt: skip
def test_amounts_are_read_as_scenario_files_read_them(typed, value):
    """The scenario files' amounts (suffixes k and M, a dollar sign, thousands commas) read."""
    assert amount(0)(typed) == value


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("lots", "'lots' is not a number (amounts like 12, 1.5, 10k, 1.5M or $10,000 are fine)"),
        ("10q", "'10q' is not a number"),
        ("1,5", "a comma only groups thousands, as in $10,000; decimals take a point"),
        ("12,34", "a comma only groups thousands"),
        ("inf", "'inf' is not a number"),
        ("nan", "'nan' is not a number"),
        ("1e999", "'1e999' is not a number"),
        ("-5k", "pick 0 or more"),
    ],
)
def test_anything_else_is_refused_politely(typed, reason):
    """Words, decimal commas, infinities and negative amounts are refused with a reason."""
    with pytest.raises(ValueError) as refused:
        amount(0)(typed)
    assert reason in str(refused.value)


def test_whole_numbers_and_multiples_take_the_same_amounts():
    """A count takes 2 or 2.0 (not 2.5); a multiple of market pay takes 1.1 or 1.1x."""
    assert whole(0)("2.0") == 2 and whole(0)("1k") == 1000
    with pytest.raises(ValueError, match=r"'2\.5' is not a whole number"):
        whole(0)("2.5")
    assert multiple(0.85, 1.3)("1.1x") == multiple(0.85, 1.3)("1.1") == 1.1
    with pytest.raises(ValueError, match=r"pick a number from 0\.85 to 1\.3"):
        multiple(0.85, 1.3)("2x")
    with pytest.raises(ValueError, match="pick a number above 0 and at most 1"):
        multiple(0, 1, above=True)("0")


def test_prizes_offers_and_counts_take_amounts_at_the_keyboard(tmp_path):
    """Through the CLI: prizes of 5k and $1,500, an offer of 1.1x, a count of 1.0.

    Each refused answer gets a polite reason and the same question again; the played
    turn holds the amounts as numbers.
    """
    save = tmp_path / "game.json"
    lines = [
        "k", "ae", "five", "1,5", "5k", "$1,500", "",
        "h", "ae", "1.0", "1.1x",
        "r", "2.5", "2",
        "e", "q",
    ]  # fmt: skip
    typed = "".join(f"{line}\n" for line in lines)
    proc = cli("play", *ARGS, "--save", str(save), input=typed)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr
    assert "Sorry, 'five' is not a number (amounts like 12, 1.5, 10k" in out
    assert "Sorry, '1,5' is not a number (a comma only groups thousands" in out
    assert "Sorry, '2.5' is not a whole number." in out
    assert out.count("Prize for first place (e.g. 5000 or 5k): ") == 3  # asked again twice
    assert "Noted: a contest for AEs over the next quarter: 2 prizes ($5.0k, $1.5k)" in out
    assert "Noted: hire 1 AE at 1.1 times market pay" in out
    assert json.loads(save.read_text())["decisions"] == [
        {
            "hire": [{"role": "ae", "offer": 1.1}],
            "recognition": 2,
            "contest": {"role": "ae", "prizes": [5000.0, 1500.0]},
        }
    ]
