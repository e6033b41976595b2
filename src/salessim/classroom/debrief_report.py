"""The class debrief in words: terminal lines, Markdown, one self-contained HTML page, data.

Every form says the same things in the same order: the spread of scores, the ranking
with each team's luck against skill, the decisions that mattered per team, what the best
teams did differently, and the exercise's questions. The page inlines its charts (SVG)
and its style, like an experiment's report, so it opens anywhere with no network.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import jinja2

from salessim import __version__
from salessim.classroom.debrief_charts import luck_chart, score_histogram
from salessim.game.scoring import indicator_label, indicator_text, summary
from salessim.report.format import MISSING, percent, printable

if TYPE_CHECKING:
    from salessim.classroom.debrief import ClassDebrief, TeamDebrief

SHOWN_INDICATORS = 5  # the indicators where the best differ most, in the terminal
SAME = 0.005  # a relative gap under this is "the same"
FIRST = frozenset({0})  # tables whose first column is text, the others numbers
RANKING_TEXT = frozenset({1, 6})  # the team and the verdict
KIND_TEXT = frozenset({0, 5})  # the decision and what its amount is in
NAMES = {
    "forecast_accuracy": "Forecast accuracy",
    "revenue": "Revenue",
    "people_spend": "People spend",
    "bookings_new_arr": "New ARR booked",
    "bookings_expansion_arr": "Expansion ARR booked",
    "churned_arr": "ARR churned",
}  # the indicators the game's debrief names only when a scenario weighs them


# ----------------------------------------------------------------------------- pieces
def spread_words(debrief: ClassDebrief) -> str:
    """The spread of scores in one sentence."""
    s = debrief.spread
    return (
        f"Scores against the autopilot's 100: lowest {s.low:.1f}, lower quartile "
        f"{s.lower_quartile:.1f}, median {s.median:.1f}, upper quartile "
        f"{s.upper_quartile:.1f}, highest {s.high:.1f}."
    )


def skill_words(team: TeamDebrief) -> str:
    """What the luck seeds say of the team's decisions: against the autopilot, beyond luck?"""
    found = team.luck
    if found is None:
        return "too few luck seeds to tell skill from luck"
    _, low, high = found
    if low > 0:
        return "beat the autopilot beyond luck"
    if high < 0:
        return "short of the autopilot beyond luck"
    return "within luck of the autopilot"


def luck_cells(team: TeamDebrief) -> tuple[str, str, str]:
    """The margin on the class seed, the mean margin on the luck seeds (95%), and luck."""
    margin = team.score - 100
    found = team.luck
    if found is None:
        return f"{margin:+.1f}", MISSING, MISSING
    mean, low, high = found
    return f"{margin:+.1f}", f"{mean:+.1f} ({low:+.1f} to {high:+.1f})", f"{margin - mean:+.1f}"


def key_words(team: TeamDebrief) -> list[str]:
    """The team's decisions that mattered most, as the game's debrief names them."""
    return [
        f"turn {key.turn}: {summary(key.decisions)} ({key.impact:+.1f} points against "
        "leaving it out)"
        for key in team.debrief.key_decisions
    ]


def _turns_note(team: TeamDebrief, debrief: ClassDebrief) -> str:
    if team.turns == debrief.turns:
        return ""
    return f" (scored at turn {team.turns} of {debrief.turns})"


def indicator_name(name: str) -> str:
    """An indicator's name, as the game's debrief says it where it says it."""
    return NAMES.get(name) or indicator_label(name)


def _better(gap: float) -> str:
    if not math.isfinite(gap):
        return MISSING
    if abs(gap) < SAME:
        return "the same"
    return f"{abs(gap):.0%} {'better' if gap > 0 else 'worse'}"


def _value(name: str, value: float) -> str:
    return indicator_text(name, value) if math.isfinite(value) else MISSING


def _often(value: float) -> str:
    return percent(value, 0) if math.isfinite(value) else MISSING


def kind_rows(debrief: ClassDebrief) -> list[list[str]]:
    """Per kind of decision: its name, the best's how often and how much, the rest's, unit."""
    return [
        [
            row.kind.name,
            _often(row.best.often),
            row.kind.show(row.best.much),
            _often(row.rest.often),
            row.kind.show(row.rest.much),
            row.kind.unit,
        ]
        for row in debrief.best_vs_rest.kinds
    ]


KIND_HEADINGS = ["Decision", "Best: turns", "Best: how much", "Rest: turns", "Rest: how much",
                 "How much is"]  # fmt: skip


def indicator_rows(debrief: ClassDebrief) -> list[list[str]]:
    """Per indicator, largest difference first: its name, the best's mean, the rest's, gap."""
    return [
        [
            indicator_name(row.indicator),
            _value(row.indicator, row.best),
            _value(row.indicator, row.rest),
            _better(row.gap),
        ]
        for row in debrief.best_vs_rest.indicators
    ]


INDICATOR_HEADINGS = ["Indicator", "Best (mean)", "Rest (mean)", "Best against rest"]


def _groups(debrief: ClassDebrief) -> str:
    found = debrief.best_vs_rest
    best = ", ".join(printable(name) for name in found.best)
    rest = f"{len(found.rest)} team{'' if len(found.rest) == 1 else 's'}"
    return f"the best (top quarter): {best}; the rest: {rest}"


def _aligned(rows: Sequence[Sequence[str]], left: frozenset[int]) -> list[str]:
    """``rows`` as aligned text: the ``left`` columns flush left, the others right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(width) if i in left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


RANKING_HEADINGS = ["Rank", "Team", "Score", "Class seed", "Luck seeds (95%)", "Luck", "Verdict"]
NO_KEY = "no decision to leave out"


def ranking_rows(debrief: ClassDebrief) -> list[list[str]]:
    """Per team, best first: rank, name, score, its luck against skill, and the verdict."""
    return [
        [
            str(rank),
            printable(team.name),
            f"{team.score:.1f}",
            *luck_cells(team),
            skill_words(team) + _turns_note(team, debrief),
        ]
        for rank, team in enumerate(debrief.teams, start=1)
    ]


def _heading(debrief: ClassDebrief) -> str:
    count = len(debrief.teams)
    return (
        f"Class debrief: {printable(debrief.exercise)}, class seed {debrief.seed}, {count} "
        f"team{'' if count == 1 else 's'}, {debrief.turns} turns, "
        f"{len(debrief.luck_seeds)} luck seeds ({debrief.replays} games replayed)."
    )


# ----------------------------------------------------------------------------- terminal
def lines(debrief: ClassDebrief) -> list[str]:
    """The debrief as plain text lines."""
    said = [_heading(debrief), spread_words(debrief), ""]
    said.append(
        "Ranking; points above the autopilot on the class seed, on the luck seeds "
        "(mean, 95% interval), and the class seed's luck:"
    )
    rows = [RANKING_HEADINGS, *ranking_rows(debrief)]
    said += [f"  {row}" for row in _aligned(rows, RANKING_TEXT)]
    said += ["", "The decisions that mattered most:"]
    for team in debrief.teams:
        keys = key_words(team) or [NO_KEY]
        said.append(f"  {printable(team.name)}: {keys[0]}")
        said += [f"    {line}" for line in keys[1:]]
    if debrief.best_vs_rest.rest:
        said += ["", f"What the best teams did differently ({_groups(debrief)}):"]
        said += [f"  {row}" for row in _aligned([KIND_HEADINGS, *kind_rows(debrief)], KIND_TEXT)]
        shown = indicator_rows(debrief)[:SHOWN_INDICATORS]
        said += ["Where their games differed most:"]
        said += [f"  {row}" for row in _aligned([INDICATOR_HEADINGS, *shown], FIRST)]
    if debrief.questions:
        said += ["", "Questions for discussion:"]
        said += [f"  {i}. {q}" for i, q in enumerate(debrief.questions, start=1)]
    return said


# ----------------------------------------------------------------------------- Markdown
def _table(
    headings: Sequence[str], rows: Sequence[Sequence[str]], left: frozenset[int]
) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return [
        "| " + " | ".join(cell(h) for h in headings) + " |",
        "|" + "|".join("---" if i in left else "---:" for i in range(len(headings))) + "|",
        *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows),
    ]


def markdown(debrief: ClassDebrief) -> str:
    """The debrief as Markdown."""
    said = [f"# {_heading(debrief).removesuffix('.')}", "", spread_words(debrief), ""]
    said += ["## Ranking, luck against skill", ""]
    said += [*_table(RANKING_HEADINGS, ranking_rows(debrief), RANKING_TEXT), ""]
    said += [
        "Points above the autopilot: on the class seed, and on the luck seeds (the same "
        "decisions on other seeds, mean and 95% interval); luck is the difference.",
        "",
        "## The decisions that mattered most",
        "",
    ]
    for team in debrief.teams:
        found = key_words(team) or [NO_KEY]
        said.append(f"- **{printable(team.name)}**: " + "; ".join(found))
    said.append("")
    if debrief.best_vs_rest.rest:
        said += ["## What the best teams did differently", "", f"Teams: {_groups(debrief)}.", ""]
        said += [*_table(KIND_HEADINGS, kind_rows(debrief), KIND_TEXT), ""]
        said += [*_table(INDICATOR_HEADINGS, indicator_rows(debrief), FIRST), ""]
    if debrief.questions:
        said += ["## Questions for discussion", ""]
        said += [f"{i}. {q}" for i, q in enumerate(debrief.questions, start=1)]
        said.append("")
    return "\n".join(said)


# ----------------------------------------------------------------------------- HTML
STYLE = """
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
         max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; }
  h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd;
       padding-bottom: .2rem; }
  .meta, .caption, .note { color: #555; }
  .caption { max-width: 60rem; }
  table { border-collapse: collapse; margin: .8rem 0; font-variant-numeric: tabular-nums; }
  th, td { padding: .25rem .7rem; border-bottom: 1px solid #eee; text-align: right; }
  th { background: #f5f5f7; }
  td.name, th.name { text-align: left; }
  td { white-space: nowrap; }
  figure { margin: .5rem 0 1.5rem; }
  svg { max-width: 100%; height: auto; }
  details { margin: .3rem 0; }
  ol.questions li { margin: .3rem 0; }
"""  # the experiment report's look (salessim/experiments/templates/report.html.j2)

PAGE = jinja2.Template(
    """<!DOCTYPE html>
{%- macro table(headings, rows, left) %}
<table>
  <tr>{% for h in headings %}<th{{ ' class="name"' | safe if loop.index0 in left }}>{{ h }}</th>
  {%- endfor %}</tr>
  {%- for row in rows %}
  <tr>{% for cell in row %}<td{{ ' class="name"' | safe if loop.index0 in left }}>{{ cell }}</td>
  {%- endfor %}</tr>
  {%- endfor %}
</table>
{%- endmacro %}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class debrief · {{ exercise }} · salessim</title>
<style>{{ style }}</style>
</head>
<body>
<h1>Class debrief: {{ exercise }}</h1>
<p class="meta">salessim {{ version }} · class seed {{ seed }} · {{ teams | length }} teams ·
{{ turns }} turns · {{ luck_seeds }} luck seeds · {{ replays }} games replayed</p>

<h2>Scores</h2>
<p>{{ spread }}</p>
<figure>{{ histogram | safe }}</figure>

<h2>Ranking, luck against skill</h2>
{{ table(ranking_headings, ranking, ranking_left) }}
<p class="caption">Points above the autopilot: on the class seed, and on the luck seeds (each
team's decisions replayed on other seeds, where they meet other customers and other luck: mean
and 95% interval). Luck is the class seed's margin less the luck seeds' mean.</p>
<figure>{{ luck_chart | safe }}</figure>

<h2>The decisions that mattered most</h2>
<p class="caption">Each decision left out in turn, the rest of the team's game replayed as it
was: the three that change the score most. Open a team for its own debrief.</p>
{% for row in teams %}
<details><summary><b>{{ row.name }}</b>: {{ row.key_decisions[0] }}</summary>
<ul>{% for key in row.key_decisions[1:] %}<li>{{ key }}</li>{% endfor %}</ul>
<pre>{{ row.debrief }}</pre>
</details>
{% endfor %}

{% if kinds %}
<h2>What the best teams did differently</h2>
<p class="caption">Teams: {{ groups }}. Turns: the share of a team's turns that held the
decision; how much: over the game, a count summed or a level averaged over the turns that set
it; each the mean over the group's teams.</p>
{{ table(kind_headings, kinds, kind_left) }}
{{ table(indicator_headings, indicators, [0]) }}
{% endif %}

{% if questions %}
<h2>Questions for discussion</h2>
<ol class="questions">{% for q in questions %}<li>{{ q }}</li>{% endfor %}</ol>
{% endif %}
</body>
</html>
""",
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def html(debrief: ClassDebrief) -> str:
    """The debrief as one self-contained HTML page (charts and style inline)."""
    shown = bool(debrief.best_vs_rest.rest)
    return PAGE.render(
        style=STYLE,
        exercise=debrief.exercise,
        version=__version__,
        seed=debrief.seed,
        turns=debrief.turns,
        luck_seeds=len(debrief.luck_seeds),
        replays=debrief.replays,
        spread=spread_words(debrief),
        histogram=score_histogram([team.score for team in debrief.teams]),
        ranking_headings=RANKING_HEADINGS,
        ranking=ranking_rows(debrief),
        ranking_left=RANKING_TEXT,
        luck_chart=luck_chart(
            [team.name for team in debrief.teams],
            [team.score - 100 for team in debrief.teams],
            [team.luck for team in debrief.teams],
        ),
        teams=[
            {
                "name": team.name,
                "key_decisions": key_words(team) or [NO_KEY],
                "debrief": "\n".join(team.debrief.lines()),
            }
            for team in debrief.teams
        ],
        groups=_groups(debrief),
        kind_headings=KIND_HEADINGS,
        kinds=kind_rows(debrief) if shown else [],
        kind_left=KIND_TEXT,
        indicator_headings=INDICATOR_HEADINGS,
        indicators=indicator_rows(debrief) if shown else [],
        questions=debrief.questions,
    )


# ----------------------------------------------------------------------------- data
def _known(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def as_data(debrief: ClassDebrief) -> dict[str, Any]:
    """The debrief as plain data for JSON: numbers raw, unknown as None."""
    spread = debrief.spread
    found = debrief.best_vs_rest
    return {
        "exercise": debrief.exercise,
        "seed": debrief.seed,
        "turns": debrief.turns,
        "luck_seeds": list(debrief.luck_seeds),
        "replays": debrief.replays,
        "spread": {
            "low": spread.low,
            "lower_quartile": spread.lower_quartile,
            "median": spread.median,
            "upper_quartile": spread.upper_quartile,
            "high": spread.high,
        },
        "teams": [_team_data(rank, team) for rank, team in enumerate(debrief.teams, start=1)],
        "best_vs_rest": {
            "best": list(found.best),
            "rest": list(found.rest),
            "decisions": [
                {
                    "kind": row.kind.name,
                    "unit": row.kind.unit,
                    "best": {"often": _known(row.best.often), "much": _known(row.best.much)},
                    "rest": {"often": _known(row.rest.often), "much": _known(row.rest.much)},
                }
                for row in found.kinds
            ],
            "indicators": [
                {
                    "indicator": row.indicator,
                    "best": _known(row.best),
                    "rest": _known(row.rest),
                    "gap": _known(row.gap),
                }
                for row in found.indicators
            ],
        },
        "questions": list(debrief.questions),
    }


def _team_data(rank: int, team: TeamDebrief) -> dict[str, Any]:
    luck = team.luck
    return {
        "rank": rank,
        "name": team.name,
        "turns": team.turns,
        "score": team.score,
        "points": {line.indicator: line.points for line in team.debrief.scorecard.lines},
        "penalty": team.debrief.scorecard.penalty,
        "luck": {
            "margin": team.score - 100,
            "margins": list(team.margins),
            "mean": None if luck is None else luck[0],
            "low": None if luck is None else luck[1],
            "high": None if luck is None else luck[2],
        },
        "key_decisions": [
            {
                "turn": key.turn,
                "decisions": dict(key.decisions),
                "impact": key.impact,
                "summary": summary(key.decisions),
            }
            for key in team.debrief.key_decisions
        ],
        "outcome": {name: _known(value) for name, value in team.outcome.items()},
        "decisions": [dict(entry) for entry in team.log],
    }
