"""A team's page and its actions: the briefing, the round, the draft, propose, submit, withdraw.

Everything is read for the team the cookie names, and only for it. A form carries the
turn it was drawn for: one posted after its round closed is refused, never played in
the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from salessim.classroom.room import RefusedError
from salessim.classroom.web import views
from salessim.classroom.web.forms import (
    BACKFILLS,
    FOCUSES,
    ROLES,
    ROUTINGS,
    Reading,
    read_form,
    typed_of,
)
from salessim.classroom.web.security import Pass
from salessim.classroom.web.site import draw, posted, round_context, site_of, team_pass, team_status
from salessim.report.format import role_label

if TYPE_CHECKING:
    from salessim.classroom.room import Check, Classroom, Status, TeamStatus

NOTICES = {
    "proposed": "Your proposal is shared with your team.",
    "submitted": "Submitted for your team. Withdraw it to change it before the deadline.",
    "withdrawn": "The submission is withdrawn: the team's draft stands until someone submits.",
}
DONE = {"propose": "proposed", "submit": "submitted", "withdraw": "withdrawn"}


@dataclass(frozen=True)
class TeamView:
    """What a team's page shows, read from the classroom in one go."""

    status: Status
    me: TeamStatus
    briefing: Any
    proposals: list[Any]
    draft: Any
    check: Check | None
    history: list[Any]


def _team_view(room: Classroom, team_id: int) -> TeamView:
    """Everything a team's page shows: its own data only."""
    status = room.status()
    me = team_status(status, team_id)
    draft = room.draft(team_id)
    check = None
    if draft is not None and not status.over and not me.finished:
        check = room.check(team_id, draft.decisions)
    return TeamView(
        status=status,
        me=me,
        briefing=room.briefing(team_id),
        proposals=room.proposals(team_id),
        draft=draft,
        check=check,
        history=room.history(team_id),
    )


@dataclass(frozen=True)
class CheckView:
    """A draft's check as the page shows it: what the form could not read comes first."""

    problems: list[str]
    projected_spend: float | None
    budget: float | None


def _status_context(view: TeamView, granted: Pass, now: float) -> dict[str, Any]:
    return {
        **round_context(view.status, now),
        "team": view.me.name,
        "member": granted.member,
        "me": view.me,
        "proposals": [(p, views.words(p.decisions)) for p in view.proposals],
    }


def _team_context(
    view: TeamView,
    granted: Pass,
    now: float,
    *,
    reading: Reading | None = None,
    problems: list[str] | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    briefing = view.briefing
    roles, notable, more = views.roster_view(briefing)
    typed = (
        reading.typed
        if reading is not None
        else (typed_of(view.draft.decisions) if view.draft is not None else {})
    )
    check = None
    if view.check is not None:
        check = CheckView(view.check.problems, view.check.projected_spend, view.check.budget)
    return {
        **_status_context(view, granted, now),
        "live": True,
        "csrf": granted.csrf,
        "open": not view.status.over and not view.me.finished,
        "notice": notice,
        "problems": problems or [],
        "briefing": briefing,
        "briefing_title": views.title(briefing),
        "figures": views.figure_rows(briefing),
        "headcount": views.headcount_line(briefing),
        "roles": roles,
        "notable": notable,
        "more": more,
        "requisitions": ", ".join(
            f"{n} {role_label(role)}" for role, n in briefing.open_requisitions.items() if n
        ),
        "pipeline_total": views.pipeline_total(briefing),
        "budget_line": views.budget_line(briefing),
        "forecast_lines": views.forecast_lines(briefing),
        "typed": typed,
        "check": check,
        "refused": None,
        "saved_by": view.draft.member if view.draft is not None else None,
        "history": [(record, views.words(record.decisions)) for record in view.history],
        "roles_all": ROLES,
        "focuses": FOCUSES,
        "routings": ROUTINGS,
        "backfills": BACKFILLS,
    }


async def page(request: Request) -> Response:
    """A team's page: status, briefing, decision form, turns played."""
    site = site_of(request)
    granted = team_pass(request)
    assert granted.team is not None
    view = await site.call(_team_view, site.room, granted.team)
    notice = NOTICES.get(request.query_params.get("done", ""))
    return draw(request, "team.html", _team_context(view, granted, site.now(), notice=notice))


async def live(request: Request) -> Response:
    """The team's round status; a page drawn for an earlier turn is told to reload."""
    site = site_of(request)
    granted = team_pass(request)
    assert granted.team is not None
    status = await site.call(site.room.status)
    me = team_status(status, granted.team)
    if request.query_params.get("turn") != str(status.round):
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    proposals = await site.call(site.room.proposals, granted.team)
    context = {
        **round_context(status, site.now()),
        "team": me.name,
        "member": granted.member,
        "me": me,
        "proposals": [(p, views.words(p.decisions)) for p in proposals],
    }
    return draw(request, "_team_status.html", context)


def _turn_of(form: Mapping[str, Any]) -> int | None:
    turn = form.get("turn")
    return int(turn) if isinstance(turn, str) and turn.isdigit() and len(turn) < 6 else None


def _same_round(room: Classroom, turn: int | None) -> None:
    """Refuse a form drawn for a round that has closed since."""
    status = room.status()
    if status.over:
        raise RefusedError("the game is over: every turn has been played")
    if turn != status.round:
        raise RefusedError(
            "the round you were deciding has closed: this is the next turn's briefing "
            "(your last draft that checked clean was played, if nobody submitted)"
        )


def _save_draft(
    room: Classroom, team: int, member: str, turn: int | None, reading: Reading
) -> tuple[Check, bool]:
    """Save the form as the team's draft if every field reads; its check, and whether saved.

    A form with a field that cannot be read is only checked: saving the rest would
    let the close play a draft the team never meant (hires typed as "lots", dropped).
    """
    _same_round(room, turn)
    if reading.problems:
        return room.check(team, reading.decisions), False
    return room.save_draft(team, member, reading.decisions), True


async def draft(request: Request) -> Response:
    """Save the form as the team's draft; answer with its check (an htmx fragment)."""
    site = site_of(request)
    granted = team_pass(request)
    form = await posted(request, granted)
    reading = read_form(form)
    context: dict[str, Any] = {"check": None, "refused": None, "saved_by": None}
    try:
        check, saved = await site.call(
            _save_draft, site.room, granted.team, granted.member, _turn_of(form), reading
        )
    except RefusedError as error:
        context["refused"] = f"Not saved: {error}."
    else:
        context["check"] = CheckView(
            reading.problems + list(check.problems), check.projected_spend, check.budget
        )
        context["saved_by"] = granted.member if saved else None
        context["unsaved"] = not saved
    return draw(request, "_check.html", context)


def _act(
    room: Classroom,
    action: str,
    team: int,
    member: str,
    turn: int | None,
    decisions: dict | None,
) -> Check | None:
    """Propose, submit or withdraw, for the round the form was drawn for."""
    _same_round(room, turn)
    if action == "withdraw":
        me = team_status(room.status(), team)
        if me.submitted_by is None:
            raise RefusedError("there is no submission to withdraw")
        room.withdraw(team, member)
        return None
    assert decisions is not None
    if action == "submit":
        me = team_status(room.status(), team)
        if me.submitted_by is not None:
            raise RefusedError(
                f"{me.submitted_by} already submitted this turn: withdraw it first to change it"
            )
        return room.submit(team, member, decisions)
    return room.propose(team, member, decisions)


async def _team_action(request: Request, action: str) -> Response:
    site = site_of(request)
    granted = team_pass(request)
    assert granted.team is not None and granted.member is not None
    form = await posted(request, granted)
    reading = read_form(form) if action != "withdraw" else Reading()
    problems = list(reading.problems)
    if not problems:
        try:
            check = await site.call(
                _act,
                site.room,
                action,
                granted.team,
                granted.member,
                _turn_of(form),
                reading.decisions if action != "withdraw" else None,
            )
        except RefusedError as error:
            problems = (
                ["the game would refuse these decisions", *error.problems]
                if error.problems
                else [str(error)]
            )
        else:
            if check is None or not check.problems:
                return RedirectResponse(f"/team?done={DONE[action]}", status_code=303)
            view = await site.call(_team_view, site.room, granted.team)
            context = _team_context(
                view,
                granted,
                site.now(),
                reading=reading,
                notice="Your proposal is shared with your team, but the game would refuse it "
                "as it stands:",
                problems=list(check.problems),
            )
            return draw(
                request, "team.html", {**context, "problems_heading": "Refused as it stands"}
            )
    view = await site.call(_team_view, site.room, granted.team)
    stale = _turn_of(form) != view.status.round
    context = _team_context(
        view,
        granted,
        site.now(),
        reading=None if stale or action == "withdraw" else reading,
        problems=[f"Not {DONE[action]}: {problems[0]}", *problems[1:]],
    )
    return draw(request, "team.html", context, status_code=409 if stale else 422)


async def propose(request: Request) -> Response:
    """Share the form with the team as this member's proposal."""
    return await _team_action(request, "propose")


async def submit(request: Request) -> Response:
    """Submit the form for the team: it must check clean, and only once a turn."""
    return await _team_action(request, "submit")


async def withdraw(request: Request) -> Response:
    """Withdraw the team's submission, so it can change before the deadline."""
    return await _team_action(request, "withdraw")
