"""calibration._move_draws takes the spread searches' random numbers from the generator's
32-bit outputs as NumPy's ``Generator.choice`` and ``Generator.integers`` do: the same numbers
and the same generator state after each move, for the book's magnitudes and other ones."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import calibration


def reference(n, rng, mags):
    i, j, k = rng.choice(n, 3, replace=False).tolist()
    mag = int(mags[rng.integers(len(mags))])
    return i, j, k, mag, int(rng.integers(-mag, mag + 1)), int(rng.integers(-1, 2)), rng.random()


@pytest.mark.parametrize(
    ("n", "mags"),
    [(82, calibration.SPREAD_MAGNITUDES), (3, (1, 2)), (4, (5,)), (1000, (0, 3)), (7, (0,))],
)
def test_same_draws_and_state(n, mags):
    for seed in range(4):
        mine, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
        for step in range(3000):
            if step % 7 == 0:  # an odd 32-bit output left buffered, as other draws leave it
                assert mine.integers(5) == theirs.integers(5)
            assert calibration._move_draws(n, mine, mags) == reference(n, theirs, mags)
            assert mine.bit_generator.state == theirs.bit_generator.state


def test_rejections_draw_more():
    # Lemire's rejection for a range near 2**32 (rare in the searches), and Floyd's collisions
    mine, theirs = np.random.default_rng(11), np.random.default_rng(11)
    for _ in range(2000):
        assert calibration._move_draws(2**31 + 5, mine, (1,)) == reference(2**31 + 5, theirs, (1,))
        assert calibration._move_draws(4, mine, (1,)) == reference(4, theirs, (1,))
    assert mine.bit_generator.state == theirs.bit_generator.state
