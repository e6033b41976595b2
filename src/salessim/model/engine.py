"""The simulation engine: one SimPy environment, its components, and the clock.

``Simulation`` is built from a scenario and a seed, advances to a time, accepts
parameter and policy changes between advances, and continues: the game plays a
quarter at a time on it. The same scenario, seed and changes always give the same run.

Observers subscribe to ``bus`` before the first advance, which opens the starting book
of customers and starts the clock; ``salessim.run`` attaches the recorders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial

import simpy

from salessim.model.behaviour import Incentives
from salessim.model.calendar import Calendar
from salessim.model.control import Change, apply_changes, check_changes, org_view, shape
from salessim.model.customers import CustomerBook
from salessim.model.events import Bus, MonthEnded, QuarterEnded, Source, YearEnded
from salessim.model.funnel import Funnel
from salessim.model.kernel.collection import sparing_collections
from salessim.model.kernel.schedule import schedule
from salessim.model.offers import CompetingOffers
from salessim.model.organisation import Organisation
from salessim.model.pay.payroll import Payroll
from salessim.model.script import Script
from salessim.model.sources import LeadFactory, PoissonArrivals, outbound_rate
from salessim.model.streams import Streams
from salessim.model.view import BookView, OrgView, Snapshot
from salessim.model.workforce import Workforce
from salessim.scenario.base import Role
from salessim.scenario.dists import Dist
from salessim.scenario.load import apply_overrides
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_YEAR

STANDARD_EXPONENTIAL = Dist.model_validate({"exponential": {"mean": 1}})

Progress = Callable[[float, float], None]
"""Called with (days simulated, days to simulate) as a run advances."""
AFTER_BOUNDARY = 1e-6  # days past a month end: its month-end work is done


class Simulation:
    """A running model of one sales organisation."""

    def __init__(self, scenario: Scenario, seed: int, *, hold_offers: bool = False) -> None:
        """Build the organisation of ``scenario`` with every stream seeded from ``seed``.

        ``hold_offers``: competing offers wait for ``offers.settle()`` (a game's turn)
        instead of the scenario's counter-offer policy.
        """
        self.scenario = scenario
        self.seed = seed
        self.env = env = simpy.Environment()
        self.bus = bus = Bus()
        self.streams = streams = Streams(seed)
        self.calendar = Calendar(
            scenario.calendar.start_date, scenario.calendar.fiscal_year_start_month
        )
        self.organisation = organisation = Organisation(env, streams, scenario)
        self.payroll = payroll = Payroll(bus, self.calendar, scenario, organisation)
        self.incentives = incentives = Incentives(
            env, scenario, payroll, streams.uniforms("pricing/approvals")
        )
        self.customers = CustomerBook(
            env, bus, streams, scenario, organisation, payroll, incentives
        )
        self.funnel = Funnel(
            env,
            bus,
            streams,
            scenario,
            organisation,
            self.customers.win,
            payroll,
            closing=incentives.close,
        )
        self.workforce = Workforce(
            env,
            bus,
            streams,
            scenario,
            organisation,
            self.funnel,
            self.customers,
            self.calendar,
            payroll,
            incentives,
        )
        self.leads = LeadFactory(scenario, streams)
        self.script = Script(scenario.events, scenario.calendar.start_date)
        self.offers = CompetingOffers(env, bus, self.workforce, held=hold_offers)
        self.measure_from = scenario.calendar.warmup
        self.started = False

    def start(self) -> None:
        """Open the starting book and start the clock (the first advance does it once)."""
        if self.started:
            return
        self.started = True
        self.customers.seed_initial_book(self.scenario)
        self._start_sources()
        self.env.process(self.calendar.run(self.env, self._month_end))
        self.script.start(
            self.at,
            self.bus,
            scale_conversion=self._scale_conversion,
            cut_headcount=self.workforce.cut_headcount,
            offer=lambda event: self.offers.make(event.role, event.offer, self.scenario),
        )

    def at(self, day: float, action: Callable[[], object]) -> None:
        """Call ``action()`` on ``day``, after what is already due then."""
        schedule(self.env, day - self.env.now, lambda _event: action())

    # ------------------------------------------------------------------ time
    @property
    def now(self) -> float:
        """Days since the start date."""
        return self.env.now

    @property
    def end(self) -> float:
        """The day the scenario's horizon ends (warm-up included)."""
        return self.scenario.calendar.warmup + self.scenario.calendar.horizon

    def run_until(self, day: float, progress: Progress | None = None) -> None:
        """Advance the clock to ``day`` (days since the start date)."""
        self.start()
        if day < self.env.now:
            raise ValueError(f"cannot go back in time: now is day {self.env.now:g}, asked {day:g}")
        if day == self.env.now:
            return
        with sparing_collections():
            if progress is None:
                self.env.run(until=day)
                return
            start = self.env.now
            step = 7.0
            while self.env.now < day:
                self.env.run(until=min(day, self.env.now + step))
                progress(self.env.now - start, day - start)

    def month_ends(self, until: float | None = None) -> Iterator[float]:
        """Advance a month at a time to ``until`` (the horizon), yielding each month end's day.

        Each yield comes just after the month end's work, so the state read then is the
        one set for the coming month.
        """
        until = self.end if until is None else until
        index = self.calendar.month_index(self.now)
        while (boundary := self.calendar.month_start(index + 1)) < until:
            self.run_until(max(self.now, boundary + AFTER_BOUNDARY))
            yield boundary
            index += 1
        self.run_until(max(self.now, until))

    # ------------------------------------------------------------------ control
    def view(self) -> OrgView:
        """The organisation now, read-only: roster, searches, exits, pipeline, pay."""
        return org_view(
            self.scenario, self.env.now, self.workforce, self.funnel, self.customers, self.offers
        )

    def problems_with(self, changes: Sequence[Change]) -> list[str]:
        """Every reason ``changes`` cannot apply now (empty: they can)."""
        return check_changes(changes, self.scenario, self.workforce)

    def control(self, changes: Sequence[Change]) -> None:
        """Apply ``changes`` in order, all of them or (if any cannot apply) none.

        Raises:
            ValueError: the changes that cannot apply, one problem a line.
        """
        apply_changes(changes, self.scenario, self.workforce, self.offers, self.apply)

    # ------------------------------------------------------------------ changes
    def change(self, overrides: Mapping[str, object] | Sequence[str]) -> None:
        """Change parameters or policies from now on.

        Example: ``sim.change({"policies.routing.ae": "round_robin"})``.

        Raises:
            ScenarioError: an unknown key or an invalid value.
            ValueError: a change to the organisation's shape.
        """
        self.apply(apply_overrides(self.scenario, overrides))

    def apply(self, scenario: Scenario) -> None:
        """Continue with the parameters and policies of ``scenario`` from now on.

        The organisation's shape must stay the same: the same stages with the same roles,
        the same segments and the same headcount.
        """
        if shape(scenario) != shape(self.scenario):
            raise ValueError(
                "a running simulation can change parameters and policies, not its shape "
                "(stages, segments, headcount)"
            )
        self.scenario = scenario
        self.organisation.reconfigure(scenario)
        self.funnel.reconfigure(scenario, self.streams)
        self.customers.configure(scenario)
        self.workforce.configure(scenario)
        self.payroll.configure(scenario)
        self.incentives.configure(scenario)
        self.leads = LeadFactory(
            scenario, self.streams, self.leads.last_id + 1, self.leads.conversion
        )

    # ------------------------------------------------------------------ wiring
    def _start_sources(self) -> None:
        env, calendar = self.env, self.calendar
        for index, segment in enumerate(self.scenario.market.segments.values()):
            name = list(self.scenario.market.segments)[index]
            if segment.inbound.rate > 0:
                PoissonArrivals(
                    env,
                    calendar,
                    partial(self._inbound_rate, index),
                    self._exponentials(f"arrivals/inbound/{name}"),
                    partial(self._admit, index, Source.INBOUND),
                    self.script.demand_changes if self.script.events else None,
                ).start()
            PoissonArrivals(
                env,
                calendar,
                partial(self._referral_rate, index),
                self._exponentials(f"arrivals/referral/{name}"),
                partial(self._admit, index, Source.REFERRAL),
            ).start()
        segment_pick = self.streams.uniforms("arrivals/outbound/segment")
        PoissonArrivals(
            env,
            calendar,
            lambda month: outbound_rate(self.scenario, self.workforce.capacity(Role.SDR)),
            self._exponentials("arrivals/outbound"),
            lambda: self._admit(self._outbound_segment(segment_pick()), Source.OUTBOUND),
        ).start()

    def _exponentials(self, name: str) -> Callable[[], float]:
        return self.streams.sampler(name, STANDARD_EXPONENTIAL)

    def _admit(self, segment: int, source: Source) -> None:
        self.funnel.admit(self.leads.make(segment, source, self.env.now))

    def _inbound_rate(self, segment: int, month: int) -> float:
        spec = list(self.scenario.market.segments.values())[segment].inbound
        rate = spec.rate * spec.seasonality[self.calendar.calendar_month(month) - 1]
        return rate * self.script.demand

    def _scale_conversion(self, factor: float) -> None:
        self.leads.conversion *= factor

    def _referral_rate(self, segment: int, _month: int) -> float:
        per_day = self.scenario.customers.referrals_per_account_per_year / DAYS_PER_YEAR
        if per_day == 0:
            return 0.0
        return per_day * self.customers.healthy_accounts(segment)

    def _outbound_segment(self, u: float) -> int:
        weights = [s.outbound_weight for s in self.scenario.market.segments.values()]
        target = u * sum(weights)
        for index, weight in enumerate(weights):
            target -= weight
            if target < 0:
                return index
        return len(weights) - 1

    def _month_end(self, index: int) -> None:
        """Tell observers the month closed, run the month-end work, then quarter and year."""
        now, bus = self.env.now, self.bus
        bus.emit(MonthEnded(now, index))
        contests = self.payroll.month_end(now)
        self.customers.review_attention()
        self.incentives.month_end(self.customers.won_arr, contests)
        self.workforce.month_end()
        quarter, year = self.calendar.closes(index)
        if quarter is not None:
            bus.emit(QuarterEnded(now, quarter))
        if year is not None:
            bus.emit(YearEnded(now, year))

    def book(self) -> BookView:
        """The live accounts now and their ARR: what observers read for retention cohorts."""
        return BookView(*self.customers.book.arr_by_id())

    def renewals_due(self, until: float) -> float:
        """ARR of the live accounts that come up for renewal by day ``until``."""
        return self.customers.book.arr_due(until)

    def snapshot(self) -> Snapshot:
        """The model's state now: what observers read besides events."""
        teams, workforce, now = self.organisation.teams, self.workforce, self.env.now
        areas = {role.value: team.areas() for role, team in teams.items()}
        employed = [rep for reps in workforce.staff.values() for rep in reps]
        attainment = self.payroll.attainment
        return Snapshot(
            now=now,
            label=self.calendar.date(max(0.0, now - 1e-9)).strftime("%Y-%m"),
            arr=self.customers.arr,
            logos=self.customers.accounts,
            open_leads=self.funnel.open_leads,
            stage_count=list(self.funnel.stage_count),
            stage_value=list(self.funnel.stage_value),
            headcount=workforce.headcount(),
            waiting_area={role: a[0] for role, a in areas.items()},
            busy_area={role: a[1] for role, a in areas.items()},
            staffed_area={role: a[2] for role, a in areas.items()},
            headcount_area=workforce.headcount_areas(),
            ramped_area=workforce.ramped_capacity(),
            manager_hours=dict(workforce.managers.hours),
            manager_hours_available=workforce.managers.available,
            coaching_asked=workforce.managers.coaching_asked,
            managers=workforce.managers.count,
            ability_mean=workforce.roster.ability_mean(),
            coaching_hours=workforce.coaching_hours,
            morale_mean=sum(rep.morale for rep in employed) / len(employed)
            if employed
            else float("nan"),
            open_requisitions=sum(workforce.open_requisitions.values()),
            roster=[
                (rep.role.value, rep.tenure(now), attainment(rep.id), rep.productivity >= 1.0)
                for rep in employed
            ],
        )
