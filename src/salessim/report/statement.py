"""One rep's pay statement for one period: the plan's terms and every ledger line.

A statement holds what a rep needs to check the pay by hand: the plan (base, target
incentive, quota, each component's rates), the quota periods that closed, and each line
with its credit, rate and amount. :func:`statement_table` lays it out with rich.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from salessim.metrics.record import PayRecord
from salessim.report.format import percent, role_label
from salessim.scenario.measures import COUNT_MEASURES, Measure
from salessim.scenario.pay_components import Component
from salessim.scenario.plans import Plan


@dataclass
class Statement:
    """The lines and quota periods of one rep between two dates."""

    rep: int
    role: str
    period: str
    first_day: dt.date
    last_day: dt.date
    plans: list[str]
    lines: list[dict[str, Any]]
    quota_periods: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> float:
        """Everything paid in the period (clawbacks and recoveries negative)."""
        return sum(line["amount"] for line in self.lines)

    def by_component(self) -> dict[str, float]:
        """Total per component, in the order components first appear."""
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line["component"]] = totals.get(line["component"], 0.0) + line["amount"]
        return totals

    def as_json(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "rep": self.rep,
            "role": self.role,
            "period": self.period,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "plans": self.plans,
            "total": self.total,
            "by_component": self.by_component(),
            "quota_periods": self.quota_periods,
            "lines": self.lines,
        }


def build_statement(
    pay: PayRecord, rep: int, period: str, start: float, end: float, date: Any
) -> Statement:
    """Rep ``rep``'s lines dated in (``start``, ``end``]; ``date`` turns days into dates.

    Raises:
        ValueError: the rep has no pay lines in the period (names the reps who do).
    """
    lines = [
        dict(line, date=date(max(0.0, line["day"] - 1e-6)).isoformat())
        for line in pay.lines(rep)
        if start < line["day"] <= end + 1e-9
    ]
    if not lines:
        paid = sorted({pay.line_rep[i] for i, d in enumerate(pay.line_day) if start < d <= end})
        raise ValueError(f"rep {rep} has no pay lines in {period}; paid then: {_ranges(pay, paid)}")
    quota_periods = [
        {
            "label": pay.period_label[i],
            "plan": pay.period_plan[i],
            "quota": pay.period_quota[i],
            "credit": pay.period_credit[i],
            "attainment": pay.period_credit[i] / pay.period_quota[i]
            if pay.period_quota[i] > 0
            else None,
        }
        for i, day in enumerate(pay.period_day)
        if pay.period_rep[i] == rep and start < day <= end + 1e-9
    ]
    plans = list(dict.fromkeys(line["plan"] for line in lines if line["plan"]))
    return Statement(
        rep,
        lines[0]["role"],
        period,
        date(start),
        date(end - 1),
        plans,
        lines,
        quota_periods,
    )


def _ranges(pay: PayRecord, reps: list[int]) -> str:
    """``sdr 1-8, ae 9-28`` for a sorted list of rep ids."""
    roles = {pay.line_rep[i]: pay.line_role[i] for i in range(len(pay.line_rep))}
    groups: list[tuple[str, int, int]] = []
    for rep in reps:
        if groups and groups[-1][0] == roles[rep] and groups[-1][2] == rep - 1:
            groups[-1] = (groups[-1][0], groups[-1][1], rep)
        else:
            groups.append((roles[rep], rep, rep))
    text = ", ".join(f"{role} {a}" if a == b else f"{role} {a}-{b}" for role, a, b in groups)
    return text or "nobody"


# ----------------------------------------------------------------------------- layout
def describe_plan(name: str, plan: Plan) -> list[str]:
    """The plan's terms in a few lines."""
    quota = plan.quota
    measure = plan.quota_measure
    amount = _amount(measure, quota.amount)
    base, target = _dollars(plan.base), _dollars(plan.target_incentive)
    adjusted = ", ramp adjusted" if quota.ramp_adjusted and not measure.is_ratio else ""
    per = "of what comes due" if measure.is_ratio else "a year"
    lines = [
        f"Plan {name}: base {base}, target incentive {target}"
        f" (on-target {_dollars(plan.on_target_earnings)}, {plan.pay_mix:.0%} base)",
        f"Quota: {amount} {per} in {measure.value}, by {quota.period.value}{adjusted}",
    ]
    lines += [f"  - {describe_component(c, measure)}" for c in plan.components]
    return lines


def describe_component(component: Component, quota_measure: Measure) -> str:
    """One component's rule in words and numbers."""
    if (c := component.commission) is not None:
        measure = c.measure or quota_measure
        bands = ", ".join(f"{_rate(measure, b.rate)} from {b.start:.0%}" for b in c.rates)
        rates = [b.rate for b in c.rates]
        extra = ["accelerating"] if any(b > a for a, b in pairwise(rates)) else []
        extra += ["decelerating"] if any(b < a for a, b in pairwise(rates)) else []
        extra += [f"threshold {c.threshold:.0%}"] if c.threshold else []
        extra += [f"gate {c.gate:.0%}"] if c.gate else []
        extra += [f"cap {c.cap:g}x target incentive"] if c.cap is not None else []
        return f"commission on {measure.value}: {bands}" + (
            f"; {', '.join(extra)}" if extra else ""
        )
    if (b := component.bonus) is not None:
        return "bonus: " + ", ".join(f"{_dollars(t.amount)} at {t.at:.0%}" for t in b.tiers)
    if (s := component.spif) is not None:
        where = [*s.segments, *s.sources] + (
            [] if s.technical is None else ["technical" if s.technical else "non-technical"]
        )
        window = f" from {s.start}" if s.start else ""
        window += f" until {s.until}" if s.until else ""
        return (
            f"spif on {(s.measure or quota_measure).value}: {_dollars(s.per_deal)} a deal + "
            f"{s.rate:g} x credit on {', '.join(where) or 'every deal'}{window}"
        )
    if (k := component.contest) is not None:
        prizes = ", ".join(_dollars(p) for p in k.awards)
        return f"contest each {k.every.value} on {(k.measure or quota_measure).value}: {prizes}"
    if (w := component.clawback) is not None:
        return (
            f"clawback: {w.share:.0%} of a new logo's commission if it churns "
            f"within {w.within:.0f} days"
        )
    if (d := component.draw) is not None:
        kind = "recoverable" if d.recoverable else "non-recoverable"
        return f"{kind} draw: {_dollars(d.amount)} a month for the first {d.months} months"
    t = component.team
    assert t is not None
    return f"team pay on {t.scope} {t.measure.value}: {t.rate:g} per unit, {t.split}"


def _dollars(value: float) -> str:
    return f"${value:,.0f}"


def _amount(measure: Measure, value: float) -> str:
    if measure.is_ratio:
        return percent(value)
    return f"{value:,.0f}" if measure in COUNT_MEASURES else _dollars(value)


def _rate(measure: str | Measure, rate: float) -> str:
    if not rate:
        return "0"
    if measure and Measure(measure) in COUNT_MEASURES:
        return f"${rate:,.2f} each"
    return f"{rate:.2%}"


def statement_table(statement: Statement, plans: dict[str, Plan]) -> Group:
    """The statement as rich renderables: terms, quota periods, lines, totals."""
    head = Text(
        f"Pay statement: rep {statement.rep} ({role_label(statement.role)}), {statement.period}"
        f" ({statement.first_day} to {statement.last_day})",
        style="bold",
    )
    terms = [line for name in statement.plans for line in describe_plan(name, plans[name])]
    table = Table(show_header=True, header_style="bold")
    for column, justify in (
        ("Date", "left"),
        ("Component", "left"),
        ("Measure", "left"),
        ("Credit", "right"),
        ("Rate", "right"),
        ("Amount", "right"),
        ("Note", "left"),
    ):
        table.add_column(column, justify=justify, no_wrap=column != "Note")  # type: ignore[arg-type]
    for line in statement.lines:
        measure = line["measure"]
        credit = line["credit"]
        if not measure:
            credit_text = ""
        elif Measure(measure) in COUNT_MEASURES:
            credit_text = f"{credit:,.0f}"
        else:
            credit_text = f"${credit:,.2f}"
        table.add_row(
            line["date"],
            line["component"],
            measure,
            credit_text,
            _rate(measure, line["rate"]) if line["rate"] else "",
            f"${line['amount']:,.2f}",
            line["note"],
        )
    totals = Table(show_header=False, box=None)
    totals.add_column()
    totals.add_column(justify="right")
    for component, amount in statement.by_component().items():
        totals.add_row(component, f"${amount:,.2f}")
    totals.add_row(Text("Total paid", style="bold"), Text(f"${statement.total:,.2f}", style="bold"))
    periods = [
        f"Quota period {p['label']}: quota {p['quota']:,.2f}, credit {p['credit']:,.2f}, "
        f"attainment {percent(p['attainment'])}"
        for p in statement.quota_periods
    ] or ["No quota period closed in this period (it is part of a longer one)."]
    return Group(head, *map(Text, terms), *map(Text, periods), table, totals)
