"""The class debrief's forms: terminal lines, Markdown, one self-contained page, JSON."""

from __future__ import annotations

import json
import re

from salessim.classroom.debrief import TeamDebrief, class_debrief
from salessim.classroom.debrief_charts import bin_points
from salessim.classroom.debrief_report import skill_words
from salessim.game.scoring import Debrief, Luck, Scorecard
from tests.classroom.debrief_teams import CLASS_SEED, FIRST_TEAM, class_result, logs


def test_the_lines_rank_the_teams_and_end_with_the_questions():
    """Ranking best first with scores and luck, decisions per team, best against rest, questions."""
    found = class_result()
    said = found.lines()
    text = "\n".join(said)
    assert said[0].startswith(f"Class debrief: {FIRST_TEAM.meta.name}, class seed {CLASS_SEED}")
    ranking = [line for line in said if re.match(r"\s+\d+\s+\S", line)]
    assert [line.split()[1] for line in ranking] == [t.name.split()[0] for t in found.teams]
    for team in found.teams:
        assert f"{team.score:.1f}" in text
    assert "What the best teams did differently" in text and "coaching hours" in text
    assert said[-len(found.questions) :] == [
        f"  {i}. {q}" for i, q in enumerate(found.questions, start=1)
    ]
    assert "nan" not in text.lower()


def test_the_markdown_has_the_same_sections_and_tables():
    """Markdown: a heading per part, the ranking as a table, the questions numbered."""
    text = class_result().to_markdown()
    for heading in (
        "## Ranking, luck against skill",
        "## The decisions that mattered most",
        "## What the best teams did differently",
        "## Questions for discussion",
    ):
        assert heading in text
    assert "| Rank | Team | Score |" in text
    assert "1. What did the surge cost you in leads gone cold?" in text


def test_the_page_is_self_contained_with_its_charts(tmp_path):
    """One HTML file: inline SVG charts and style, no script, nothing fetched from elsewhere."""
    page = class_result().to_html(tmp_path / "debrief.html").read_text()
    assert page.count("<svg") == 2  # the histogram and the luck chart
    assert "<script" not in page and "<link" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for team in class_result().teams:
        assert team.name in page
    assert "Questions for discussion" in page


def test_names_are_escaped_on_the_page(tmp_path):
    """A team named like markup is shown as text, never run as markup."""
    teams = {"<script>alert(1)</script>": logs()["Sensible"][:1]}
    found = class_debrief(FIRST_TEAM, CLASS_SEED, teams, seeds=0)
    page = found.to_html(tmp_path / "debrief.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert found.lines() and "Luck seeds" in found.to_markdown()  # no luck: still readable


def test_the_json_is_plain_data_with_every_team():
    """The JSON dict dumps strictly (no NaN) and holds each team's score, luck and decisions."""
    found = class_result()
    data = json.loads(json.dumps(found.to_json(), allow_nan=False))
    assert [team["name"] for team in data["teams"]] == [t.name for t in found.teams]
    first = data["teams"][0]
    assert first["rank"] == 1 and first["score"] == found.teams[0].score
    assert first["luck"]["low"] <= first["luck"]["mean"] <= first["luck"]["high"]
    assert len(first["luck"]["margins"]) == len(data["luck_seeds"]) == 2
    assert sum(first["points"].values()) - first["penalty"] == first["score"]
    assert data["questions"] == found.questions
    assert data["spread"]["low"] <= data["spread"]["high"]
    assert {row["kind"] for row in data["best_vs_rest"]["decisions"]} >= {"hire", "forecasts"}


def test_histogram_bands_fit_the_spread():
    """Narrow spreads get narrow bands, wide ones wide bands, never more than about a dozen."""
    assert bin_points(99.0, 103.0) == 0.5
    assert bin_points(60.0, 130.0) == 10.0
    assert bin_points(0.0, 1000.0) == 50.0


def test_the_verdict_reads_the_luck_seeds_interval():
    """Above zero beyond luck, below it, across it, or too few seeds to tell."""

    def team(margins):
        return TeamDebrief("T", ({},), Debrief(Scorecard([]), [], Luck(margins, 0.0)), {})

    assert skill_words(team([3.0, 4.0, 5.0])) == "beat the autopilot beyond luck"
    assert skill_words(team([-3.0, -4.0, -5.0])) == "short of the autopilot beyond luck"
    assert skill_words(team([-5.0, 5.0, 1.0])) == "within luck of the autopilot"
    assert skill_words(team([2.0])).startswith("too few luck seeds")
