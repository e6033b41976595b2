"""People spend in a game: what each turn cost, and the next turn's forecast.

A turn's people spend is the pay of every month that closed in it (everyone employed at
the month end at its pay, a rep on a plan at the mean of its last twelve months, and the
managers) plus the one-off costs it counted: recruiting, severance, training and
recognition. Before a turn, ``projected`` forecasts the next turn's spend if a set of
decisions applied, as a finance team would from what the company knows: each month
end's pay of the reps expected to be there (those kept, at their new pay, less the
expected leavers, plus the replacements and the hires of every open and new requisition
expected to have joined), and the one-off costs expected in the turn.

Leavers are expected at each role's exit rate so far (the exits seen since the start,
with a year of the current team at the role's base rates as a prior, and promotion for
reps past its tenure), each costing the mean severance of the exits so far. Seats the
company's staffing policy will open open at the next month end; a requisition is
expected to be filled its role's mean time to hire after its search starts. The
forecast then learns from its misses: it is scaled by the ratio of spend to forecast
over the turns played (a turn at 1 as a prior), which takes out what it leaves out on
average (pay on plans drifting with results, bursts of exits).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from salessim.game.decisions import Decisions
from salessim.model.attrition import annual_to_daily
from salessim.model.engine import Simulation
from salessim.model.events import (
    ExitKind,
    MonthEnded,
    RecognitionGiven,
    RepHired,
    RepLeft,
    TrainingHeld,
)
from salessim.model.pay.payee import PAY_HISTORY_MONTHS
from salessim.model.view import RepView
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.people import Backfill
from salessim.scenario.roles import RoleSpec
from salessim.scenario.units import DAYS_PER_MONTH


class PeopleSpend:
    """Counts the pay of the months that close, and forecasts a turn's spend."""

    def __init__(self, sim: Simulation, months_per_turn: int) -> None:
        """Follow ``sim``'s month ends and exits; a turn lasts ``months_per_turn`` months."""
        self.sim = sim
        self.months_per_turn = months_per_turn
        self.paid = 0.0  # pay of the months closed since the last reset
        self.one_offs = 0.0  # hiring, severance, training and recognition since then
        self.misses: list[tuple[float, float]] = []  # (forecast, spend) of each turn played
        self._forecast: float | None = None  # of the turn under way, before any correction
        self._limit: float | None = None  # the budget the turn under way was decided under
        self.overruns: list[float] = []  # spend above the budget, each turn played
        self.limits: list[float] = []  # the budget of each turn played under one
        self.exits = dict.fromkeys(WORKING_ROLES, 0)  # since the start, warm-up included
        self.exit_costs = 0.0  # severance paid on those exits
        self.rep_months = dict.fromkeys(WORKING_ROLES, 0.0)
        sim.bus.subscribe(MonthEnded, self._month_paid)
        sim.bus.subscribe(RepLeft, self._left)
        sim.bus.subscribe(RepHired, self._one_off)
        sim.bus.subscribe(TrainingHeld, self._one_off)
        sim.bus.subscribe(RecognitionGiven, self._one_off)

    def reset(self) -> None:
        """Start counting again (a turn begins); a played turn's forecast meets its spend."""
        if self._forecast is not None:
            self.misses.append((self._forecast, self.turn_spend()))
        if self._limit is not None:
            self.overruns.append(self.overspent())
            self.limits.append(self._limit)
        self._forecast = self._limit = None
        self.paid = self.one_offs = 0.0

    def commit(
        self, decisions: Decisions, employed: Sequence[RepView], limit: float | None
    ) -> None:
        """The turn about to be played runs on ``decisions`` under budget ``limit``."""
        self._forecast = self._expected(decisions, employed)
        self._limit = limit

    def overspent(self) -> float:
        """The turn's spend so far above the budget it was decided under (0 without one)."""
        return 0.0 if self._limit is None else max(0.0, self.turn_spend() - self._limit)

    def overspend_share(self) -> float:
        """Spend above budget over the turns played, as a share of their budgets."""
        return sum(self.overruns) / sum(self.limits) if self.limits else 0.0

    def turn_spend(self) -> float:
        """People spend of the turn so far: the months' pay and the one-off costs."""
        return self.paid + self.one_offs

    def correction(self) -> float:
        """Spend over forecast in the turns played, with one turn at 1 as a prior.

        Finance learns from its misses: what the forecast leaves out (pay that drifts
        with results, bursts of exits) shows in the ratio and scales the next forecast.
        """
        if not self.misses:
            return 1.0
        forecast = sum(f for f, _ in self.misses)
        prior = forecast / len(self.misses)
        return (sum(s for _, s in self.misses) + prior) / (forecast + prior)

    def _one_off(self, event: RepHired | TrainingHeld | RecognitionGiven) -> None:
        self.one_offs += event.hiring_cost if isinstance(event, RepHired) else event.cost

    def _month_paid(self, _event: MonthEnded) -> None:
        view = self.sim.view()
        self.paid += view.monthly_pay
        for rep in view.roster:
            self.rep_months[rep.role] += 1.0

    def _left(self, event: RepLeft) -> None:
        if event.exit is ExitKind.PROMOTED:
            return  # promotions come with tenure: each rep's own chance, not the role's rate
        self.exits[event.role] += 1
        self.exit_costs += event.exit_cost
        self.one_offs += event.exit_cost

    def monthly(self) -> float:
        """On-target pay for a month: every employed rep and the managers."""
        return self.sim.view().monthly_pay

    def exit_rate(self, role: Role, headcount: int) -> float:
        """Expected exits (promotions apart) a rep-day of ``role``: those seen, with a prior.

        The prior is a year of the current team at the role's base rates.
        """
        attrition = self.sim.scenario.roles.of(role).attrition
        base = attrition.voluntary + attrition.involuntary
        prior_years = max(1, headcount)
        years = self.rep_months[role] / 12 + prior_years
        annual = (self.exits[role] + base * prior_years) / years
        return annual_to_daily(annual)

    def _rate(self, rep: RepView, headcount: int) -> float:
        """``rep``'s expected exits a day: its role's rate, and promotion once it is due."""
        attrition = self.sim.scenario.roles.of(rep.role).attrition
        rate = self.exit_rate(rep.role, headcount)
        if attrition.promotion > 0 and rep.tenure_days >= attrition.promotion_after:
            rate += annual_to_daily(attrition.promotion)
        return rate

    def projected(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """Next turn's people spend if ``decisions`` apply: expected, and corrected by misses."""
        return self._expected(decisions, employed) * self.correction()

    def _expected(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """Next turn's expected people spend if ``decisions`` apply."""
        scenario, view = self.sim.scenario, self.sim.view()
        ends = [DAYS_PER_MONTH * (k + 1) for k in range(self.months_per_turn)]  # from now
        manager_pay = view.monthly_pay - sum(rep.pay for rep in view.roster) / 12
        spend = manager_pay * self.months_per_turn
        fired = set(decisions.fire)
        months = scenario.game.severance_months
        spend += sum(rep.pay * months / 12 for rep in employed if rep.id in fired)
        for role in WORKING_ROLES:
            team = [rep for rep in employed if rep.role is role]
            spend += self._team(role, team, decisions, view.targets[role], ends)
            gap = view.targets[role] - len(team) - view.open_requisitions[role]
            joins = DAYS_PER_MONTH + self._time_to_hire(role, Backfill.IMMEDIATE)
            spend += max(0, gap) * self._hire_cost(None, scenario.roles.of(role), joins, ends)
        for requisition in view.requisitions:
            spec = scenario.roles.of(requisition.role)
            joins = max(0.0, requisition.search_from - view.day) + spec.hiring.time_to_hire.mean
            spend += self._hire_cost(requisition.offer, spec, joins, ends)
        for hire in decisions.hire:
            if hire.role in WORKING_ROLES:
                spec = scenario.roles.of(hire.role)
                joins = spec.hiring.time_to_hire.mean
                spend += hire.count * self._hire_cost(hire.offer, spec, joins, ends)
        if decisions.contest is not None:
            spend += sum(decisions.contest.prizes)
        return spend + self._training(decisions, employed) + self._recognition(decisions, employed)

    def _team(
        self,
        role: Role,
        team: Sequence[RepView],
        decisions: Decisions,
        target: int,
        ends: list[float],
    ) -> float:
        """A role's expected month-end pay, severance and replacements over the turn.

        Each rep kept is paid while it stays (its pay moving as ``_pay_path`` says), and
        may leave at its expected rate with the mean severance. Leavers and the reps let
        go are replaced after the time to hire, except for as many as the team is above
        its headcount target (a budget cut), or none when backfills are frozen.
        """
        spec = self.sim.scenario.roles.of(role)
        turn = ends[-1]
        seen = sum(self.exits.values())
        severance = self.exit_costs / seen if seen else 0.0  # on average, per exit
        fired = set(decisions.fire)
        kept = [rep for rep in team if rep.id not in fired]
        spend = 0.0
        leaving = float(len(team) - len(kept))
        rates = []
        for rep in kept:
            rate = self._rate(rep, len(team))
            rates.append(rate)
            raised = decisions.pay_raise.get(rep.id)
            pays = (
                self._pay_path(rep, len(ends))
                if raised is None
                else [raised * spec.market_pay] * len(ends)
            )
            spend += sum(p / 12 * math.exp(-rate * end) for p, end in zip(pays, ends, strict=True))
            spend += severance * (1 - math.exp(-rate * turn))
            leaving += 1 - math.exp(-rate * turn)
        backfill = decisions.backfill or self.sim.scenario.policies.staffing.backfill
        if backfill is Backfill.FREEZE or leaving <= 0:
            return spend
        refilled = max(0.0, leaving - max(0, len(team) - target)) / leaving
        start = self._time_to_hire(role, backfill)
        gone = len(team) - len(kept)
        spend += refilled * gone * self._hire_cost(None, spec, start, ends)
        replacement = spec.hiring.offer * spec.market_pay
        for rate in rates:
            filled = sum(1 - math.exp(-rate * max(0.0, end - start)) for end in ends)
            hired = 1 - math.exp(-rate * max(0.0, turn - start))
            spend += refilled * (replacement / 12 * filled + spec.hiring.cost * hired)
        return spend

    @staticmethod
    def _pay_path(rep: RepView, months: int) -> list[float]:
        """``rep``'s pay at each month end ahead: on a plan, its mean moves to the run rate.

        Once a rep has ``PAY_HISTORY_MONTHS`` of pay on its plan, its pay is the mean of
        the last (up to twelve) months; months paid at the run rate move that mean.
        """
        if rep.run_rate_pay is None:
            return [rep.pay] * months
        path = []
        for k in range(1, months + 1):
            history = rep.pay_months + k
            if history < PAY_HISTORY_MONTHS:
                path.append(rep.pay)
            else:
                known = min(rep.pay_months, 12 - k) if rep.pay_months >= PAY_HISTORY_MONTHS else 0
                base = rep.pay * known + rep.run_rate_pay * (min(history, 12) - known)
                path.append(base / min(history, 12))
        return path

    def _time_to_hire(self, role: Role, backfill: Backfill) -> float:
        """Days from a leaver's exit to its replacement's start."""
        staffing = self.sim.scenario.policies.staffing
        delay = staffing.backfill_delay if backfill is Backfill.DELAYED else 0.0
        return delay + self.sim.scenario.roles.of(role).hiring.time_to_hire.mean

    @staticmethod
    def _hire_cost(offer: float | None, spec: RoleSpec, joins: float, ends: list[float]) -> float:
        """Recruiting cost and month-end pay in the turn of a hire expected ``joins`` days on."""
        if joins > ends[-1]:
            return 0.0
        level = offer if offer is not None else spec.hiring.offer
        return spec.hiring.cost + sum(level * spec.market_pay / 12 for end in ends if end >= joins)

    def _training(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """The turn's training sessions at their cost per rep."""
        training = self.sim.scenario.policies.training
        every = (
            decisions.training_every_months * DAYS_PER_MONTH
            if decisions.training_every_months is not None
            else training.every
        )
        if every <= 0:
            return 0.0
        sessions = max(1, round(self.months_per_turn * DAYS_PER_MONTH / every))
        return sessions * len(employed) * training.cost_per_rep

    def _recognition(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """The turn's recognition awards at their cost: up to the count for each team a month."""
        policy = self.sim.scenario.policies.recognition
        count = policy.per_team_per_month
        if decisions.recognition is not None:
            count = decisions.recognition
        teams: dict[int, int] = {}
        for rep in employed:
            teams[rep.team] = teams.get(rep.team, 0) + 1
        awards = sum(min(count, size) for size in teams.values())
        return awards * policy.cost_per_award * self.months_per_turn
