"""Tables and machine-readable files of one run: summary, KPI JSON, monthly CSV.

:func:`summary_sections` is plain data (section title, then label and formatted value
rows), so any front end can lay it out; :func:`summary_table` lays it out with rich.
"""

from __future__ import annotations

import csv
import json
import math
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from salessim import __version__
from salessim.metrics.kpis import PAY_COMPONENTS
from salessim.report.format import (
    MISSING,
    count,
    days,
    duration,
    known,
    label,
    money,
    number,
    percent,
    role_label,
)
from salessim.scenario.pay_components import ComponentKind

if TYPE_CHECKING:
    from salessim.run import RunResult

__all__ = [
    "Section",
    "kpis_json",
    "summary_sections",
    "summary_table",
    "write_event_tables",
    "write_forecast_csv",
    "write_kpis_json",
    "write_timeseries_csv",
]

Section = tuple[str, list[tuple[str, str]]]
SOURCES = ("inbound", "outbound", "referral")


def _of(part: float, whole: float) -> str:
    """``part`` with its share of ``whole``: ``13 (0.4%)``."""
    share = known(part / whole) if whole else None
    return count(part) if share is None else f"{count(part)} ({percent(share)})"


def _roles(kpis: dict[str, float]) -> list[str]:
    return [key.removeprefix("utilisation_") for key in kpis if key.startswith("utilisation_")]


# ----------------------------------------------------------------------------- sections
def _funnel(result: RunResult) -> Section:
    k, rec = result.kpis, result.record
    created = k["leads_created"]
    sources = [*SOURCES, *sorted(set(rec.leads_by_source) - set(SOURCES))]
    rows = [("Leads created", count(created))]
    rows += [
        (f"  {label(s).lower()}", _of(rec.leads_by_source.get(s, 0), created)) for s in sources
    ]
    rows += [
        ("Lead response time, mean", duration(k["lead_response_days_mean"])),
        ("Leads gone cold", _of(k["leads_gone_cold"], created)),
        ("Leads disqualified", _of(k["leads_disqualified"], created)),
        ("Leads still open at end", count(k["leads_open_end"])),
        ("Opportunities created", count(k["opportunities_created"])),
        ("Deals won", count(k["deals_won"])),
        ("Deals lost", count(k["deals_lost"])),
        ("Win rate", percent(k["win_rate"])),
        ("Sales cycle, median", days(k["sales_cycle_days_median"])),
        ("Sales cycle, mean", days(k["sales_cycle_days_mean"])),
        (
            "Open pipeline at end",
            f"{count(k['pipeline_open_end'])} deals, {money(k['pipeline_value_end'])}",
        ),
    ]
    return "Funnel", rows


def _revenue(result: RunResult) -> Section:
    k = result.kpis
    return "Revenue", [
        ("New bookings (ARR)", money(k["bookings_new_arr"])),
        ("Expansion bookings (ARR)", money(k["bookings_expansion_arr"])),
        ("Expansion share of bookings", percent(k["expansion_share"])),
        ("Churned ARR", money(k["churned_arr"])),
        ("Contraction ARR", money(k["contraction_arr"])),
        ("ARR at start", money(k["starting_arr"])),
        ("ARR at end", money(k["ending_arr"])),
        ("Customers at start", count(k["customers_start"])),
        ("Customers at end", count(k["customers_end"])),
        ("New logos", count(k["new_logos"])),
        ("Churned logos", count(k["churned_logos"])),
        ("Gross revenue retention (GRR)", percent(k["grr"])),
        ("Net revenue retention (NRR)", percent(k["nrr"])),
        ("Logo churn rate, yearly", percent(k["logo_churn_rate"])),
        ("Pipeline forecast error, new ARR a quarter", percent(k["forecast_error_new_arr"])),
        ("Pipeline forecast error, churn a quarter", percent(k["forecast_error_churn"])),
    ]


def _teams(result: RunResult) -> Section:
    k = result.kpis
    rows = []
    for role in _roles(k):
        use = known(k.get(f"utilisation_{role}"))
        wait = known(k.get(f"mean_wait_days_{role}"))
        queue = known(k.get(f"queue_length_mean_{role}"))
        if use is None and wait is None and not queue:
            continue  # nobody in the role and nothing waiting for one
        name = role_label(role)
        rows += [
            (f"{name} utilisation", percent(use)),
            (f"{name} mean wait", duration(wait)),
            (f"{name} mean queue length", number(queue, 2)),
        ]
    return "Teams", rows


def _people(result: RunResult) -> Section:
    k = result.kpis
    rows = []
    for role in _roles(k):
        heads = known(k.get(f"headcount_mean_{role}"))
        if not heads and known(k.get(f"attrition_rate_{role}")) is None:
            continue  # nobody in the role at any time
        name = role_label(role)
        ramped = number(k.get(f"ramped_capacity_{role}"))
        rows += [
            (f"{name} headcount, mean (ramped FTE)", f"{number(heads)} ({ramped})"),
            (f"{name} attrition, yearly", percent(k.get(f"attrition_rate_{role}"))),
        ]
    rows += [
        ("Hires", count(k.get("hires"))),
        ("Exits", count(k.get("exits"))),
        ("Voluntary attrition, yearly", percent(k.get("attrition_voluntary_rate"))),
        ("  of which regretted", percent(k.get("attrition_regretted_rate"))),
        ("Involuntary attrition, yearly", percent(k.get("attrition_involuntary_rate"))),
        ("Time to fill, mean", days(k.get("time_to_fill_days_mean"))),
        ("Hiring cost", money(k.get("hiring_cost"))),
        ("Exit cost (severance)", money(k.get("exit_cost"))),
        ("Training cost", money(k.get("training_cost"))),
        ("Replacement cost per exit", money(k.get("replacement_cost_per_exit"))),
        ("Coaching per rep, monthly", _hours(k.get("coaching_hours_per_rep_month"))),
        ("Reps per manager", number(k.get("span_of_control"), 1)),
        ("Manager time used", percent(k.get("manager_time_used"))),
        ("Coaching the duties left out", percent(k.get("coaching_shortfall"))),
        ("Morale, mean (-1 to 1)", number(k.get("morale_mean"), 2)),
        (
            "Performance plans started (failed)",
            _with(k.get("plans_started"), k.get("plans_failed")),
        ),
    ]
    shares = {
        key.removeprefix("manager_hours_share_"): known(value)
        for key, value in k.items()
        if key.startswith("manager_hours_share_")
    }
    if any(share is not None for share in shares.values()):
        rows += [(f"Manager time: {label(a).lower()}", percent(v)) for a, v in shares.items()]
    else:
        rows.append(("Manager time", MISSING))
    rows.append(("Ramped AEs at quota", percent(k.get("share_at_quota_ramped_ae"))))
    return "People", rows


def _pay(result: RunResult) -> Section:
    k = result.kpis
    if known(k.get("comp_cost")) is None:
        return "Pay", []  # no pay plans
    rows = [
        ("Compensation cost", money(k.get("comp_cost"))),
        ("  variable pay", money(k.get("variable_pay"))),
        ("Cost of sales (pay per $ booked)", number(k.get("cost_of_sales"), 2)),
        ("Effective commission rate", percent(k.get("effective_commission_rate"))),
    ]
    for role in (*_roles(k), "manager"):
        cost = known(k.get(f"comp_cost_{role}"))
        if cost:
            rows.append((f"{role_label(role)} pay", money(cost)))
    for component in PAY_COMPONENTS:
        cost = known(k.get(f"comp_cost_{component}"))
        if cost and component != ComponentKind.BASE:
            rows.append((f"  {label(component)} lines", money(cost)))
    for role in _roles(k):
        median = known(k.get(f"period_attainment_median_{role}"))
        if median is None:
            continue
        spread = (
            f"{percent(median, 0)} ({percent(k.get(f'period_attainment_p10_{role}'), 0)}"
            f" to {percent(k.get(f'period_attainment_p90_{role}'), 0)})"
        )
        rows += [
            (f"{role_label(role)} period attainment, median (p10 to p90)", spread),
            (
                f"{role_label(role)} ramped periods at quota",
                percent(k.get(f"period_share_at_quota_{role}")),
            ),
        ]
    return "Pay", rows


def _hours(value: float | None) -> str:
    value = known(value)
    return MISSING if value is None else f"{number(value)} h"


def _with(total: float | None, part: float | None) -> str:
    """Two counts, the second in brackets: ``3 (1)``."""
    return f"{count(total)} ({count(part)})"


def _stages(result: RunResult) -> Section:
    rec, k = result.record, result.kpis
    rows = []
    for name, role, done, converted in zip(
        rec.stage_names, rec.stage_roles, rec.stage_done, rec.stage_converted, strict=True
    ):
        rate = percent(k.get(f"stage_conversion_{name}"))
        rows.append(
            (f"{label(name)} ({role_label(role)})", f"{rate} ({count(converted)} of {count(done)})")
        )
    return "Stage conversions", rows


def summary_sections(result: RunResult) -> list[Section]:
    """The run's KPIs as titled sections of (label, formatted value) rows."""
    return [
        _funnel(result),
        _revenue(result),
        _teams(result),
        _people(result),
        _pay(result),
        _stages(result),
    ]


def summary_table(result: RunResult) -> Table:
    """A rich table of the run's KPIs: Funnel, Revenue, Teams, People, Pay and Stages."""
    measured = result.record.measured_days
    name = escape(result.scenario_name)  # a name is text, not markup
    table = Table(
        title=f"{name} · seed {result.seed} · {measured:,.0f} days measured",
        caption=f"{MISSING} = unknown (nothing to measure it on)",
        show_header=True,
        header_style="bold",
    )
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    for title, rows in summary_sections(result):
        if not rows:
            continue
        table.add_row(f"[bold cyan]{title}[/]", "")
        for i, (name, value) in enumerate(rows):
            table.add_row(f"  {name}", value, end_section=i == len(rows) - 1)
    return table


# ----------------------------------------------------------------------------- files
def _json_value(value: Any) -> Any:
    """A JSON-safe copy of a KPI value: NaN and infinities become ``None``."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        real = float(value)
        return real if math.isfinite(real) else None
    raise TypeError(f"not a KPI value: {value!r}")


def kpis_json(result: RunResult) -> dict[str, Any]:
    """The run's KPIs with metadata, ready for ``json.dumps(..., allow_nan=False)``.

    Returns:
        ``{"scenario", "seed", "measured_days", "salessim_version", "kpis"}``; unknown
        KPIs are ``None``.
    """
    return {
        "scenario": result.scenario_name,
        "seed": int(result.seed),
        "measured_days": _json_value(result.record.measured_days),
        "salessim_version": __version__,
        "kpis": {name: _json_value(value) for name, value in result.kpis.items()},
    }


def write_kpis_json(result: RunResult, path: Path) -> Path:
    """Write :func:`kpis_json` to ``path`` as strict, indented JSON."""
    path = Path(path)
    text = json.dumps(kpis_json(result), indent=2, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _csv_cell(value: object) -> object:
    """Unknown values (``None``, NaN) are empty cells; everything else is written as it is."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def write_timeseries_csv(result: RunResult, path: Path) -> Path:
    """Write the monthly rows to ``path`` as CSV, one row per month.

    Columns are the first row's keys in order, then any key first seen in a later row.
    Unknown values (NaN) are empty cells. With no complete month the file is empty.
    """
    path = Path(path)
    columns: dict[str, None] = {}
    for row in result.monthly:
        columns.update(dict.fromkeys(row))
    with path.open("w", newline="", encoding="utf-8") as file:
        if not columns:
            return path
        writer = csv.DictWriter(file, fieldnames=list(columns), restval="")
        writer.writeheader()
        for row in result.monthly:
            writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return path


FORECAST_COLUMNS = (
    "quarter",
    "new_arr_forecast",
    "new_arr_actual",
    "churn_forecast",
    "churn_actual",
)


def write_forecast_csv(result: RunResult, path: Path) -> Path:
    """Write the pipeline forecast of each whole quarter and what happened, one row each.

    The columns are ``FORECAST_COLUMNS`` (``RunResult.forecast_by_quarter``); a run with
    no whole quarter measured writes the header only.
    """
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(FORECAST_COLUMNS))
        writer.writeheader()
        for row in result.forecast_by_quarter:
            writer.writerow({key: _csv_cell(row[key]) for key in FORECAST_COLUMNS})
    return path


def write_event_tables(result: RunResult, directory: Path) -> list[Path]:
    """Write the event log to ``directory``, one CSV per event kind (``rep_left.csv``).

    Each file has its kind's columns and one row per event; a kind that never happened
    gets a file with its header only. Unknown values are empty cells.

    Raises:
        ValueError: the run was simulated without ``record_events``.
    """
    if result.events is None:
        raise ValueError("this run kept no event log; simulate it with record_events=True")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, table in result.events.items():
        path = directory / f"{kind}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(list(table))
            for row in zip(*table.values(), strict=True):
                writer.writerow([_csv_cell(value) for value in row])
        written.append(path)
    return written
