"""Block samplers: a stream's draws handed out in order, a block drawn only when needed."""

from __future__ import annotations

import numpy as np

from salessim.model.streams import BLOCK, Streams, stream_key
from salessim.scenario.dists import Dist


def generator(seed: int, name: str) -> np.random.Generator:
    """The named stream, built by hand as ``Streams`` builds it."""
    sequence = np.random.SeedSequence(seed, spawn_key=stream_key(name))
    return np.random.Generator(np.random.PCG64(sequence))


def test_a_sampler_hands_out_its_stream_in_order_across_blocks():
    """Uniforms come out as the stream's ``random`` blocks, one after the other."""
    draw = Streams(7).uniforms("x")
    rng = generator(7, "x")
    expected = np.concatenate([rng.random(BLOCK) for _ in range(3)]).tolist()
    assert [draw() for _ in range(2 * BLOCK + 10)] == expected[: 2 * BLOCK + 10]


def test_a_distribution_sampler_draws_whole_blocks_of_its_distribution():
    """A gamma sampler's draws are the distribution's blocks of ``BLOCK``, in order."""
    dist = Dist.model_validate({"gamma": {"mean": 3, "cv": 0.5}})
    draw = Streams(4).sampler("g", dist)
    rng = generator(4, "g")
    expected = np.concatenate([dist.draw(rng, BLOCK) for _ in range(2)]).tolist()
    assert [draw() for _ in range(BLOCK + 3)] == expected[: BLOCK + 3]


def test_a_block_is_drawn_only_when_the_last_one_runs_out():
    """A second sampler on the same stream starts where the first one's block ended."""
    streams = Streams(9)
    first = streams.uniforms("y")
    assert [first() for _ in range(BLOCK)] == generator(9, "y").random(BLOCK).tolist()
    second = streams.uniforms("y")  # the first's block is used up: nothing drawn ahead
    rng = generator(9, "y")
    rng.random(BLOCK)
    assert second() == rng.random(BLOCK)[0]
    assert repr(second) == "BlockSampler(uniform)"
