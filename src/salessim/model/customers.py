"""Customers: won deals become accounts that CSMs onboard, look after and renew.

Each account renews at the end of its contract term. A CSM's monthly attention per
account is the time left after queued onboarding and renewal work, shared across the
book. At renewal an account churns with probability (odds form)::

    odds = base / (1 - base) * ratio ** -attention_elasticity
           * (fit / mean_fit) ** -fit_elasticity * csm_skill ** -skill_elasticity

where ratio = min(1, attention / attention needed), floored at min_attention_ratio.
An account that stays grows with probability ``expansion.probability * ratio **
expansion.attention_elasticity`` by a drawn uplift (growth compounds, so an account grows
no further than ``MAX_MONEY``), or else contracts with ``contraction_probability`` by a
drawn fraction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from salessim.model.accounts import NO_ID, AccountBook
from salessim.model.entities import AccountTask, Lead, Rep
from salessim.model.events import (
    AccountChurned,
    AccountOpened,
    AccountRenewed,
    AccountWorkStarted,
    Bus,
    TaskKind,
)
from salessim.model.kernel.agenda import Agenda
from salessim.model.streams import Streams
from salessim.scenario.base import Role
from salessim.scenario.customers import Customers
from salessim.scenario.limits import MAX_MONEY
from salessim.scenario.measures import Measure
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK, HOURS_PER_DAY

if TYPE_CHECKING:
    from salessim.model.behaviour import Incentives
    from salessim.model.organisation import Organisation
    from salessim.model.pay.payroll import Payroll

PREPARE, RENEW = 0, 1  # agenda codes are slot * 2 + what is due


class CustomerBook:
    """The accounts, their CSMs, and every account's renewals."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        streams: Streams,
        scenario: Scenario,
        organisation: Organisation,
        payroll: Payroll,
        incentives: Incentives,
    ) -> None:
        """The book forms the CSMs' team; ``incentives`` says how much AEs care for accounts."""
        self.env = env
        self.bus = bus
        self.team = team = organisation.form_team(Role.CSM, self)
        self.payroll = payroll
        self.incentives = incentives
        self.book = AccountBook()
        self.agenda = Agenda(env, self._due)
        self.arr = 0.0
        self._csms = {rep.id: rep for rep in team.reps}
        self._segments = list(scenario.market.segments.values())
        self._mean_fits = [segment.fit.mean for segment in self._segments]
        self._segment_names = list(scenario.market.segments)
        self._streams = streams
        self._uniform = streams.uniforms("customers/outcome")
        self._month_busy: dict[int, float] = {}
        self._health: list[float] = []
        self._ae_care: dict[int, float] = {}
        self.won_arr: dict[int, float] = {}  # ARR of the live accounts each AE won
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
        self._ae_hours_per_month = scenario.roles.ae.hours_per_week / DAYS_PER_WEEK * DAYS_PER_MONTH
        self._account_loss = scenario.policies.reassignment.account_loss
        churn = spec.churn
        self._churn_odds = churn.base / (1 - churn.base) if churn.base < 1 else None

    @property
    def accounts(self) -> int:
        """The number of live accounts."""
        return len(self.book)

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
            self._open(segment, arr(), fit(), 0.0, NO_ID, phase() * spec.contract_term)
        self._review_health()

    def win(self, lead: Lead) -> None:
        """A won deal becomes an account, and its CSM onboards it."""
        cut = lead.price_cut
        arr = lead.deal_value * (1 - cut)
        renewal_at = self.env.now + self._segments[lead.segment].contract_term
        owner = lead.owner.id if lead.owner is not None else NO_ID
        slot = self._open(lead.segment, arr, lead.fit, cut, lead.id, renewal_at, owner)
        csm = self._csms.get(self.book.csm[slot])
        if csm is not None:
            task = AccountTask(slot, self.book.id[slot], TaskKind.ONBOARDING, self.env.now)
            self.team.push(task, csm)

    def _open(
        self,
        segment: int,
        arr: float,
        fit: float,
        discount: float,
        lead_id: int,
        renewal_at: float,
        ae: int = NO_ID,
    ) -> int:
        csm = NO_ID
        rep = self.team.assign(None)
        if rep is not None:
            self.team.add_load(rep, 1)
            csm = rep.id
        now = self.env.now
        book = self.book
        slot = book.open(segment, arr, fit, discount, now, renewal_at, csm, lead_id, ae)
        self.arr += arr
        self._plan_renewal(slot)
        self.bus.emit(
            AccountOpened(
                now,
                book.id[slot],
                _known(lead_id),
                segment,
                arr,
                _known(csm),
                _known(ae),
            )
        )
        return slot

    def _plan_renewal(self, slot: int) -> None:
        """Put the next renewal's preparation on the agenda."""
        prepare_at = self.book.renewal_at[slot] - self.spec.renewal_lead_time
        self.agenda.at(prepare_at, slot * 2 + PREPARE)

    def _due(self, code: int) -> None:
        slot, what = divmod(code, 2)
        if what == PREPARE:
            csm = self._csms.get(self.book.csm[slot])
            renewal_at = self.book.renewal_at[slot]
            if csm is not None:
                # Preparation not started by the renewal date is moot: the task lapses.
                task = AccountTask(slot, self.book.id[slot], TaskKind.RENEWAL, self.env.now)
                self.team.push(task, csm, patience_days=max(0.0, renewal_at - self.env.now))
            self.agenda.at(renewal_at, slot * 2 + RENEW)
        elif self._renew(slot):
            self.book.renewal_at[slot] += self._segments[self.book.segment[slot]].contract_term
            self._plan_renewal(slot)

    def churn_probability(self, slot: int) -> float:
        """The chance the account in ``slot`` leaves at renewal, given its CSM's attention now."""
        return self._churn_model()(slot)

    def _churn_model(self) -> Callable[[int], float]:
        """``churn_probability`` as of now, with what accounts share worked out once.

        The month's health review asks it of every account: the terms of an account's CSM
        (and of the AE who cares for it) are worked out once per CSM (and AE), not once
        per account, which takes half the time off the review.
        """
        base_odds = self._churn_odds
        if base_odds is None:
            return _certain
        churn, book, csms, care = self.spec.churn, self.book, self._csms, self._ae_care
        attention_power = -churn.attention_elasticity
        fit_power = -churn.fit_elasticity
        skill_power = -churn.skill_elasticity
        discount_elasticity, min_ratio = churn.discount_elasticity, churn.min_attention_ratio
        mean_fits = self._mean_fits
        csm_of, ae_of, fit_of, segment_of = book.csm, book.ae, book.fit, book.segment
        discount_of = book.discount
        people_terms: dict[tuple[int, int], tuple[float, float | None]] = {}

        def probability(slot: int) -> float:
            key = (csm_of[slot], ae_of[slot] if care else NO_ID)
            terms = people_terms.get(key)
            if terms is None:  # the CSM's attention (with the AE's care) and skill terms
                csm = csms.get(key[0])
                ratio = csm.attention_ratio if csm is not None else 0.0  # as _attention
                if care:
                    ratio += care.get(key[1], 0.0)
                terms = people_terms[key] = (
                    max(min_ratio, min(1.0, ratio)) ** attention_power,
                    csm.skill**skill_power if skill_power and csm is not None else None,
                )
            attention, skill = terms
            odds = base_odds * attention
            fit = fit_of[slot]
            if fit_power and fit > 0:
                odds *= (fit / mean_fits[segment_of[slot]]) ** fit_power
            if skill is not None:
                odds *= skill
            discount = discount_of[slot]
            if discount:
                odds *= 1 + discount_elasticity * discount
            return odds / (1 + odds)

        return probability

    def _attention(self, slot: int, csm: Rep | None) -> float:
        """Attention ratio of an account: its CSM's, plus care from the AE who won it."""
        ratio = csm.attention_ratio if csm is not None else 0.0
        if self._ae_care:
            ratio += self._ae_care.get(self.book.ae[slot], 0.0)
        return max(self.spec.churn.min_attention_ratio, min(1.0, ratio))

    def _renew(self, slot: int) -> bool:
        now, book = self.env.now, self.book
        before = book.arr[slot]
        account_id, opened_at = book.id[slot], book.opened_at[slot]
        csm = self._csms.get(book.csm[slot])
        prepared = float(book.prepared[slot])
        book.prepared[slot] = 0
        u = self._uniform()
        if book.lost_in_handover[slot] or u < self.churn_probability(slot):
            book.close(slot)
            self.arr = self.arr - before if book.count else 0.0  # no rounding left over
            if csm is not None:
                self.team.add_load(csm, -1)
                self._credit_renewal(csm, slot, before, 0.0, 0.0)
            lead_id = book.lead_id[slot]
            if lead_id != NO_ID:
                self.payroll.churned(lead_id, opened_at)
            self.bus.emit(
                AccountChurned(
                    now, account_id, opened_at, before, _known(book.csm[slot]), _known(lead_id)
                )
            )
            return False
        expansion = self.spec.expansion
        grow = expansion.probability * self._attention(slot, csm) ** (
            expansion.attention_elasticity
        )
        u = self._uniform()
        after = before
        if u < grow:  # growth compounds at every renewal: an account stops at MAX_MONEY
            after = min(before * (1 + self._uplift()), max(before, MAX_MONEY))
        elif u < grow + (1 - grow) * expansion.contraction_probability:
            after = before * max(0.0, 1 - self._contraction())
        book.arr[slot] = after
        self.arr += after - before
        if csm is not None:
            self._credit_renewal(csm, slot, before, after, prepared)
        ae = self.payroll.everyone.get(book.ae[slot])
        if ae is not None and ae.active:
            self._credit_renewal(ae, slot, before, after, prepared)
        csm_id = _known(book.csm[slot])
        self.bus.emit(AccountRenewed(now, account_id, opened_at, before, after, csm_id))
        return True

    def _credit_renewal(
        self, rep: Rep, slot: int, before: float, after: float, prepared: float
    ) -> None:
        """Credit a renewal (``after`` is 0 for a churn) in the renewal measures that count."""
        credit, segment = self.payroll.credit, self.book.segment[slot]
        wanted = self.payroll.wanted(rep) or Measure
        if after > 0:
            if Measure.RENEWAL_ARR in wanted:
                credit(rep, Measure.RENEWAL_ARR, min(before, after), segment=segment)
            if after > before and Measure.EXPANSION_ARR in wanted:
                credit(rep, Measure.EXPANSION_ARR, after - before, segment=segment)
        if rep.role is not Role.CSM:
            return
        if Measure.GROSS_RETENTION in wanted:
            credit(rep, Measure.GROSS_RETENTION, min(before, after), due=before)
        if Measure.NET_RETENTION in wanted:
            credit(rep, Measure.NET_RETENTION, after, due=before)
        if Measure.ON_TIME_RENEWALS in wanted:
            credit(rep, Measure.ON_TIME_RENEWALS, prepared if after > 0 else 0.0, due=1.0)

    # ------------------------------------------------------------------ CSM work
    def work_days(self, task: AccountTask, rep: Rep) -> float:
        """Work an onboarding or renewal task needs."""
        return self._onboarding() if task.kind is TaskKind.ONBOARDING else self._renewal_work()

    def started(self, task: AccountTask, rep: Rep, wait_days: float) -> None:
        """A CSM picked up a task."""
        self.bus.emit(
            AccountWorkStarted(self.env.now, task.account_id, task.kind, rep.id, wait_days)
        )

    def finished(self, task: AccountTask, rep: Rep) -> None:
        """A finished renewal preparation marks the account prepared; else only time."""
        slot = task.slot
        if task.kind is TaskKind.RENEWAL and self.book.id[slot] == task.account_id:
            self.book.prepared[slot] = 1

    def gave_up(self, task: AccountTask) -> None:
        """Renewal preparation the CSM never reached before the renewal date lapses."""

    # ------------------------------------------------------------------ people
    def join(self, rep: Rep) -> None:
        """A new CSM starts taking accounts."""
        self._csms[rep.id] = rep

    def hand_over(
        self, leaver: Rep, waiting: list[AccountTask], uniform: Callable[[], float]
    ) -> None:
        """A leaving CSM's accounts go to teammates; each is lost with ``account_loss``.

        A lost account churns at its next renewal. Waiting tasks follow their account.
        Costs O(the leaver's accounts), not O(the book).
        """
        book = self.book
        for slot in book.slots_of(leaver.id):
            rep = self.team.assign(None)
            book.reassign(slot, NO_ID if rep is None else rep.id)
            if rep is not None:
                self.team.add_load(rep, 1)
            if uniform() < self._account_loss:
                book.lost_in_handover[slot] = 1
        book.forget(leaver.id)
        leaver.load = 0  # off the team: nothing to re-rank
        del self._csms[leaver.id]
        self._month_busy.pop(leaver.id, None)
        for task in waiting:
            owner = self._csms.get(book.csm[task.slot])
            if owner is not None:
                self.team.requeue(task, owner)

    def review_attention(self) -> None:
        """Month end: each CSM's attention per account from the time tasks left over."""
        required = self.spec.attention_hours_per_account_per_month
        hours = self._csm_hours_per_month
        for rep in self.team.reps:
            busy = rep.busy_days - self._month_busy.get(rep.id, 0.0)
            self._month_busy[rep.id] = rep.busy_days
            task_hours = busy * rep.speed * HOURS_PER_DAY
            free = max(0.0, hours * rep.speed / rep.full_speed - task_hours)
            rep.attention_ratio = free / max(1, rep.load) / required
        self._review_care()
        self._review_health()

    def _review_care(self) -> None:
        """Month end: what each AE's won accounts hold, and the care each AE gives each."""
        if not self.payroll.active:
            return  # no pay plans: nobody is paid to care
        count: dict[int, int] = {}
        arr: dict[int, float] = {}
        book = self.book
        for slot in book.slots():
            ae = book.ae[slot]
            if ae != NO_ID:
                count[ae] = count.get(ae, 0) + 1
                arr[ae] = arr.get(ae, 0.0) + book.arr[slot]
        self.won_arr = arr
        self._ae_care = {}
        required = self.spec.attention_hours_per_account_per_month
        for ae_id, accounts in count.items():
            rep = self.payroll.everyone.get(ae_id)
            care = self.incentives.drive(ae_id).care_share
            if rep is not None and rep.active and care > 0:
                hours = care * self._ae_hours_per_month * rep.productivity
                self._ae_care[ae_id] = hours / accounts / required

    def healthy_accounts(self, segment: int) -> float:
        """Sum over the segment's accounts of the chance each renews, as of the last month end."""
        return self._health[segment] if segment < len(self._health) else 0.0

    def _review_health(self) -> None:
        health = [0.0] * len(self._segments)
        segments, churn_probability = self.book.segment, self._churn_model()
        for slot in self.book.slots():
            health[segments[slot]] += 1.0 - churn_probability(slot)
        self._health = health


def _certain(_slot: int) -> float:
    """The chance of churn when every account churns."""
    return 1.0


def _known(rep_or_lead: int) -> int | None:
    """An id from the book's columns, None where the book holds ``NO_ID``."""
    return None if rep_or_lead == NO_ID else int(rep_or_lead)
