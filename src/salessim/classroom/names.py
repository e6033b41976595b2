"""The names in a class: its teams' (given when it is made) and its members' (as they join)."""

from __future__ import annotations

from salessim.classroom.errors import RefusedError

MAX_TEAMS = 200
MAX_NAME_CHARS = 60  # a team's or a member's name


def team_names(teams: int | list[str]) -> list[str]:
    """The teams' names: ``Team 1``... for a count, else the names given, checked.

    Raises:
        ValueError: no teams, more than ``MAX_TEAMS``, a name blank, too long or twice.
    """
    names = [f"Team {i}" for i in range(1, teams + 1)] if isinstance(teams, int) else list(teams)
    if not 1 <= len(names) <= MAX_TEAMS:
        raise ValueError(f"teams: a class has 1 to {MAX_TEAMS} teams, not {len(names)}")
    seen: set[str] = set()
    for raw in names:
        team = raw.strip()
        if not team or len(team) > MAX_NAME_CHARS or not team.isprintable():
            raise ValueError(f"team name {raw!r}: give 1 to {MAX_NAME_CHARS} printable characters")
        if team.casefold() in seen:
            raise ValueError(f"team name {team!r} is given twice")
        seen.add(team.casefold())
    return [team.strip() for team in names]


def member_name(member: str) -> str:
    """A member's name as given, trimmed.

    Raises:
        RefusedError: it is blank, too long or not printable.
    """
    name = member.strip() if isinstance(member, str) else ""
    if not name or len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise RefusedError(f"give your name: 1 to {MAX_NAME_CHARS} printable characters")
    return name
