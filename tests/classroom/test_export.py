import csv

from salessim.classroom.export import FORMULA_STARTS, cell, save_names
from salessim.game.save_file import Integrity
from salessim.game.session import GameSession
from tests.classroom.classes import VALID, new_class


def read(path) -> list[dict[str, str]]:
    """A CSV file's rows."""
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def played_class(tmp_path, names):
    """A class of ``names`` after two rounds: a submission, a hire by draft, bots."""
    room, _, _ = new_class(tmp_path, names)
    room.submit(1, "ann", {"recognition": 2, "training_every_months": 3})
    room.save_draft(2, "bob", {"hire": [{"role": "ae", "count": 1}]})
    room.choose_bot("maximal_recognition")  # recognises everyone in turn 1, then nothing
    room.close_round()
    room.submit(2, "=cmd|' /C calc'!A0", VALID)
    room.close_round()
    return room


def test_decisions_csv_has_a_row_per_team_turn_and_decision(tmp_path):
    """Each decision is a row with its source, bot and author; an empty turn is one blank row."""
    room = played_class(tmp_path, ["Red", "Blue", "Green"])
    room.export(tmp_path / "out")
    rows = read(tmp_path / "out" / "decisions.csv")
    seen = {(r["team"], r["turn"], r["decision"]): r for r in rows}
    assert seen["Red", "1", "recognition"]["value"] == "2"
    assert seen["Red", "1", "training_every_months"]["source"] == "submission"
    assert seen["Red", "1", "recognition"]["author"] == "ann"
    hire = seen["Blue", "1", "hire"]
    assert (hire["source"], hire["author"]) == ("draft", "bob")
    assert hire["value"] == '[{"role": "ae"}]'  # as the game logs it: defaults left out
    blank = seen["Red", "2", ""]
    assert (blank["source"], blank["bot"], blank["value"]) == ("bot", "maximal_recognition", "")
    bot = seen["Green", "1", "recognition"]
    assert (bot["source"], bot["bot"], bot["value"]) == ("bot", "maximal_recognition", "1000")
    assert len(rows) == 2 + 1 + 1 + 1 + 1 + 1  # Red 2+1, Blue 1+1, Green 1+1


def test_scores_csv_is_the_leaderboard_with_a_column_per_indicator(tmp_path):
    """Rank, team, score, turns and bot turns as the leaderboard has them, points per indicator."""
    room = played_class(tmp_path, ["Red", "Blue", "Green"])
    room.export(tmp_path / "out")
    rows = read(tmp_path / "out" / "scores.csv")
    board = room.leaderboard()
    assert [row["team"] for row in rows] == [standing.team for standing in board]
    assert [row["rank"] for row in rows] == ["1", "2", "3"]
    for row, standing in zip(rows, board, strict=True):
        assert float(row["score"]) == round(standing.score, 3)
        assert (int(row["turns"]), int(row["bot_turns"])) == (standing.turns, standing.bot_turns)
        for indicator, points in standing.points.items():
            assert float(row[indicator]) == round(points, 3)
    assert set(board[0].points) <= set(rows[0])


def test_each_save_replays_to_exactly_the_game_the_team_played(tmp_path):
    """A team's save rebuilds its game: same decisions, same figures every turn, verified."""
    room = played_class(tmp_path, ["Red", "Blue"])
    files = room.export(tmp_path / "out")
    saves = sorted(path.name for path in files if path.parent.name == "saves")
    assert saves == ["Blue.json", "Red.json"]
    for team, name in ((1, "Red"), (2, "Blue")):
        session = GameSession.load(tmp_path / "out" / "saves" / f"{name}.json")
        stored = room._store.turns(team)
        assert session.log == [row.decisions for row in stored]
        assert session.fingerprints == [row.fingerprint for row in stored]
        assert session.integrity is Integrity.VERIFIED and session.drift_from is None
        assert session.name == name
        assert session.briefing() == room.briefing(team)


def test_cells_a_spreadsheet_would_run_are_escaped(tmp_path):
    """Team and member names starting with = + - @ (tab or CR) come out with a leading quote."""
    hostile = ["=1+1", "+SUM(A1)", "-2", "@cmd", "Fine"]
    room = played_class(tmp_path, hostile)
    room.export(tmp_path / "out")
    for file in ("decisions.csv", "scores.csv"):
        for row in read(tmp_path / "out" / file):
            assert row["team"] in {"'" + name for name in hostile[:4]} | {"Fine"}
            assert not row["team"].startswith(FORMULA_STARTS)
    authors = {row["author"] for row in read(tmp_path / "out" / "decisions.csv")}
    assert "'=cmd|' /C calc'!A0" in authors
    assert cell(-2.5) == -2.5  # numbers stay numbers
    assert cell("\rx") == "'\rx"
    assert cell("\tx") == "'\tx"


def test_save_names_are_safe_and_never_collide():
    """File names keep letters, digits, - and _; names alike after that get their number."""
    names = save_names(["A/B", "A B", "../..", "", "Ünïcode"])
    assert names == ["A-B.json", "A-B-2.json", "team-3.json", "team-4.json", "n-code.json"]
    assert len(set(names)) == len(names)
