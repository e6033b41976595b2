"""Why a figure moved: the main causes of each move, largest first, from what a manager sees.

Each turn the briefer takes a :class:`Pulse` of the organisation from the turn's monthly
records, its closed deals and the roster (never a rep's hidden ability or exit hazard).
:func:`explain` compares it with last turn's and names, for each of new ARR, win rate,
churn and morale that moved, the causes the model knows of, sized and sorted:

- new ARR splits exactly into deals decided, win rate and deal size (the log change of
  their product); deals decided are explained by the AEs' ramped capacity (vacancies and
  ramping hires), the leads that came in and those that went cold, deal size by discounts;
- win rate (in points) by a product launch and by discounting, each sized by the model's
  own sensitivity; a move within the luck of the turn's decided deals says so;
- churn by the CSMs' load (accounts per ramped CSM, at the model's attention elasticity)
  and the size of the book; the rest is which contracts came up and luck;
- morale by colleagues' exits, performance plans, attainment, recognition and last
  quarter's shocks wearing off, each at the model's own morale weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from salessim.report.format import money, percent
from salessim.scenario.schema import Scenario

BOOKINGS_MOVE = 0.05  # a relative move worth explaining
WIN_RATE_POINTS = 0.02  # two points
CHURN_MOVE = 0.10
MORALE_MOVE = 0.05  # on the -1 to 1 scale
NOISE_SIGMAS = 2.0  # a move inside this many standard errors is within luck


@dataclass(frozen=True)
class Pulse:
    """One turn's figures that explain moves (None: unknown)."""

    bookings: float
    deals_won: float
    deals_decided: float
    leads_created: float
    leads_gone_cold: float
    ae_capacity: float  # ramped AE capacity, mean over the turn
    ae_vacancies: float  # AE headcount not yet ramped (vacant or ramping), mean
    discount: float | None  # list value given away on the turn's wins, a share
    churned_arr: float
    customers_lost: int
    book_arr: float  # ARR at the start of the turn
    accounts_per_csm: float | None  # customers per ramped CSM, mean over the turn
    morale: float | None  # the team's mean morale at the end
    exits_share: float  # colleagues who left, over the headcount
    plans_share: float  # reps put on a plan, over the headcount
    attainment: float | None  # mean trailing attainment of the reps it is known for
    awards_per_team: float  # recognition in force
    launch: float | None  # a product launched this turn: its conversion factor
    quotas_changed: bool

    @property
    def win_rate(self) -> float | None:
        """Deals won over deals decided."""
        return self.deals_won / self.deals_decided if self.deals_decided else None

    @property
    def deal_size(self) -> float | None:
        """New ARR per deal won."""
        return self.bookings / self.deals_won if self.deals_won else None


def explain(before: Pulse, now: Pulse, scenario: Scenario) -> list[str]:
    """One sentence per figure that moved, naming its main causes, largest first."""
    lines = [
        _bookings(before, now),
        _win_rate(before, now, scenario),
        _churn(before, now, scenario),
        _morale(before, now, scenario),
    ]
    return [line for line in lines if line]


def _log_change(before: float | None, now: float | None) -> float | None:
    if before is None or now is None or before <= 0 or now <= 0:
        return None
    return math.log(now / before)


def _moved(change: float) -> str:
    return f"{abs(math.expm1(change)):.0%}"


def _causes(found: list[tuple[float, str]], move: float) -> list[str]:
    """The causes that pushed the way the figure moved, largest first."""
    pushing = [(size, text) for size, text in found if size * move > 0]
    return [text for _, text in sorted(pushing, key=lambda item: -abs(item[0]))]


def _despite(found: list[tuple[float, str]], move: float) -> str:
    """The largest cause that pushed against the move, if any: `` despite ...``."""
    against = [(size, text) for size, text in found if size * move < 0]
    if not against:
        return ""
    return f", despite {max(against, key=lambda item: abs(item[0]))[1]}"


def _sentence(head: str, causes: list[str], rest: str = "") -> str:
    if not causes:
        return f"{head}."
    return f"{head}; main causes, largest first: {'; '.join(causes)}{rest}."


def _bookings(before: Pulse, now: Pulse) -> str:
    total = _log_change(before.bookings, now.bookings)
    if total is None or abs(math.expm1(total)) < BOOKINGS_MOVE:
        return ""
    found = []
    decided = _log_change(before.deals_decided, now.deals_decided)
    if decided is not None:
        why = _volume_drivers(before, now, decided)
        more = "more" if decided > 0 else "fewer"
        found.append((decided, f"{_moved(decided)} {more} deals decided{why}"))
    rate = _log_change(before.win_rate, now.win_rate)
    if rate is not None and before.win_rate is not None and now.win_rate is not None:
        points = (now.win_rate - before.win_rate) * 100
        found.append((rate, f"win rate {'up' if points > 0 else 'down'} {abs(points):.1f} points"))
    size = _log_change(before.deal_size, now.deal_size)
    if size is not None:
        why = ""
        if before.discount is not None and now.discount is not None:
            deeper = (now.discount - before.discount) * 100
            if abs(deeper) >= 1 and deeper * size < 0:
                why = (
                    f" (average discount {percent(now.discount, 0)}, {abs(deeper):.0f} points "
                    f"{'deeper' if deeper > 0 else 'shallower'})"
                )
        found.append((size, f"deals {_moved(size)} {'larger' if size > 0 else 'smaller'}{why}"))
    verb = "rose" if total > 0 else "fell"
    return _sentence(
        f"New ARR {verb} {_moved(total)} to {money(now.bookings)}",
        _causes(found, total),
        _despite(found, total),
    )


def _volume_drivers(before: Pulse, now: Pulse, decided: float) -> str:
    found = []
    capacity = _log_change(before.ae_capacity, now.ae_capacity)
    if capacity is not None and abs(math.expm1(capacity)) >= BOOKINGS_MOVE:
        found.append(
            (
                capacity,
                f"AE selling capacity {_moved(capacity)} "
                f"{'higher' if capacity > 0 else 'lower'}"
                + (
                    f", {now.ae_vacancies:.1f} AE seats vacant or ramping"
                    if capacity < 0 and now.ae_vacancies >= 0.5
                    else ""
                ),
            )
        )
    leads = _log_change(before.leads_created, now.leads_created)
    if leads is not None and abs(math.expm1(leads)) >= BOOKINGS_MOVE:
        found.append((leads, f"{_moved(leads)} {'more' if leads > 0 else 'fewer'} new leads"))
    cold = now.leads_gone_cold - before.leads_gone_cold
    if now.leads_gone_cold and abs(cold) >= 5:
        share = -cold / max(1.0, now.leads_created)
        found.append(
            (
                share,
                f"{now.leads_gone_cold:.0f} leads went cold, {abs(cold):.0f} "
                f"{'more' if cold > 0 else 'fewer'} than last quarter",
            )
        )
    causes = _causes(found, decided)
    return f" ({', '.join(causes)})" if causes else ""


def _win_rate(before: Pulse, now: Pulse, scenario: Scenario) -> str:
    if before.win_rate is None or now.win_rate is None:
        return ""
    p, change = now.win_rate, now.win_rate - before.win_rate
    if abs(change) < WIN_RATE_POINTS:
        return ""
    found = []
    if now.launch is not None:
        found.append((p * (1 - p) * math.log(now.launch), "the new product converts more readily"))
    elasticity = scenario.behaviour.discounting.win_elasticity
    if before.discount is not None and now.discount is not None and elasticity:
        closing = scenario.funnel.stages[-1].convert
        effect = (
            p
            * (1 - closing)
            * (math.log1p(elasticity * now.discount) - math.log1p(elasticity * before.discount))
        )
        if abs(effect) >= 0.002:
            found.append(
                (
                    effect,
                    f"discounts {'deeper' if effect > 0 else 'shallower'} "
                    f"(average {percent(now.discount, 0)}, worth about "
                    f"{abs(effect) * 100:.1f} points)",
                )
            )
    noise = math.sqrt(p * (1 - p) / now.deals_decided) if now.deals_decided else 0.0
    luck = abs(change) < NOISE_SIGMAS * noise * math.sqrt(2)
    rest = f"; the rest is within the luck of {now.deals_decided:.0f} deals decided" if luck else ""
    head = (
        f"Win rate {'rose' if change > 0 else 'fell'} {abs(change) * 100:.1f} points to "
        f"{percent(p, 0)}"
    )
    causes = _causes(found, change)
    if not causes and luck:
        return f"{head}: within the luck of {now.deals_decided:.0f} deals decided."
    if not causes:
        return (
            f"{head}: neither discounts nor a launch explain it; the rest is who worked the "
            "deals and how well the leads fit, which the briefing cannot see."
        )
    return _sentence(head, causes, rest)


def _churn(before: Pulse, now: Pulse, scenario: Scenario) -> str:
    total = _log_change(before.churned_arr, now.churned_arr)
    if total is None or abs(math.expm1(total)) < CHURN_MOVE:
        return ""
    found = []
    load = _log_change(before.accounts_per_csm, now.accounts_per_csm)
    if load is not None and abs(math.expm1(load)) >= 0.03:
        elasticity = scenario.customers.churn.attention_elasticity
        found.append(
            (
                elasticity * load,
                f"CSMs {'more' if load > 0 else 'less'} stretched "
                f"({now.accounts_per_csm:.0f} accounts per ramped CSM, "
                f"{_moved(load)} {'more' if load > 0 else 'fewer'})",
            )
        )
    book = _log_change(before.book_arr, now.book_arr)
    if book is not None and abs(math.expm1(book)) >= 0.03:
        found.append((book, f"a {'larger' if book > 0 else 'smaller'} book ({_moved(book)})"))
    verb = "rose" if total > 0 else "fell"
    head = f"Churned ARR {verb} {_moved(total)} to {money(now.churned_arr)}"
    causes = _causes(found, total)
    if not causes:
        return f"{head}: which contracts came up for renewal, and luck."
    return _sentence(head, causes, "; the rest is which contracts came up, and luck")


def _morale(before: Pulse, now: Pulse, scenario: Scenario) -> str:
    if before.morale is None or now.morale is None:
        return ""
    change = now.morale - before.morale
    if abs(change) < MORALE_MOVE:
        return ""
    weights = scenario.workforce.morale
    found = []
    if now.exits_share:
        found.append(
            (
                -weights.departure_shock * now.exits_share,
                f"colleagues left ({percent(now.exits_share, 0)} of the team)",
            )
        )
    if now.plans_share:
        found.append(
            (
                -weights.plan_shock * now.plans_share,
                f"performance plans ({percent(now.plans_share, 0)} of the team)",
            )
        )
    if before.attainment is not None and now.attainment is not None:
        moved = now.attainment - before.attainment
        if abs(moved) >= 0.05:
            quota = "; quotas changed" if now.quotas_changed else ""
            found.append(
                (
                    weights.attainment_weight * moved,
                    f"attainment {'up' if moved > 0 else 'down'} {abs(moved) * 100:.0f} points "
                    f"to {percent(now.attainment, 0)}{quota}",
                )
            )
    shocks = weights.departure_shock * before.exits_share + weights.plan_shock * before.plans_share
    if shocks:
        found.append((weights.reversion * shocks, "last quarter's shocks wearing off"))
    awards = now.awards_per_team - before.awards_per_team
    if awards:
        found.append(
            (
                weights.recognition_boost * math.copysign(min(1.0, abs(awards)), awards),
                f"recognition {'up' if awards > 0 else 'down'} to "
                f"{now.awards_per_team:g} awards per team a month",
            )
        )
    head = f"Morale {'rose' if change > 0 else 'fell'} ({change:+.2f} on a scale of -1 to 1)"
    return _sentence(head, _causes(found, change))
