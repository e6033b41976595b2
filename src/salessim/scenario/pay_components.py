"""The components that pay a plan's incentive, each in its own entry of ``components``.

- ``commission``: pay per unit of credit by attainment band within the period; a deal
  that crosses a band is split. ``threshold``: credit below it pays nothing. ``gate``:
  commission is held until attainment reaches it, then released; forfeited if never.
  ``cap``: the most it pays in a period, as a multiple of the period's target incentive.
- ``bonus``: lump sums paid once in a period when attainment reaches each tier.
- ``spif``: extra pay on credit from chosen segments, sources or technical deals.
- ``contest``: prizes for the top reps on a measure over each window.
- ``clawback``: commission on a new logo is taken back if it churns within a time.
- ``draw``: a monthly floor on incentive pay for new reps; recoverable or not.
- ``team``: pay on the credit of the whole company or the rep's manager's team.
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from salessim.scenario.base import (
    Attainment,
    Count,
    Date,
    Frozen,
    Money,
    NonNegative,
    PositiveDays,
    Probability,
)
from salessim.scenario.limits import MAX_MONTHS
from salessim.scenario.measures import Measure, Period

SourceName = Literal["inbound", "outbound", "referral"]


class Band(Frozen):
    """From attainment ``start`` on, each unit of credit pays ``rate``."""

    start: Attainment = Field(alias="from")
    rate: NonNegative

    model_config = Frozen.model_config | {"populate_by_name": True}


class Commission(Frozen):
    """Pay per unit of credit by attainment band, with a threshold, a gate and a cap."""

    rates: list[Band] = Field(min_length=1)
    measure: Measure | None = Field(default=None, description="Defaults to the quota's.")
    threshold: Attainment = Field(
        default=0.0, description="Attainment below which credit pays nothing."
    )
    gate: Attainment = Field(
        default=0.0, description="Attainment before which commission is held, not paid."
    )
    cap: NonNegative | None = Field(
        default=None, description="Most the component pays in a period, x period target incentive."
    )
    period: Period | None = Field(
        default=None, description="Judge attainment over this longer period (default: quota's)."
    )

    @model_validator(mode="after")
    def _bands_in_order(self) -> Commission:
        starts = [band.start for band in self.rates]
        if starts[0] != 0:
            raise ValueError("the first rate band must start from 0")
        if any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValueError("rate bands must start at increasing attainments")
        return self


class Tier(Frozen):
    """A bonus of ``amount`` once attainment reaches ``at``."""

    at: Attainment
    amount: Money


class Bonus(Frozen):
    """Lump sums at attainment tiers, each paid at most once a period."""

    tiers: list[Tier] = Field(min_length=1)
    period: Period | None = Field(
        default=None, description="Judge attainment over this longer period (default: quota's)."
    )

    @model_validator(mode="after")
    def _tiers_in_order(self) -> Bonus:
        if any(b.at <= a.at for a, b in itertools.pairwise(self.tiers)):
            raise ValueError("bonus tiers must be at increasing attainments")
        return self


class Spif(Frozen):
    """Extra pay on matching credit: ``per_deal`` plus ``rate`` per unit, within dates."""

    measure: Measure | None = Field(default=None, description="Defaults to the quota's.")
    segments: list[str] = Field(default_factory=list, description="Empty means every segment.")
    sources: list[SourceName] = Field(default_factory=list, description="Empty means any.")
    technical: bool | None = Field(
        default=None, description="Only deals that need (true) or skip (false) a specialist."
    )
    per_deal: Money = 0.0
    rate: NonNegative = 0.0
    start: Date | None = Field(default=None, alias="from")
    until: Date | None = None

    model_config = Frozen.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _pays_something(self) -> Spif:
        if self.per_deal == 0 and self.rate == 0:
            raise ValueError("a spif needs per_deal or rate")
        if self.start and self.until and self.until <= self.start:
            raise ValueError("a spif's until must come after its from")
        return self


class Contest(Frozen):
    """Prizes for the reps with the most credit in each window of ``every``.

    Give ranked ``prizes`` (first place first), or ``winners`` sharing an equal ``prize``.
    Only reps with some credit in the window can win; ties go to the lower rep id.
    """

    measure: Measure | None = Field(default=None, description="Defaults to the quota's.")
    every: Period = Period.QUARTER
    prizes: list[Money] = Field(default_factory=list)
    winners: Count = 0
    prize: Money = 0.0
    start: Date | None = Field(default=None, alias="from")
    until: Date | None = None

    model_config = Frozen.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _one_prize_form(self) -> Contest:
        ranked, equal = bool(self.prizes), bool(self.winners or self.prize)
        if ranked == equal:
            raise ValueError("give ranked prizes, or winners and an equal prize")
        if equal and not (self.winners and self.prize):
            raise ValueError("equal prizes need both winners and prize")
        return self

    @property
    def awards(self) -> list[float]:
        """Prize by place, first place first."""
        return list(self.prizes) if self.prizes else [self.prize] * self.winners


class Clawback(Frozen):
    """Take back ``share`` of a new logo's commission if it churns within ``within``."""

    within: PositiveDays
    share: Probability = 1.0


class Draw(Frozen):
    """For the first ``months`` on the plan, incentive pay of at least ``amount`` a month.

    A recoverable draw is an advance: what it added is taken back from later incentive
    pay. A non-recoverable draw is kept. An advance still owed when a rep leaves is
    written off.
    """

    amount: Money
    months: int = Field(ge=1, le=MAX_MONTHS)
    recoverable: bool = True


class Team(Frozen):
    """Pay on the team's credit in ``measure`` each period: ``rate`` per unit.

    ``scope`` is the whole company or the rep's manager's reps. ``split: each`` pays every
    member on the team's total; ``split: pool`` divides one pool among the plan's members.
    """

    measure: Measure
    rate: NonNegative
    scope: Literal["company", "manager"] = "company"
    split: Literal["each", "pool"] = "pool"


class ComponentKind(StrEnum):
    """What a pay statement line pays: base salary, or one of the component forms."""

    BASE = "base"
    COMMISSION = "commission"
    BONUS = "bonus"
    SPIF = "spif"
    CONTEST = "contest"
    CLAWBACK = "clawback"
    DRAW = "draw"
    TEAM = "team"


COMPONENT_KINDS = tuple(kind for kind in ComponentKind if kind is not ComponentKind.BASE)
"""The forms a plan component takes, each a key of ``Component``."""
INCENTIVE_KINDS = frozenset(
    {
        ComponentKind.COMMISSION,
        ComponentKind.BONUS,
        ComponentKind.SPIF,
        ComponentKind.CONTEST,
        ComponentKind.TEAM,
    }
)
"""The kinds that pay for results (a draw tops these up)."""


class Component(Frozen):
    """One pay component: give exactly one of the forms."""

    commission: Commission | None = None
    bonus: Bonus | None = None
    spif: Spif | None = None
    contest: Contest | None = None
    clawback: Clawback | None = None
    draw: Draw | None = None
    team: Team | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Component:
        given = [name for name in COMPONENT_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(COMPONENT_KINDS)}")
        return self

    @property
    def kind(self) -> ComponentKind:
        """The form given."""
        return next(name for name in COMPONENT_KINDS if getattr(self, name) is not None)

    @property
    def form(self) -> Frozen:
        """The given form's parameters."""
        return getattr(self, self.kind)  # type: ignore[no-any-return]
