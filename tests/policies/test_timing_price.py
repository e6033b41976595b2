"""The price of timing in the closing choice: concessions, a manager's sign-off, cooling."""

from __future__ import annotations

import pytest

from salessim.policies.incentives import Forecast, Option, best_close
from salessim.policies.schedule import PayCurve

QUOTA = 100_000.0
VALUE = 5_000.0
ODDS = 1.0  # a coin flip at the closing stage
HURDLE = 0.05


def straight(rate: float) -> Forecast:
    """A period paying ``rate`` per unit of credit from the first dollar (a sure forecast)."""
    return Forecast(PayCurve(jumps=(), hinges=((0.0, rate * QUOTA),)), QUOTA, 0.5, 0.0)


def bonus_at_quota(attainment: float) -> Forecast:
    """A period paying a 10k bonus at 100% of quota to a rep sure to end at ``attainment``."""
    return Forecast(PayCurve(jumps=((1.0, 10_000.0),), hinges=()), QUOTA, attainment, 0.0)


def choose(*options: Option, discounts: tuple[float, ...] = (0.0,)):
    """The best close of a 5k deal at even odds among ``options`` (the natural one first)."""
    return best_close(VALUE, ODDS, list(options), list(discounts), 3.0, HURDLE)


def test_a_bonus_in_reach_is_worth_a_small_concession_but_not_a_large_one():
    """Pulling a deal in to pass a 10k bonus pays while its credit still reaches quota.

    At 97% of a 100k quota, a 5k deal reaches quota with a 2% concession (4.9k credit),
    not with a 50% one (2.5k); the choice reports the concession it was made at.
    """
    natural = Option(30.0, [bonus_at_quota(0.0)])  # lands next quarter: no bonus there
    small = Option(10.0, [bonus_at_quota(0.97)], concession=0.02)
    large = Option(10.0, [bonus_at_quota(0.97)], concession=0.5)
    chosen = choose(natural, small)
    assert (chosen.delay, chosen.concession) == (10.0, 0.02)
    assert choose(natural, large).delay == 30.0


def test_a_concession_comes_out_of_the_credit_the_rep_is_paid_on():
    """Under straight commission, a pull that pays the same rate is never worth a concession."""
    natural = Option(30.0, [straight(0.1)])
    pulled = Option(10.0, [straight(0.1)], concession=0.02)
    assert choose(natural, pulled).delay == 30.0


@pytest.mark.parametrize(("approval", "pulled"), [(0.04, False), (0.06, True)])
def test_a_sign_off_the_manager_may_refuse_is_weighed_by_its_chance(approval, pulled):
    """An option waiting on approval is worth ``a x`` itself ``+ (1 - a) x`` the natural close.

    Pulling in doubles the rate (2 x V against V), so it beats the natural close by the
    5% hurdle exactly when ``a x 2V + (1 - a) x V > 1.05 V``: when ``a > 0.05``.
    """
    natural = Option(30.0, [straight(0.05)])
    option = Option(10.0, [straight(0.10)], approval=approval)
    chosen = choose(natural, option)
    assert (chosen.delay == 10.0) is pulled
    if pulled:
        assert chosen.approval == approval


@pytest.mark.parametrize(("cooling", "held"), [(0.6, False), (0.4, True)])
def test_a_held_deal_is_worth_its_chance_of_not_cooling(cooling, held):
    """Holding a deal for a period paying twice the rate is worth ``(1 - h) x 2V``.

    It beats the natural close (V, plus the 5% hurdle) with ``h = 0.4`` and not with 0.6.
    """
    natural = Option(5.0, [straight(0.05)])
    option = Option(20.0, [straight(0.10)], cooling=cooling)
    chosen = choose(natural, option)
    assert (chosen.delay == 20.0) is held
    if held:
        assert chosen.cooling == cooling


@pytest.mark.parametrize(("most", "discount"), [(0.1, 0.1), (0.0, 0.0)])
def test_a_concession_limits_the_discount_the_rep_can_add(most, discount):
    """An option's discounts stop at ``most_discount``: the authority its concession left.

    Pulled into a period paying twice the rate at a 10% concession, a 10% discount adds
    a little (odds x 1.3 against price x 0.8 / 0.9), so the rep takes it when allowed.
    """
    natural = Option(30.0, [straight(0.05)], most_discount=0.2)
    pulled = Option(10.0, [straight(0.10)], concession=0.1, most_discount=most)
    chosen = choose(natural, pulled, discounts=(0.0, 0.1, 0.2))
    assert (chosen.delay, chosen.discount) == (10.0, discount)
