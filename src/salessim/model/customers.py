"""Customers: won deals become accounts that CSMs onboard, look after and renew.

Each account renews at the end of its contract term. A CSM's monthly attention per
account is the time left after queued onboarding and renewal work, shared across the
book. At renewal an account churns with probability (odds form)::

    odds = base / (1 - base) * ratio ** -attention_elasticity
           * (fit / mean_fit) ** -fit_elasticity * csm_skill ** -skill_elasticity

where ratio = min(1, attention / attention needed), floored at min_attention_ratio.
An account that stays grows with probability ``expansion.probability * ratio **
expansion.attention_elasticity`` by a drawn uplift, or else contracts with
``contraction_probability`` by a drawn fraction.
"""

from __future__ import annotations

import simpy

from salessim.metrics.events import Bus, Event
from salessim.model.agenda import Agenda
from salessim.model.entities import Account, AccountTask, Lead, Rep
from salessim.model.streams import Streams
from salessim.model.teams import Team
from salessim.scenario.schema import Customers, Scenario
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK, HOURS_PER_DAY


class CustomerBook:
    """The accounts, their CSMs, and the renewal process of each account."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        streams: Streams,
        scenario: Scenario,
        team: Team,
    ) -> None:
        self.env = env
        self.bus = bus
        self.team = team
        team.handler = self
        self.agenda = Agenda(env)
        # Bound once: the agenda holds one entry per account, a method object each adds up.
        self._prepare_action = self._prepare
        self._renewal_action = self._renewal
        self.accounts: dict[int, Account] = {}
        self.arr = 0.0
        self._next_id = 0
        self._segments = list(scenario.market.segments.values())
        self._segment_names = list(scenario.market.segments)
        self._streams = streams
        self._uniform = streams.uniforms("customers/outcome")
        self._month_busy: dict[int, float] = {}
        self._health: list[float] = []
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take the customer parameters from ``scenario``."""
        spec = scenario.customers
        self.spec: Customers = spec
        streams = self._streams
        self._onboarding = streams.sampler("customers/onboarding_work", spec.onboarding_work)
        self._renewal_work = streams.sampler("customers/renewal_work", spec.renewal_work)
        self._uplift = streams.sampler("customers/uplift", spec.expansion.uplift)
        self._contraction = streams.sampler("customers/contraction", spec.expansion.contraction)
        self._csm_hours_per_month = (
            scenario.roles.csm.hours_per_week / DAYS_PER_WEEK * DAYS_PER_MONTH
        )
        churn = spec.churn
        self._churn_odds = churn.base / (1 - churn.base) if churn.base < 1 else None

    # ------------------------------------------------------------------ accounts
    def seed_initial_book(self, scenario: Scenario) -> None:
        """Create the customers the company starts with, renewals spread over a term."""
        initial = scenario.customers.initial
        if initial.accounts == 0:
            return
        name = initial.segment or self._segment_names[0]
        segment = self._segment_names.index(name)
        spec = self._segments[segment]
        arr = self._streams.sampler("customers/initial/arr", initial.arr)
        fit = self._streams.sampler("customers/initial/fit", spec.fit)
        phase = self._streams.uniforms("customers/initial/renewal_phase")
        for _ in range(initial.accounts):
            account = self._new_account(segment, arr(), fit(), None, 0.0)
            account.renewal_at = phase() * spec.contract_term
            self._place(account, onboard=False)
        self._review_health()

    def win(self, lead: Lead) -> None:
        """A won deal becomes an account."""
        arr = lead.deal_value * (1 - lead.discount)
        account = self._new_account(lead.segment, arr, lead.fit, lead.id, lead.discount)
        self._place(account, onboard=True)

    def _new_account(
        self, segment: int, arr: float, fit: float, lead_id: int | None, discount: float
    ) -> Account:
        self._next_id += 1
        now = self.env.now
        term = self._segments[segment].contract_term
        return Account(self._next_id, segment, arr, fit, now, now + term, lead_id, discount)

    def _place(self, account: Account, *, onboard: bool) -> None:
        self.accounts[account.id] = account
        self.arr += account.arr
        if self.team.reps:
            csm = self.team.assign(account)
            csm.load += 1
            account.csm = csm
            if onboard:
                self.team.push(AccountTask(account, "onboarding", self.env.now), csm)
        self._plan_renewal(account)
        self.bus.emit(Event.ACCOUNT_OPENED, self.env.now, account)

    def _plan_renewal(self, account: Account) -> None:
        """Put the next renewal's preparation on the agenda."""
        self.agenda.at(
            account.renewal_at - self.spec.renewal_lead_time, self._prepare_action, account
        )

    def _prepare(self, account: Account) -> None:
        """Renewal preparation: the CSM queues the work, the renewal itself follows."""
        if account.csm is not None:
            self.team.push(AccountTask(account, "renewal", self.env.now), account.csm)
        self.agenda.at(account.renewal_at, self._renewal_action, account)

    def _renewal(self, account: Account) -> None:
        """Renewal day: renew, grow, shrink or churn; a renewing account plans the next one."""
        if self._renew(account):
            account.renewal_at += self._segments[account.segment].contract_term
            self._plan_renewal(account)

    def churn_probability(self, account: Account) -> float:
        """The chance ``account`` leaves at renewal, given its CSM's attention now."""
        odds = self._churn_odds
        if odds is None:
            return 1.0
        churn = self.spec.churn
        segment = self._segments[account.segment]
        ratio = self._attention_ratio(account)
        odds *= ratio**-churn.attention_elasticity
        if churn.fit_elasticity and account.fit > 0:
            odds *= (account.fit / segment.fit.mean) ** -churn.fit_elasticity
        if churn.skill_elasticity and account.csm is not None:
            odds *= account.csm.skill**-churn.skill_elasticity
        return odds / (1 + odds)

    def _attention_ratio(self, account: Account) -> float:
        ratio = account.csm.attention_ratio if account.csm is not None else 0.0
        return max(self.spec.churn.min_attention_ratio, min(1.0, ratio))

    def _renew(self, account: Account) -> bool:
        now = self.env.now
        before = account.arr
        if self._uniform() < self.churn_probability(account):
            del self.accounts[account.id]
            self.arr -= before
            if account.csm is not None:
                account.csm.load -= 1
            self.bus.emit(Event.ACCOUNT_CHURNED, now, account, before)
            return False
        expansion = self.spec.expansion
        grow = expansion.probability * self._attention_ratio(account) ** (
            expansion.attention_elasticity
        )
        u = self._uniform()
        if u < grow:
            account.arr *= 1 + self._uplift()
        elif u < grow + (1 - grow) * expansion.contraction_probability:
            account.arr *= max(0.0, 1 - self._contraction())
        self.arr += account.arr - before
        self.bus.emit(Event.ACCOUNT_RENEWED, now, account, before, account.arr)
        return True

    # ------------------------------------------------------------------ CSM work
    def work_days(self, task: AccountTask, rep: Rep) -> float:
        """Work an onboarding or renewal task needs."""
        return self._onboarding() if task.kind == "onboarding" else self._renewal_work()

    def started(self, task: AccountTask, rep: Rep, wait_days: float) -> None:
        """A CSM picked up a task."""
        self.bus.emit(Event.WORK_STARTED, self.env.now, rep.role, rep, task, wait_days)

    def finished(self, task: AccountTask, rep: Rep) -> None:
        """Nothing follows a finished task: its effect is the time it took."""

    def gave_up(self, task: AccountTask) -> None:
        """CSM tasks have no patience; never called."""

    def review_attention(self) -> None:
        """Month end: each CSM's attention per account from the time tasks left over."""
        required = self.spec.attention_hours_per_account_per_month
        hours = self._csm_hours_per_month
        for rep in self.team.reps:
            busy = rep.busy_days - self._month_busy.get(rep.id, 0.0)
            self._month_busy[rep.id] = rep.busy_days
            task_hours = busy * rep.speed * HOURS_PER_DAY
            free = max(0.0, hours - task_hours)
            rep.attention_ratio = free / max(1, rep.load) / required
        self._review_health()

    def healthy_accounts(self, segment: int) -> float:
        """Sum over the segment's accounts of the chance each renews, as of the last month end."""
        return self._health[segment] if segment < len(self._health) else 0.0

    def _review_health(self) -> None:
        health = [0.0] * len(self._segments)
        for account in self.accounts.values():
            health[account.segment] += 1.0 - self.churn_probability(account)
        self._health = health
