"""The leaderboard: each team's game scored against the autopilot's on the class seed.

A team's score after ``t`` turns is :func:`salessim.game.scoring.scorecard` of its
measures against the autopilot's game played to the same turn (100 = par). The
autopilot's measures are worked out once per turn for the whole class (the store's
``yardsticks``), never once per team.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from salessim.classroom.records import Standing
from salessim.classroom.rows import Source, TeamRow, TurnRow
from salessim.game.scoring import scorecard

PAR = 100.0  # the autopilot's score, and every team's before a turn is played


def leaderboard(
    teams: Sequence[TeamRow],
    turns: Sequence[TurnRow],
    yardstick: Callable[[int], Mapping[str, float]],
    weights: Mapping[str, float],
) -> list[Standing]:
    """Every team's standing, best first (ties by name).

    Args:
        teams: the class's teams.
        turns: every played turn of every team.
        yardstick: the autopilot's measures after a number of turns.
        weights: the scenario's scoring weights.
    """
    played: dict[int, list[TurnRow]] = {team.id: [] for team in teams}
    for row in turns:
        played[row.team].append(row)
    total = sum(weights.values())
    standings = []
    for team in teams:
        rows = sorted(played[team.id], key=lambda row: row.turn)
        bots = sum(row.source is Source.BOT for row in rows)
        if not rows:
            par = {name: PAR * weight / total for name, weight in weights.items()}
            standings.append(Standing(team.name, PAR, par, 0, 0))
            continue
        card = scorecard(rows[-1].measures, yardstick(len(rows)), weights)
        points = {line.indicator: line.points for line in card.lines}
        standings.append(Standing(team.name, card.total, points, len(rows), bots, card.penalty))
    return sorted(standings, key=lambda standing: (-standing.score, standing.team))
