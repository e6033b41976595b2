"""A game session: a scenario, a seed and the decision log, played a turn at a time.

A live SimPy environment cannot be saved, so the decision log is the save: replaying a
scenario and seed with the same decisions at the same turns rebuilds the game exactly.
Each turn runs from one turn boundary (a month start) to the next; decisions apply at
the boundary, all together or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from salessim import __version__
from salessim.game.briefing import (
    Briefing,
    Budget,
    Indicator,
    RosterRow,
    morale_word,
    policies_in_force,
    quotas_in_force,
)
from salessim.game.decisions import (
    DecisionError,
    Decisions,
    State,
    parse,
    problems_with,
    revise,
)
from salessim.game.events import Script
from salessim.game.narrative import TurnEvents, tell
from salessim.model.calendar import Calendar
from salessim.model.control import (
    Change,
    Fire,
    Hire,
    Retune,
    SetPay,
    SettleOffers,
    StartPlan,
)
from salessim.model.engine import Simulation
from salessim.model.events import MonthEnded
from salessim.model.streams import Streams
from salessim.model.view import RepView
from salessim.report.format import role_label
from salessim.run import Recording
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.load import apply_overrides, revalidate
from salessim.scenario.people import Backfill
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

AFTER_BOUNDARY = 1e-6  # run just past a month start, so its month-end work is done
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


class GameSession:
    """One player's game: advance a turn at a time with decisions, or replay a log."""

    def __init__(self, scenario: Scenario, seed: int = 0, *, name: str = "") -> None:
        self.months_per_turn = max(1, round(scenario.game.turn / DAYS_PER_MONTH))
        self.first_month, opening_day = self._opening(scenario)
        if scenario.calendar.warmup != opening_day:  # measure from the game's first day
            scenario = apply_overrides(scenario, {"calendar.warmup": opening_day})
        self.scenario = scenario
        self.seed = seed
        self.name = name or scenario.meta.name
        self.sim = Simulation(scenario, seed, hold_offers=True)  # the player answers offers
        self.recording = Recording(self.sim)
        self.log: list[dict[str, Any]] = []
        self.fingerprints: list[str] = []  # of each played turn's figures, kept in the save
        self.saved_with = __version__  # the salessim that wrote the save this came from
        self.drift_from: int | None = None  # the first turn that replayed unlike its save
        calendar = self.sim.calendar
        last = calendar.month_index(self.sim.end - 1e-9) + 1
        self.turns = max(1, (last - self.first_month) // self.months_per_turn)
        self.events = TurnEvents()
        self.events.listen(self.sim.bus)
        self.script = Script(self.sim.bus, self.events, scenario.game.budget)
        self._payroll = 0.0
        self.sim.bus.subscribe(MonthEnded, self._month_paid)
        self._rumours = Streams(seed).generator("game/rumours")  # the game's own stream
        self._previous: dict[str, float] = {}
        self.sim.run_until(self._boundary(0))  # the warm-up
        self._turn_start = self.sim.now
        self.events.clear()
        self._payroll = 0.0  # what the warm-up cost is not the player's
        opening = self.sim.view()
        self._capacity_mark = opening.ramped_area[Role.AE]
        self.opening = {"arr": opening.arr, "capacity": sum(opening.capacity.values())}
        self.totals = dict.fromkeys(TOTALS, 0.0)
        self._briefing = self._brief(opening=True)

    def _opening(self, scenario: Scenario) -> tuple[int, float]:
        """The game's first month and its day: after whole months of warm-up, on a period."""
        dates = scenario.calendar
        calendar = Calendar(dates.start_date, dates.fiscal_year_start_month)
        first = math.ceil(dates.warmup / DAYS_PER_MONTH - 0.05)
        while (calendar.calendar_month(first) - dates.fiscal_year_start_month) % (
            self.months_per_turn
        ):
            first += 1  # turns line up with fiscal periods: a quarter is a fiscal quarter
        return first, calendar.month_start(first)

    # ------------------------------------------------------------------ playing
    @property
    def turn(self) -> int:
        """Turns played so far."""
        return len(self.log)

    @property
    def finished(self) -> bool:
        """Every turn has been played."""
        return self.turn >= self.turns

    def briefing(self) -> Briefing:
        """The briefing for the turn about to be decided (or the last, when finished)."""
        return self._briefing

    def check(self, decisions: Decisions | Mapping[str, Any]) -> list[str]:
        """Every reason ``decisions`` cannot apply now (empty: they can)."""
        try:
            chosen = parse(decisions)
        except DecisionError as error:
            return error.problems
        return problems_with(chosen, self._state(chosen))

    def advance(self, decisions: Decisions | Mapping[str, Any] | None = None) -> Briefing:
        """Apply this turn's decisions, play the turn and return the next briefing.

        Raises:
            DecisionError: a decision cannot apply; nothing was applied.
            ValueError: the game is over.
        """
        if self.finished:
            raise ValueError(f"the game is over: all {self.turns} turns are played")
        chosen = parse(decisions or {})
        problems = problems_with(chosen, self._state(chosen))
        if problems:
            raise DecisionError(problems)
        self._apply(chosen)
        self.log.append(chosen.model_dump(mode="json", exclude_defaults=True))
        self.sim.run_until(self._boundary(self.turn))
        self._briefing = self._brief(opening=False)
        self.fingerprints.append(fingerprint(self._briefing))
        self.events.clear()
        self._payroll = 0.0
        return self._briefing

    # ------------------------------------------------------------------ saving
    def save(self, path: str | Path) -> Path:
        """Write the save file: the scenario, the seed and every turn's decisions."""
        target = Path(path)
        document = {
            "salessim": __version__,
            "name": self.name,
            "seed": self.seed,
            "scenario": self.scenario.model_dump(mode="json", by_alias=True),
            "decisions": self.log,
            "fingerprints": self.fingerprints,
        }
        target.write_text(json.dumps(document, indent=1) + "\n")
        return target

    @classmethod
    def load(cls, path: str | Path, *, turns: int | None = None) -> GameSession:
        """Rebuild a saved game by replaying its decisions (the first ``turns`` if given).

        The save keeps a fingerprint of each turn's figures. When a turn replays differently
        (another salessim version, say), ``drift_from`` is that turn's number.

        Raises:
            ValueError: the file is not a salessim save.
        """
        try:
            document = json.loads(Path(path).read_text())
            scenario = Scenario.model_validate(document["scenario"])
            log = list(document["decisions"])
            seed = int(document["seed"])
            saved = [str(f) for f in document.get("fingerprints", [])]
            saved_with = str(document.get("salessim", "an unknown version"))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: not a salessim game save ({error})") from None
        session = replay(scenario, seed, log, turns=turns, name=document.get("name", ""))
        session.saved_with = saved_with
        replayed = zip(saved, session.fingerprints, strict=False)  # turns= may stop early
        session.drift_from = next((turn for turn, (a, b) in enumerate(replayed, 1) if a != b), None)
        return session

    # ------------------------------------------------------------------ internals
    def _boundary(self, turn: int) -> float:
        month = self.first_month + turn * self.months_per_turn
        return self.sim.calendar.month_start(month) + AFTER_BOUNDARY  # whole months, always

    def employed(self) -> tuple[RepView, ...]:
        """Every rep employed now, role by role."""
        return self.sim.view().roster

    def _state(self, decisions: Decisions) -> State:
        employed = self.employed()
        return State(
            scenario=self.sim.scenario,
            employed={rep.id: rep.role for rep in employed},
            on_plan=frozenset(rep.id for rep in employed if rep.on_plan),
            budget=self.script.budget,
            projected_spend=self._projected_spend(decisions, employed),
            committed_spend=self._projected_spend(Decisions(), employed),
            next_quarter=self._next_quarter(),
        )

    def _next_quarter(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the turn after this one (when plan changes take hold)."""
        if self.turn + 2 > self.turns:
            return None
        calendar = self.sim.calendar
        start, end = self._boundary(self.turn + 1), self._boundary(self.turn + 2)
        return calendar.date(start), calendar.date(end - 1)

    def _apply(self, decisions: Decisions) -> None:
        sim = self.sim
        scenario = sim.scenario
        revised = revise(decisions, scenario, self._next_quarter())
        changes: list[Change] = [] if revised == scenario else [Retune(revalidate(revised))]
        employed = self.employed()
        pay = {rep.id: rep.pay for rep in employed}
        months = scenario.game.severance_months
        changes += [Fire(rep, pay[rep] * months / 12) for rep in decisions.fire]
        changes += [StartPlan(rep) for rep in decisions.plan]
        changes += [Hire(hire.role, hire.count, hire.offer) for hire in decisions.hire]
        roles = {rep.id: rep.role for rep in employed}
        changes += [
            SetPay(rep, level * scenario.roles.of(roles[rep]).market_pay)
            for rep, level in decisions.pay_raise.items()
        ]
        changes.append(SettleOffers())  # competing offers are answered by these decisions
        sim.control(changes)

    def projected_spend(self, decisions: Decisions | Mapping[str, Any]) -> float | None:
        """Next turn's people spend if ``decisions`` apply; None if they cannot be read."""
        try:
            chosen = parse(decisions)
        except DecisionError:
            return None
        return self._projected_spend(chosen, self.employed())

    def _month_paid(self, _event: MonthEnded) -> None:
        self._payroll += self._monthly_pay()

    def _monthly_pay(self) -> float:
        """On-target pay for a month: every employed rep and the managers."""
        return self.sim.view().monthly_pay

    def _projected_spend(self, decisions: Decisions, employed: Sequence[RepView]) -> float:
        """Next turn's people spend if ``decisions`` apply (on-target pay, one-off costs)."""
        scenario, months = self.sim.scenario, self.months_per_turn
        by_id = {rep.id: rep for rep in employed}
        spend = self._monthly_pay() * months
        for rep_id in decisions.fire:
            if rep_id in by_id:
                pay = by_id[rep_id].pay
                spend += pay * scenario.game.severance_months / 12 - pay * months / 12
        for rep_id, level in decisions.pay_raise.items():
            if rep_id in by_id:
                rep = by_id[rep_id]
                market = scenario.roles.of(rep.role).market_pay
                spend += (level * market - rep.pay) * months / 12
        for hire in decisions.hire:
            if hire.role not in WORKING_ROLES:
                continue
            spec = scenario.roles.of(hire.role)
            level = hire.offer if hire.offer is not None else spec.hiring.offer
            spend += hire.count * (spec.hiring.cost + level * spec.market_pay * months / 24)
        if decisions.contest is not None:
            spend += sum(decisions.contest.prizes)
        training = scenario.policies.training
        every = (
            decisions.training_every_months * DAYS_PER_MONTH
            if decisions.training_every_months is not None
            else training.every
        )
        if every > 0:
            sessions = max(1, round(months * DAYS_PER_MONTH / every))
            spend += sessions * len(employed) * training.cost_per_rep
        return spend

    def _brief(self, *, opening: bool) -> Briefing:
        sim, rules = self.sim, self.sim.scenario.game
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
            figures["people_spend"] = self._payroll + self.events.people_cost
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
        story = [] if opening else tell(self.events, self._changes(figures), self._backfill)
        self._previous = figures
        employed = view.roster
        employed_ids = {rep.id for rep in employed}
        return Briefing(
            turn=self.turn + 1 if not self.finished else self.turn,
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
                self._projected_spend(Decisions(), employed),
            ),
            pay_plans=dict(sim.scenario.compensation.assign),
            offers={r: level for r, level in view.offers.items() if r in employed_ids},
            plan_choices=self._plan_choices(),
            quotas=quotas_in_force(sim.scenario),
            policies=policies_in_force(sim.scenario),
            story=story,
            finished=self.finished,
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

    def capacity(self) -> float:
        """Ramped selling capacity now: reps on the teams, weighted by their ramp."""
        return sum(self.sim.view().capacity.values())

    def _changes(self, figures: dict[str, float]) -> dict[str, tuple[float, float]]:
        return {
            name: (self._previous[name], value)
            for name, value in figures.items()
            if name in self._previous
        }

    def _backfill(self, role: str) -> str:
        """What happens to the seats of ``role``'s leavers, and how long a backfill takes."""
        scenario = self.sim.scenario
        staffing, spec = scenario.policies.staffing, scenario.roles.of(Role(role))
        name = role_label(role)
        if staffing.backfill is Backfill.FREEZE:
            return f"{name} seats left empty stay empty: backfills are frozen."
        wait = staffing.backfill_delay if staffing.backfill is Backfill.DELAYED else 0.0
        join = (wait + spec.hiring.time_to_hire.mean + spec.hiring.bootcamp) / DAYS_PER_MONTH
        ramp = next(
            (day for day in range(0, 1100, 7) if spec.ramp.productivity(day) >= 0.999), 1100
        )
        return (
            f"{name} backfills are open: a hire joins the team in about {join:.0f} months "
            f"and takes about {ramp / DAYS_PER_MONTH:.0f} more to ramp up."
        )

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
        )


def fingerprint(briefing: Briefing) -> str:
    """A short digest of a briefing's figures: equal figures, equal fingerprints."""
    figures = [(row.name, row.value) for row in briefing.indicators]
    return hashlib.sha256(repr(figures).encode()).hexdigest()[:16]


def replay(
    scenario: Scenario,
    seed: int,
    log: list[Mapping[str, Any]],
    *,
    turns: int | None = None,
    name: str = "",
) -> GameSession:
    """The game after its first ``turns`` logged turns (all by default), rebuilt exactly.

    Raises:
        DecisionError: a logged turn no longer applies (the log is not of this scenario).
    """
    session = GameSession(scenario, seed, name=name)
    for decisions in log[:turns]:
        session.advance(decisions)
    return session
