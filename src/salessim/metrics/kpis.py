"""KPIs: pure functions of a run's record, with stable snake_case names.

``KPI_DEFINITIONS`` documents every name; ``docs/model.md`` lists them and a test
checks the two agree. Rates that cannot be computed (no deals closed, no complete year)
are NaN, never 0.
"""

from __future__ import annotations

import statistics

from salessim.metrics.record import Record

NAN = float("nan")
ROLES = ("sdr", "ae", "specialist", "csm")

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
    "grr": "Gross revenue retention: mean over complete measured years of "
    "(start ARR - churn - contraction of that year's starting accounts) / start ARR.",
    "nrr": "Net revenue retention: as grr, plus expansion of the starting accounts.",
    "logo_churn_rate": "Mean over complete years of starting accounts lost / starting accounts.",
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
}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else NAN


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else NAN


def compute(record: Record) -> dict[str, float]:
    """Every KPI of ``record``, plus one ``stage_conversion_<stage>`` per stage."""
    r = record
    closed = r.closed_by_status
    won, lost = closed.get("won", 0), closed.get("lost", 0)
    created = sum(r.leads_by_source.values())
    years = [y for y in r.years if y.complete and y.start_arr > 0]
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
        "sales_cycle_days_median": statistics.median(r.cycle_days) if r.cycle_days else NAN,
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
        "grr": _mean(
            [(y.start_arr - y.churned_arr - y.contraction_arr) / y.start_arr for y in years]
        ),
        "nrr": _mean(
            [
                (y.start_arr - y.churned_arr - y.contraction_arr + y.expansion_arr) / y.start_arr
                for y in years
            ]
        ),
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
        kpis[f"stage_conversion_{name}"] = _ratio(converted, done)
    return kpis


def _deal_stages(r: Record) -> list[int]:
    return [i for i, role in enumerate(r.stage_roles) if role != "sdr"]


def _pipeline_count(r: Record) -> float:
    return float(sum(r.pipeline_count_end[i] for i in _deal_stages(r)))


def _pipeline_value(r: Record) -> float:
    return max(0.0, float(sum(r.pipeline_value_end[i] for i in _deal_stages(r))))
