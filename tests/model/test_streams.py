"""Named random streams: stable, independent, continued rather than restarted."""

import numpy as np
import pytest

from salessim.model.streams import Streams, stream_key
from salessim.scenario.dists import Dist


def test_same_name_and_seed_give_the_same_draws():
    """The same stream name and seed give the same draws."""
    a, b = Streams(7).uniforms("x"), Streams(7).uniforms("x")
    assert [a() for _ in range(1000)] == [b() for _ in range(1000)]


def test_different_names_and_seeds_differ():
    """Each pair of seed and stream name gives its own draws."""
    draws = {
        (seed, name): tuple(Streams(seed).uniforms(name)() for _ in range(5))
        for seed in (1, 2)
        for name in ("a", "b")
    }
    assert len(set(draws.values())) == 4


def test_stream_key_is_stable_across_processes():
    """The key is a digest of the name, never Python's salted hash()."""
    assert stream_key("arrivals/inbound/mid_market") == stream_key("arrivals/inbound/mid_market")
    assert stream_key("a") == (310482890, 3401391050, 3006382842, 1306272666)


def test_adding_a_stream_does_not_shift_another():
    """Drawing from one stream does not shift the draws of another."""
    plain = Streams(3)
    busy = Streams(3)
    busy.uniforms("other")()
    assert plain.uniforms("x")() == busy.uniforms("x")()


def test_asking_again_continues_the_stream():
    """Asking for a named sampler again continues its stream rather than restarting it."""
    streams = Streams(5)
    first = streams.sampler("w", Dist.model_validate({"exponential": {"mean": 1}}))
    one = [first() for _ in range(600)]
    again = streams.sampler("w", Dist.model_validate({"exponential": {"mean": 1}}))
    assert again() not in one


def test_block_sampler_matches_the_distribution():
    """The block sampler's mean lies within five standard errors of the distribution's mean."""
    dist = Dist.model_validate({"gamma": {"mean": 3, "cv": 0.5}})
    draw = Streams(11).sampler("g", dist)
    values = np.array([draw() for _ in range(40_000)])
    se = np.sqrt(dist.variance / len(values))
    assert abs(values.mean() - dist.mean) < 5 * se


def test_negative_seed_is_refused():
    """A negative seed is refused with a message naming the seed."""
    with pytest.raises(ValueError, match="seed"):
        Streams(-1)
