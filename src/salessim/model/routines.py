"""The month's people routines: managers' time, learning, training, recognition, morale.

With the workforce on, at each month end the managers spend the month's hours (``managers``),
every rep learns or forgets (``development``) with the hours it was coached, a training
session is held when one is due (at the month end nearest its date), the month's best
reps of each manager are recognised, and morale moves toward its target and takes the
shock of teammates who left.
"""

from __future__ import annotations

import simpy

from salessim.model.behaviour import Incentives
from salessim.model.development import clip_morale, develop, morale_target, ramp_boost
from salessim.model.entities import Rep
from salessim.model.events import Bus, RecognitionGiven, TrainingHeld
from salessim.model.exits import Exits
from salessim.model.funnel import Funnel
from salessim.model.hiring import Hiring
from salessim.model.managers import ManagerDesk
from salessim.model.pay.payroll import Payroll
from salessim.model.roster import Roster
from salessim.scenario.schema import Scenario
from salessim.scenario.units import DAYS_PER_MONTH


class PeopleRoutines:
    """The monthly people processes, and the coaching hours and training dates they keep."""

    def __init__(
        self,
        env: simpy.Environment,
        bus: Bus,
        scenario: Scenario,
        roster: Roster,
        managers: ManagerDesk,
        hiring: Hiring,
        exits: Exits,
        funnel: Funnel,
        payroll: Payroll,
        incentives: Incentives,
    ) -> None:
        """Routines for ``roster``'s reps; ``hiring`` and ``funnel`` set managers' demands."""
        self.env = env
        self.bus = bus
        self.roster = roster
        self.managers = managers
        self.hiring = hiring
        self.exits = exits
        self.funnel = funnel
        self.payroll = payroll
        self.incentives = incentives
        self.coaching_hours = 0.0  # coached hours, all reps, since day 0
        self._deals_seen = 0
        self._requests_seen = 0
        self._busy_marks: dict[int, float] = {}  # days busy at the last month end, by rep id
        self._next_training: float | None = None
        self.configure(scenario)

    def configure(self, scenario: Scenario) -> None:
        """Take the people parameters and policies of ``scenario`` from now on."""
        self.scenario = scenario
        self.enabled = scenario.workforce.enabled
        training = scenario.policies.training
        if training.every > 0 and self._next_training is None:
            self._next_training = self.env.now + training.every
        elif training.every == 0:
            self._next_training = None

    def month(self, everyone: list[Rep], days: float) -> float:
        """Run the month's routines for ``everyone``; the hours each spends training next."""
        now = self.env.now
        scenario = self.scenario
        # Sessions happen at month ends: one is held at the month end nearest its due date.
        training_due = (
            self._next_training is not None and self._next_training <= now + DAYS_PER_MONTH / 2
        )
        trained = [rep for rep in everyone if rep.active] if training_due else []
        self.managers.month(
            everyone,
            days,
            now,
            scenario.policies.coaching,
            self._manager_demands(days, bool(trained)),
            self.payroll.attainment,
            scenario.policies.recognition,
        )
        coached, marks = self.managers.coached, self._busy_marks
        for rep in everyone:
            utilisation = (rep.busy_days - marks.get(rep.id, 0.0)) / days
            hours = coached.get(rep.id, 0.0)
            assert rep.tier is not None
            growth = self.roster.growth[rep.id]
            develop(growth, rep.tier, utilisation, hours, scenario.workforce)
            if rep.active and rep.productivity < 1.0 and hours > 0:
                ramping = min(days, now - rep.joined_at)
                growth.ramp_bonus += ramp_boost(hours, scenario.workforce) * max(0.0, ramping)
            self.coaching_hours += hours
        self._busy_marks = {rep.id: rep.busy_days for rep in everyone}
        if trained:
            self._train(trained)
        self._recognise(everyone)
        self._move_morale(everyone)
        return scenario.policies.training.hours if trained else 0.0

    def _manager_demands(self, days: float, training: bool) -> dict[str, float]:
        months = days / DAYS_PER_MONTH
        hiring = self.hiring.interview_hours_per_month()
        deals = self.funnel.closed_deals - self._deals_seen
        self._deals_seen = self.funnel.closed_deals
        requests = self.incentives.requests - self._requests_seen
        self._requests_seen = self.incentives.requests
        time = self.scenario.roles.manager.time
        return {
            "hiring": hiring * months,
            "deal_support": deals * time.deal_support_hours_per_deal
            + requests * time.approval_hours,
            "training": self.scenario.policies.training.delivery_hours if training else 0.0,
        }

    def _train(self, trained: list[Rep]) -> None:
        training = self.scenario.policies.training
        for rep in trained:
            self.roster.growth[rep.id].uplift += training.skill_gain
        assert self._next_training is not None
        self._next_training += training.every
        cost = training.cost_per_rep * len(trained)
        self.bus.emit(TrainingHeld(self.env.now, len(trained), cost))

    def _recognise(self, everyone: list[Rep]) -> None:
        """Each manager recognises its best reps of the month, as many as it had time for.

        Without managers, one team of everyone gives the policy's count. Awards to more
        than the policy's fair share of a team are diluted (``Recognition.boost_scale``).
        """
        policy = self.scenario.policies.recognition
        if policy.per_team_per_month == 0:
            return
        full = self.scenario.workforce.morale.recognition_boost
        sizes: dict[int, int] = {}
        teams: dict[int, list[tuple[float, int, Rep]]] = {}
        for rep in everyone:
            sizes[rep.manager] = sizes.get(rep.manager, 0) + 1
            month = self.payroll.standings[rep.id].last_month()
            if month is not None:
                teams.setdefault(rep.manager, []).append((-month, rep.id, rep))
        staffed = self.managers.count > 0
        for manager in range(max(1, self.managers.count)):
            count = self.managers.awards.get(manager, 0) if staffed else policy.per_team_per_month
            chosen = sorted(teams.get(manager, []), key=lambda entry: entry[:2])[:count]
            if not chosen:
                continue
            size = sizes.get(manager, 0)
            boost = full * policy.boost_scale(len(chosen), size)
            for _, _, rep in chosen:
                rep.morale = clip_morale(rep.morale + boost)
            cost = policy.cost_per_award * len(chosen)
            self.bus.emit(RecognitionGiven(self.env.now, manager, len(chosen), size, cost, boost))

    def _move_morale(self, everyone: list[Rep]) -> None:
        workforce = self.scenario.workforce
        spec, ref = workforce.morale, workforce.hazard.attention_reference_hours
        for rep in everyone:
            attention = self.managers.attention.get(rep.id, 0.0)
            target = morale_target(self.payroll.attainment(rep.id), attention, spec, ref)
            target = clip_morale(target + self.incentives.drive(rep.id).pay_feeling)
            team_size = max(1, len(self.roster.staff[rep.role]))
            shock = spec.departure_shock * self.exits.departures[rep.role][-1] / team_size
            rep.morale = clip_morale(rep.morale + spec.reversion * (target - rep.morale) - shock)
