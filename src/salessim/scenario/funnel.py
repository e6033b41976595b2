"""The funnel: stages, who works them, work and lag, conversion, routes and patience."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from salessim.scenario.base import Elasticity, Frozen, Probability, Role
from salessim.scenario.dists import Dist, PositiveDist
from salessim.scenario.limits import MIN_STAGE_DAYS


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
    """The stages a lead passes through, in order.

    Stages may loop back through ``next`` or ``routes`` (rework), but a loop must be one
    a lead can leave and that takes time: a loop with no way out, or whose stages all
    have work and lag under a second, is refused (its run could not end).
    """

    stages: list[Stage] = Field(default_factory=_default_stages, min_length=1)
    conversion: Conversion = Conversion()

    @property
    def closing_roles(self) -> tuple[Role, ...]:
        """The roles that work a stage whose conversion wins the deal (in role order)."""
        last = len(self.stages) - 1
        closing = {
            stage.role
            for index, stage in enumerate(self.stages)
            if stage.next == Outcome.WON.value or (stage.next is None and index == last)
        }
        return tuple(role for role in Role if role in closing)

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

    @model_validator(mode="after")
    def _loops_end(self) -> Funnel:
        """Refuse a loop of stages that no lead can leave, or that takes no time."""
        graph = _StageGraph(self.stages)
        for loop in graph.closed_loops():
            raise ValueError(
                f"{_named(self.stages, loop)} and no lead can leave it: give a stage in "
                "it a convert below 1 or a route out"
            )
        for loop in graph.instant_loops():
            raise ValueError(
                f"{_named(self.stages, loop)} and a lead goes round it in no time (work and "
                "lag under a second, or a needs_specialist stage that other deals skip), so "
                "it could go round without end: give a stage in it some work"
            )
        return self

    def index(self, name: str) -> int:
        """The position of the named stage."""
        return [s.name for s in self.stages].index(name)


class _StageGraph:
    """Where a lead can move from each stage (by position), and which moves take no time."""

    def __init__(self, stages: list[Stage]) -> None:
        position = {stage.name: i for i, stage in enumerate(stages)}
        self.possible: list[set[int]] = []  # stages a lead may move to from each stage
        self.closes: list[bool] = []  # whether a lead may close (reach an outcome) there
        self.instant: list[set[int]] = []  # the moves that take no time
        for i, stage in enumerate(stages):
            following = i + 1 if i + 1 < len(stages) else None  # None: an outcome
            success = position.get(stage.next) if stage.next else following
            if stage.routes is not None:
                targets = [position.get(name) for name, p in stage.routes.items() if p > 0]
                closes = None in targets or sum(stage.routes.values()) < 1
            else:
                targets = [success] if stage.convert > 0 else []
                closes = success is None or stage.convert < 1
            skip = [success] if stage.when is When.NEEDS_SPECIALIST else []
            moves = {t for t in targets + skip if t is not None}
            takes_time = stage.work.mean + stage.lag.mean >= MIN_STAGE_DAYS
            self.possible.append(moves)
            self.closes.append(closes or None in skip)
            self.instant.append({t for t in skip if t is not None} if takes_time else moves)

    def closed_loops(self) -> list[list[int]]:
        """Loops no lead can leave: every move from them stays inside, none closes."""
        return [
            loop
            for loop in _loops(self.possible)
            if not any(self.closes[i] for i in loop)
            and all(target in loop for i in loop for target in self.possible[i])
        ]

    def instant_loops(self) -> list[list[int]]:
        """Loops a lead can go round without time passing."""
        return _loops(self.instant)


def _loops(moves: list[set[int]]) -> list[list[int]]:
    """The strongly connected sets of stages that hold a loop, each in stage order."""
    reach = [_reachable(moves, i) for i in range(len(moves))]
    found: list[list[int]] = []
    seen: set[int] = set()
    for i in range(len(moves)):
        if i not in seen and i in reach[i]:
            loop = sorted(j for j in reach[i] if i in reach[j])
            seen.update(loop)
            found.append(loop)
    return found


def _reachable(moves: list[set[int]], start: int) -> set[int]:
    """Every stage reachable from ``start`` in one move or more."""
    found: set[int] = set()
    stack = list(moves[start])
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(moves[node] - found)
    return found


def _named(stages: list[Stage], loop: list[int]) -> str:
    """``stage 'a' loops to itself`` or ``stages 'a', 'b' form a loop``."""
    names = ", ".join(repr(stages[i].name) for i in loop)
    return f"stage {names} loops to itself" if len(loop) == 1 else f"stages {names} form a loop"
