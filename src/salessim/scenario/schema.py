"""The scenario: frozen, validated data describing an organisation and its market.

Every section has defaults, so a scenario file states only what differs. Cross-field
checks happen here, once, at load; the model receives these objects and never YAML.
Each section is defined in its own module (``market``, ``funnel``, ``roles``,
``customers``, ``people``, ``policies``, ``compensation``, ``behaviour``, ``game``); this
one holds the metadata, the calendar, the root ``Scenario`` and the checks across sections.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, model_validator

from salessim.scenario.base import (
    WORKING_ROLES,
    Date,
    Days,
    Frozen,
    InconsistentError,
    KeyProblem,
    PositiveDays,
    Role,
)
from salessim.scenario.behaviour import Behaviour
from salessim.scenario.compensation import Compensation
from salessim.scenario.customers import Customers
from salessim.scenario.funnel import Funnel
from salessim.scenario.game import GameRules, game_window
from salessim.scenario.market import Market
from salessim.scenario.measures import COUNT_MEASURES
from salessim.scenario.people import Workforce
from salessim.scenario.plans import term_at
from salessim.scenario.policies import Policies
from salessim.scenario.reach import reaches
from salessim.scenario.roles import Roles
from salessim.scenario.scripted import ScriptedEvent
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_WEEK


class Meta(Frozen):
    """What the scenario is and what it teaches."""

    name: str = "Untitled scenario"
    description: str = ""
    learning_goals: list[str] = Field(default_factory=list)


class Calendar(Frozen):
    """The simulated period and the fiscal calendar."""

    start_date: Date = dt.date(2027, 1, 1)
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    horizon: PositiveDays = Field(default=3 * 365.25, description="Simulated time after warm-up.")
    warmup: Days = Field(default=0.0, description="Time simulated before measuring starts.")


WRITTEN = {"scenario": "as written"}
"""Validation context of a scenario read from its files: a game's exercise is judged whole
(its events within the game's turns, its quotas within its starting team's reach), not
only as a game's edits leave it."""


class Scenario(Frozen):
    """A complete, validated scenario."""

    meta: Meta = Meta()
    calendar: Calendar = Calendar()
    market: Market = Market()
    funnel: Funnel = Funnel()
    roles: Roles = Roles()
    customers: Customers = Customers()
    workforce: Workforce = Workforce()
    policies: Policies = Policies()
    compensation: Compensation = Compensation()
    behaviour: Behaviour = Behaviour()
    events: list[ScriptedEvent] = Field(
        default_factory=list, description="Scripted shocks on the calendar, in date order."
    )
    game: GameRules = GameRules()

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Scenario:
        problems = self._staffing_problems() + self._time_problems()
        segment = self.customers.initial.segment
        if segment is not None and segment not in self.market.segments:
            message = f"{segment!r} is not a market segment"
            problems.append((("customers", "initial", "segment"), message))
        working = {role.value for role in WORKING_ROLES}
        for role, steps in self.policies.staffing.growth.items():
            where = ("policies", "staffing", "growth", role)
            if role not in working:
                message = f"{role!r} is not a working role ({', '.join(sorted(working))})"
                problems.append((where, message))
            dates = [step.at for step in steps]
            if dates != sorted(dates):
                problems.append((where, "dates must be in order"))
        problems += self._pay_problems()
        problems += self._authority_problems()
        problems += self._event_problems()
        problems += self._game_problems()
        if info.context == WRITTEN and "game" in self.model_fields_set:  # an exercise
            problems += self._game_window_problems() + self._quota_reach_problems()
        if problems:
            raise InconsistentError(problems)
        return self

    def _staffing_problems(self) -> list[KeyProblem]:
        """Every stage's role has reps with selling time; a customer book has a CSM."""
        problems: list[KeyProblem] = []
        for role in WORKING_ROLES:
            stages = ", ".join(repr(s.name) for s in self.funnel.stages if s.role is role)
            spec = self.roles.of(role)
            if stages and spec.headcount == 0:
                message = f"no {role.value} reps (headcount 0) to work stages {stages}"
                problems.append((("roles", role.value, "headcount"), message))
            if stages and spec.selling_share == 0:
                message = (
                    f"{role.value} reps have no selling time (selling_share 0) for stages {stages}"
                )
                problems.append((("roles", role.value, "selling_share"), message))
        if self.roles.csm.headcount and self.roles.csm.selling_share == 0:
            message = "csms work the accounts, but their selling_share is 0"
            problems.append((("roles", "csm", "selling_share"), message))
        if self.customers.initial.accounts and self.roles.csm.headcount == 0:
            message = "an initial customer book needs at least one csm (headcount 0)"
            problems.append((("roles", "csm", "headcount"), message))
        return problems

    def _time_problems(self) -> list[KeyProblem]:
        """Team meetings, one-to-ones and training leave every role some working time."""
        if not self.workforce.enabled:
            return []
        time, training = self.roles.manager.time, self.policies.training
        monthly = time.one_to_one_hours_per_rep_per_month
        if training.every:
            monthly += training.hours
        weekly = time.team_meeting_hours_per_week + monthly * DAYS_PER_WEEK / DAYS_PER_MONTH
        return [
            (
                ("roles", role.value, "hours_per_week"),
                f"team meetings, one-to-ones and training take {weekly:.3g} hours a week, "
                f"all of the {role.value} reps' {self.roles.of(role).hours_per_week:g}",
            )
            for role in WORKING_ROLES
            if weekly >= self.roles.of(role).hours_per_week
        ]

    def _authority_problems(self) -> list[KeyProblem]:
        """Discount authority goes to roles that close deals."""
        closing = self.funnel.closing_roles
        names = ", ".join(role.value for role in closing) or "none"
        return [
            (
                ("behaviour", "discounting", "by_role", role.value),
                f"{role.value}s close no deals here, so have no prices to discount "
                f"(closing roles: {names})",
            )
            for role in self.behaviour.discounting.by_role
            if role not in closing
        ]

    def _event_problems(self) -> list[KeyProblem]:
        """Scripted events fall within the run, in date order."""
        problems: list[KeyProblem] = []
        start = self.calendar.start_date
        end = start + dt.timedelta(days=int(self.calendar.warmup + self.calendar.horizon))
        for index, event in enumerate(self.events):
            if not start <= event.at < end:
                message = f"{event.at} is outside the run ({start} to {end - dt.timedelta(days=1)})"
                problems.append((("events", index, "at"), message))
        dates = [event.at for event in self.events]
        if dates != sorted(dates):
            problems.append((("events",), "dates must be in order"))
        return problems

    def _game_problems(self) -> list[KeyProblem]:
        """Every editable plan term must name a number in a plan; a game holds together."""
        problems: list[KeyProblem] = []
        for path in self.game.plan_bounds:
            found = term_at(self.compensation.plans, path)
            if not isinstance(found, int | float) or isinstance(found, bool):
                message = f"{path!r} is not a number in compensation.plans"
                problems.append((("game", "plan_bounds", path), message))
        return problems

    def _game_window_problems(self) -> list[KeyProblem]:
        """Scripted events fall after the game's first day and before its last turn ends."""
        dates = self.calendar
        opening, end = game_window(
            dates.start_date,
            dates.fiscal_year_start_month,
            dates.warmup,
            dates.horizon,
            self.game.turn,
        )
        first, last = opening + dt.timedelta(days=1), end - dt.timedelta(days=1)
        run_end = dates.start_date + dt.timedelta(days=int(dates.warmup + dates.horizon))
        return [
            (
                ("events", index, "at"),
                f"{event.at} is outside the game: its turns run from {opening} to {last}, "
                f"so date the event from {first} to {last} (an event before then happens "
                "in the warm-up, before the first briefing, and after then is never played)",
            )
            for index, event in enumerate(self.events)
            if dates.start_date <= event.at < run_end  # else _event_problems tells it
            and not first <= event.at <= last
        ]

    def _quota_reach_problems(self) -> list[KeyProblem]:
        """Every role's starting quota is one a strong rep of the starting team can meet."""
        problems: list[KeyProblem] = []
        for reach in reaches(self):
            if reach.reachable:
                continue
            role = reach.role.value
            plan = self.compensation.assign.get(role)
            where: tuple[str | int, ...] = (
                ("compensation", "plans", plan, "quota", "amount")
                if plan is not None
                else ("roles", role, "quota")
            )
            heads = self.roles.of(reach.role).headcount
            measure = reach.measure.value.replace("_", " ")
            shown = "{:,.0f}" if reach.measure not in COUNT_MEASURES else "{:.3g}"
            problems.append(
                (
                    where,
                    f"{shown.format(reach.quota)} {measure} a year is out of reach of the "
                    f"{role} team it starts with: at the market's demand and the funnel's "
                    f"conversion rates, {heads} rep{'s' * (heads != 1)} with "
                    f"{reach.hours:.0f} selling hours a year (the work takes "
                    f"{reach.hours_needed:.0f}) can be credited {shown.format(reach.per_rep)} "
                    f"a rep, and a strong rep (skill +{reach.skill_spread:.0%}) "
                    f"{shown.format(reach.strong_rep)}: lower the quota to at most that, or "
                    "start the team with fewer reps for the demand",
                )
            )
        return problems

    def _pay_problems(self) -> list[KeyProblem]:
        problems: list[KeyProblem] = []
        pay = self.compensation
        segments = set(self.market.segments)
        for name, plan in pay.plans.items():
            for component in plan.components:
                spif = component.spif
                unknown = sorted(set(spif.segments) - segments) if spif is not None else []
                if unknown:
                    message = (
                        f"spif segments {unknown} are not market segments "
                        f"({', '.join(sorted(segments))})"
                    )
                    problems.append((("compensation", "plans", name), message))
        paid = {**{r: n for change in pay.changes for r, n in change.assign.items()}, **pay.assign}
        for role_name, plan_name in paid.items():
            role = Role(role_name) if role_name in Role.__members__.values() else None
            if role is None or role is Role.MANAGER:
                continue
            spec = self.roles.of(role)
            for key in ("quota", "pay"):
                if getattr(spec, key) is not None:
                    message = (
                        f"the role is paid by plan {plan_name!r}, whose quota and pay apply; "
                        f"remove {key}"
                    )
                    problems.append((("roles", role_name, key), message))
        for role_name in self.policies.quota:
            if role_name not in pay.assign and not any(
                role_name in change.assign for change in pay.changes
            ):
                message = "the role is on no pay plan (compensation.assign)"
                problems.append((("policies", "quota", role_name), message))
        return problems
