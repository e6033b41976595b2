"""A game session: a scenario, a seed and the decision log, played a turn at a time.

A live SimPy environment cannot be saved, so the decision log is the save: replaying a
scenario and seed with the same decisions at the same turns rebuilds the game exactly.
Each turn runs from one turn boundary (a month start) to the next; decisions apply at
the boundary, all together or not at all. The session plays, saves, loads and applies
decisions; ``briefer`` puts each turn's briefing together and ``spend`` counts and
forecasts the people spend.
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
from salessim.game.briefer import Briefer
from salessim.game.briefing import Briefing
from salessim.game.decisions import (
    DecisionError,
    Decisions,
    State,
    parse,
    problems_with,
    revise,
)
from salessim.game.events import Script
from salessim.game.narrative import TurnEvents
from salessim.game.save_file import Integrity, SaveFile, read_save, sealed, write_whole
from salessim.game.spend import PeopleSpend
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
from salessim.model.view import RepView
from salessim.run import Recording
from salessim.scenario.load import apply_overrides, revalidate
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH

AFTER_BOUNDARY = 1e-6  # run just past a month start, so its month-end work is done


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
        self.integrity = Integrity.VERIFIED  # of the save this came from; kept in later saves
        calendar = self.sim.calendar
        last = calendar.month_index(self.sim.end - 1e-9) + 1
        self.turns = max(1, (last - self.first_month) // self.months_per_turn)
        self.events = TurnEvents()
        self.events.listen(self.sim.bus)
        self.script = Script(self.sim.bus, self.events, scenario.game.budget)
        self.spend = PeopleSpend(self.sim, self.months_per_turn)
        self.sim.run_until(self._boundary(0))  # the warm-up
        self.events.clear()
        self.spend.reset()  # what the warm-up cost is not the player's
        opening = self.sim.view()
        self.opening = {"arr": opening.arr, "capacity": sum(opening.capacity.values())}
        self.briefer = Briefer(
            self.sim,
            self.recording,
            self.events,
            self.script,
            self.spend,
            seed=seed,
            turns=self.turns,
            opening=opening,
        )
        self._briefing = self.briefer.brief(opening=True, played=self.turn)

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
        self.events.decided(chosen.fire, chosen.plan)  # the story tells them as the player's
        self.spend.commit(chosen, self.employed(), self.script.budget)
        self.briefer.commit_forecast(chosen.forecast)  # before the turn: it cannot be edited
        self._apply(chosen)
        self.log.append(chosen.model_dump(mode="json", exclude_defaults=True))
        self.sim.run_until(self._boundary(self.turn))
        self._briefing = self.briefer.brief(opening=False, played=self.turn)
        self.fingerprints.append(fingerprint(self._briefing))
        self.events.clear()
        self.spend.reset()
        return self._briefing

    # ------------------------------------------------------------------ saving
    def save(self, path: str | Path) -> Path:
        """Write the save file: the scenario, the seed and every turn's decisions, checksummed.

        A game carried on from an unverified or edited save stays marked so
        (``integrity``), under the checksum. The file is replaced whole
        (:func:`write_whole`): a stop mid-write keeps the last.
        """
        target = Path(path)
        document: dict[str, Any] = {
            "salessim": __version__,
            "name": self.name,
            "seed": self.seed,
            "scenario": self.scenario.model_dump(mode="json", by_alias=True),
            "decisions": self.log,
            "fingerprints": self.fingerprints,
        }
        if self.integrity is not Integrity.VERIFIED:
            document["integrity"] = self.integrity.value
        write_whole(target, json.dumps(sealed(document), indent=1) + "\n")
        return target

    @classmethod
    def load(cls, path: str | Path, *, turns: int | None = None) -> GameSession:
        """Rebuild a saved game by replaying its decisions (the first ``turns`` if given).

        ``integrity`` says whether the save is as salessim wrote it (its checksum). The save
        keeps a fingerprint of each turn's figures; when a turn replays differently (another
        salessim version, say), ``drift_from`` is that turn's number.

        Raises:
            ValueError: the file is not a salessim save (:func:`read_save` says why), or
                a saved turn's decisions no longer apply.
        """
        return cls.from_save(read_save(Path(path)), path, turns=turns)

    @classmethod
    def from_save(
        cls, save: SaveFile, path: str | Path, *, turns: int | None = None
    ) -> GameSession:
        """Rebuild the game of a save read from ``path`` (see :meth:`load`).

        Raises:
            ValueError: a saved turn's decisions no longer apply.
        """
        try:
            session = replay(save.scenario, save.seed, save.decisions, turns=turns, name=save.name)
        except DecisionError as error:
            raise ValueError(f"{path}: the saved decisions cannot be replayed ({error})") from None
        session.saved_with = save.salessim
        session.integrity = save.integrity or Integrity.VERIFIED
        replayed = zip(save.fingerprints, session.fingerprints, strict=False)  # turns= may stop
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
            projected_spend=self.spend.projected(decisions, employed),
            committed_spend=self.spend.projected(Decisions(), employed),
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
        return self.spend.projected(chosen, self.employed())

    def capacity(self) -> float:
        """Ramped selling capacity now: reps on the teams, weighted by their ramp."""
        return sum(self.sim.view().capacity.values())

    @property
    def totals(self) -> dict[str, float]:
        """The game's running totals over the turns played (revenue, spend, flows, months)."""
        return self.briefer.totals


def fingerprint(briefing: Briefing) -> str:
    """A short digest of a briefing's figures: equal figures, equal fingerprints."""
    figures = [(row.name, row.value) for row in briefing.indicators]
    return hashlib.sha256(repr(figures).encode()).hexdigest()[:16]


def replay(
    scenario: Scenario,
    seed: int,
    log: Sequence[Decisions | Mapping[str, Any]],
    *,
    turns: int | None = None,
    name: str = "",
) -> GameSession:
    """The game after its first ``turns`` logged turns (all by default), rebuilt exactly.

    Raises:
        DecisionError: a logged turn no longer applies (the log is not of this scenario);
            each problem starts with the turn's number.
    """
    session = GameSession(scenario, seed, name=name)
    for turn, decisions in enumerate(log[:turns], start=1):
        try:
            session.advance(decisions)
        except DecisionError as error:
            raise DecisionError([f"turn {turn}: {problem}" for problem in error.problems]) from None
    return session
