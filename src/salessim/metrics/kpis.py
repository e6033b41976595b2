"""KPIs: pure functions of a run's record, with stable snake_case names.

``KPI_DEFINITIONS`` documents every name; ``docs/model.md`` lists them and a test
checks the two agree. Rates that cannot be computed (no deals closed, no complete year,
no staff, no leavers) are NaN, never 0.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from salessim.metrics.forecast import FORECAST_KPIS, forecast_kpis
from salessim.metrics.people import EXIT_KINDS
from salessim.metrics.record import PayRecord, PeopleRecord, Record
from salessim.metrics.value import book_and_pipeline
from salessim.scenario.pay_components import ComponentKind
from salessim.scenario.people import MANAGER_ACTIVITIES
from salessim.scenario.units import DAYS_PER_MONTH, DAYS_PER_YEAR

NAN = float("nan")
ROLES = ("sdr", "ae", "specialist", "csm")
PAY_COMPONENTS = tuple(kind.value for kind in ComponentKind)

KPI_DEFINITIONS: dict[str, str] = {
    "measured_days": "Length of the measured period (after warm-up), days.",
    "leads_created": "Leads created in the period, all sources.",
    "leads_inbound": "Inbound leads created.",
    "leads_outbound": "Outbound leads prospected by SDRs.",
    "leads_referral": "Leads referred by customers.",
    "leads_gone_cold": "Leads that waited in a queue past their patience.",
    "leads_disqualified": "Leads an SDR stage did not qualify.",
    "leads_open_end": "Leads still in the funnel at the end.",
    "opportunities_created": "Leads that reached their first AE stage (became deals).",
    "deals_won": "Deals closed won.",
    "deals_lost": "Deals closed lost.",
    "win_rate": "deals_won / (deals_won + deals_lost).",
    "sales_cycle_days_median": "Median days from opportunity creation to closed won.",
    "sales_cycle_days_mean": "Mean days from opportunity creation to closed won.",
    "price_realised": "ARR of deals won / their list value: the price after discounts "
    "and concessions for signing early.",
    "price_realised_quarter_end": "price_realised of the deals won in the last two of a "
    "fiscal quarter's 13 weeks.",
    "lead_response_days_mean": "Mean days a lead waited for an SDR (zero waits included).",
    "bookings_new_arr": "ARR of deals won (new logos).",
    "bookings_expansion_arr": "ARR added by existing accounts growing at renewal.",
    "expansion_share": "bookings_expansion_arr / (bookings_new_arr + bookings_expansion_arr).",
    "churned_arr": "ARR lost with accounts that left.",
    "contraction_arr": "ARR lost by accounts that renewed smaller.",
    "starting_arr": "ARR of the customer book when measuring starts.",
    "ending_arr": "ARR of the customer book at the end.",
    "customers_start": "Accounts when measuring starts.",
    "customers_end": "Accounts at the end.",
    "new_logos": "Accounts won in the period.",
    "churned_logos": "Accounts lost in the period.",
    "grr": "Gross revenue retention: mean over complete measured years of the ARR the "
    "year's starting accounts kept, each at most its ARR at the start (0 if it left), over "
    "their ARR at the start; on [0, 1].",
    "nrr": "Net revenue retention: mean over complete measured years of the ARR of the "
    "year's starting accounts at its end (expansion included) over their ARR at its start.",
    "logo_churn_rate": "Mean over complete measured years of the year's starting accounts "
    "that left / its starting accounts.",
    "pipeline_open_end": "Open deals (leads past qualification) at the end.",
    "pipeline_value_end": "Value of open deals at the end.",
    "open_leads_mean": "Time-average number of open leads (L in Little's law).",
    "lead_arrival_rate_per_day": "Leads created per day (lambda in Little's law).",
    "lead_days_in_funnel_mean": "Mean days from creation to close of leads created and closed "
    "in the period (W in Little's law).",
    **{f"utilisation_{r}": f"Share of {r} selling time spent working queued items." for r in ROLES},
    **{
        f"mean_wait_days_{r}": f"Mean days an item waited for a {r} (zero waits included)."
        for r in ROLES
    },
    **{f"queue_length_mean_{r}": f"Time-average number of items waiting for a {r}." for r in ROLES},
    **{f"headcount_mean_{r}": f"Time-average {r} reps employed, bootcamp included." for r in ROLES},
    **{
        f"ramped_capacity_{r}": f"Time-average ramped {r} FTE (sum of productivity)." for r in ROLES
    },
    **{
        f"attrition_rate_{r}": f"Exits of {r} reps per year over their mean headcount "
        "(voluntary and involuntary)."
        for r in ROLES
    },
    **{
        f"tenure_at_exit_months_mean_{r}": f"Mean tenure of the {r} reps who left the role "
        "(promotions too), months."
        for r in ROLES
    },
    **{
        f"attainment_median_{r}": f"Median trailing-12-month attainment of the {r} reps at "
        "the end whose attainment is known."
        for r in ROLES
    },
    **{
        f"share_at_quota_ramped_{r}": f"Share of fully ramped {r} reps at the end with known "
        "attainment that are at or above quota (attainment >= 1)."
        for r in ROLES
    },
    **{
        f"attrition_{kind}_rate": f"{kind.capitalize()} exits per year over mean total headcount"
        + {
            "regretted": " (a subset of voluntary).",
            "promoted": " (out of the role; not attrition).",
        }.get(kind, ".")
        for kind in EXIT_KINDS
    },
    "hires": "Reps hired in the period, all roles.",
    "exits": "Reps who left in the period, all roles, voluntary and involuntary.",
    "time_to_fill_days_mean": "Mean days from a requisition opening to the hire.",
    "tenure_months_median": "Median tenure of the reps employed at the end, months.",
    "hiring_cost": "Cost of the hires made in the period.",
    "exit_cost": "Severance paid for the reps let go in the period.",
    "training_cost": "Cost of the training held in the period.",
    "recognition_cost": "Cost of the recognition awards given in the period.",
    "replacement_cost_per_exit": "(hiring_cost + exit_cost) / exits.",
    **{
        f"manager_hours_share_{a}": f"Share of all manager hours spent on {a.replace('_', ' ')}."
        for a in MANAGER_ACTIVITIES
    },
    "coaching_hours_per_rep_month": "Hours of coaching per rep-month employed, all roles.",
    "span_of_control": "Mean over month ends of reps employed per first-line manager.",
    "manager_time_used": "Share of the managers' working hours their duties and coaching took.",
    "coaching_shortfall": "Share of the coaching time asked for that managers' duties left out.",
    "ability_mean_start": "Mean latent ability of the reps employed when measuring starts, "
    "each over its role's mean (1: typical).",
    "ability_mean_end": "ability_mean_start of the reps employed at the end.",
    "ability_mean_hires": "Mean relative latent ability of the reps hired in the period.",
    "ability_mean_leavers": "Mean relative latent ability of the reps who left in the period.",
    "morale_mean": "Mean over months of the reps' mean morale (on [-1, 1]).",
    "plans_started": "Performance plans started in the period.",
    "plans_failed": "Performance plans that ended without the rep restored.",
    "comp_cost": "Pay in the measured period, all roles and components (NaN without plans).",
    **{f"comp_cost_{r}": f"Pay to the {r} role." for r in (*ROLES, "manager")},
    **{f"comp_cost_{c}": f"Pay from {c} lines." for c in PAY_COMPONENTS},
    "variable_pay": "Pay other than base salary.",
    "cost_of_sales": "comp_cost / (bookings_new_arr + bookings_expansion_arr).",
    "effective_commission_rate": "variable_pay / (bookings_new_arr + bookings_expansion_arr).",
    **{
        f"period_attainment_{q}_{r}": f"{name} attainment of {r} quota periods closed in the "
        "measured period, whole, fully ramped and run to their end."
        for r in ROLES
        for q, name in (
            ("p10", "10th percentile"),
            ("median", "Median"),
            ("p90", "90th percentile"),
        )
    },
    **{
        f"period_share_at_quota_{r}": f"Share of whole, ramped {r} quota periods at or above quota."
        for r in ROLES
    },
    "revenue": "Revenue earned in the measured period: ARR over time (a straight line between "
    "month ends) times the years it covers.",
    "people_spend": "comp_cost + hiring, exit, training and recognition costs (NaN without plans).",
    **FORECAST_KPIS,
    "contribution": "revenue - people_spend + the book and open pipeline left at the end, "
    "valued as the game values them: ending_arr x game.book_years + the value of every open "
    "lead and deal x win_rate (NaN without plans).",
}


STAGE_CONVERSION = "stage_conversion_"
"""The prefix of each stage's conversion KPI: ``stage_conversion_<stage>``."""


def kpi_names(stage_names: Sequence[str]) -> list[str]:
    """Every KPI a run reports when its funnel has these stages."""
    return [*KPI_DEFINITIONS, *(STAGE_CONVERSION + name for name in stage_names)]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else NAN


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else NAN


def _median(values: Sequence[float]) -> float:
    """``statistics.median`` of ``values``, sorting 8 bytes a value, not a list of floats.

    A long run wins many deals: sorting their cycle times as Python floats would make
    the KPIs, not the run, the peak of its memory.
    """
    if not values:
        return NAN
    ordered = np.sort(np.asarray(values, dtype=np.float64))
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (float(ordered[middle - 1]) + float(ordered[middle])) / 2


def compute(record: Record, *, book_years: float = 1.0) -> dict[str, float]:
    """Every KPI of ``record``, plus one ``stage_conversion_<stage>`` per stage.

    Args:
        record: what one run measured.
        book_years: years of ARR the book left at the end is worth in ``contribution``
            (the scenario's ``game.book_years``).
    """
    r = record
    closed = r.closed_by_status
    won, lost = closed.get("won", 0), closed.get("lost", 0)
    created = sum(r.leads_by_source.values())
    years = [y for y in r.years if y.complete]
    with_arr = [y for y in years if y.start_arr > 0]
    sdr = r.queues.get("sdr")
    kpis: dict[str, float] = {
        "measured_days": r.measured_days,
        "leads_created": created,
        "leads_inbound": r.leads_by_source.get("inbound", 0),
        "leads_outbound": r.leads_by_source.get("outbound", 0),
        "leads_referral": r.leads_by_source.get("referral", 0),
        "leads_gone_cold": closed.get("gone_cold", 0),
        "leads_disqualified": closed.get("disqualified", 0),
        "leads_open_end": r.open_leads_end,
        "opportunities_created": r.opportunities,
        "deals_won": won,
        "deals_lost": lost,
        "win_rate": _ratio(won, won + lost),
        "sales_cycle_days_median": _median(r.cycle_days),
        "sales_cycle_days_mean": _mean(r.cycle_days),
        "lead_response_days_mean": _ratio(sdr.wait_days_sum, sdr.started) if sdr else NAN,
        "bookings_new_arr": r.bookings_new_arr,
        "bookings_expansion_arr": r.bookings_expansion_arr,
        "expansion_share": _ratio(
            r.bookings_expansion_arr, r.bookings_new_arr + r.bookings_expansion_arr
        ),
        "churned_arr": r.churned_arr,
        "contraction_arr": r.contraction_arr,
        "starting_arr": r.starting_arr,
        "ending_arr": r.ending_arr,
        "customers_start": r.starting_logos,
        "customers_end": r.ending_logos,
        "new_logos": r.new_logos,
        "churned_logos": r.churned_logos,
        "grr": _mean([y.retained_arr / y.start_arr for y in with_arr]),
        "nrr": _mean([y.end_arr / y.start_arr for y in with_arr]),
        "logo_churn_rate": _mean([y.churned_logos / y.start_logos for y in years if y.start_logos]),
        "pipeline_open_end": _pipeline_count(r),
        "pipeline_value_end": _pipeline_value(r),
        "open_leads_mean": _ratio(r.open_leads_area, r.measured_days),
        "lead_arrival_rate_per_day": _ratio(created, r.measured_days),
        "lead_days_in_funnel_mean": _ratio(r.closed_time_in_funnel_days, r.closed_after_start),
    }
    for role in ROLES:
        q = r.queues.get(role)
        capacity = q.staffed_area if q else 0
        # A team busy the whole time can sum to 1 + 1e-15 in floating point.
        utilisation = _ratio(q.busy_area, capacity) if q else NAN
        kpis[f"utilisation_{role}"] = 1.0 if utilisation > 1.0 else utilisation
        kpis[f"mean_wait_days_{role}"] = _ratio(q.wait_days_sum, q.started) if q else NAN
        kpis[f"queue_length_mean_{role}"] = _ratio(q.waiting_area, r.measured_days) if q else NAN
    for name, done, converted in zip(r.stage_names, r.stage_done, r.stage_converted, strict=True):
        kpis[STAGE_CONVERSION + name] = _ratio(converted, done)
    won_list, won_arr = r.won_list_by_quarter_week, r.won_arr_by_quarter_week
    kpis["price_realised"] = _ratio(sum(won_arr), sum(won_list))
    kpis["price_realised_quarter_end"] = _ratio(sum(won_arr[-2:]), sum(won_list[-2:]))
    kpis.update(_people(r))
    kpis.update(_pay(r))
    kpis.update(_money(r, kpis, book_years))
    kpis.update(forecast_kpis(r))
    return kpis


def ability_by_year(r: Record) -> list[dict[str, float]]:
    """Mean relative latent ability by measured year: incumbents at its end, hires, leavers.

    One row per whole or part year of the measured period; NaN where nobody was hired or
    left, or no month ended in the year.
    """
    p, start = r.people, r.measured_from
    years = max(1, math.ceil(r.measured_days / DAYS_PER_YEAR - 1e-9))
    days = [float(d) for d in r.monthly_columns.get("day", ())]
    means = [float(a) for a in r.monthly_columns.get("ability_mean", ())]
    rows = []
    for year in range(years):
        lo, hi = start + year * DAYS_PER_YEAR, start + (year + 1) * DAYS_PER_YEAR

        def within(events: list[tuple[float, float]], lo: float = lo, hi: float = hi) -> float:
            return _mean([a for day, a in events if lo <= day < hi])

        ends = [a for day, a in zip(days, means, strict=True) if lo < day <= hi + 1e-6]
        rows.append(
            {
                "year": year + 1,
                "incumbents": ends[-1] if ends else NAN,
                "hires": within(p.hire_ability),
                "leavers": within(p.leaver_ability),
            }
        )
    return rows


def price_by_week(r: Record) -> list[float]:
    """Realised price against list of the deals won in each week of a fiscal quarter."""
    return [
        _ratio(arr, value)
        for arr, value in zip(r.won_arr_by_quarter_week, r.won_list_by_quarter_week, strict=True)
    ]


def _money(r: Record, kpis: dict[str, float], book_years: float) -> dict[str, float]:
    """Revenue, people spend and contribution: what the period earned, cost and left behind."""
    revenue = _revenue(r)
    costs = ("comp_cost", "hiring_cost", "exit_cost", "training_cost", "recognition_cost")
    spend = sum(kpis[name] for name in costs)
    left = book_and_pipeline(
        r.ending_arr, float(sum(r.pipeline_value_end)), kpis["win_rate"], book_years
    )
    return {"revenue": revenue, "people_spend": spend, "contribution": revenue - spend + left}


def _revenue(r: Record) -> float:
    """ARR integrated over the measured period, straight between the month ends, in years."""
    days = [float(d) for d in r.monthly_columns.get("day", ())]
    arr = [float(a) for a in r.monthly_columns.get("arr", ())]
    end = r.measured_from + r.measured_days
    points = [(r.measured_from, r.starting_arr)]
    points += [(d, a) for d, a in zip(days, arr, strict=True) if d < end]
    points.append((end, r.ending_arr))
    area = sum((b_day - a_day) * (a + b) / 2 for (a_day, a), (b_day, b) in pairwise(points))
    return area / DAYS_PER_YEAR


def _people(r: Record) -> dict[str, float]:
    """Workforce KPIs: headcount, attrition, tenure, costs, manager time, attainment."""
    p: PeopleRecord = r.people
    kpis: dict[str, float] = {}
    for role in ROLES:
        role_exits = p.exits.get(role, {})
        left = role_exits.get("voluntary", 0) + role_exits.get("involuntary", 0)
        kpis[f"headcount_mean_{role}"] = _ratio(p.headcount_area.get(role, 0.0), r.measured_days)
        kpis[f"ramped_capacity_{role}"] = _ratio(p.ramped_area.get(role, 0.0), r.measured_days)
        kpis[f"attrition_rate_{role}"] = _per_rep_year(left, p.headcount_area.get(role, 0.0))
        kpis[f"tenure_at_exit_months_mean_{role}"] = (
            _mean(p.exit_tenure_days.get(role, ())) / DAYS_PER_MONTH
        )
        known = [(a, ramped) for who, _, a, ramped in p.roster_end if who == role and a is not None]
        attained = [a for a, _ in known]
        ramped = [a for a, is_ramped in known if is_ramped]
        kpis[f"attainment_median_{role}"] = statistics.median(attained) if attained else NAN
        kpis[f"share_at_quota_ramped_{role}"] = _ratio(sum(a >= 1.0 for a in ramped), len(ramped))
    rep_days = sum(p.headcount_area.values())
    by_kind = {kind: sum(e.get(kind, 0) for e in p.exits.values()) for kind in EXIT_KINDS}
    for kind, n in by_kind.items():
        kpis[f"attrition_{kind}_rate"] = _per_rep_year(n, rep_days)
    exits = by_kind["voluntary"] + by_kind["involuntary"]
    tenures = [tenure for _, tenure, _, _ in p.roster_end]
    morale = [m for m in map(float, r.monthly_columns.get("morale_mean", ())) if not math.isnan(m)]
    kpis |= {
        "hires": sum(p.hires.values()),
        "exits": exits,
        "time_to_fill_days_mean": _mean(p.time_to_fill_days),
        "tenure_months_median": statistics.median(tenures) / DAYS_PER_MONTH if tenures else NAN,
        "hiring_cost": p.hiring_cost,
        "exit_cost": p.exit_cost,
        "training_cost": p.training_cost,
        "recognition_cost": p.recognition_cost,
        "replacement_cost_per_exit": _ratio(p.hiring_cost + p.exit_cost, exits),
        "coaching_hours_per_rep_month": _ratio(p.coaching_hours, rep_days / DAYS_PER_MONTH),
        "ability_mean_start": p.ability_start,
        "ability_mean_end": p.ability_end,
        "ability_mean_hires": _mean([a for _, a in p.hire_ability]),
        "ability_mean_leavers": _mean([a for _, a in p.leaver_ability]),
        "span_of_control": _mean(
            [float(v) for v in r.monthly_columns.get("span_of_control", ()) if v == v]
        ),
        "morale_mean": _mean(morale),
        "plans_started": p.plans_started,
        "plans_failed": p.plans_failed,
    }
    manager_hours = sum(p.manager_hours.values())
    kpis["manager_time_used"] = _ratio(manager_hours, p.manager_hours_available)
    coached = p.manager_hours.get("coaching", 0.0)
    kpis["coaching_shortfall"] = _ratio(p.coaching_asked - coached, p.coaching_asked)
    activities = [*MANAGER_ACTIVITIES, *sorted(set(p.manager_hours) - set(MANAGER_ACTIVITIES))]
    for activity in activities:
        share = _ratio(p.manager_hours.get(activity, 0.0), manager_hours)
        kpis[f"manager_hours_share_{activity}"] = share
    return kpis


def _pay(r: Record) -> dict[str, float]:
    """Compensation KPIs: cost by role and component, cost of sales, period attainment."""
    p: PayRecord = r.pay
    since = p.measured_from
    measured = [i for i, day in enumerate(p.line_day) if day >= since]
    has_plans = bool(p.line_day)
    by_role = dict.fromkeys((*ROLES, "manager"), 0.0)
    by_component = dict.fromkeys(PAY_COMPONENTS, 0.0)
    for i in measured:
        amount = p.line_amount[i]
        by_role[p.line_role[i]] += amount
        by_component[p.line_component[i]] += amount
    total = sum(by_role.values())
    variable = total - by_component[ComponentKind.BASE]
    bookings = r.bookings_new_arr + r.bookings_expansion_arr

    def known(value: float) -> float:
        return value if has_plans else NAN

    kpis = {"comp_cost": known(total), "variable_pay": known(variable)}
    kpis |= {f"comp_cost_{role}": known(value) for role, value in by_role.items()}
    kpis |= {f"comp_cost_{c}": known(value) for c, value in by_component.items()}
    kpis["cost_of_sales"] = _ratio(total, bookings) if has_plans else NAN
    kpis["effective_commission_rate"] = _ratio(variable, bookings) if has_plans else NAN
    for role in ROLES:
        attained = sorted(period_attainments(p, role))
        for name, q in (("p10", 0.1), ("median", 0.5), ("p90", 0.9)):
            kpis[f"period_attainment_{name}_{role}"] = _quantile(attained, q)
        kpis[f"period_share_at_quota_{role}"] = _ratio(
            sum(a >= 1.0 for a in attained), len(attained)
        )
    return kpis


def period_attainments(pay: PayRecord, role: str) -> list[float]:
    """Attainment (credit / quota) of each whole quota period of ``role`` closed after warm-up."""
    return [
        pay.period_credit[i] / pay.period_quota[i]
        for i, day in enumerate(pay.period_day)
        if day > pay.measured_from
        and pay.period_role[i] == role
        and pay.period_complete[i]
        and pay.period_quota[i] > 0
    ]


def _quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of sorted ``values`` (linear interpolation); NaN when empty."""
    if not values:
        return NAN
    position = q * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _per_rep_year(events: float, rep_days: float) -> float:
    """Events per rep-year: annualised count over mean headcount."""
    return _ratio(events * DAYS_PER_YEAR, rep_days)


def _deal_stages(r: Record) -> list[int]:
    return [i for i, role in enumerate(r.stage_roles) if role != "sdr"]


def _pipeline_count(r: Record) -> float:
    return float(sum(r.pipeline_count_end[i] for i in _deal_stages(r)))


def _pipeline_value(r: Record) -> float:
    return max(0.0, float(sum(r.pipeline_value_end[i] for i in _deal_stages(r))))
