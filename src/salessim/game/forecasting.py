"""Forecasting, the manager's third job: the guide, the forecasts committed and their accuracy.

Each turn the briefing shows the model's pipeline forecast of the next quarter
(``salessim.metrics.forecast``) as a guide, and the player commits a forecast of its new
ARR and churn with the turn's decisions; a player who commits none takes the guide. A
forecast is committed before the turn is played and kept in the decision log, so it
cannot be edited once the quarter is known. When the turn is played, the forecast is
checked against what the quarter booked and lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from salessim.metrics.forecast import Forecast, forecast
from salessim.run import Recording


@dataclass(frozen=True)
class ForecastCheck:
    """One turn's forecast: the guide, what the player committed, what happened."""

    guide: Forecast
    committed: Forecast  # the guide when the player committed none
    own: bool  # the player's own forecast, not the guide
    actual: Forecast | None = None  # None until the turn is played


FIGURES = ("new_arr", "churn")


def accuracy(checks: list[ForecastCheck]) -> float:
    """How well the committed forecasts matched the played turns, on [0, 1].

    For new ARR and for churn apart: 1 minus the root of the summed squared misses over
    the root of the summed squared actuals (a forecast's typical miss as a share of a
    typical quarter), floored at 0; the mean of the two. Forecasting nothing scores 0
    (unless nothing happened), a miss as large as the quarter scores 0, and the forecast
    that expects least miss on average is the expected value, which the guide estimates.
    Nothing played yet: NaN.
    """
    played = [check for check in checks if check.actual is not None]
    if not played:
        return float("nan")
    scores = []
    for name in FIGURES:
        pairs = [(getattr(c.committed, name), getattr(c.actual, name)) for c in played]
        missed = sum((forecast - actual) ** 2 for forecast, actual in pairs)
        size = sum(actual**2 for _, actual in pairs)
        if size == 0:
            scores.append(1.0 if missed == 0 else 0.0)
        else:
            scores.append(max(0.0, 1 - math.sqrt(missed / size)))
    return sum(scores) / len(scores)


def guide(recording: Recording, until: float) -> Forecast:
    """The model's pipeline forecast from now to day ``until``, from the run's record."""
    record = recording.record
    assert record.forecast_priors is not None, "a game's recording forecasts"
    mark = recording.recorder.mark(until)
    return forecast(mark, record.forecast_priors, record.stage_roles)
