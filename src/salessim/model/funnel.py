"""The funnel: leads move stage by stage through the SDR, AE and specialist teams.

At each stage a lead queues for a rep of the stage's role, is worked, waits on the
customer (the lag), then converts with a probability set in odds form::

    odds = convert / (1 - convert) * segment.conversion_odds
           * skill ** skill_elasticity * (fit / mean_fit) ** fit_elasticity

or follows the stage's fixed ``routes``. Leads that wait longer than the stage's
patience go cold.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

import simpy

from salessim.model.entities import Lead, Rep
from salessim.model.events import (
    Bus,
    LeadClosed,
    LeadCreated,
    LeadStatus,
    LeadWentCold,
    LeadWorkStarted,
    OpportunityCreated,
    StageDone,
    new_record,
)
from salessim.model.streams import Streams
from salessim.model.teams import Team
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.funnel import Outcome, Stage, When
from salessim.scenario.measures import Measure
from salessim.scenario.schema import Scenario

if TYPE_CHECKING:
    from salessim.model.organisation import Organisation
    from salessim.model.pay.payroll import Payroll

OUTCOME_STATUS = {
    Outcome.WON: LeadStatus.WON,
    Outcome.LOST: LeadStatus.LOST,
    Outcome.DISQUALIFIED: LeadStatus.DISQUALIFIED,
}
Target = int | LeadStatus  # a stage index, or the status a lead closes with
# Members the per-lead paths compare with or pass on, as globals: reading an enum's member
# (``LeadStatus.OPEN``) goes through its metaclass and costs ten times as much.
OPEN, WON = LeadStatus.OPEN, LeadStatus.WON
SDR, SPECIALIST = Role.SDR, Role.SPECIALIST
MEETINGS, TECHNICAL_WINS, SQLS = Measure.MEETINGS, Measure.TECHNICAL_WINS, Measure.SQLS
PIPELINE_SOURCED, NEW_ARR, SOURCED_WON = (
    Measure.PIPELINE_SOURCED,
    Measure.NEW_ARR,
    Measure.SOURCED_WON,
)
Closing = Callable[[Lead, Rep, float, float], float]
"""(lead, rep, delay to resolution, win odds) -> the delay the rep chooses."""


def _target(name: str | None, default: Target, names: list[str]) -> Target:
    if name is None:
        return default
    if name in names:
        return names.index(name)
    return OUTCOME_STATUS[Outcome(name)]


class StagePlan:
    """One stage compiled for fast use: its team, samplers and where leads go next."""

    __slots__ = (
        "base_odds",
        "closes",
        "convert",
        "deal",
        "fail",
        "index",
        "lag",
        "name",
        "patience",
        "role",
        "routes",
        "skip",
        "success",
        "team",
        "uniform",
        "work",
    )

    def __init__(
        self, index: int, stage: Stage, names: list[str], team: Team, streams: Streams
    ) -> None:
        prefix = f"stage/{stage.name}"
        self.index = index
        self.name = stage.name
        self.role = stage.role
        self.deal = stage.role is Role.AE  # an account executive works the lead as a deal
        self.team = team
        self.work = streams.sampler(f"{prefix}/work", stage.work)
        self.lag = None if stage.lag.mean == 0 else streams.sampler(f"{prefix}/lag", stage.lag)
        self.patience = (
            None
            if stage.patience is None
            else streams.sampler(f"{prefix}/patience", stage.patience)
        )
        self.uniform = streams.uniforms(f"{prefix}/outcome")
        self.convert = stage.convert
        self.base_odds = stage.convert / (1 - stage.convert) if 0 < stage.convert < 1 else None
        following = index + 1 if index + 1 < len(names) else LeadStatus.WON
        self.success = _target(stage.next, following, names)
        self.closes = self.success is LeadStatus.WON
        self.fail = OUTCOME_STATUS[stage.on_fail]
        self.skip = stage.when == When.NEEDS_SPECIALIST
        self.routes: list[tuple[float, Target]] | None = None
        if stage.routes is not None:
            cumulative, self.routes = 0.0, []
            for name, probability in stage.routes.items():
                cumulative += probability
                self.routes.append((cumulative, _target(name, self.fail, names)))


class Funnel:
    """Moves leads through the stages; the handler of the SDR, AE and specialist teams."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        streams: Streams,
        scenario: Scenario,
        organisation: Organisation,
        on_won: Callable[[Lead], None],
        payroll: Payroll,
        closing: Closing | None = None,
    ) -> None:
        """The funnel forms the teams of every working role but the CSMs'.

        ``closing`` is the behaviour rules' choice of when a deal closes (None: as drawn).
        """
        self.env = env
        self.bus = bus
        # the observers of the records every lead makes, delivered without Bus.publish
        self._on_created = bus.observers(LeadCreated)
        self._on_work_started = bus.observers(LeadWorkStarted)
        self._on_stage_done = bus.observers(StageDone)
        self._on_closed = bus.observers(LeadClosed)
        self.on_won = on_won
        self.credit = payroll.credit
        self.closing = closing
        roles = [role for role in WORKING_ROLES if role is not Role.CSM]
        self.teams: dict[Role, Team] = {role: organisation.form_team(role, self) for role in roles}
        self.open_leads = 0
        self.closed_deals = 0
        self.stage_count = [0] * len(scenario.funnel.stages)
        self.stage_value = [0.0] * len(scenario.funnel.stages)
        self.reconfigure(scenario, streams)

    def reconfigure(self, scenario: Scenario, streams: Streams) -> None:
        """Take new stage parameters from ``scenario`` (same stage names and roles)."""
        self.deal_loss = scenario.policies.reassignment.deal_loss
        self.discount_win_elasticity = scenario.behaviour.discounting.win_elasticity
        names = [s.name for s in scenario.funnel.stages]
        self.plans = [
            StagePlan(i, stage, names, self.teams[stage.role], streams)
            for i, stage in enumerate(scenario.funnel.stages)
        ]
        self.first_ae_stage = next(
            (i for i, stage in enumerate(scenario.funnel.stages) if stage.role is Role.AE), -1
        )

    # ------------------------------------------------------------------ flow
    def admit(self, lead: Lead) -> None:
        """A lead created now enters the first stage."""
        self.open_leads += 1
        observers = self._on_created
        if observers:
            record = new_record(LeadCreated, (lead.created_at, lead.id, lead.segment, lead.source))
            for observe in observers:
                observe(record)
        self._go(lead, 0)

    def _go(self, lead: Lead, target: Target) -> None:
        plans = self.plans
        while type(target) is int and plans[target].skip and not lead.needs_specialist:
            target = plans[target].success
        if type(target) is not int:  # LeadStatus is an IntEnum: isinstance would not tell
            self._close(lead, cast(LeadStatus, target))
            return
        plan = plans[target]
        count, value, deal_value = self.stage_count, self.stage_value, lead.deal_value
        stage = lead.stage
        if stage >= 0:
            count[stage] -= 1
            value[stage] -= deal_value
        count[target] += 1
        value[target] += deal_value
        lead.stage = target
        team = plan.team
        owner = None
        if plan.deal:
            if lead.opportunity_at is None:
                lead.opportunity_at = self.env.now
                self.bus.emit(OpportunityCreated(self.env.now, lead.id, lead.deal_value))
            if team.sticky:
                owner = lead.owner
                if owner is None:
                    owner = lead.owner = team.assign(lead)
                    if owner is not None:
                        team.add_load(owner, 1)
                        owner.owned[lead.id] = lead
        patience = plan.patience
        team.push(lead, owner, None if patience is None else patience())

    def work_days(self, lead: Lead, rep: Rep) -> float:
        """Work the lead's current stage needs."""
        return self.plans[lead.stage].work()

    def started(self, lead: Lead, rep: Rep, wait_days: float) -> None:
        """A rep picked up the lead; a pooled AE becomes the deal's owner."""
        plan = self.plans[lead.stage]
        if plan.deal and lead.owner is None:
            lead.owner = rep
            plan.team.add_load(rep, 1)
            rep.owned[lead.id] = lead
        observers = self._on_work_started
        if observers:
            record = new_record(
                LeadWorkStarted, (self.env.now, lead.id, lead.stage, plan.role, rep.id, wait_days)
            )
            for observe in observers:
                observe(record)

    def finished(self, lead: Lead, rep: Rep) -> None:
        """The rep's work is done; the customer takes the lag, then the stage resolves."""
        if lead.status is not OPEN:
            return  # lost while the rep worked it
        plan = self.plans[lead.stage]
        delay = 0.0 if plan.lag is None else plan.lag()
        if plan.closes and self.closing is not None and plan.base_odds is not None:
            odds = plan.base_odds * rep.skill_odds * lead.fit_odds
            delay = self.closing(lead, rep, delay, odds)
        if delay <= 0:
            self._resolve(lead, rep)
        else:  # schedule(), inlined; a partial calls back without a Python frame of its own
            lagged = self.env.timeout(delay)
            lagged.callbacks.append(partial(self._resolve, lead, rep))  # type: ignore[union-attr]

    def gave_up(self, lead: Lead) -> None:
        """The lead waited past its patience and went cold."""
        now = self.env.now
        role = self.plans[lead.stage].role
        self.bus.emit(LeadWentCold(now, lead.id, lead.stage, role, now - lead.queued_at))
        self._close(lead, LeadStatus.GONE_COLD)

    def _resolve(self, lead: Lead, rep: Rep, _event: simpy.Event | None = None) -> None:
        if lead.status is not OPEN:
            return  # lost in a hand-over during the lag
        plan = self.plans[lead.stage]
        u = plan.uniform()
        routes = plan.routes
        if routes is not None:
            target: Target = plan.fail
            for cumulative, destination in routes:
                if u < cumulative:
                    target = destination
                    break
            converted = target is not plan.fail
        else:
            p = plan.convert
            base_odds = plan.base_odds
            if base_odds is not None:
                odds = base_odds * rep.skill_odds * lead.fit_odds
                if lead.discount and plan.closes:
                    odds *= 1 + self.discount_win_elasticity * lead.discount
                p = odds / (1 + odds)
                if lead.cooling and plan.closes:
                    p *= 1 - lead.cooling
            converted = u < p
            target = plan.success if converted else plan.fail
        if converted:
            self._credit_stage(lead, rep, plan)
        observers = self._on_stage_done
        if observers:
            record = new_record(StageDone, (self.env.now, lead.id, plan.index, rep.id, converted))
            for observe in observers:
                observe(record)
        if type(target) is int:
            self._go(lead, target)
        else:  # what _go would do, a call sooner
            self._close(lead, cast(LeadStatus, target))

    def _credit_stage(self, lead: Lead, rep: Rep, plan: StagePlan) -> None:
        """Credit a converted stage: a meeting, an accepted lead or a technical win."""
        role = plan.role
        if role is SDR:
            lead.sdr = rep
            self.credit(rep, MEETINGS, 1.0, lead=lead)
        elif role is SPECIALIST:
            self.credit(rep, TECHNICAL_WINS, 1.0, lead=lead)
        elif plan.index == self.first_ae_stage and lead.sdr is not None:
            self.credit(lead.sdr, SQLS, 1.0, lead=lead)
            self.credit(lead.sdr, PIPELINE_SOURCED, lead.deal_value, lead=lead)

    def _close(self, lead: Lead, status: LeadStatus) -> None:
        lead.status = status
        self.open_leads -= 1
        if lead.stage >= 0:
            self.stage_count[lead.stage] -= 1
            self.stage_value[lead.stage] -= lead.deal_value
        owner = lead.owner
        if owner is not None:
            self.teams[owner.role].add_load(owner, -1)
            del owner.owned[lead.id]
        if lead.opportunity_at is not None:
            self.closed_deals += 1
        won = status is WON
        arr = lead.deal_value * (1 - lead.price_cut) if won else 0.0
        sdr = lead.sdr
        observers = self._on_closed
        if observers:
            record = new_record(
                LeadClosed,
                (
                    self.env.now,
                    lead.id,
                    status,
                    lead.stage,
                    owner.id if owner is not None else None,
                    sdr.id if sdr is not None else None,
                    lead.deal_value,
                    lead.discount,
                    lead.concession,
                    arr,
                    lead.created_at,
                    lead.opportunity_at,
                ),
            )
            for observe in observers:
                observe(record)
        if won:
            if owner is not None:
                self.credit(owner, NEW_ARR, arr, lead=lead)
            if sdr is not None:
                self.credit(sdr, SOURCED_WON, arr, lead=lead)
            self.on_won(lead)

    # ------------------------------------------------------------------ people
    def hand_over(self, leaver: Rep, waiting: list[Lead], uniform: Callable[[], float]) -> None:
        """A leaver's open deals: each is lost with chance ``deal_loss``, else a teammate's.

        ``waiting`` are the leads the leaver's queue held; they queue again for the new owner.
        """
        team = self.teams[leaver.role]
        queued = {lead.id for lead in waiting}
        for lead in list(leaver.owned.values()):
            if uniform() < self.deal_loss:
                self.plans[lead.stage].team.withdraw(lead)
                self._close(lead, LeadStatus.LOST)
                continue
            del leaver.owned[lead.id]
            leaver.load -= 1  # off the team: nothing to re-rank
            owner = lead.owner = team.assign(lead)
            if owner is not None:
                team.add_load(owner, 1)
                owner.owned[lead.id] = lead
            if lead.id in queued:
                team.requeue(lead, owner)
