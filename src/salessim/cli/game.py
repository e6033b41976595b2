"""The game's briefing at the terminal: figures, story, team, pipeline, money and plans.

What ``salessim play`` shows each turn and ``salessim replay`` shows again (the commands
are in :mod:`salessim.cli.game_play` and :mod:`salessim.cli.game_replay`). Every name from
a save or a scenario is shown through ``printable``.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from salessim.game.briefing import (
    LARGE_ROSTER,
    LOWER_IS_BETTER,
    Briefing,
    Indicator,
    is_star,
    risks,
    roster_summary,
)
from salessim.report.format import (
    MISSING,
    count,
    label,
    money,
    number,
    percent,
    printable,
    printable_lines,
    role_label,
)


def say(console: Console, text: str) -> None:
    """Print plain text, names from files and paths in it escaped (``printable``)."""
    console.print(printable_lines(text), markup=False, highlight=False)


def show_briefing(console: Console, briefing: Briefing) -> None:
    """Print a briefing."""
    console.print(briefing_view(briefing))


def briefing_view(briefing: Briefing) -> Group:
    """Everything a briefing says, ready to print: figures, story, team, pipeline, money.

    Every text in it (plan, segment and stage names come from the scenario) is shown
    through ``printable``.
    """
    briefing = _printable(briefing)
    return Group(
        _header(briefing),
        *([opening_panel(briefing)] if briefing.exercise is not None else []),
        indicator_table(briefing),
        _story(briefing),
        roster_table(briefing),
        _requisitions(briefing),
        pipeline_table(briefing),
        _budget(briefing),
        forecast_view(briefing),
        _pay_plans(briefing),
        _policies(briefing),
    )


def _header(briefing: Briefing) -> Rule:
    if briefing.finished:
        title = f"Game over · {briefing.turns} turns played · {briefing.period}"
    elif briefing.period == "start":
        title = f"Turn {briefing.turn} of {briefing.turns} · the start"
    else:
        title = f"Turn {briefing.turn} of {briefing.turns} · after {briefing.period}"
    return Rule(Text(f"{title} · {briefing.date}", style="bold"))


def opening_panel(briefing: Briefing) -> Panel:
    """The exercise: its situation, the player's goals and what it teaches."""
    exercise = briefing.exercise
    assert exercise is not None, "an opening briefing"
    parts: list[RenderableType] = [Text(exercise.situation)] if exercise.situation else []
    for title, items in (
        ("Your goals", exercise.goals),
        ("What this exercise teaches", exercise.learning_goals),
    ):
        if items:
            bullets = Table.grid(padding=(0, 1))
            bullets.add_column(width=3, justify="right")
            bullets.add_column()
            for item in items:
                bullets.add_row("•", item)
            parts += [Text(), Text(title, style="bold"), bullets]
    return Panel(Group(*parts), title=Text(exercise.name, style="bold"), title_align="left")


def figure(name: str, value: float | None) -> str:
    """An indicator's value as text: money, a rate, a count or a number."""
    if value is None or not math.isfinite(value):
        return MISSING
    if name.endswith(("_arr", "_spend")):
        return money(value)
    if name.endswith("_rate") or name.startswith("price_"):
        return percent(value)
    return count(value) if float(value).is_integer() else number(value)


HEADCOUNT = "headcount_"  # indicators of headcount by role, shown on one line


def indicator_table(briefing: Briefing) -> Table:
    """The indicators: value, last turn, change, target and whether it is met."""
    table = Table(title="Figures", box=box.SIMPLE, show_edge=False, title_justify="left")
    table.add_column("Indicator")
    for heading in ("Value", "Last turn", "Change", "Target"):
        table.add_column(heading, justify="right")
    table.add_column("Met")
    heads = [row for row in briefing.indicators if row.name.startswith(HEADCOUNT)]
    if heads:  # one line: the team table below has the detail
        before = all(row.previous is not None for row in heads)
        table.caption = f"Headcount{' (last turn)' if before else ''}: " + ", ".join(
            f"{role_label(row.name.removeprefix(HEADCOUNT))} {figure(row.name, row.value)}"
            + (f" ({figure(row.name, row.previous)})" if before else "")
            for row in heads
        )
        table.caption_justify = "left"
    for row in briefing.indicators:
        if row in heads:
            continue
        met = {None: MISSING, True: "yes", False: "no"}[row.on_target]
        table.add_row(
            label(row.name),
            figure(row.name, row.value),
            figure(row.name, row.previous),
            _change(row),
            figure(row.name, row.target),
            met,
        )
    return table


def _change(row: Indicator) -> Text:
    change = row.change
    if change is None:
        return Text(MISSING)
    better = (change > 0) != (row.name in LOWER_IS_BETTER)
    style = "" if change == 0 else "green" if better else "red"
    return Text(f"{change:+.1%}", style=style)


def _story(briefing: Briefing) -> RenderableType:
    if not briefing.story:
        quiet = "You take over today: no turn played yet." if briefing.period == "start" else ""
        return Text(f"\n{quiet or 'A quiet quarter: nothing of note.'}\n")
    lines = [Text("What happened", style="bold")]
    lines += [Text(f"  • {line}") for line in briefing.story]
    return Group(*lines, Text())


def roster_table(briefing: Briefing) -> RenderableType:
    """The team as a manager sees it (rumours are noisy); a large team summarised by role."""
    if len(briefing.roster) > LARGE_ROSTER:
        return roster_summary_view(briefing)
    table = Table(
        title=f"Team ({len(briefing.roster)} reps)",
        caption="Pay/mkt: pay over market pay · ! rumoured to be looking (can be wrong)",
        box=box.SIMPLE,
        show_edge=False,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("Rep", justify="right")
    table.add_column("Role")
    for heading in ("Months", "Ramp", "Attainment", "Pay/mkt"):
        table.add_column(heading, justify="right")
    for heading in ("Morale", "Plan", "!"):
        table.add_column(heading)
    for row in briefing.roster:
        table.add_row(
            str(row.rep),
            role_label(row.role.value),
            number(row.tenure_months),
            percent(row.ramp, 0),
            percent(row.attainment, 0),
            _multiple(row.pay_vs_market),
            row.morale,
            "on plan" if row.on_plan else "",
            "!" if row.rumour else "",
        )
    return table


NOTABLE_SHOWN = 6  # reps listed under a summarised roster


def roster_summary_view(briefing: Briefing) -> Group:
    """A large team: one line per role, then the reps at risk and the stars, at risk first."""
    roles, notable = roster_summary(briefing)
    table = Table(
        title=f"Team ({len(briefing.roster)} reps, by role)",
        box=box.SIMPLE,
        show_edge=False,
        title_justify="left",
    )
    table.add_column("Role")
    for heading in ("Reps", "Ramping", "Attainment", "Pay/mkt", "Low morale", "Plan", "!"):
        table.add_column(heading, justify="right", no_wrap=True)
    for role in roles:
        table.add_row(
            role_label(role.role.value),
            count(role.reps),
            count(role.ramping),
            percent(role.attainment, 0),
            _multiple(role.pay_vs_market),
            count(role.low_morale),
            count(role.on_plan),
            count(role.rumours),
        )
    if not notable:
        return Group(table, Text("No rep at risk, and no star above 120% of quota.\n"))
    reps = Table(
        title="At risk and stars, at risk first",
        box=box.SIMPLE,
        show_edge=False,
        show_header=False,
        title_justify="left",
        caption=f"and {len(notable) - NOTABLE_SHOWN} more"
        if len(notable) > NOTABLE_SHOWN
        else None,
        caption_justify="left",
    )
    for heading in ("Rep", "Role", "Attainment", "Pay/mkt"):
        reps.add_column(heading, justify="right" if heading != "Role" else "left", no_wrap=True)
    reps.add_column("Why", overflow="ellipsis", no_wrap=True)
    for row in notable[:NOTABLE_SHOWN]:
        why = risks(row, briefing.offers)
        reps.add_row(
            f"rep {row.rep}",
            role_label(row.role.value),
            percent(row.attainment, 0),
            _multiple(row.pay_vs_market),
            ", ".join((["star"] if is_star(row) else []) + why),
        )
    return Group(table, reps, Text())


def _multiple(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}x"


def _requisitions(briefing: Briefing) -> Text:
    open_ = [f"{n} {role_label(role)}" for role, n in briefing.open_requisitions.items() if n]
    cold = (
        ""
        if briefing.leads_gone_cold is None
        else f" · leads gone cold in {briefing.period}: {count(briefing.leads_gone_cold)}"
    )
    return Text(f"Open requisitions: {', '.join(open_) or 'none'}{cold}\n")


def pipeline_table(briefing: Briefing) -> Table:
    """Open deals and their value by stage."""
    table = Table(
        title="Pipeline", box=box.SIMPLE, show_edge=False, title_justify="left", show_footer=True
    )
    table.add_column("Stage", footer="Total")
    deals = sum(n for n, _ in briefing.pipeline.values())
    value = sum(v for _, v in briefing.pipeline.values())
    table.add_column("Deals", justify="right", footer=count(deals))
    table.add_column("Value", justify="right", footer=money(value))
    for stage, (n, stage_value) in briefing.pipeline.items():
        table.add_row(label(stage), count(n), money(stage_value))
    return table


def _budget(briefing: Briefing) -> Text:
    budget = briefing.budget
    limit = "no limit" if budget.limit is None else f"limit {money(budget.limit)} a turn"
    spent = MISSING if briefing.period == "start" else money(budget.spent)
    line = Text(
        f"People spend: {limit} · last turn {spent} · next turn, if nothing changes, "
        f"{money(budget.projected)}"
    )
    if budget.overspent > 0:
        line.append(f" · last turn OVER BUDGET by {money(budget.overspent)}", style="bold red")
    return line


def forecast_view(briefing: Briefing) -> Text:
    """The guide to next quarter's forecast, and last quarter's forecast against what happened."""
    lines = []
    last = briefing.forecast_last
    if last is not None and last.actual is not None:
        whose = "you forecast" if last.own else "the forecast (the guide's) was"
        new_arr = _against(last.committed.new_arr, last.actual.new_arr, "new ARR", "booked")
        churn = _against(last.committed.churn, last.actual.churn, "churn", "lost")
        lines.append(f"Last quarter {whose} {new_arr} and {churn}")
    guide = briefing.forecast_guide
    if guide is not None:
        lines.append(
            f"Guide for next quarter (pipeline forecast): {money(guide.new_arr)} new ARR, "
            f"{money(guide.churn)} churn"
        )
    return Text("\n".join(lines) + "\n") if lines else Text("")


def _against(forecast: float, actual: float, what: str, verb: str) -> str:
    """``$3.0M new ARR (booked $3.4M, 12% under)``: a forecast against what happened."""
    said = f"{money(forecast)} {what} ({verb} {money(actual)}"
    if actual > 0 and forecast != actual:
        miss = forecast / actual - 1
        return f"{said}, {abs(miss):.0%} {'over' if miss > 0 else 'under'})"
    return said + ")"


def _pay_plans(briefing: Briefing) -> Text:
    if not briefing.plan_choices:
        return Text("Pay plans: none in this scenario\n")
    lines = [
        f"  {role_label(role)}: {briefing.pay_plans.get(role, 'none')}"
        + (f", quota {briefing.quotas[role]}" if role in briefing.quotas else "")
        + f" (choices: {', '.join(plans)})"
        for role, plans in briefing.plan_choices.items()
    ]
    return Text("Pay plans\n" + "\n".join(lines) + "\n")


def _policies(briefing: Briefing) -> Text:
    lines = [f"  {name.capitalize()}: {words}" for name, words in briefing.policies.items()]
    return Text("Policies in force\n" + "\n".join(lines) + "\n")


def _printable(value: Any) -> Any:
    """``value`` with every text in it, keys included, through ``printable``."""
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return printable(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [field.name for field in dataclasses.fields(value) if field.init]
        return dataclasses.replace(value, **{n: _printable(getattr(value, n)) for n in names})
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_printable(item) for item in value)
    return value


def briefing_json(briefing: Briefing) -> dict[str, Any]:
    """The briefing as plain JSON data (enums as their values, unknown numbers as null)."""
    return _plain(dataclasses.asdict(briefing))


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(_plain(key)): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
