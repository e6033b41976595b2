"""The projected spend counts recognition awards at their cost."""

from __future__ import annotations

import pytest

from salessim.game.session import GameSession
from salessim.scenario.load import load_scenario
from tests.support import ROOT


def test_recognising_everyone_is_projected_at_an_award_a_rep_a_month():
    """A thousand awards a team a month project one award per rep a month, at $100 each."""
    session = GameSession(load_scenario(ROOT / "scenarios" / "game" / "retention_crisis.yaml"), 0)
    reps = len(session.employed())
    none = session.projected_spend({"recognition": 0})
    lavish = session.projected_spend({"recognition": 1000})
    assert none is not None and lavish is not None
    assert lavish - none == pytest.approx(reps * 100.0 * session.months_per_turn)


def test_a_decision_error_survives_pickling_whole():
    """Raised in a worker process, the error arrives with its list of problems intact."""
    import pickle

    from salessim.game.decisions import DecisionError

    error = pickle.loads(pickle.dumps(DecisionError(["budget: over", "fire: no rep 9"])))
    assert error.problems == ["budget: over", "fire: no rep 9"]
    assert str(error) == "budget: over; fire: no rep 9"
