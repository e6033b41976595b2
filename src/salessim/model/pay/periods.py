"""Quota periods and windows: opening them with a prorated, ramp-adjusted quota, and settling.

A payee has one open quota period and, for parts of its plan judged over longer periods,
open windows. Opening one sets its quota from the share of the period on the plan and
the ramp share (the rep's mean ramp over it, delayed by the credit lag) and marks the
team credit so far; closing one settles the account (deferred commission, bonuses, a
gate's forfeit), pays team pay on the team's credit since the mark and emits
``PayPeriodClosed``.
"""

from __future__ import annotations

from salessim.model.calendar import Calendar
from salessim.model.events import Bus, PayPeriodClosed
from salessim.model.pay.clawbacks import Clawbacks
from salessim.model.pay.ledger import Ledger
from salessim.model.pay.payee import EPSILON, Payee, Window
from salessim.model.pay.roster import Roster
from salessim.model.pay.tallies import Tallies
from salessim.policies.compensation import Line, PlanAccount, team_share
from salessim.scenario.base import Role
from salessim.scenario.pay_components import ComponentKind
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH


class Periods:
    """Opens and closes payees' quota periods and windows."""

    def __init__(
        self,
        bus: Bus,
        calendar: Calendar,
        scenario: Scenario,
        *,
        roster: Roster,
        tallies: Tallies,
        ledger: Ledger,
        clawbacks: Clawbacks,
    ) -> None:
        self.bus = bus
        self.calendar = calendar
        self.scenario = scenario
        self.roster = roster
        self.tallies = tallies
        self.ledger = ledger
        self.clawbacks = clawbacks

    def configure(self, scenario: Scenario) -> None:
        """Take the ramps and the funnel's lags (for the ramp share) from ``scenario``."""
        self.scenario = scenario

    def open(self, payee: Payee, now: float) -> None:
        """Open ``payee``'s quota period that runs at ``now`` (and any window not open)."""
        plan, rep = payee.plan, payee.rep
        months = plan.quota.period.months
        start, end, label = self.calendar.period(now + EPSILON, months)
        fraction = (end - max(start, now)) / (end - start)
        carried = months / 12 * fraction * self.ramp_share(payee, max(start, now), end)
        payee.start, payee.end, payee.label, payee.carried = start, end, label, carried
        quota = payee.standing.quota
        quota = quota if plan.quota_measure.is_ratio else quota * carried
        target = plan.target_incentive * months / 12 * fraction
        payee.account = PlanAccount(payee.parts[0], quota, target, fraction)
        payee.year_carried += carried
        self.open_windows(payee, now)
        for index, component in enumerate(plan.components):
            team = component.team
            if team is not None:
                payee.team_marks[index] = self.tallies.team_credit(rep, team.measure, team.scope)

    def open_windows(self, payee: Payee, now: float) -> None:
        """Open the period of every longer-period part of the plan that has none open."""
        open_parts = {id(window.plan) for window in payee.windows}
        for part in payee.parts[1:]:
            if id(part) in open_parts:
                continue
            months = part.quota.period.months
            start, end, label = self.calendar.period(now + EPSILON, months)
            fraction = (end - max(start, now)) / (end - start)
            carried = months / 12 * fraction * self.ramp_share(payee, max(start, now), end)
            quota = payee.standing.quota
            quota = quota if part.quota_measure.is_ratio else quota * carried
            target = part.target_incentive * months / 12 * fraction
            account = PlanAccount(part, quota, target, fraction)
            payee.windows.append(Window(part, account, max(start, now), end, label))

    def close_windows(self, payee: Payee, now: float, *, every: bool = False) -> None:
        """Settle the windows whose period ends now (``every``: all of them)."""
        for window in list(payee.windows):
            if every or window.end <= now + EPSILON:
                self.ledger.book(payee, window.account.settle(), window.label)
                payee.windows.remove(window)

    def ramp_share(self, payee: Payee, start: float, end: float) -> float:
        """Mean ramp over the period, delayed by the credit lag (1 for the starting roster)."""
        rep = payee.rep
        if (
            not payee.plan.quota.ramp_adjusted
            or rep.role is Role.MANAGER
            or rep.joined_at <= 0
            or not self.scenario.workforce.enabled
        ):
            return 1.0
        ramp = self.scenario.roles.of(rep.role).ramp
        lag = credit_lag(self.scenario, rep.role)
        steps = max(1, round((end - start) / DAYS_PER_MONTH))
        width = (end - start) / steps
        since = [start + (k + 0.5) * width - rep.joined_at - lag for k in range(steps)]
        return sum(ramp.productivity(s) if s > 0 else 0.0 for s in since) / steps

    def close(self, payee: Payee, now: float) -> None:
        """Settle ``payee``'s quota period at ``now``, pay its team pay and report it."""
        lines = payee.account.settle()
        if any(line.forfeited > 0 for line in lines):
            self.clawbacks.forfeit(payee.rep.id, payee.label)
        for index, component in enumerate(payee.plan.components):
            team = component.team
            if team is None:
                continue
            credit = (
                self.tallies.team_credit(payee.rep, team.measure, team.scope)
                - payee.team_marks[index]
            )
            members = self.roster.members(payee, team.scope)
            pooled = team.split == "pool"
            amount = team_share(team.rate, credit, members, pooled)
            note = f"{team.scope} {team.measure.value}: {team.rate:g} x {credit:,.0f}" + (
                f" shared by {members}" if pooled else ""
            )
            lines.append(
                Line(ComponentKind.TEAM, team.measure.value, credit, team.rate, amount, note)
            )
        self.ledger.book(payee, lines)
        account = payee.account
        complete = (  # a whole period, fully ramped, run to its end (not cut by an exit)
            payee.carried >= payee.plan.quota.period.months / 12 - EPSILON
            and now >= payee.end - EPSILON
        )
        rep = payee.rep
        self.bus.emit(
            PayPeriodClosed(
                now,
                rep.id,
                rep.role,
                payee.plan_name,
                payee.label,
                account.quota * (account.due if account.deferred else 1.0),
                account.credited,
                complete,
            )
        )


def credit_lag(scenario: Scenario, role: Role) -> float:
    """Mean customer-side days from a role's first stage to the stage that credits it.

    AEs are credited when a deal is won, after the last stage; other roles when their
    own last stage converts. Work time is left out: it is small beside the lags.
    """
    stages = scenario.funnel.stages
    mine = [i for i, stage in enumerate(stages) if stage.role is role]
    if not mine:
        return 0.0
    last = len(stages) - 1 if role is Role.AE else mine[-1]
    return sum(stage.lag.mean for stage in stages[mine[0] : last + 1])
