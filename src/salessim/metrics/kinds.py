"""How to read each KPI: its unit, and which way is better.

Defined once, here, for every name in ``KPI_DEFINITIONS`` (and ``stage_conversion_<stage>``):
reports format a KPI by its unit (``$53.6M``, ``22.8%``, ``63.0 days``) and colour a
change by its direction; the chance an arm is best follows the direction too. A KPI no
direction fits (utilisation, headcount, hires) is ``Better.NEITHER``: a change in it is
neither good nor bad on its own.
"""

from __future__ import annotations

from enum import StrEnum

from salessim.metrics.kpis import PAY_COMPONENTS, ROLES
from salessim.metrics.people import EXIT_KINDS
from salessim.scenario.people import MANAGER_ACTIVITIES


class Unit(StrEnum):
    """What a KPI's number counts."""

    MONEY = "money"  # dollars
    SHARE = "share"  # a fraction, read as a percentage; a change in points
    COUNT = "count"
    DAYS = "days"
    MONTHS = "months"
    HOURS = "hours"
    NUMBER = "number"  # anything else: an average, a rate per day, a score


class Better(StrEnum):
    """Which way a KPI should move."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


U, B = Unit, Better
_PER_ROLE: dict[str, tuple[Unit, Better]] = {
    "utilisation": (U.SHARE, B.NEITHER),
    "mean_wait_days": (U.DAYS, B.LOWER),
    "queue_length_mean": (U.NUMBER, B.LOWER),
    "headcount_mean": (U.NUMBER, B.NEITHER),
    "ramped_capacity": (U.NUMBER, B.HIGHER),
    "attrition_rate": (U.SHARE, B.LOWER),
    "tenure_at_exit_months_mean": (U.MONTHS, B.NEITHER),
    "attainment_median": (U.SHARE, B.HIGHER),
    "share_at_quota_ramped": (U.SHARE, B.HIGHER),
    "period_attainment_p10": (U.SHARE, B.HIGHER),
    "period_attainment_median": (U.SHARE, B.HIGHER),
    "period_attainment_p90": (U.SHARE, B.HIGHER),
    "period_share_at_quota": (U.SHARE, B.HIGHER),
}
KINDS: dict[str, tuple[Unit, Better]] = {
    "measured_days": (U.DAYS, B.NEITHER),
    "leads_created": (U.COUNT, B.HIGHER),
    "leads_inbound": (U.COUNT, B.HIGHER),
    "leads_outbound": (U.COUNT, B.HIGHER),
    "leads_referral": (U.COUNT, B.HIGHER),
    "leads_gone_cold": (U.COUNT, B.LOWER),
    "leads_disqualified": (U.COUNT, B.NEITHER),
    "leads_open_end": (U.COUNT, B.NEITHER),
    "opportunities_created": (U.COUNT, B.HIGHER),
    "deals_won": (U.COUNT, B.HIGHER),
    "deals_lost": (U.COUNT, B.NEITHER),
    "win_rate": (U.SHARE, B.HIGHER),
    "sales_cycle_days_median": (U.DAYS, B.LOWER),
    "sales_cycle_days_mean": (U.DAYS, B.LOWER),
    "price_realised": (U.SHARE, B.HIGHER),
    "price_realised_quarter_end": (U.SHARE, B.HIGHER),
    "lead_response_days_mean": (U.DAYS, B.LOWER),
    "bookings_new_arr": (U.MONEY, B.HIGHER),
    "bookings_expansion_arr": (U.MONEY, B.HIGHER),
    "expansion_share": (U.SHARE, B.NEITHER),
    "churned_arr": (U.MONEY, B.LOWER),
    "contraction_arr": (U.MONEY, B.LOWER),
    "starting_arr": (U.MONEY, B.NEITHER),
    "ending_arr": (U.MONEY, B.HIGHER),
    "customers_start": (U.COUNT, B.NEITHER),
    "customers_end": (U.COUNT, B.HIGHER),
    "new_logos": (U.COUNT, B.HIGHER),
    "churned_logos": (U.COUNT, B.LOWER),
    "grr": (U.SHARE, B.HIGHER),
    "nrr": (U.SHARE, B.HIGHER),
    "logo_churn_rate": (U.SHARE, B.LOWER),
    "pipeline_open_end": (U.COUNT, B.HIGHER),
    "pipeline_value_end": (U.MONEY, B.HIGHER),
    "open_leads_mean": (U.NUMBER, B.NEITHER),
    "lead_arrival_rate_per_day": (U.NUMBER, B.NEITHER),
    "lead_days_in_funnel_mean": (U.DAYS, B.LOWER),
    **{f"{kpi}_{role}": kind for kpi, kind in _PER_ROLE.items() for role in ROLES},
    **{
        f"attrition_{kind}_rate": (U.SHARE, B.NEITHER if kind == "promoted" else B.LOWER)
        for kind in EXIT_KINDS
    },
    "hires": (U.COUNT, B.NEITHER),
    "exits": (U.COUNT, B.LOWER),
    "time_to_fill_days_mean": (U.DAYS, B.LOWER),
    "tenure_months_median": (U.MONTHS, B.NEITHER),
    "hiring_cost": (U.MONEY, B.LOWER),
    "exit_cost": (U.MONEY, B.LOWER),
    "training_cost": (U.MONEY, B.LOWER),
    "recognition_cost": (U.MONEY, B.LOWER),
    "replacement_cost_per_exit": (U.MONEY, B.LOWER),
    **{f"manager_hours_share_{a}": (U.SHARE, B.NEITHER) for a in MANAGER_ACTIVITIES},
    "coaching_hours_per_rep_month": (U.HOURS, B.NEITHER),
    "span_of_control": (U.NUMBER, B.NEITHER),
    "manager_time_used": (U.SHARE, B.NEITHER),
    "coaching_shortfall": (U.SHARE, B.LOWER),
    "ability_mean_start": (U.NUMBER, B.HIGHER),
    "ability_mean_end": (U.NUMBER, B.HIGHER),
    "ability_mean_hires": (U.NUMBER, B.HIGHER),
    "ability_mean_leavers": (U.NUMBER, B.LOWER),
    "morale_mean": (U.NUMBER, B.HIGHER),
    "plans_started": (U.COUNT, B.NEITHER),
    "plans_failed": (U.COUNT, B.LOWER),
    "comp_cost": (U.MONEY, B.LOWER),
    **{f"comp_cost_{who}": (U.MONEY, B.LOWER) for who in (*ROLES, "manager")},
    **{f"comp_cost_{component}": (U.MONEY, B.LOWER) for component in PAY_COMPONENTS},
    "variable_pay": (U.MONEY, B.LOWER),
    "cost_of_sales": (U.SHARE, B.LOWER),
    "effective_commission_rate": (U.SHARE, B.LOWER),
    "revenue": (U.MONEY, B.HIGHER),
    "people_spend": (U.MONEY, B.LOWER),
    "contribution": (U.MONEY, B.HIGHER),
    "forecast_error_new_arr": (U.SHARE, B.LOWER),
    "forecast_error_churn": (U.SHARE, B.LOWER),
}
"""Unit and direction of every KPI by name; ``stage_conversion_<stage>`` is a share, higher."""
STAGE_CONVERSION = "stage_conversion_"
_UNKNOWN = (U.NUMBER, B.NEITHER)


def kind_of(name: str) -> tuple[Unit, Better]:
    """A KPI's unit and direction (a name not known is a plain number, neither way)."""
    if name.startswith(STAGE_CONVERSION):
        return U.SHARE, B.HIGHER
    return KINDS.get(name, _UNKNOWN)


def unit_of(name: str) -> Unit:
    """A KPI's unit."""
    return kind_of(name)[0]


def better(name: str) -> Better:
    """Which way a KPI should move."""
    return kind_of(name)[1]


def is_good(name: str, change: float) -> bool | None:
    """Whether ``change`` in the KPI is good news (None: neither, or no change)."""
    direction = better(name)
    if direction is Better.NEITHER or change == 0:
        return None
    return (change > 0) == (direction is Better.HIGHER)
