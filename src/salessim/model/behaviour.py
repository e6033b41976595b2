"""The behaviour rules: reps on a pay plan respond to it (docs/compensation.md).

At each month end, for every rep on a plan with an amount quota: effort follows the
plan's intensity (the money more output earns against the rep's on-target pay) and
morale; an AE's care share follows the share of its expected variable pay tied to
the accounts it won; pay feeling follows fairness against peers and market. When an AE
finishes a deal's closing stage, it picks when the deal closes (within the slack) and
at what discount. Contest results move morale. Each rep's ``Drive`` (effort, care share,
pay feeling) is kept here by rep id: the roster applies effort and care when it refreshes
speeds, the customer book reads care, and morale reads pay feeling.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import simpy

from salessim.model.entities import Lead, Rep
from salessim.model.events import ContestHeld
from salessim.model.pay.payee import EPSILON, Payee
from salessim.model.pay.payroll import Payroll
from salessim.policies.contests import Entrant, contest_pull
from salessim.policies.incentives import (
    Close,
    Forecast,
    Option,
    best_close,
    booking_discount,
    design_credit,
    effort_level,
    intensity,
)
from salessim.policies.schedule import PayCurve, PaySchedule
from salessim.scenario.base import Role
from salessim.scenario.measures import Measure
from salessim.scenario.plans import Plan
from salessim.scenario.policies import QuotaMethod
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_WEEK, DAYS_PER_YEAR

ACCOUNT_MEASURES = (Measure.RENEWAL_ARR, Measure.EXPANSION_ARR)
SQRT2 = math.sqrt(2.0)
CLOSE_MARGIN_DAYS = 0.01  # a moved close lands this far inside its period
PACE_RANGE = (0.2, 3.0)


class Drive:
    """How a rep responds to its plan this month (neutral until the rules say otherwise)."""

    __slots__ = ("care_share", "effort", "pay_feeling")

    def __init__(self) -> None:
        self.effort = 1.0  # multiplies speed and win odds through their elasticities
        self.care_share = 0.0  # share of an AE's hours on the accounts it won
        self.pay_feeling = 0.0  # morale from pay fairness

    def __repr__(self) -> str:
        return f"Drive(effort={self.effort:.3f}, care={self.care_share:.3f})"


NEUTRAL = Drive()  # read for a rep the rules have not touched; never written


class Incentives:
    """Applies the behaviour rules to the reps on the payroll, and keeps their drive."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        payroll: Payroll,
        approvals: Callable[[], float],
    ) -> None:
        """``approvals`` draws the uniforms that decide a manager's sign-off."""
        self.env = env
        self.payroll = payroll
        self.approvals = approvals
        self.requests = 0  # concessions reps asked their managers to approve, since day 0
        self.approved = 0  # of which the managers signed off
        self.won_arr: dict[int, float] = {}  # ARR of the live accounts each AE won
        self._drives: dict[int, Drive] = {}  # by rep id: those the rules have touched
        self._curves: dict[tuple[int, float, float], tuple[Plan, PayCurve]] = {}
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take the behaviour parameters from ``scenario``."""
        self.scenario = scenario
        self.spec = scenario.behaviour
        expansion = scenario.customers.expansion
        self.expansion_per_arr = expansion.probability * expansion.uplift.mean

    def drive(self, rep_id: int) -> Drive:
        """The rep ``rep_id``'s drive this month (read only)."""
        return self._drives.get(rep_id, NEUTRAL)

    def _drive(self, rep_id: int) -> Drive:
        drive = self._drives.get(rep_id)
        if drive is None:
            drive = self._drives[rep_id] = Drive()
        return drive

    @property
    def active(self) -> bool:
        """Whether any rule can act."""
        return self.spec.enabled and self.payroll.active

    # ------------------------------------------------------------------ month end
    def month_end(self, won_arr: dict[int, float], contests: list[ContestHeld]) -> None:
        """Move morale by the month's contests; set effort, care and pay feeling for the next."""
        for contest in contests:
            self._contest(contest)
        self.won_arr = won_arr
        self._curves.clear()
        if not self.active:
            self._drives.clear()  # switched off: back to the plain model
            return
        employed = self.payroll.everyone
        self._drives = {i: d for i, d in self._drives.items() if i in employed}
        now = self.env.now
        payees = [p for p in self.payroll.sorted_payees() if p.rep.role is not Role.MANAGER]
        pulls = self._contest_pulls(payees, now) if self.spec.effort.enabled else {}
        for payee in payees:
            rep = payee.rep
            views = self.views(payee, now)
            if self.spec.effort.enabled and views:
                pull = pulls.get(rep.id, 0.0)
                self._drive(rep.id).effort = self._effort(payee, views, pull)
            if rep.role is Role.AE and self.spec.time_allocation.enabled:
                self._drive(rep.id).care_share = self._care(payee)
        if self.spec.morale.enabled:
            self._pay_feelings(payees)

    def _effort(self, payee: Payee, views: list[View], pull: float) -> float:
        """Effort from the intensity: the money more output earns against on-target pay.

        Output is the credit the plan's target incentive is designed around: the quota,
        or less when the plan pays more than its target at quota (a quota raised at the
        same rates), so a higher quota at the same rates does not raise effort. Pay that
        the rep's own quota credit does not earn (other measures, team pay, spifs) does
        not reward effort on it, so moving target incentive there lowers effort. ``pull``
        is what the plan's open contests add, a year (``_contest_pulls``).
        """
        spec = self.spec.effort
        plan, quota = payee.plan, payee.standing.quota
        at_quota = sum(self._year_pay(part, quota) for part in payee.parts)
        per_credit = sum(view.now.slope() / view.now.quota for view in views)
        design = design_credit(quota, plan.target_incentive, at_quota)
        drag = self._ratchet(payee, self.env.now) * design  # a year of more credit, re-quoted
        money = per_credit * design + pull - drag
        level = intensity(
            money,
            plan.on_target_earnings,
            self.scenario.roles.of(payee.rep.role).market_mix,
        )
        return effort_level(
            level, payee.rep.morale, spec.elasticity, spec.morale_weight, spec.low, spec.high
        )

    def _contest_pulls(self, payees: list[Payee], now: float) -> dict[int, float]:
        """What the open contests of each rep's plan add, a year, for 100% more output.

        A contest's pull on an entrant is the gain in its expected prize from selling more
        over the rest of the window (``policies.contests``), turned into a yearly rate.
        """
        payroll = self.payroll
        if not payroll.tallies.running:
            return {}
        by_plan: dict[str, list[Payee]] = {}
        for payee in payees:
            by_plan.setdefault(payee.plan_name, []).append(payee)
        pulls: dict[int, float] = {}
        for name, members in sorted(by_plan.items()):
            for index, component in enumerate(members[0].plan.components):
                spec = component.contest
                if spec is None:
                    continue
                start, end, _ = payroll.calendar.period(now + EPSILON, spec.every.months)
                first, last = payroll.calendar.date(start), payroll.calendar.date(end - 1)
                if (spec.start and first < spec.start) or (spec.until and last > spec.until):
                    continue
                left = end - now
                measure = spec.measure or members[0].plan.quota_measure
                marks = payroll.contests.marks.get((name, index), {})
                entrants = [
                    self._entrant(p, measure, marks.get(p.rep.id, 0.0), left) for p in members
                ]
                for payee, pull in zip(members, contest_pull(entrants, spec.awards), strict=True):
                    pulls[payee.rep.id] = pulls.get(payee.rep.id, 0.0) + pull * DAYS_PER_YEAR / left
        return pulls

    def _entrant(self, payee: Payee, measure: Measure, mark: float, left: float) -> Entrant:
        """A rep's forecast of its contest credit: so far, plus its pace over ``left`` days.

        The pace is its trailing attainment of its quota, ramped; the spread that of a
        quarter's attainment, over the days left. A contest on another measure than the
        quota's is forecast at what is in hand (more effort shows no pull there).
        """
        so_far = self.payroll.tallies.of(payee.rep.id).get(measure, 0.0) - mark
        standing = payee.standing
        if measure is not standing.measure or standing.quota <= 0:
            return Entrant(so_far, 0.0, 0.0)
        quarter = DAYS_PER_YEAR / 4
        more = self._pace(standing.attainment()) * standing.quota / DAYS_PER_YEAR * left
        more *= payee.rep.productivity
        sd = self.spec.effort.spread * standing.quota / 4 * math.sqrt(left / quarter)
        return Entrant(so_far + more, sd, more)

    def _year_pay(self, part: Plan, quota: float, attainment: float = 1.0) -> float:
        """What a plan part pays in a year of periods each at ``attainment`` of quota."""
        per_year = part.quota.period.per_year
        curve = self._curve(part, quota / per_year, part.target_incentive / per_year)
        return curve.at(attainment) * per_year

    def expected_pay(self, role: Role, attainment: float) -> float | None:
        """A year's pay on ``role``'s plan for a new hire at ``attainment`` (None: no plan).

        The plan a hire would join now, at the hire's standard quota, every period ending
        at ``attainment``: base salary and what the quota's measure earns.
        """
        terms = self.payroll.terms
        name = terms.plan_name_for(role) if terms.active else None
        if name is None:
            return None
        plan = terms.plans[name]
        quota = self.payroll.quotas.for_hire(name)
        return plan.base + sum(self._year_pay(part, quota, attainment) for part in plan.by_period())

    def _care(self, payee: Payee) -> float:
        """Care share: the share of expected variable pay tied to the AE's won accounts."""
        spec = self.spec.time_allocation
        plan = payee.plan
        book = self.won_arr.get(payee.rep.id, 0.0)
        yearly = {Measure.RENEWAL_ARR: book, Measure.EXPANSION_ARR: book * self.expansion_per_arr}
        on_accounts = 0.0
        for component in plan.components:
            commission = component.commission
            if commission is not None and commission.measure in yearly:
                on_accounts += commission.rates[0].rate * yearly[commission.measure]
        on_new = 0.0  # a year's pay at 100% of quota, over every period of the plan
        for part in payee.parts:
            per_year = part.quota.period.per_year
            quota = payee.standing.quota / per_year
            curve = self._curve(part, quota, part.target_incentive / per_year)
            on_new += curve.at(1.0) * per_year
        total = on_accounts + on_new
        share = on_accounts / total if total > 0 else 0.0
        return spec.low + (spec.high - spec.low) * share

    def _pay_feelings(self, payees: list[Payee]) -> None:
        spec = self.spec.morale
        by_role: dict[Role, list[float]] = {}
        for payee in payees:
            by_role.setdefault(payee.rep.role, []).append(payee.rep.pay)
        medians = {role: sorted(pays)[len(pays) // 2] for role, pays in by_role.items()}
        for payee in payees:
            rep = payee.rep
            median = medians[rep.role]
            market = self.scenario.roles.of(rep.role).market_pay
            self._drive(rep.id).pay_feeling = spec.peer_weight * _log_ratio(rep.pay, median) + (
                spec.market_weight * _log_ratio(rep.pay, market)
            )

    def _contest(self, contest: ContestHeld) -> None:
        if not (self.active and self.spec.morale.enabled):
            return
        spec = self.spec.morale
        for rep_id in contest.entrants:
            rep = self.payroll.everyone[rep_id]
            change = spec.contest_win if rep_id in contest.winners else -spec.contest_loss
            rep.morale = min(1.0, max(-1.0, rep.morale + change))

    # ------------------------------------------------------------------ forecasts
    def views(self, payee: Payee, now: float) -> list[View]:
        """The rep's forecasts of each open period (and the one after), ratio plans none."""
        if payee.account.deferred:
            return []
        periods = [(payee.parts[0], payee.account, max(payee.start, payee.since), payee.end)]
        periods += [(w.plan, w.account, w.start, w.end) for w in payee.windows]
        pace = self._pace(payee.standing.attainment())
        views = []
        for part, account, begun, end in periods:
            if account.quota <= 0:
                continue
            quarters = part.quota.period.months / 3
            spread = self.spec.effort.spread / math.sqrt(quarters)  # sd of a whole period
            weight = self.spec.timing.future_weight**quarters  # the next period is that far
            left = max(0.0, end - now) / max(1e-9, end - begun)
            curve = account.schedule.curve(account.quota)  # the schedule the ledger pays by
            current = Forecast(
                curve, account.quota, account.attainment + pace * left, spread * math.sqrt(left)
            )
            per_year = part.quota.period.per_year
            quota = payee.standing.quota / per_year
            curve = self._curve(part, quota, part.target_incentive / per_year)
            views.append(View(current, Forecast(curve, quota, pace, spread, weight), end))
        return views

    def _curve(self, part: Plan, quota: float, target: float) -> PayCurve:
        """The pay curve of a whole period of a plan part (cached for a month)."""
        key = (id(part), quota, target)
        cached = self._curves.get(key)
        if cached is None or cached[0] is not part:
            cached = self._curves[key] = (part, PaySchedule(part, target).curve(quota))
        return cached[1]

    @staticmethod
    def _pace(attainment: float | None) -> float:
        """Attainment a rep of trailing ``attainment`` expects in a period at normal effort."""
        low, high = PACE_RANGE
        return 1.0 if attainment is None else min(high, max(low, attainment))

    # ------------------------------------------------------------------ closing
    def close(self, lead: Lead, rep: Rep, delay: float, odds: float) -> float:
        """Choose when a deal at its closing stage resolves, and at what price.

        Returns the delay (days from now) to the resolution; sets the lead's discount,
        the concession a buyer took for signing early and the chance a held deal cooled.
        A concession beyond the rep's authority waits on its manager, who may refuse it:
        the deal then closes when it would have. A rep on no plan with authority prices
        for the booking (``booking_discount``) and keeps the deal's timing.
        """
        timing, discounting = self.spec.timing, self.spec.discounting
        authority = discounting.authority_of(rep.role)
        payee = self.payroll.payees.get(rep.id) if self.payroll.active else None
        if not self.spec.enabled or (payee is None and authority <= 0):
            return delay
        if payee is None:
            discounts = [authority * i / discounting.steps for i in range(discounting.steps + 1)]
            lead.discount = booking_discount(odds, discounts, discounting.win_elasticity)
            return delay
        if not (timing.enabled or authority > 0):
            return delay
        now, end = self.env.now, payee.end
        lands_now = now + delay <= end
        near = (
            now + delay - end <= timing.pull_in
            if not lands_now
            else end - now - delay <= timing.push_out
        )
        if authority == 0 and not (timing.enabled and near):
            return delay  # nothing to choose: the deal closes when it closes
        views = self.views(payee, now)
        if not views:
            return delay
        cost = self._ratchet_cost(payee, lands_now)
        options = [Option(delay, _landing(views, now + delay), cost, most_discount=authority)]
        if timing.enabled:
            if not lands_now and near and end - now > CLOSE_MARGIN_DAYS:
                pulled = end - now - CLOSE_MARGIN_DAYS
                option = self._pulled(views, payee, delay, pulled, authority)
                if option is not None:
                    options.append(option)
            elif lands_now and near:
                held = end - now + CLOSE_MARGIN_DAYS
                cooling = min(1.0, timing.cooling_per_week * (held - delay) / DAYS_PER_WEEK)
                options.append(
                    Option(
                        held,
                        _landing(views, now + held),
                        self._ratchet_cost(payee, False),
                        cooling=cooling,
                        most_discount=authority,
                    )
                )
        steps = discounting.steps
        discounts = [authority * i / steps for i in range(steps + 1)] if authority > 0 else [0.0]
        choice = best_close(
            lead.deal_value, odds, options, discounts, discounting.win_elasticity, timing.hurdle
        )
        if choice.approval < 1:
            self.requests += 1
            if self.approvals() >= choice.approval:  # refused: the deal keeps its timing
                choice = Close(delay, choice.discount)
            else:
                self.approved += 1
        lead.discount = choice.discount
        lead.concession = choice.concession
        lead.cooling = choice.cooling
        return choice.delay

    def _pulled(
        self, views: list[View], payee: Payee, delay: float, pulled: float, authority: float
    ) -> Option | None:
        """The option of pulling a close ``delay`` days away in to ``pulled`` days from now.

        The buyer asks ``concession_per_week`` of the price a week pulled. Within the
        rep's authority the rep gives it (and less discount of its own); beyond, the
        manager approves it with chance ``1 - concession / approval_limit``; none past it.
        """
        weeks = (delay - pulled) / DAYS_PER_WEEK
        concession = min(1.0, self.spec.timing.concession_per_week * weeks)
        forecasts = _landing(views, self.env.now + pulled)
        cost = self._ratchet_cost(payee, True)
        if concession <= authority:
            return Option(pulled, forecasts, cost, concession, most_discount=authority - concession)
        limit = self.scenario.policies.pricing.approval_limit
        approval = 1.0 - concession / limit if limit > 0 else 0.0
        if approval <= 0:
            return None
        most = min(authority, 1.0 - concession)
        return Option(pulled, forecasts, cost, concession, approval=approval, most_discount=most)

    def _ratchet_cost(self, payee: Payee, lands_now: bool) -> float:
        """A deal's ratchet cost per unit of credit, by where it lands (``_ratchet``).

        Only a move across the fiscal year's end changes which year's attainment a deal
        raises, so outside the year's last period the cost is nil; in it, a deal landing
        now costs the full rate, one held into next year that rate a year later.
        """
        year_end = self.payroll.calendar.period(self.env.now, 12)[1]
        if payee.end < year_end - 1e-6:
            return 0.0
        cost = self._ratchet(payee, self.env.now)
        return cost if lands_now else cost * self.spec.timing.ratchet_discount

    def _ratchet(self, payee: Payee, now: float) -> float:
        """Under a ratchet, what a unit of credit this fiscal year costs in later quotas.

        Beating the year's quota ``Q`` by ``x`` raises next year's by ``up x``, and every
        later year's with it. Each year at a higher quota pays about ``target / Q`` less a
        unit of quota, so a unit of credit past quota costs ``up x target / Q`` a year,
        over the years it lasts: ``w = d / (1 - d)`` for a yearly discount ``d``
        (``ratchet_discount``). Weighted by the chance the year ends past quota, from the
        rep's credit so far and its pace.
        """
        setting = self.scenario.policies.quota.get(payee.rep.role.value)
        if setting is None or setting.method is not QuotaMethod.RATCHET:
            return 0.0
        quota = payee.standing.quota
        year_end = self.payroll.calendar.period(now, 12)[1]
        left = max(0.0, year_end - now)
        later = max(0.0, year_end - payee.end) / DAYS_PER_YEAR  # whole periods still to open
        asked = quota * min(1.0, payee.year_carried + later)
        if asked <= 0:
            return 0.0
        pace = self._pace(payee.standing.attainment()) * payee.rep.productivity
        mean = payee.year_credit + pace * quota * left / DAYS_PER_YEAR
        sd = self.spec.effort.spread * quota / 4 * math.sqrt(left / (DAYS_PER_YEAR / 4))
        beyond = (mean > asked) if sd <= 0 else 0.5 * math.erfc((asked - mean) / (sd * SQRT2))
        d = self.spec.timing.ratchet_discount
        return setting.up * payee.plan.target_incentive / asked * d / (1 - d) * beyond


class View(NamedTuple):
    """A rep's view of one period of the plan: this period's forecast, the next one's."""

    now: Forecast
    next: Forecast
    end: float


def _landing(views: list[View], day: float) -> list[Forecast]:
    """The forecasts of the periods a credit on ``day`` lands in."""
    return [view.now if day <= view.end else view.next for view in views]


def _log_ratio(value: float, reference: float) -> float:
    if value <= 0 or reference <= 0:
        return 0.0
    return min(1.0, max(-1.0, math.log(value / reference)))
