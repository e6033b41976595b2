"""What the organisation leaves at the end of a run: its customer book and its open pipeline.

One valuation, shared by the game's score (``profit``) and the ``contribution`` KPI, so
cutting costs at the expense of the future never pays in either: the book is worth
``book_years`` of its ARR (the scenario's ``game.book_years``), and the open pipeline its
expected wins, its value times the win rate (nothing when no deal has closed yet).
"""

from __future__ import annotations

import math


def book_and_pipeline(
    ending_arr: float, open_pipeline: float, win_rate: float, book_years: float
) -> float:
    """The book at ``book_years`` of its ARR plus the open pipeline's expected wins.

    Args:
        ending_arr: ARR of the customer book at the end.
        open_pipeline: value of every open lead and deal at the end.
        win_rate: deals won over deals closed; unknown (NaN) counts as no wins.
        book_years: years of ARR the book is worth.
    """
    rate = win_rate if math.isfinite(win_rate) else 0.0
    return ending_arr * book_years + open_pipeline * rate
