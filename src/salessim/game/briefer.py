"""Putting a turn's briefing together: the figures, the roster with rumours, the story.

At the end of each turn the briefer reads the organisation (``Simulation.view()``) and
the recorder's monthly rows of the turn, sums the turn's flows into figures, compares
them with last turn's, adds the turn to the game's running totals, turns quit hazards
into noisy rumours (the game's own stream, one draw per rep in roster order) and asks
``narrative`` for the story.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from salessim.game.briefing import (
    Briefing,
    Budget,
    Exercise,
    Indicator,
    RosterRow,
    morale_word,
    policies_in_force,
    quotas_in_force,
)
from salessim.game.causes import Pulse, explain
from salessim.game.decisions import Decisions
from salessim.game.decisions import Forecast as CommittedForecast
from salessim.game.events import Script
from salessim.game.forecasting import ForecastCheck, guide
from salessim.game.narrative import TurnEvents, tell
from salessim.game.spend import PeopleSpend
from salessim.metrics.forecast import Forecast
from salessim.model.engine import Simulation
from salessim.model.streams import Streams
from salessim.model.view import OrgView, RepView
from salessim.report.format import role_label
from salessim.run import Recording
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.people import Backfill
from salessim.scenario.units import DAYS_PER_MONTH

RUMOUR_MONTHS = 3  # rumours reflect the chance of leaving within this many months
FLOW_INDICATORS = ("bookings_new_arr", "bookings_expansion_arr", "churned_arr", "deals_won")
BOOK_FLOWS = ("bookings_new_arr", "bookings_expansion_arr", "churned_arr", "contraction_arr")
TOTALS = (
    "revenue",
    "people_spend",
    "regretted_exits",
    "bookings_new_arr",
    "bookings_expansion_arr",
    "churned_arr",
    "contraction_arr",
    "headcount_months",
    "months",
)


class Briefer:
    """Builds each turn's briefing and keeps the game's running totals."""

    def __init__(
        self,
        sim: Simulation,
        recording: Recording,
        events: TurnEvents,
        script: Script,
        spend: PeopleSpend,
        *,
        seed: int,
        turns: int,
        opening: OrgView,
    ) -> None:
        """Briefings of a game of ``turns`` turns that starts from ``opening``."""
        self.sim = sim
        self.recording = recording
        self.events = events
        self.script = script
        self.spend = spend
        self.turns = turns
        self.totals = dict.fromkeys(TOTALS, 0.0)  # over the turns played
        self._rumours = Streams(seed).generator("game/rumours")  # the game's own stream
        self._previous: dict[str, float] = {}
        self._turn_start = opening.day
        self._capacity_mark = opening.ramped_area[Role.AE]
        self._arr_mark = opening.arr  # ARR at the start of the turn
        self._pulse: Pulse | None = None  # last turn's, to explain this turn's moves
        self._quotas = quotas_in_force(sim.scenario)
        self._won_mark = self._won()  # list value and ARR of the deals won so far
        self.forecasts: list[ForecastCheck] = []  # each played turn's, and the next one's
        self._guide: Forecast | None = None  # the pipeline forecast of the next turn

    def brief(self, *, opening: bool, played: int) -> Briefing:
        """The briefing after ``played`` turns (``opening``: before the first)."""
        sim, rules = self.sim, self.sim.scenario.game
        finished = played >= self.turns
        view = sim.view()
        now = view.day
        start = self._turn_start
        rows = [row for row in self.recording.record.monthly if float(row["day"]) > start]
        self._turn_start = now
        figures: dict[str, float] = {"ending_arr": view.arr, "customers": float(view.accounts)}
        if not opening:
            for name in FLOW_INDICATORS:
                figures[name] = float(sum(float(row[name]) for row in rows))
            decided = figures["deals_won"] + sum(float(row["deals_lost"]) for row in rows)
            figures["win_rate"] = figures["deals_won"] / decided if decided else 0.0
            figures["price_realised"] = self._price_realised()
            figures["people_spend"] = self.spend.turn_spend()
            figures["regretted_exits"] = float(sum(e.regretted for e in self.events.exits))
            self._add_to_totals(rows, figures)
            area = view.ramped_area[Role.AE]
            figures["ae_capacity"] = (area - self._capacity_mark) / max(1e-9, now - start)
            self._capacity_mark = area
        for role in WORKING_ROLES:
            figures[f"headcount_{role.value}"] = float(sum(r.role is role for r in view.roster))
        indicators = [
            Indicator(name, value, self._previous.get(name), rules.targets.get(name))
            for name, value in figures.items()
        ]
        story = []
        if not opening:
            pulse = self._take_pulse(view, rows, figures)
            causes = None if self._pulse is None else explain(self._pulse, pulse, sim.scenario)
            story = tell(self.events, self._changes(figures), self._backfill, causes)
            self._pulse = pulse
        self._arr_mark = view.arr
        self._previous = figures
        if not opening and self.forecasts:
            actual = Forecast(figures["bookings_new_arr"], figures["churned_arr"])
            self.forecasts[-1] = replace(self.forecasts[-1], actual=actual)
        self._guide = None if finished else guide(self.recording, self._turn_end(now))
        employed = view.roster
        employed_ids = {rep.id for rep in employed}
        return Briefing(
            turn=played + 1 if not finished else played,
            turns=self.turns,
            period="start" if opening else sim.calendar.quarter_label(now - 1),
            date=sim.calendar.date(now).isoformat(),
            indicators=indicators,
            roster=[self._row(rep) for rep in employed],
            open_requisitions={r.value: n for r, n in view.open_requisitions.items()},
            pipeline={stage.name: (stage.count, stage.value) for stage in view.pipeline},
            budget=Budget(
                self.script.budget,
                figures.get("people_spend"),
                self.spend.projected(Decisions(), employed),
                self.spend.overspent(),
            ),
            pay_plans=dict(sim.scenario.compensation.assign),
            offers={r: level for r, level in view.offers.items() if r in employed_ids},
            plan_choices=self._plan_choices(),
            quotas=quotas_in_force(sim.scenario),
            policies=policies_in_force(sim.scenario),
            story=story,
            finished=finished,
            exercise=self._exercise() if opening else None,
            leads_gone_cold=None
            if opening
            else round(sum(float(row["leads_gone_cold"]) for row in rows)),
            forecast_guide=self._guide,
            forecast_last=None if opening or not self.forecasts else self.forecasts[-1],
        )

    def _won(self) -> tuple[float, float]:
        record = self.recording.record
        return sum(record.won_list_by_quarter_week), sum(record.won_arr_by_quarter_week)

    def _price_realised(self) -> float:
        """The turn's deals won: ARR booked over their list value (NaN: none won)."""
        (list_before, arr_before), (list_now, arr_now) = self._won_mark, self._won()
        self._won_mark = (list_now, arr_now)
        sold = list_now - list_before
        return (arr_now - arr_before) / sold if sold > 0 else math.nan

    def commit_forecast(self, committed: CommittedForecast | None) -> None:
        """Keep the player's forecast of the turn about to be played (None: the guide)."""
        assert self._guide is not None, "no turn left to forecast"
        own = committed is not None
        chosen = Forecast(committed.new_arr, committed.churn) if committed else self._guide
        self.forecasts.append(ForecastCheck(self._guide, chosen, own))

    def _turn_end(self, now: float) -> float:
        """The day the turn starting now ends: its last month's end."""
        calendar, rules = self.sim.calendar, self.sim.scenario.game
        months = max(1, round(rules.turn / DAYS_PER_MONTH))
        return calendar.month_start(calendar.month_index(now) + months)

    def _exercise(self) -> Exercise:
        """The opening screen's text: the scenario's ``game.briefing``, or its ``meta``."""
        scenario = self.sim.scenario
        told, meta = scenario.game.briefing, scenario.meta
        return Exercise(
            name=meta.name,
            situation=" ".join((told.situation or meta.description).split()),
            goals=list(told.goals),
            learning_goals=list(told.learning_goals or meta.learning_goals),
        )

    def _take_pulse(
        self, view: OrgView, rows: list[dict[str, Any]], figures: dict[str, float]
    ) -> Pulse:
        """The turn's figures that explain its moves (``causes.explain``)."""
        events, scenario = self.events, self.sim.scenario
        roster = view.roster
        heads = max(1, len(roster))
        ae_heads = sum(rep.role is Role.AE for rep in roster)
        csm_load = [
            float(row["customers"]) / float(row["ramped_capacity_csm"])
            for row in rows
            if float(row["ramped_capacity_csm"]) > 0
        ]
        known = [rep.attainment for rep in roster if rep.attainment is not None]
        quotas = quotas_in_force(scenario)
        changed, self._quotas = quotas != self._quotas, quotas
        return Pulse(
            bookings=figures["bookings_new_arr"],
            deals_won=figures["deals_won"],
            deals_decided=figures["deals_won"] + sum(float(row["deals_lost"]) for row in rows),
            leads_created=sum(float(row["leads_created"]) for row in rows),
            leads_gone_cold=sum(float(row["leads_gone_cold"]) for row in rows),
            ae_capacity=figures["ae_capacity"],
            ae_vacancies=view.open_requisitions.get(Role.AE, 0) + ae_heads - view.capacity[Role.AE],
            discount=events.discount_given / events.won_value if events.won_value else None,
            churned_arr=figures["churned_arr"],
            customers_lost=len(events.churned),
            book_arr=self._arr_mark,
            accounts_per_csm=sum(csm_load) / len(csm_load) if csm_load else None,
            morale=sum(rep.morale for rep in roster) / len(roster) if roster else None,
            exits_share=len(events.exits) / heads,
            plans_share=len(events.plans_started) / heads,
            attainment=sum(known) / len(known) if known else None,
            awards_per_team=float(scenario.policies.recognition.per_team_per_month),
            launch=events.launches[-1] if events.launches else None,
            quotas_changed=changed,
        )

    def _add_to_totals(self, rows: list[dict[str, Any]], figures: dict[str, float]) -> None:
        totals = self.totals
        totals["revenue"] += sum(float(row["arr"]) for row in rows) / 12  # a month of ARR each
        totals["people_spend"] += figures["people_spend"]
        totals["regretted_exits"] += figures["regretted_exits"]
        for name in BOOK_FLOWS:
            totals[name] += sum(float(row[name]) for row in rows)
        totals["headcount_months"] += sum(
            float(row[f"headcount_{role.value}"]) for row in rows for role in WORKING_ROLES
        )
        totals["months"] += len(rows)

    def _changes(self, figures: dict[str, float]) -> dict[str, tuple[float, float]]:
        return {
            name: (self._previous[name], value)
            for name, value in figures.items()
            if name in self._previous
        }

    def _backfill(self, roles: list[str]) -> str:
        """What happens to the seats of the leavers of ``roles``: how long a backfill takes."""
        staffing = self.sim.scenario.policies.staffing
        names = ", ".join(role_label(role) for role in roles)
        if staffing.backfill is Backfill.FREEZE:
            return f"{names} seats left empty stay empty: backfills are frozen."
        months = [self._backfill_months(role) for role in roles]
        if len(roles) == 1:
            ((join, ramp),) = months
            return (
                f"{names} backfills are open: a hire joins the team in about {join:.0f} "
                f"months and takes about {ramp:.0f} more to ramp up."
            )
        each = ", ".join(
            f"{join:.0f} and {ramp:.0f} ({role_label(role)})"
            for role, (join, ramp) in zip(roles, months, strict=True)
        )
        return (
            "Seats left empty: backfills are open; a hire joins and then ramps up in about "
            f"{each} months."
        )

    def _backfill_months(self, role: str) -> tuple[float, float]:
        """Months for a backfill of ``role`` to join, and then to ramp up."""
        scenario = self.sim.scenario
        staffing, spec = scenario.policies.staffing, scenario.roles.of(Role(role))
        wait = staffing.backfill_delay if staffing.backfill is Backfill.DELAYED else 0.0
        join = (wait + spec.hiring.time_to_hire.mean + spec.hiring.bootcamp) / DAYS_PER_MONTH
        ramp = next(
            (day for day in range(0, 1100, 7) if spec.ramp.productivity(day) >= 0.999), 1100
        )
        return join, ramp / DAYS_PER_MONTH

    def _plan_choices(self) -> dict[str, list[str]]:
        choices: dict[str, list[str]] = {}
        for name, plan in self.sim.scenario.compensation.plans.items():
            choices.setdefault(plan.role.value, []).append(name)
        return choices

    def _row(self, rep: RepView) -> RosterRow:
        leaving = 1 - math.exp(-rep.quit_hazard * RUMOUR_MONTHS * DAYS_PER_MONTH)
        heard = float(self._rumours.random()) < min(0.9, 0.05 + 1.5 * leaving)
        return RosterRow(
            rep=rep.id,
            role=rep.role,
            tenure_months=rep.tenure_days / DAYS_PER_MONTH,
            ramp=rep.ramp,
            attainment=rep.attainment,
            morale=morale_word(rep.morale),
            on_plan=rep.on_plan,
            rumour=heard,
            pay=rep.pay,
            market_pay=self.sim.scenario.roles.of(rep.role).market_pay or None,
        )
