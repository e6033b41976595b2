"""A turn's decisions in words: one describer for the menu, the undo and the debrief.

Every kind of decision has a line (hires, exits, plans, coaching, training, recognition,
routing, backfill, pay plans, quotas, segment focus, price policy, pay raises, contests,
plan terms, the forecast), and settings are worded as a manager would say them: ``no
training``, not ``training every 0 months``. A raise given to a whole role in the menu
(``ROLE_RAISES``, which the session never sees: the menu turns it into per-rep
``pay_raise`` decisions) is one line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from salessim.game.decisions import Decisions
from salessim.report.format import money, role_label

ROLE_RAISES = "role_raises"
"""The menu's key for raises given to a role: ``[{"role", "level", "below", "reps"}]``."""

_BACKFILL = {
    "immediate": "backfill leavers at once",
    "delayed": "backfill leavers after a delay",
    "freeze": "freeze backfills: leavers are not replaced",
}


def decision_lines(decisions: Decisions | Mapping[str, Any], *, grouped: bool = False) -> list[str]:
    """Every decision of a turn in words, one line each (empty when nothing is decided).

    ``grouped``: reps let go, put on a plan or raised to the same level share a line
    (``raise reps 3, 7 and 9 to 1.05x market pay``), as a summary of a turn wants.
    """
    if isinstance(decisions, Decisions):
        decisions = decisions.model_dump(mode="json", exclude_defaults=True)
    lines = [_hire(hire) for hire in decisions.get("hire", [])]
    lines += _each(decisions.get("fire", []), "let {} go", grouped)
    lines += _each(decisions.get("plan", []), "put {} on a performance plan", grouped)
    if decisions.get("coaching") is not None:
        lines.append(_coaching(decisions["coaching"]))
    if decisions.get("training_every_months") is not None:
        lines.append(training_words(decisions["training_every_months"]))
    if decisions.get("recognition") is not None:
        lines.append(_recognition(decisions["recognition"]))
    for role, policy in decisions.get("routing", {}).items():
        lines.append(f"route {role_label(str(role))} work by {_words(policy)}")
    if decisions.get("backfill") is not None:
        lines.append(_BACKFILL.get(str(decisions["backfill"]), f"backfill {decisions['backfill']}"))
    for role, plan in decisions.get("pay_plans", {}).items():
        lines.append(f"{role_label(str(role))}s move to pay plan {plan} from the next period")
    for role, factor in decisions.get("quota", {}).items():
        lines.append(f"{role_label(str(role))} quota times {factor:g} ({factor - 1:+.0%})")
    for segment, weight in decisions.get("segment_focus", {}).items():
        lines.append(
            f"no outbound prospecting in {segment}"
            if weight == 0
            else f"outbound weight of {segment}: {weight:g}"
        )
    if decisions.get("pricing") is not None:
        lines.append(_pricing(decisions["pricing"]))
    lines += [role_raise_words(raise_) for raise_ in decisions.get(ROLE_RAISES, [])]
    levels: dict[float, list[Any]] = {}
    for rep, level in decisions.get("pay_raise", {}).items():
        levels.setdefault(level, []).append(rep)
    for level, reps in levels.items():
        lines += _each(reps, f"raise {{}} to {level:g}x market pay", grouped)
    if decisions.get("contest") is not None:
        lines.append(_contest(decisions["contest"]))
    for path, value in decisions.get("plan_terms", {}).items():
        lines.append(f"set plan term {path} to {value:g} from the next period")
    if decisions.get("forecast") is not None:
        lines.append(forecast_words(decisions["forecast"]))
    return lines


def forecast_words(forecast: Mapping[str, Any]) -> str:
    """A committed forecast in words: ``forecast $4.0M new ARR and $600k churn next quarter``."""
    return (
        f"forecast {money(forecast['new_arr'])} new ARR and {money(forecast['churn'])} "
        "churn next quarter"
    )


def training_words(months: float) -> str:
    """A training cadence in words: ``no training``, ``a training session every month``."""
    if months == 0:
        return "no training"
    every = "month" if months == 1 else f"{months:g} months"
    return f"a training session every {every}"


def role_raise_words(raise_: Mapping[str, Any]) -> str:
    """A raise given to a role, with the reps it reaches: one line."""
    role, level, below = role_label(str(raise_["role"])), raise_["level"], raise_.get("below")
    if below is None:
        said = f"raise every {role} to at least {level:g}x market pay"
    else:
        said = f"raise every {role} paid below {below:g}x market pay to {level:g}x"
    reps = list(raise_.get("reps", []))
    return f"{said} ({_reps(reps) if reps else 'no one is paid less'})"


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """What going from ``before`` to ``after`` decided anew, and what it took away, in words."""
    old, new = Counter(decision_lines(before)), Counter(decision_lines(after))
    return list((new - old).elements()), list((old - new).elements())


def joined(lines: Sequence[str]) -> str:
    """Lines of decisions as one sentence part: ``a; b; c``."""
    return "; ".join(lines)


def _hire(hire: Mapping[str, Any]) -> str:
    offer = hire.get("offer")
    pay = "the usual offer" if offer is None else f"{offer:g} times market pay"
    count = hire.get("count", 1)
    plural = "" if count == 1 else "s"
    return f"hire {count} {role_label(str(hire['role']))}{plural} at {pay}"


def _coaching(coaching: Mapping[str, Any]) -> str:
    hours = coaching["hours_per_rep_per_month"]
    if hours == 0:
        return "no coaching"
    focus = str(coaching.get("focus", "even"))
    whom = "everyone alike" if focus == "even" else f"focus {_words(focus)}"
    return f"coach {hours:g} hour{'' if hours == 1 else 's'} per rep a month, {whom}"


def _recognition(awards: int) -> str:
    if awards == 0:
        return "no recognition awards"
    return f"{awards} recognition award{'' if awards == 1 else 's'} per team a month"


def _contest(contest: Mapping[str, Any]) -> str:
    prizes = ", ".join(money(prize) for prize in contest["prizes"])
    places = len(contest["prizes"])
    return (
        f"a contest for {role_label(str(contest['role']))}s over the next quarter: "
        f"{places} prize{'' if places == 1 else 's'} ({prizes})"
    )


def _pricing(pricing: Mapping[str, Any]) -> str:
    """The price policy on one line: each role's authority, then the approval rule."""
    parts = [
        f"{role_label(str(role))}s may discount up to {share:.0%}"
        if share
        else f"{role_label(str(role))}s may give no discount"
        for role, share in pricing.get("authority", {}).items()
    ]
    limit = pricing.get("approve_up_to")
    if limit is not None:
        parts.append(
            "the manager approves no discount beyond a rep's authority"
            if limit == 0
            else f"the manager approves discounts up to {limit:.0%} beyond a rep's authority"
        )
    return "; ".join(parts) or "the price policy as it is"


def _each(reps: Sequence[Any], text: str, grouped: bool) -> list[str]:
    """``text`` said of each rep, or of all of them at once when ``grouped``."""
    if grouped:
        return [text.format(_reps(reps))] if reps else []
    return [text.format(f"rep {rep}") for rep in reps]


def _reps(reps: Sequence[Any]) -> str:
    if len(reps) == 1:
        return f"rep {reps[0]}"
    return f"reps {', '.join(map(str, reps[:-1]))} and {reps[-1]}"


def _words(value: object) -> str:
    return str(value).replace("_", " ")
