"""Named random streams derived from one seed, drawn in blocks.

Every draw in a run comes from a named stream. A name maps to a stable spawn key
(a digest of the name, never Python's ``hash()``), so adding a stream or an entity
never shifts the draws of another, and replication r of every arm of an experiment
sees the same exogenous draws (common random numbers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from typing import Self

import numpy as np

from salessim.scenario.dists import Dist

BLOCK = 512


def stream_key(name: str) -> tuple[int, ...]:
    """A stable spawn key for ``name``: four 32-bit words of its SHA-256 digest."""
    digest = hashlib.sha256(name.encode()).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


class Streams:
    """The named generators of one run."""

    def __init__(self, seed: int) -> None:
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        self.seed = seed
        self._generators: dict[str, np.random.Generator] = {}
        self._samplers: dict[str, BlockSampler] = {}

    def generator(self, name: str) -> np.random.Generator:
        """The generator for ``name``: the same name and seed always give the same draws.

        Asking again for a name continues its stream rather than restarting it, so a
        sampler rebuilt mid-run with new parameters never repeats earlier draws.
        """
        rng = self._generators.get(name)
        if rng is None:
            rng = self._generators[name] = self.private(name)
        return rng

    def private(self, name: str) -> np.random.Generator:
        """A fresh generator for ``name`` that the run does not keep (for short-lived entities).

        Asking twice restarts the stream, so each name must be asked for once.
        """
        sequence = np.random.SeedSequence(self.seed, spawn_key=stream_key(name))
        return np.random.Generator(np.random.PCG64(sequence))

    def sampler(self, name: str, dist: Dist | None) -> Callable[[], float]:
        """A zero-argument callable drawing from ``dist`` on the stream ``name``.

        Asked again for the same distribution (a scenario retuned mid-run, its other
        parameters changed), it is the same sampler, so the draws go on exactly as if
        nothing had been asked: a change that leaves a stream's distribution alone
        leaves its draws alone (common random numbers across a game's decisions).
        """
        known = self._samplers.get(name)
        if known is not None and known.dist == dist:
            return known
        sampler = self._samplers[name] = BlockSampler(dist, self.generator(name))
        return sampler

    def uniforms(self, name: str) -> Callable[[], float]:
        """A zero-argument callable drawing uniforms on [0, 1) from the stream ``name``."""
        return self.sampler(name, None)


class BlockSampler(partial[float]):
    """Draws values in blocks of ``BLOCK`` and hands them out one at a time.

    A call is ``next`` on a chain of the blocks, all of it in C but the drawing of a
    block, which happens when the previous block has run out: the stream is drawn in the
    same order and at the same moments as by a sampler that popped from a list.
    """

    dist: Dist | None
    """What it draws from; None: uniforms on [0, 1)."""

    def __new__(cls, dist: Dist | None, rng: np.random.Generator) -> Self:
        """A sampler of ``dist`` (None: uniforms on [0, 1)) drawing from ``rng``."""
        draw = rng.random if dist is None else partial(dist.draw, rng)
        sampler = super().__new__(cls, next, chain.from_iterable(_blocks(draw)))
        sampler.dist = dist
        return sampler

    def __repr__(self) -> str:
        return f"BlockSampler({self.dist or 'uniform'})"


def _blocks(draw: Callable[[int], np.ndarray]) -> Iterator[list[float]]:
    """Blocks of ``BLOCK`` draws, each drawn when asked for."""
    while True:
        yield draw(BLOCK).tolist()
