"""The briefing explains: an opening screen, pay against market, leads gone cold, one screen."""

from __future__ import annotations

import io

import pytest
from rich.console import Console, Group

from salessim.cli.game import (
    _header,
    _printable,
    _story,
    briefing_view,
    indicator_table,
    roster_table,
)
from salessim.game.briefing import LARGE_ROSTER, is_star, risks, roster_summary
from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import PAID, ROOT

EXERCISES = ("first_team", "pay_plan_redesign", "retention_crisis")


def _exercise(name: str):
    return load_scenario(ROOT / "scenarios" / "game" / f"{name}.yaml")


def _lines(*parts) -> list[str]:
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    console.print(Group(*parts))
    return console.export_text().rstrip("\n").split("\n")


@pytest.mark.parametrize("name", EXERCISES)
def test_the_opening_screen_tells_the_exercise(name: str):
    """The first briefing carries the exercise's situation and goals; later ones do not."""
    scenario = _exercise(name)
    told = scenario.game.briefing
    assert told.situation and told.goals and told.learning_goals
    session = GameSession(scenario, 0)
    exercise = session.briefing().exercise
    assert exercise is not None
    assert exercise.name == scenario.meta.name
    assert exercise.situation == " ".join(told.situation.split())
    assert exercise.goals == told.goals
    assert exercise.learning_goals == told.learning_goals
    text = " ".join(" ".join(_lines(briefing_view(session.briefing()))).split())
    assert "Your goals" in text and "What this exercise teaches" in text
    assert told.goals[0] in text
    assert session.advance({}).exercise is None


def test_a_scenario_without_a_briefing_opens_with_its_meta():
    """Without ``game.briefing``, the opening screen tells the scenario's description and goals."""
    session = GameSession(PAID, 0)
    exercise = session.briefing().exercise
    assert exercise is not None
    assert exercise.situation == " ".join(PAID.meta.description.split())
    assert exercise.goals == []
    assert exercise.learning_goals == PAID.meta.learning_goals


def test_the_roster_shows_pay_against_market():
    """Each rep's pay over its role's market pay: the crisis company pays AEs under market."""
    scenario = _exercise("retention_crisis")
    briefing = GameSession(scenario, 0).briefing()
    for row in briefing.roster:
        market = scenario.roles.of(row.role).market_pay
        assert row.pay_vs_market == pytest.approx(row.pay / market)
    assert all(row.pay_vs_market < 1 for row in briefing.roster if row.role.value == "ae")


def test_leads_gone_cold_are_the_turns():
    """The briefing counts the leads that went cold in the turn just played, none at the start."""
    session = GameSession(_exercise("first_team"), 0)
    assert session.briefing().leads_gone_cold is None
    rows_before = len(session.recording.record.monthly)
    briefing = session.advance({})
    turn_rows = session.recording.record.monthly[rows_before:]
    assert len(turn_rows) == 3
    assert briefing.leads_gone_cold == round(sum(float(r["leads_gone_cold"]) for r in turn_rows))
    assert briefing.leads_gone_cold > 0
    text = " ".join(_lines(briefing_view(briefing)))
    assert f"leads gone cold in {briefing.period}: {briefing.leads_gone_cold}" in text


def test_a_large_roster_is_summarised_with_the_at_risk_first():
    """Over 15 reps: one line per role, then the reps at risk (an offer first), then stars."""
    session = GameSession(_exercise("retention_crisis"), 0)
    briefing = session.advance({})
    assert len(briefing.roster) > LARGE_ROSTER
    roles, notable = roster_summary(briefing)
    assert sum(role.reps for role in roles) == len(briefing.roster)
    assert briefing.offers  # the AE's competing offer of the first turn waits for an answer
    offered = next(iter(briefing.offers))
    flags = [(bool(risks(row, briefing.offers)), is_star(row)) for row in notable]
    groups = [0 if risk and star else 1 if risk else 2 for risk, star in flags]
    assert groups == sorted(groups)
    assert notable[0].rep == offered or (is_star(notable[0]) and risks(notable[0], {}))
    assert all(risk or star for risk, star in flags)
    shown = _lines(roster_table(_printable(briefing)))
    assert shown[0].startswith(f"Team ({len(briefing.roster)} reps, by role)")
    assert len(shown) <= 16


def test_a_small_roster_is_listed_rep_by_rep():
    """Up to 15 reps, every rep has its own line, with its pay against market."""
    briefing = GameSession(_exercise("first_team"), 0).briefing()
    shown = _lines(roster_table(_printable(briefing)))
    assert "Pay/mkt" in shown[1]
    for row in briefing.roster:
        assert any(line.split()[:1] == [str(row.rep)] and "1.00x" in line for line in shown)


@pytest.mark.parametrize("name", EXERCISES)
def test_the_figures_and_the_story_fit_one_screen(name: str):
    """On the autopilot's game, each turn's header, figures and story fit 80 x 40."""
    session = GameSession(_exercise(name), 0)
    while not session.finished:
        briefing = _printable(session.advance({}))
        lines = _lines(_header(briefing), indicator_table(briefing), _story(briefing))
        assert len(lines) <= 40, "\n".join(lines)
        assert max(len(line.rstrip()) for line in lines) <= 80
