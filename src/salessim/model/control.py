"""The control surface: typed changes a game, a classroom or a script makes to a simulation.

``Simulation.control(changes)`` checks every change against the organisation as it is
and applies all of them, in order, or none. ``Retune`` brings in new parameters and
policies (a new ``Scenario`` of the same shape, built with typed edits, never parsed from
text); the others act on people. ``Simulation.view()`` is what a controller reads back.

This module holds the change records and the bodies of those calls (``org_view``,
``check_changes``, ``apply_changes``), which receive the components they read and act on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from salessim.model.events import ExitKind
from salessim.model.view import OrgView, RepView, StageView
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.schema import Scenario

if TYPE_CHECKING:
    from salessim.model.customers import CustomerBook
    from salessim.model.entities import Rep
    from salessim.model.funnel import Funnel
    from salessim.model.offers import CompetingOffers
    from salessim.model.workforce import Workforce


class Retune(NamedTuple):
    """From now on, the parameters and policies of ``scenario`` (the same shape)."""

    scenario: Scenario


class Hire(NamedTuple):
    """Open ``heads`` searches for ``role`` at ``offer`` x market pay (None: the usual)."""

    role: Role
    heads: int = 1
    offer: float | None = None


class Fire(NamedTuple):
    """Let rep ``rep`` go now, paying ``severance``: an involuntary exit."""

    rep: int
    severance: float = 0.0


class StartPlan(NamedTuple):
    """Put rep ``rep`` on a performance plan now."""

    rep: int


class SetPay(NamedTuple):
    """Pay rep ``rep`` ``pay`` a year from now on."""

    rep: int
    pay: float


class SettleOffers(NamedTuple):
    """Answer every competing offer held for a decision, on the reps' pay as it is now."""


Change = Retune | Hire | Fire | StartPlan | SetPay | SettleOffers


def org_view(
    scenario: Scenario,
    now: float,
    workforce: Workforce,
    funnel: Funnel,
    customers: CustomerBook,
    offers: CompetingOffers,
) -> OrgView:
    """The organisation on day ``now``, read-only: roster, searches, exits, pipeline, pay."""
    roster = []
    for role in WORKING_ROLES:
        for rep in workforce.staff[role]:
            voluntary, _ = workforce.exits.hazards(rep)
            roster.append(
                RepView(
                    rep.id,
                    role,
                    rep.manager,
                    rep.tenure(now),
                    rep.productivity,
                    rep.active,
                    workforce.payroll.attainment(rep.id),
                    rep.morale,
                    workforce.performance.on_plan(rep.id),
                    rep.pay,
                    voluntary,
                    *workforce.run_rate(rep),
                )
            )
    managers = scenario.roles.manager
    manager_pay = managers.headcount * (managers.pay or managers.market_pay)
    ramped = workforce.ramped_capacity()  # up to now; reading changes nothing
    return OrgView(
        day=now,
        roster=tuple(roster),
        open_requisitions=dict(workforce.open_requisitions),
        requisitions=tuple(workforce.requisitions()),
        targets=workforce.targets(),
        recent_departures={role: sum(workforce.departures[role]) for role in WORKING_ROLES},
        pipeline=tuple(
            StageView(stage.name, count, value)
            for stage, count, value in zip(
                scenario.funnel.stages,
                funnel.stage_count,
                funnel.stage_value,
                strict=True,
            )
        ),
        arr=customers.arr,
        accounts=customers.accounts,
        capacity={role: workforce.capacity(role) for role in WORKING_ROLES},
        ramped_area={role: ramped[role.value] for role in WORKING_ROLES},
        monthly_pay=(sum(rep.pay for rep in roster) + manager_pay) / 12,
        offers={  # an offer to a rep who has left since waits for no answer
            rep: offer for rep, offer in offers.pending.items() if workforce.employed(rep)
        },
    )


def check_changes(changes: Sequence[Change], scenario: Scenario, workforce: Workforce) -> list[str]:
    """Every reason ``changes`` cannot apply to a run of ``scenario`` now (empty: they can)."""
    employed = {rep.id for reps in workforce.staff.values() for rep in reps}
    found = []
    leaving: set[int] = set()
    for change in changes:
        match change:
            case Retune(new):
                if shape(new) != shape(scenario):
                    found.append(
                        "retune: a running simulation changes parameters and policies, "
                        "not its shape (stages, segments, headcount)"
                    )
            case Hire(role, heads, offer):
                if role not in WORKING_ROLES or heads < 0 or (offer is not None and offer <= 0):
                    found.append(f"hire: cannot hire {heads} {role.value} at offer {offer}")
            case Fire(rep) | StartPlan(rep) | SetPay(rep):
                if rep not in employed or rep in leaving:
                    found.append(f"{type(change).__name__}: rep {rep} is not employed")
                if isinstance(change, Fire):
                    leaving.add(rep)
                if isinstance(change, SetPay) and not change.pay >= 0:
                    found.append(f"SetPay: pay {change.pay} for rep {rep} is not a pay")
    return found


def apply_changes(
    changes: Sequence[Change],
    scenario: Scenario,
    workforce: Workforce,
    offers: CompetingOffers,
    retune: Callable[[Scenario], None],
) -> None:
    """Apply ``changes`` in order, all of them or (if any cannot apply) none.

    ``retune`` continues the run with a new scenario (``Simulation.apply``).

    Raises:
        ValueError: the changes that cannot apply, one problem a line.
    """
    problems = check_changes(changes, scenario, workforce)
    if problems:
        raise ValueError("\n".join(problems))
    for change in changes:
        match change:
            case Retune(new):
                retune(new)
            case Hire(role, heads, offer):
                workforce.hire(role, heads, offer)
            case Fire(rep, severance):
                workforce.leave(_employed(workforce, rep), ExitKind.INVOLUNTARY, cost=severance)
            case StartPlan(rep):
                workforce.start_plan(_employed(workforce, rep))
            case SetPay(rep, pay):
                _employed(workforce, rep).pay = pay
            case SettleOffers():
                offers.settle()


def shape(scenario: Scenario) -> tuple[object, ...]:
    """What a running simulation cannot change: stages and their roles, segments, headcount."""
    return (
        tuple((s.name, s.role) for s in scenario.funnel.stages),
        tuple(scenario.market.segments),
        tuple(scenario.roles.of(role).headcount for role in Role),
    )


def _employed(workforce: Workforce, rep_id: int) -> Rep:
    rep = workforce.employed(rep_id)
    assert rep is not None, f"rep {rep_id} is not employed"  # checked by check_changes
    return rep
