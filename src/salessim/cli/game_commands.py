"""The commands of ``salessim play`` that record one decision of the turn each.

Each asks its questions through a :class:`DecisionMenu` and records the answer in the
turn's draft; Enter alone at a question records nothing. The menu that runs them
(:mod:`salessim.cli.game_menu`) is one; this module does not import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from salessim.cli.game_prompts import (
    Parser,
    T,
    amount,
    multiple,
    one_of,
    rep_of,
    rep_or_role,
    share,
    training_cadence,
    whole,
)
from salessim.game.briefing import month_words, pricing_words, quota_words
from salessim.game.session import GameSession
from salessim.game.wording import ROLE_RAISES
from salessim.report.format import money, role_label
from salessim.scenario.base import WORKING_ROLES, Role
from salessim.scenario.limits import MAX_MONEY
from salessim.scenario.people import Backfill, CoachingFocus
from salessim.scenario.plans import term_at
from salessim.scenario.policies import Routing
from salessim.scenario.schema import Scenario


class DecisionMenu(Protocol):
    """What a command uses of the menu that runs it."""

    @property
    def session(self) -> GameSession:
        """The game being played."""
        ...

    @property
    def draft(self) -> Mapping[str, Any]:
        """This turn's decisions so far, in the shape of ``Decisions``."""
        ...

    def say(self, text: str) -> None:
        """Print plain text."""
        ...

    def ask(self, prompt: str, parse: Parser[T], *, empty: T | None = None) -> T | None:
        """Ask until the answer parses; ``empty`` when the player presses Enter."""
        ...

    def record(self, key: str, value: Any) -> None:
        """Set one decision of the draft."""
        ...

    def now(self) -> Scenario:
        """The policies in force (after every decision applied so far)."""
        ...


WORKING = [role.value for role in WORKING_ROLES]


def hire(menu: DecisionMenu) -> None:
    """Open requisitions: role, how many, offer."""
    rules = menu.session.scenario.game
    if rules.max_hires_per_turn == 0:
        menu.say("This game allows no hiring.")
        return
    role = menu.ask(f"Role to hire ({', '.join(WORKING)}): ", one_of(WORKING))
    if role is None:
        return
    limit = rules.max_hires_per_turn
    count = menu.ask(f"How many {role_label(role)}s (1 to {limit}): ", whole(1, limit))
    if count is None:
        return
    usual = menu.now().roles.of(Role(role)).hiring.offer
    low, high = rules.offers.low, rules.offers.high
    offer = menu.ask(
        f"Offer as a multiple of market pay ({low:g} to {high:g}; Enter: the usual {usual:g}): ",
        multiple(low, high),
    )
    hire: dict[str, Any] = {"role": role, "count": count}
    if offer is not None:
        hire["offer"] = offer
    others = [h for h in menu.draft.get("hire", []) if h["role"] != role]
    if len(others) < len(menu.draft.get("hire", [])):
        menu.say(f"This replaces the {role_label(role)} hiring decided before.")
    menu.record("hire", [*others, hire])


def _rep_decision(menu: DecisionMenu, key: str, prompt: str) -> None:
    roster = menu.session.briefing().roster
    taken = {rep: "is already on the list" for rep in menu.draft.get(key, [])}
    if key == "plan":
        taken.update({row.rep: "is already on a plan" for row in roster if row.on_plan})
    rep = menu.ask(prompt, rep_of({row.rep for row in roster}, taken))
    if rep is not None:
        menu.record(key, [*menu.draft.get(key, []), rep])


def fire(menu: DecisionMenu) -> None:
    """Let a rep go now (severance is paid)."""
    _rep_decision(menu, "fire", "Rep id to let go: ")


def plan(menu: DecisionMenu) -> None:
    """Put a rep on a performance plan."""
    _rep_decision(menu, "plan", "Rep id to put on a performance plan: ")


def coaching(menu: DecisionMenu) -> None:
    """Coaching hours per rep and whom to coach first."""
    limit = menu.session.scenario.game.coaching_hours_max
    current = menu.now().policies.coaching
    hours = menu.ask(
        f"Coaching hours per rep a month (0 to {limit:g}; now {current.amount()}): ",
        amount(0, limit),
    )
    if hours is None:
        return
    focuses = [focus.value for focus in CoachingFocus]
    focus = menu.ask(
        f"Coach whom first ({', '.join(focuses)}; Enter: {current.focus.value}): ",
        one_of(focuses),
        empty=current.focus.value,
    )
    menu.record("coaching", {"hours_per_rep_per_month": hours, "focus": focus})


def training(menu: DecisionMenu) -> None:
    """A training session every N months (0 stops it)."""
    every = menu.now().policies.training.every
    now = f"every {month_words(every)}" if every else "none"
    months = menu.ask(
        f"A training session every how many months (0 stops training; now {now}): ",
        training_cadence,
    )
    if months is not None:
        menu.record("training_every_months", months)


def recognition(menu: DecisionMenu) -> None:
    """Recognition awards per team a month."""
    current = menu.now().policies.recognition.per_team_per_month
    awards = menu.ask(f"Recognition awards per team a month (now {current}): ", whole(0))
    if awards is not None:
        menu.record("recognition", awards)


def routing(menu: DecisionMenu) -> None:
    """How a team's new work picks a rep."""
    role = menu.ask(f"Route work to which team ({', '.join(WORKING)}): ", one_of(WORKING))
    if role is None:
        return
    policies = [policy.value for policy in Routing]
    current = menu.now().policies.routing.of(Role(role)).value
    policy = menu.ask(f"Routing ({', '.join(policies)}; now {current}): ", one_of(policies))
    if policy is not None:
        menu.record("routing", {**menu.draft.get("routing", {}), role: policy})


def backfill(menu: DecisionMenu) -> None:
    """What happens when a rep leaves."""
    choices = [policy.value for policy in Backfill]
    current = menu.now().policies.staffing.backfill.value
    policy = menu.ask(f"Backfill leavers ({', '.join(choices)}; now {current}): ", one_of(choices))
    if policy is not None:
        menu.record("backfill", policy)


def pay(menu: DecisionMenu) -> None:
    """A role's pay plan from the next pay period."""
    choices = menu.session.briefing().plan_choices
    if not choices:
        menu.say("This scenario has no pay plans to choose from.")
        return
    roles = list(choices)
    role = menu.ask(f"Pay plan for which role ({', '.join(roles)}): ", one_of(roles))
    if role is None:
        return
    current = menu.session.briefing().pay_plans.get(role, "none")
    plans = choices[role]
    plan = menu.ask(
        f"Plan from the next pay period ({', '.join(plans)}; now {current}): ", one_of(plans)
    )
    if plan is not None:
        menu.record("pay_plans", {**menu.draft.get("pay_plans", {}), role: plan})


def quota(menu: DecisionMenu) -> None:
    """Raise or lower a role's quota."""
    assigned = {**menu.session.briefing().pay_plans, **menu.draft.get("pay_plans", {})}
    if not assigned:
        menu.say("No role is on a pay plan, so there is no quota to change.")
        return
    roles = list(assigned)
    role = menu.ask(f"Quota of which role ({', '.join(roles)}): ", one_of(roles))
    if role is None:
        return
    plans = menu.now().compensation.plans
    now = quota_words(plans[assigned[role]]) if assigned[role] in plans else "unknown"
    factor = menu.ask(
        f"Multiply the {role_label(role)} quota (now {now}) by (e.g. 1.1 for 10% more): ",
        multiple(0, above=True),
    )
    if factor is not None:
        menu.record("quota", {**menu.draft.get("quota", {}), role: factor})


def pay_raise(menu: DecisionMenu) -> None:
    """A rep's pay, or every rep's of a role, as a multiple of market pay (answers offers)."""
    briefing = menu.session.briefing()
    offers = briefing.offers
    if offers:
        menu.say(
            "Competing offers to match: "
            + ", ".join(f"rep {rep} at {level:g}x market pay" for rep, level in offers.items())
        )
    levels = pay_levels(menu)
    roles = sorted({role for role, _ in levels.values()}, key=WORKING.index)
    chosen = menu.ask(
        f"Rep id to give a raise, or a role to raise together ({', '.join(roles)}): ",
        rep_or_role(set(levels), roles),
    )
    if chosen is None:
        return
    if isinstance(chosen, str):
        _role_raise(menu, chosen, levels)
        return
    bounds = menu.session.scenario.game.offers
    level = menu.ask(
        f"New pay as a multiple of market pay ({bounds.low:g} to {bounds.high:g}; "
        f"now {levels[chosen][1]:.2f}"
        + (f"; the offer is {offers[chosen]:g}" if chosen in offers else "")
        + "): ",
        multiple(bounds.low, bounds.high),
    )
    if level is not None:
        menu.record("pay_raise", {**menu.draft.get("pay_raise", {}), chosen: level})


def pay_levels(menu: DecisionMenu) -> dict[int, tuple[str, float]]:
    """Each employed rep's role and pay as a multiple of their role's market pay, by id."""
    roles = menu.now().roles
    return {
        rep.id: (rep.role.value, rep.pay / roles.of(rep.role).market_pay)
        for rep in menu.session.employed()
        if rep.role.value in WORKING
    }


def _role_raise(menu: DecisionMenu, role: str, levels: Mapping[int, tuple[str, float]]) -> None:
    """Raise every rep of ``role`` (or those paid below a level) to a level: one decision."""
    name = role_label(role)
    paid = sorted(level for rep_role, level in levels.values() if rep_role == role)
    menu.say(f"{len(paid)} {name}s, paid {paid[0]:.2f}x to {paid[-1]:.2f}x market pay now.")
    bounds = menu.session.scenario.game.offers
    level = menu.ask(
        f"Raise them to what multiple of market pay ({bounds.low:g} to {bounds.high:g}): ",
        multiple(bounds.low, bounds.high),
    )
    if level is None:
        return
    below = menu.ask(
        f"Only those paid below what multiple (up to {level:g}; Enter: everyone paid less "
        f"than {level:g}x): ",
        multiple(0, level, above=True),
    )
    threshold = level if below is None else below
    reps = sorted(rep for rep, (of, now) in levels.items() if of == role and now < threshold)
    raises = [r for r in menu.draft.get(ROLE_RAISES, []) if r["role"] != role]
    if len(raises) < len(menu.draft.get(ROLE_RAISES, [])):
        menu.say(f"This replaces the {name} raise decided before.")
    entry = {"role": role, "level": level, "below": below, "reps": reps}
    menu.record(ROLE_RAISES, [*raises, entry])
    mine = sorted(set(reps) & set(menu.draft.get("pay_raise", {})))
    if mine:
        menu.say(f"Reps given their own raise keep it: {', '.join(map(str, mine))}.")


def terms(menu: DecisionMenu) -> None:
    """Edit a plan term the scenario allows, from the next period."""
    bounds = menu.now().game.plan_bounds
    if not bounds:
        menu.say("This scenario lets no plan terms be edited; pick among its plans with $.")
        return
    paths = list(bounds)
    for index, path in enumerate(paths, start=1):
        low, high = bounds[path]
        menu.say(f"  {index}. {path} ({low:g} to {high:g}; now {_term(menu.now(), path):g})")
    choice = menu.ask(f"Which term (1 to {len(paths)}): ", whole(1, len(paths)))
    if choice is None:
        return
    path = paths[choice - 1]
    low, high = bounds[path]
    value = menu.ask(f"New value of {path} ({low:g} to {high:g}): ", amount(low, high))
    if value is not None:
        menu.record("plan_terms", {**menu.draft.get("plan_terms", {}), path: value})


def _term(scenario: Scenario, path: str) -> float:
    """The value of a plan term now (``path`` under compensation.plans)."""
    return float(term_at(scenario.compensation.plans, path))  # type: ignore[arg-type]


def contest(menu: DecisionMenu) -> None:
    """A contest over the next quarter with prizes."""
    assigned = {**menu.session.briefing().pay_plans, **menu.draft.get("pay_plans", {})}
    roles = [role for role in assigned if role in WORKING]
    if not roles:
        menu.say("No selling role is on a pay plan, so there is no one to pay prizes to.")
        return
    role = menu.ask(f"Contest for which role ({', '.join(roles)}): ", one_of(roles))
    if role is None:
        return
    prizes: list[float] = []
    while len(prizes) < 5:
        place = len(prizes) + 1
        prize = menu.ask(
            f"Prize for place {place} (Enter when done): "
            if prizes
            else "Prize for first place (e.g. 5000 or 5k): ",
            amount(0, above=True),
        )
        if prize is None:
            break
        prizes.append(prize)
    if prizes:
        menu.record("contest", {"role": role, "prizes": prizes})


def segments(menu: DecisionMenu) -> None:
    """Outbound prospecting weight of a segment."""
    segments = list(menu.now().market.segments)
    segment = menu.ask(f"Segment ({', '.join(segments)}): ", one_of(segments))
    if segment is None:
        return
    current = menu.now().market.segments[segment].outbound_weight
    weight = menu.ask(f"Outbound prospecting weight (0 or more; now {current:g}): ", amount(0))
    if weight is not None:
        menu.record("segment_focus", {**menu.draft.get("segment_focus", {}), segment: weight})


def pricing(menu: DecisionMenu) -> None:
    """Discount authority per role that closes deals, and the deepest discount approved."""
    scenario, rules = menu.now(), menu.session.scenario.game.pricing
    menu.say(f"Price policy now: {pricing_words(scenario)}.")
    hours = scenario.roles.manager.time.approval_hours
    menu.say(
        "A discount wins more deals now and loses more customers at renewal; each request "
        f"for a manager's approval takes {hours:g} hours of the manager's time."
    )
    decided = dict(menu.draft.get("pricing", {}))
    authority = dict(decided.get("authority", {}))
    for role in scenario.funnel.closing_roles:
        now = scenario.behaviour.discounting.authority_of(role)
        given = menu.ask(
            f"Largest discount {role_label(role.value)}s may give on their own (0% to "
            f"{rules.most_authority:.0%}; now {now:.0%}; Enter: keep it): ",
            share(rules.most_authority),
        )
        if given is not None:
            authority[role.value] = given
    limit = scenario.policies.pricing.approval_limit
    approved = menu.ask(
        f"Deepest discount the manager approves beyond a rep's authority (0% to "
        f"{rules.most_approved:.0%}; now {limit:.0%}; Enter: keep it): ",
        share(rules.most_approved),
    )
    if authority:
        decided["authority"] = authority
    if approved is not None:
        decided["approve_up_to"] = approved
    if decided != menu.draft.get("pricing", {}) and decided:
        menu.record("pricing", decided)
    elif not decided:
        menu.say("Nothing changed: the price policy stays as it is.")


def forecast(menu: DecisionMenu) -> None:
    """Next quarter's forecast: new ARR, then churn; the pipeline forecast is the guide.

    The forecast is committed with the turn: once the turn is played it cannot change.
    """
    guide = menu.session.briefing().forecast_guide
    if guide is None:
        menu.say("The game is over: there is no quarter left to forecast.")
        return
    menu.say(
        f"The pipeline forecast (the guide): {money(guide.new_arr)} new ARR, "
        f"{money(guide.churn)} churn. Without a forecast of your own, the guide is yours."
    )
    new_arr = menu.ask("New ARR next quarter (4M, 850k...): ", amount(0, MAX_MONEY))
    if new_arr is None:
        return
    churn = menu.ask("ARR lost to churn next quarter: ", amount(0, MAX_MONEY))
    if churn is None:
        return
    menu.record("forecast", {"new_arr": new_arr, "churn": churn})
