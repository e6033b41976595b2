"""A round through HTTP: join, draft, propose, submit, withdraw, the deadline, bots, restarts."""

from __future__ import annotations

import re
import time

from salessim.classroom.clock import FakeClock
from tests.classroom.sites import SECRET, Visitor, instructor, join, new_site, reopened, served

LIVE_ROUND = re.compile(r"Round (\d+) of 4")


def round_of(boss: Visitor) -> int:
    """The round open now, as the instructor's live status says it."""
    found = LIVE_ROUND.search(boss.get("/instructor/live").text)
    return int(found.group(1)) if found else 5


def wait_for_round(boss: Visitor, wanted: int, seconds: float = 20.0) -> None:
    """Until the round timer has opened round ``wanted`` (the timer runs on its own)."""
    ends = time.monotonic() + seconds
    while round_of(boss) != wanted:
        assert time.monotonic() < ends, f"round {wanted} never opened"
        time.sleep(0.02)


def test_joining_sets_a_strict_httponly_cookie_and_leaves_the_token_out_of_the_url(tmp_path):
    """The join link shows whose team it is; joining redirects to /team, where the team is."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue"])
    token = links.teams["Red"]
    with served(room, clock) as client:
        ann = Visitor(client)
        page = ann.get(f"/join/{token}")
        assert page.status_code == 200 and "Join as Red" in page.text
        joined = ann.post(f"/join/{token}", {"member": "  Ann   Lee "})
        assert joined.status_code == 303 and joined.headers["location"] == "/team"
        cookie = next(c for c in joined.headers.get_list("set-cookie") if "salessim_team" in c)
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and token not in cookie
        team = ann.get("/team")
        assert team.status_code == 200
        assert "Team <strong>Red</strong> · Ann Lee" in team.text
        assert "Turn 1 of 4 · the start" in team.text and token not in team.text
        assert "Blue" not in team.text


def test_a_member_needs_a_name_to_join(tmp_path):
    """A blank or overlong name is refused on the join page, which asks again."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        bob = Visitor(client)
        bob.get(f"/join/{links.teams['Red']}")
        for name, problem in [("   ", "type your name"), ("x" * 41, "at most 40 characters")]:
            refused = bob.post(f"/join/{links.teams['Red']}", {"member": name})
            assert refused.status_code == 422 and problem in refused.text
            assert "salessim_team" not in refused.headers.get("set-cookie", "")
        assert bob.get("/team").status_code == 403


def test_a_draft_is_saved_as_typed_and_checked_against_the_budget(tmp_path):
    """Each change saves the team's draft; the answer names problems and the spend."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        clean = ann.post("/team/draft", {"turn": "1", "recognition": "2"})
        assert clean.status_code == 200
        assert "The game accepts this draft" in clean.text
        assert re.search(
            r"People spend next turn with these decisions: \$[\d.]+k, budget \$", clean.text
        )
        bad = ann.post("/team/draft", {"turn": "1", "fire": "999", "hire.ae.count": "lots"})
        assert "The game would refuse this draft" in bad.text
        assert "Hire AEs: &#39;lots&#39; is not a whole number" in bad.text
        assert "fire: no rep 999 on the team" in bad.text
        over = ann.post("/team/draft", {"turn": "1", "hire.ae.count": "20"})
        assert "over by" in over.text or "budget:" in over.text
        bob = join(client, links.teams["Red"], "Bob")
        page = bob.get("/team")
        assert 'name="hire.ae.count" value="20"' in page.text
        assert "Draft last saved by Ann" in page.text


def test_proposals_show_who_proposed_what_and_who_submitted(tmp_path):
    """Members propose; the team sees each proposal by name, then who submitted."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        bob = join(client, links.teams["Red"], "Bob")
        proposed = ann.post("/team/propose", {"turn": "1", "recognition": "2"})
        assert proposed.status_code == 303 and "done=proposed" in proposed.headers["location"]
        submitted = bob.post("/team/submit", {"turn": "1", "training_every_months": "3"})
        assert submitted.status_code == 303 and "done=submitted" in submitted.headers["location"]
        live = ann.get("/team/live?turn=1").text
        assert '<strong>Ann</strong> <span class="kind">proposal</span>' in live
        assert "2 recognition awards per team a month" in live
        assert "Submitted by Bob." in live
        assert '<strong>Bob</strong> <span class="kind">submission</span>' in live


def test_a_second_submission_is_refused_until_the_first_is_withdrawn(tmp_path):
    """Submitting twice is refused with who submitted; withdraw, and a new one stands."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        assert ann.post("/team/submit", {"turn": "1", "recognition": "2"}).status_code == 303
        again = ann.post("/team/submit", {"turn": "1", "recognition": "3"})
        assert again.status_code == 422
        assert "Ann already submitted this turn: withdraw it first to change it" in again.text
        assert 'name="recognition" value="3"' in again.text  # what was typed is kept
        withdrawn = ann.post("/team/withdraw", {"turn": "1"})
        assert withdrawn.status_code == 303 and "done=withdrawn" in withdrawn.headers["location"]
        assert "Withdraw the submission" not in ann.get("/team").text
        assert ann.post("/team/submit", {"turn": "1", "recognition": "3"}).status_code == 303
        nothing = Visitor(client)
        nothing.cookies = ann.cookies
        nothing.csrf = ann.csrf
        assert "Submitted by Ann." in nothing.get("/team/live?turn=1").text


def test_a_submission_that_cannot_apply_is_refused_with_its_problems(tmp_path):
    """Letting go a rep who does not exist: not submitted, the game's reason shown."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        refused = ann.post("/team/submit", {"turn": "1", "fire": "999"})
        assert refused.status_code == 422
        assert "Not submitted: the game would refuse these decisions" in refused.text
        assert "fire: no rep 999 on the team" in refused.text
        assert "Not submitted yet" in refused.text
        typo = ann.post("/team/submit", {"turn": "1", "recognition": "two"})
        assert (
            typo.status_code == 422
            and "Recognition: &#39;two&#39; is not a whole number" in typo.text
        )


def test_the_deadline_closes_the_round_with_submission_draft_and_flagged_bot(tmp_path):
    """At the deadline the timer plays each team's submission, else clean draft, else the bot."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue", "Green"], round_minutes=10)
    with served(room, clock) as client:
        boss = instructor(client, links)
        red = join(client, links.teams["Red"], "Ann")
        blue = join(client, links.teams["Blue"], "Bo")
        green = join(client, links.teams["Green"], "Gil")
        assert red.post("/team/submit", {"turn": "1", "recognition": "2"}).status_code == 303
        assert (
            blue.post("/team/draft", {"turn": "1", "training_every_months": "3"}).status_code == 200
        )
        assert "10 min 0 s left" in boss.get("/instructor").text
        clock.advance(9 * 60)
        time.sleep(0.1)
        assert round_of(boss) == 1
        clock.advance(61)
        wait_for_round(boss, 2)
        assert red.get("/team/live?turn=1").headers.get("hx-refresh") == "true"
        histories = {
            name: v.get("/team").text
            for name, v in [("red", red), ("blue", blue), ("green", green)]
        }
        assert "Turn 2 of 4 · after" in histories["red"]
        assert "submitted by Ann" in histories["red"]
        assert "2 recognition awards per team a month" in histories["red"]
        assert "the last draft, by Bo" in histories["blue"]
        assert "played by the bot autopilot" in histories["green"]
        board = boss.get("/board")
        assert board.status_code == 200
        rows = re.findall(r"<td>(Red|Blue|Green)</td>", board.text)
        assert sorted(rows) == ["Blue", "Green", "Red"]


def test_a_form_drawn_for_a_closed_round_is_not_played_in_the_next(tmp_path):
    """A submission posted after its round closed is refused; the new briefing shows."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        boss = instructor(client, links)
        ann = join(client, links.teams["Red"], "Ann")
        closed = boss.post("/instructor/close", {"round": "1"})
        assert closed.headers["location"] == "/instructor?done=closed"
        late = ann.post("/team/submit", {"turn": "1", "recognition": "2"})
        assert late.status_code == 409
        assert "the round you were deciding has closed" in late.text
        assert "Turn 2 of 4" in late.text and "Submitted by" not in late.text
        draft = ann.post("/team/draft", {"turn": "1", "recognition": "2"})
        assert "Not saved: the round you were deciding has closed" in draft.text


def test_a_restart_in_the_middle_of_a_round_keeps_drafts_members_and_the_deadline(tmp_path):
    """Stop the server mid-round, start it again: the draft, the cookie and the clock hold."""
    room, links, clock = new_site(tmp_path, ["Red", "Blue"], round_minutes=30)
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        ann.post("/team/draft", {"turn": "1", "recognition": "2", "coaching.hours": "3"})
        cookies, csrf = ann.cookies, ann.csrf
    clock.advance(10 * 60)
    with served(reopened(tmp_path, clock), clock) as client:
        ann = Visitor(client)
        ann.cookies, ann.csrf = cookies, csrf
        page = ann.get("/team")
        assert page.status_code == 200
        assert 'name="recognition" value="2"' in page.text
        assert 'name="coaching.hours" value="3"' in page.text
        assert "20 min 0 s left" in page.text
        assert ann.post("/team/submit", {"turn": "1", "recognition": "2"}).status_code == 303
        clock.advance(21 * 60)
        boss = instructor(client, links)
        wait_for_round(boss, 2)
        assert "submitted by Ann" in ann.get("/team").text


def test_a_deadline_that_passed_while_the_server_was_down_closes_at_start(tmp_path):
    """The timer is re-armed from the database: a round overdue at start closes at once."""
    room, links, clock = new_site(tmp_path, ["Red"], round_minutes=5)
    room.close()
    clock.advance(6 * 60)
    with served(reopened(tmp_path, clock), clock) as client:
        wait_for_round(instructor(client, links), 2)


def test_the_instructor_extends_pauses_resumes_chooses_the_bot_and_closes(tmp_path):
    """Each button does what it says and the page shows it; the chosen bot plays."""
    room, links, clock = new_site(tmp_path, ["Red"], round_minutes=10)
    with served(room, clock) as client:
        boss = instructor(client, links)
        assert boss.post("/instructor/extend", {"minutes": "5"}).status_code == 303
        assert "15 min 0 s left" in boss.get("/instructor/live").text
        refused = boss.post("/instructor/extend", {"minutes": "soon"})
        assert refused.status_code == 422 and "&#39;soon&#39; is not a number" in refused.text
        assert boss.post("/instructor/pause").status_code == 303
        page = boss.get("/instructor").text
        assert "paused" in page and "Resume the clock" in page
        clock.advance(60 * 60)
        time.sleep(0.1)
        assert round_of(boss) == 1
        assert boss.post("/instructor/resume").status_code == 303
        assert "15 min 0 s left" in boss.get("/instructor/live").text
        unknown = boss.post("/instructor/bot", {"bot": "skynet"})
        assert unknown.status_code == 422 and "no bot is called &#39;skynet&#39;" in unknown.text
        assert boss.post("/instructor/bot", {"bot": "maximal_recognition"}).status_code == 303
        assert "bot: maximal_recognition" in boss.get("/instructor/live").text
        assert boss.post("/instructor/close", {"round": "1"}).status_code == 303
        assert round_of(boss) == 2
        ann = join(client, links.teams["Red"], "Ann")
        assert "played by the bot maximal_recognition" in ann.get("/team").text


def test_the_event_stream_says_changed_with_the_version_and_again_when_it_moves(tmp_path):
    """/events opens with the version; a draft elsewhere moves it on the next stream."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        first = ann.get("/events")
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/event-stream")
        versions = re.findall(r"event: changed\ndata: (\d+)", first.text)
        assert len(versions) == 1
        ann.post("/team/draft", {"turn": "1", "recognition": "2"})
        time.sleep(0.1)
        later = re.findall(r"event: changed\ndata: (\d+)", ann.get("/events").text)
        assert later and int(later[0]) != int(versions[0])


def test_the_page_is_drawn_with_the_version_it_shows(tmp_path):
    """The live page carries the version, so the first event tells whether it is stale."""
    room, links, clock = new_site(tmp_path, ["Red"], clock=FakeClock())
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        assert re.search(r'<body data-version="\d+">', ann.get("/team").text)
        assert SECRET not in ann.cookies.get("salessim_team", "").encode()


def test_after_the_last_round_the_pages_say_the_game_is_over(tmp_path):
    """Four closes end first_team: no form, four turns played, the board says game over."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        boss = instructor(client, links)
        ann = join(client, links.teams["Red"], "Ann")
        for closing in range(1, 5):
            assert boss.post("/instructor/close", {"round": str(closing)}).status_code == 303
        page = ann.get("/team").text
        assert "The game is over" in page and "Game over · 4 turns played" in page
        assert 'id="decisions"' not in page
        assert len(re.findall(r"played by the bot autopilot", page)) == 4
        late = ann.post("/team/draft", {"turn": "4", "recognition": "2"})
        assert "Not saved: the game is over" in late.text
        assert "game over" in boss.get("/board").text
        again = boss.post("/instructor/close", {"round": "5"})
        assert again.status_code == 422 and "the game is over" in again.text


def test_a_paused_round_says_so_to_the_team_and_takes_no_submission(tmp_path):
    """While paused the team sees the time kept for later; a submission is refused."""
    room, links, clock = new_site(tmp_path, ["Red"], round_minutes=10)
    with served(room, clock) as client:
        boss = instructor(client, links)
        ann = join(client, links.teams["Red"], "Ann")
        assert boss.post("/instructor/pause").status_code == 303
        live = ann.get("/team/live?turn=1").text
        assert "paused by the instructor (10 min 0 s left when it resumes)" in live
        refused = ann.post("/team/submit", {"turn": "1", "recognition": "2"})
        assert refused.status_code == 422 and "Not submitted" in refused.text


def test_a_proposal_the_game_would_refuse_is_shared_with_its_problems(tmp_path):
    """A proposal is never played, so it is shared even if it could not apply, problems shown."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        ann = join(client, links.teams["Red"], "Ann")
        shared = ann.post("/team/propose", {"turn": "1", "fire": "999"})
        assert shared.status_code == 200
        assert "Your proposal is shared with your team, but the game would refuse it" in shared.text
        assert "fire: no rep 999 on the team" in shared.text
        live = ann.get("/team/live?turn=1").text
        assert '<strong>Ann</strong> <span class="kind">proposal</span>' in live
        assert "Not submitted yet" in live


def test_closing_twice_closes_one_round(tmp_path):
    """A second click on the same page's button (or one after the timer) closes nothing more."""
    room, links, clock = new_site(tmp_path, ["Red"])
    with served(room, clock) as client:
        boss = instructor(client, links)
        assert boss.post("/instructor/close", {"round": "1"}).status_code == 303
        twice = boss.post("/instructor/close", {"round": "1"})
        assert twice.status_code == 422
        assert "that round is closed already (round 2 is open now)" in twice.text
        assert round_of(boss) == 2


def test_the_instructors_page_reloads_when_the_round_or_the_clock_moves(tmp_path):
    """Drawn for round 1, the live status asks for a reload once round 2 opens or on a pause."""
    room, links, clock = new_site(tmp_path, ["Red"], round_minutes=10)
    with served(room, clock) as client:
        boss = instructor(client, links)
        current = boss.get("/instructor/live?turn=1&paused=False")
        assert current.status_code == 200 and "hx-refresh" not in current.headers
        assert 'hx-get="/instructor/live?turn=1&amp;paused=False"' in current.text
        boss.get("/instructor")
        boss.post("/instructor/pause")
        assert boss.get("/instructor/live?turn=1&paused=False").headers["hx-refresh"] == "true"
        boss.get("/instructor")
        boss.post("/instructor/close", {"round": "1"})
        assert boss.get("/instructor/live?turn=1&paused=True").headers["hx-refresh"] == "true"
