"""The funnel: stages, who works them, work and lag, conversion, routes and patience."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from salessim.scenario.base import Elasticity, Frozen, Probability, Role
from salessim.scenario.dists import Dist, PositiveDist


class Outcome(StrEnum):
    """Where a lead goes when a stage ends without a conversion."""

    LOST = "lost"
    DISQUALIFIED = "disqualified"
    WON = "won"


class When(StrEnum):
    """Which deals pass through a stage."""

    ALL = "all"
    NEEDS_SPECIALIST = "needs_specialist"


class Stage(Frozen):
    """One funnel stage: queue for a rep of ``role``, work, wait on the customer, then convert.

    A lead either converts with probability ``convert`` (scaled in odds by rep skill, lead
    fit and segment) and moves to ``next`` (default: the following stage; after the last,
    ``won``), or goes to ``on_fail``. ``routes`` replaces that with fixed routing
    probabilities to named stages or outcomes, the rest going to ``on_fail``.
    """

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    role: Role
    work: PositiveDist = Field(description="Rep work time for this stage (time at full effort).")
    lag: PositiveDist = Field(
        default_factory=lambda: Dist.model_validate(0),
        description="Customer-side delay after the work, before the outcome.",
    )
    patience: PositiveDist | None = Field(
        default=None,
        description="How long a lead waits in this stage's queue before going cold.",
    )
    convert: Probability = 1.0
    next: str | None = None
    on_fail: Outcome = Outcome.LOST
    routes: dict[str, Probability] | None = None
    when: When = When.ALL

    @model_validator(mode="after")
    def _routes_sum(self) -> Stage:
        if self.role == Role.MANAGER:
            raise ValueError("managers do not work funnel stages")
        if self.routes is not None and sum(self.routes.values()) > 1 + 1e-9:
            raise ValueError(f"routes add up to {sum(self.routes.values()):g}, more than 1")
        return self


class Conversion(Frozen):
    """How skill and fit move a stage's conversion odds."""

    skill_elasticity: Elasticity = Field(
        default=1.0, description="Odds scale with skill ** skill_elasticity."
    )
    fit_elasticity: Elasticity = Field(
        default=1.0, description="Odds scale with (fit / mean fit) ** fit_elasticity."
    )


def _default_stages() -> list[Stage]:
    def stage(name: str, role: Role, work: str, lag: float, convert: float, **kw: object) -> Stage:
        return Stage.model_validate(
            {
                "name": name,
                "role": role,
                "work": {"exponential": {"mean": work}},
                "lag": {"lognormal": {"mean": lag, "cv": 0.8}} if lag else 0,
                "convert": convert,
                **kw,
            }
        )

    return [
        stage(
            "qualification",
            Role.SDR,
            "1.5h",
            0,
            0.35,
            on_fail="disqualified",
            patience={"exponential": {"mean": "5d"}},
        ),
        stage("discovery", Role.AE, "1.5h", 7, 0.6),
        stage("demo", Role.AE, "3h", 12, 0.6),
        stage("technical_validation", Role.SPECIALIST, "4h", 7, 0.85, when="needs_specialist"),
        stage("proposal", Role.AE, "4h", 12, 0.7),
        stage("negotiation", Role.AE, "3h", 14, 0.8),
    ]


class Funnel(Frozen):
    """The stages a lead passes through, in order."""

    stages: list[Stage] = Field(default_factory=_default_stages, min_length=1)
    conversion: Conversion = Conversion()

    @model_validator(mode="after")
    def _targets_exist(self) -> Funnel:
        names = [s.name for s in self.stages]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"stage names must be unique; repeated: {', '.join(dupes)}")
        targets = set(names) | {o.value for o in Outcome}
        for s in self.stages:
            for target in ([s.next] if s.next else []) + list(s.routes or {}):
                if target not in targets:
                    raise ValueError(
                        f"stage {s.name!r} routes to {target!r}, which is neither a stage "
                        f"nor an outcome ({', '.join(sorted(targets))})"
                    )
        return self

    def index(self, name: str) -> int:
        """The position of the named stage."""
        return [s.name for s in self.stages].index(name)
