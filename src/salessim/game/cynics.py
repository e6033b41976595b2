"""Cynical players: scripted strategies that try to game the score rather than run the team.

Each pushes one lever as far as the rules let it, every turn. A game's score must not
reward any of them while the business does worse (lower profit or ending ARR than the
autopilot), so the tests and ``docs/game.md`` play them on every shipped exercise. They
also serve as named bots (``CYNICS``) for classrooms and demonstrations.

A strategy that a scenario gives no lever for (a quota where no role is on a pay plan)
plays the autopilot there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from salessim.game.briefing import Briefing
from salessim.scenario.base import WORKING_ROLES
from salessim.scenario.schema import Scenario

Player = Callable[[Briefing], Mapping[str, Any]]
QUOTA_FACTOR = 3.0  # the "impossible quota": three times the plan's
AWARDS = 1000  # recognition awards per team a month: everyone, every month


def impossible_quotas(scenario: Scenario) -> Player:
    """Triple every plan quota in the first turn (nobody is "at quota" any more)."""

    def play(briefing: Briefing) -> Mapping[str, Any]:
        if briefing.turn != 1:
            return {}
        return {"quota": dict.fromkeys(briefing.pay_plans, QUOTA_FACTOR)}

    return play


def maximal_recognition(scenario: Scenario) -> Player:
    """Recognise everyone every month."""

    def play(briefing: Briefing) -> Mapping[str, Any]:
        return {"recognition": AWARDS} if briefing.turn == 1 else {}

    return play


def maximal_pay(scenario: Scenario) -> Player:
    """Raise every rep to the highest offer the rules allow, and match every competing offer."""
    high = scenario.game.offers.high

    def play(briefing: Briefing) -> Mapping[str, Any]:
        return {"pay_raise": {row.rep: high for row in briefing.roster}}

    return play


def hire_to_the_budget(scenario: Scenario) -> Player:
    """Each turn hire one more of every working role at the highest offer."""
    high = scenario.game.offers.high

    def play(briefing: Briefing) -> Mapping[str, Any]:
        if briefing.finished:
            return {}
        return {"hire": [{"role": role.value, "count": 1, "offer": high} for role in WORKING_ROLES]}

    return play


def freeze_backfills(scenario: Scenario) -> Player:
    """Never replace a leaver: spend falls as the team shrinks."""

    def play(briefing: Briefing) -> Mapping[str, Any]:
        return {"backfill": "freeze"} if briefing.turn == 1 else {}

    return play


def fire_before_the_end(scenario: Scenario) -> Player:
    """In the last turn let half of every team go, to save their pay."""

    def play(briefing: Briefing) -> Mapping[str, Any]:
        if briefing.turn != briefing.turns:
            return {}
        fired = []
        for role in WORKING_ROLES:
            team = [row.rep for row in briefing.roster if row.role is role]
            fired += team[: len(team) // 2]
        return {"fire": fired}

    return play


NOTHING = {"new_arr": 0, "churn": 0}  # a forecast of nothing


def forecast_nothing(scenario: Scenario) -> Player:
    """Forecast no new ARR and no churn every turn, and run the team as the autopilot does."""

    def play(briefing: Briefing) -> Mapping[str, Any]:
        return {} if briefing.finished else {"forecast": NOTHING}

    return play


def forecast_nothing_and_book_nothing(scenario: Scenario) -> Player:
    """Forecast nothing, then make it come true: let every AE go at once and never replace them."""

    def play(briefing: Briefing) -> Mapping[str, Any]:
        if briefing.finished:
            return {}
        if briefing.turn != 1:
            return {"forecast": NOTHING}
        aes = [row.rep for row in briefing.roster if row.role.value == "ae"]
        return {"fire": aes, "backfill": "freeze", "forecast": NOTHING}

    return play


CYNICS: dict[str, Callable[[Scenario], Player]] = {
    "impossible_quotas": impossible_quotas,
    "maximal_recognition": maximal_recognition,
    "maximal_pay": maximal_pay,
    "hire_to_the_budget": hire_to_the_budget,
    "freeze_backfills": freeze_backfills,
    "fire_before_the_end": fire_before_the_end,
    "forecast_nothing": forecast_nothing,
    "forecast_nothing_and_book_nothing": forecast_nothing_and_book_nothing,
}
"""Every cynical strategy, by name."""
