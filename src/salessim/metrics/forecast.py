"""The pipeline forecast: next quarter's new ARR and churn from what the record knows.

At a quarter's start (a ``ForecastMark``), the forecast reads the open pipeline, the
book and the run's history:

- **new ARR** = price x quarter days / cycle days x the sum, over the deal stages, of the
  list value open at the stage x the chance a deal there is won. The chance is the
  run's wins over the stage's completions so far (a deal waiting at a stage is won as
  often as those that went through it), the price the ARR of the deals won over their
  list value, and the cycle the mean days from opportunity to a win. The last factor is
  Little's law: an open pipeline holds the wins of ``cycle days`` of selling, so a
  quarter books ``quarter days / cycle days`` of it, the wins of deals not yet in the
  pipeline included, as long as the business is steady;
- **churn** = the ARR due to renew in the quarter x the share of the ARR that came up for
  renewal so far and churned (accounts churn only at renewal).

Each rate leans on the scenario's own (``ForecastPriors``: the funnel's configured
conversions, its stages' mean work and wait, the churn model's base chance) as if it had
been seen ``PRIOR_WEIGHT`` times, so the first quarter's forecast, before any history,
is the scenario's and the run's history takes over as it grows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from salessim.metrics.record import ForecastMark, ForecastPriors, Record
from salessim.model.organisation import rep_speed
from salessim.scenario.funnel import Outcome
from salessim.scenario.schema import Scenario

NAN = float("nan")
PRIOR_WEIGHT = 20.0
"""How many observations the scenario's own rates count for: stage completions, wins,
renewals (each of the mean account's ARR)."""

FORECAST_KPIS = {
    "forecast_error_new_arr": "Mean absolute percentage error of the pipeline forecast of "
    "each whole quarter's new ARR, made at its start (forecast_by_quarter), over the "
    "quarters that booked any.",
    "forecast_error_churn": "The same for churned ARR, over the quarters with any churn.",
}


@dataclass(frozen=True)
class Forecast:
    """Next quarter's new ARR and churned ARR, expected."""

    new_arr: float
    churn: float


def priors(scenario: Scenario) -> ForecastPriors:
    """The scenario's own rates: each stage's chance to win, the cycle, the churn chance.

    A stage's chance is the product of the conversions on the way to ``won``, following
    each stage's ``next`` (or ``routes``, weighted). Stages only some deals pass
    (``needs_specialist``) count in full: the prior is a little low, and history
    corrects it.
    """
    stages = scenario.funnel.stages
    names = [stage.name for stage in stages]
    win = [0.0] * len(stages)
    for index in reversed(range(len(stages))):  # later stages first; loops count once
        stage = stages[index]
        failed = 1.0 if stage.on_fail is Outcome.WON else 0.0
        if stage.routes is not None:
            routed = sum(stage.routes.values())
            chance = sum(_to(target, win, names, index) * p for target, p in stage.routes.items())
            win[index] = chance + (1 - routed) * failed
        else:
            target = stage.next or (names[index + 1] if index + 1 < len(stages) else "won")
            after = _to(target, win, names, index)
            win[index] = stage.convert * after + (1 - stage.convert) * failed
    cycle = 0.0
    for stage in stages:
        if stage.role.value == "sdr":
            continue
        spec = scenario.roles.of(stage.role)
        speed = rep_speed(spec.hours_per_week, spec.selling_share) or 1.0
        cycle += stage.work.mean / speed + stage.lag.mean  # work at the rep's pace
    return ForecastPriors(win, max(1.0, cycle), scenario.customers.churn.base)


def _to(target: str, win: list[float], names: list[str], index: int) -> float:
    """The chance of winning from ``target``, as known while working back from the end."""
    if target == "won":
        return 1.0
    if target in names:
        found = names.index(target)
        return win[found] if found > index else 0.0  # a loop back: not counted again
    return 0.0


def forecast(mark: ForecastMark, prior: ForecastPriors, stage_roles: list[str]) -> Forecast:
    """The pipeline forecast from ``mark`` to its ``until`` day (see the module's rule)."""
    days = max(0.0, mark.until - mark.day)
    won = float(mark.won)
    expected_value = 0.0
    for index, role in enumerate(stage_roles):
        if role == "sdr":  # leads, not deals yet: Little's law counts their wins
            continue
        done = float(mark.stage_done[index])
        chance = (won + PRIOR_WEIGHT * prior.win_from_stage[index]) / (done + PRIOR_WEIGHT)
        expected_value += max(0.0, mark.stage_value[index]) * min(1.0, chance)
    deal_size = mark.won_value / won if won else 0.0
    price = _blend(mark.won_arr, mark.won_value, 1.0, PRIOR_WEIGHT * deal_size)
    cycle = (mark.cycle_days + PRIOR_WEIGHT * prior.cycle_days) / (mark.cycled + PRIOR_WEIGHT)
    account = mark.book_arr / mark.accounts if mark.accounts else 0.0
    churn_rate = _blend(
        mark.churned_arr, mark.renewed_arr, prior.churn_rate, PRIOR_WEIGHT * account
    )
    return Forecast(
        new_arr=price * days / cycle * expected_value,
        churn=churn_rate * mark.renewals_due_arr,
    )


def _blend(part: float, whole: float, prior: float, prior_whole: float) -> float:
    """``part / whole`` with ``prior`` counted as ``prior_whole`` of it seen before."""
    total = whole + prior_whole
    return (part + prior * prior_whole) / total if total > 0 else prior


def by_quarter(record: Record) -> list[dict[str, float | str]]:
    """Each whole quarter measured: the forecast made at its start, and what happened.

    Rows: ``quarter``, ``new_arr_forecast``, ``new_arr_actual``, ``churn_forecast``,
    ``churn_actual``. A quarter the run ends inside, or started inside, has no row.
    """
    prior = record.forecast_priors
    if prior is None:
        return []
    rows: list[dict[str, float | str]] = []
    marks = record.forecast_marks
    for start, end in pairwise(marks):
        if not start.whole or abs(end.day - start.until) > 1e-3:
            continue
        made = forecast(start, prior, record.stage_roles)
        rows.append(
            {
                "quarter": start.quarter,
                "new_arr_forecast": made.new_arr,
                "new_arr_actual": end.bookings_new_arr - start.bookings_new_arr,
                "churn_forecast": made.churn,
                "churn_actual": end.churned_arr - start.churned_arr,
            }
        )
    return rows


def percentage_error(forecast: float, actual: float) -> float:
    """``|forecast - actual| / actual``; NaN when nothing happened (``actual`` is 0)."""
    return abs(forecast - actual) / actual if actual > 0 else NAN


def forecast_kpis(record: Record) -> dict[str, float]:
    """``forecast_error_new_arr`` and ``forecast_error_churn`` (NaN: no quarter to judge)."""
    rows = by_quarter(record)
    found = {}
    for name, kind in (("forecast_error_new_arr", "new_arr"), ("forecast_error_churn", "churn")):
        errors = [
            percentage_error(float(row[f"{kind}_forecast"]), float(row[f"{kind}_actual"]))
            for row in rows
        ]
        known = [error for error in errors if not math.isnan(error)]
        found[name] = sum(known) / len(known) if known else NAN
    return found
