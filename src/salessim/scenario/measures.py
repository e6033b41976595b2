"""What pay counts: the measures reps are credited with, and the periods pay is judged over.

A role may be credited only with its own measures (``ROLE_MEASURES``); a plan that names
none counts the role's ``DEFAULT_MEASURE``. A ratio measure's quota is a rate of what came
due (``RATIO_MEASURES``); a count measure counts things, not dollars (``COUNT_MEASURES``).
"""

from __future__ import annotations

from enum import StrEnum

from salessim.scenario.base import Role


class Period(StrEnum):
    """A quota or payout period, aligned to the fiscal year."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        """Months in one period."""
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]

    @property
    def per_year(self) -> int:
        """Periods in a year."""
        return 12 // self.months


class Measure(StrEnum):
    """What a rep is credited for."""

    MEETINGS = "meetings"  # SDR: qualified leads handed to an AE
    SQLS = "sqls"  # SDR: sourced leads the AE accepts (pass the first AE stage)
    PIPELINE_SOURCED = "pipeline_sourced"  # SDR: deal value of accepted sourced leads
    SOURCED_WON = "sourced_won"  # SDR: ARR won on sourced leads
    NEW_ARR = "new_arr"  # AE: new-logo ARR won, net of discount
    TECHNICAL_WINS = "technical_wins"  # specialist: technical stages passed
    RENEWAL_ARR = "renewal_arr"  # AE (accounts they won) or CSM: ARR renewed, up to the old
    EXPANSION_ARR = "expansion_arr"  # AE (accounts they won) or CSM: ARR growth at renewal
    GROSS_RETENTION = "gross_retention"  # CSM: ARR renewed over ARR due (a ratio)
    NET_RETENTION = "net_retention"  # CSM: ARR after renewal over ARR due (a ratio)
    ON_TIME_RENEWALS = "on_time_renewals"  # CSM: renewals prepared in time over due

    @property
    def is_ratio(self) -> bool:
        """A ratio measure's quota is a rate of what came due, known at period end."""
        return self in RATIO_MEASURES


RATIO_MEASURES = frozenset(
    {Measure.GROSS_RETENTION, Measure.NET_RETENTION, Measure.ON_TIME_RENEWALS}
)
COUNT_MEASURES = frozenset(
    {Measure.MEETINGS, Measure.SQLS, Measure.TECHNICAL_WINS, Measure.ON_TIME_RENEWALS}
)
ROLE_MEASURES: dict[Role, frozenset[Measure]] = {
    Role.SDR: frozenset(
        {Measure.MEETINGS, Measure.SQLS, Measure.PIPELINE_SOURCED, Measure.SOURCED_WON}
    ),
    Role.AE: frozenset({Measure.NEW_ARR, Measure.RENEWAL_ARR, Measure.EXPANSION_ARR}),
    Role.SPECIALIST: frozenset({Measure.TECHNICAL_WINS}),
    Role.CSM: frozenset(
        {
            Measure.RENEWAL_ARR,
            Measure.EXPANSION_ARR,
            Measure.GROSS_RETENTION,
            Measure.NET_RETENTION,
            Measure.ON_TIME_RENEWALS,
        }
    ),
    Role.MANAGER: frozenset(Measure) - RATIO_MEASURES,  # credited with the team's credit
}
DEFAULT_MEASURE: dict[Role, Measure] = {
    Role.SDR: Measure.MEETINGS,
    Role.AE: Measure.NEW_ARR,
    Role.SPECIALIST: Measure.TECHNICAL_WINS,
    Role.CSM: Measure.GROSS_RETENTION,
    Role.MANAGER: Measure.NEW_ARR,
}
