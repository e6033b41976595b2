"""The report's numbers as Markdown, for a pull request or a wiki: the same sections as the page.

The verdict first, then how many replications were run, the arms and their plans, the
comparison, any tornado and the warm-up check. Every figure arrives already written in
its unit (``report.format``); this module only lays it out.
"""

from __future__ import annotations

from typing import Any


def markdown(context: dict[str, Any]) -> str:
    """The report's context (``experiments.report``) as a Markdown document."""
    provenance = context["provenance"]
    design = context["design"]
    lines = [
        f"# {context['title']}",
        "",
        f"salessim {provenance['salessim']} · {design.replications} paired replications per arm "
        f"· root seed {design.seed} · {provenance['created']}",
        "",
    ]
    lines += _verdict(context)
    if context["precision"]:
        lines += [context["precision"], ""]
    lines += _arms(context)
    lines += _plans(context)
    lines += [
        f"## Differences against {context['reference']} (95% CI)",
        "",
        "| Metric | Arm | Mean | Difference [95% CI] | Relative | Chance best |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in context["rows"]:
        mark = " *" if row["significant"] else ""
        lines.append(
            f"| {row['label']} | {row['arm']} | {row['mean']} | {row['difference']}{mark} "
            f"| {row['relative']} | {row['best']} |"
        )
    lines += ["", "\\* the 95% CI excludes zero. Shares change in points (pts)."]
    if context["bars"]:
        lines += ["", "## Tornado", "", "| Parameter | Low | Effect | High | Effect |"]
        lines.append("|---|---|---:|---|---:|")
        lines += [
            f"| {b['parameter']} | {b['low_value']} | {b['low']} | {b['high_value']} "
            f"| {b['high']} |"
            for b in context["bars"]
        ]
    lines += ["", "## Warm-up", "", context["warmup"].verdict, ""]
    if context["failures"]:
        lines += [f"{len(context['failures'])} replication(s) failed; see failures.csv.", ""]
    lines += ["Run with: `" + "`, `".join(provenance["run_commands"]) + "`", ""]
    return "\n".join(lines)


def _verdict(context: dict[str, Any]) -> list[str]:
    if not context["verdict"]:
        return []
    headings = context["verdict_headings"]
    lines = [
        f"## Verdict against {context['reference']}",
        "",
        "| Arm | " + " | ".join(headings) + " | Call |",
        "|---|" + "---:|" * len(headings) + "---|",
    ]
    lines += [
        f"| {v['arm']} | " + " | ".join(v["cells"]) + f" | {v['per_dollar']} | **{v['call']}** |"
        for v in context["verdict"]
    ]
    lines += [""] + [f"- {v['sentence']}" for v in context["verdict"]]
    lines += [
        "",
        "Changes are paired means with 95% intervals. Contribution: revenue less people "
        "spend, plus the book and pipeline left at the end as the game values them. Adopt "
        "or reject when its interval excludes zero; otherwise unclear.",
        "",
    ]
    return lines


def _arms(context: dict[str, Any]) -> list[str]:
    lines = ["## Arms", "", "| Arm | Scenario | Hash | Finished | Failed | Scripted events |"]
    lines.append("|---|---|---|---:|---:|---|")
    lines += [
        f"| {a['name']} | {a['scenario']} | `{a['digest']}` | {a['finished']} | {a['failed']} "
        f"| {'; '.join(a['events']) or 'none'} |"
        for a in context["arms"]
    ]
    return [*lines, ""]


def _plans(context: dict[str, Any]) -> list[str]:
    if not context["plans"]:
        return []
    head = " | ".join(f"at {a} of quota" for a in context["attainments"])
    lines = ["## Pay plans", ""]
    for arm in context["plans"]:
        lines += [f"### {arm['arm']}", ""]
        if not arm["plans"]:
            lines += [f"The same plans as {context['reference']}.", ""]
            continue
        if not arm["reference"]:
            lines += [f"Where its plans differ from {context['reference']}'s:", ""]
        for plan in arm["plans"]:
            lines += [f"**{plan['title']}**", ""]
            lines += [f"- {term}" for term in plan["terms"]]
            lines += [
                "",
                f"| Pay a year | {head} |",
                "|---|" + "---:|" * len(context["attainments"]),
                "| One rep | " + " | ".join(plan["one"]) + " |",
                f"| The team of {plan['headcount']} | " + " | ".join(plan["team"]) + " |",
                "",
            ]
            if plan["left_out"]:
                lines += [f"Not in these figures: {', '.join(plan['left_out'])}.", ""]
    return lines
