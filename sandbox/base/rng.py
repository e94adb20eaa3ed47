"""Random generators passed in by callers: exercise generators accept either kind."""
from __future__ import annotations

import random

import numpy as np


def as_random(rng: random.Random | np.random.Generator) -> random.Random:
    """Accept either kind of generator; derive a stdlib Random deterministically from numpy's."""
    if isinstance(rng, random.Random):
        return rng
    if isinstance(rng, np.random.Generator):
        return random.Random(int(rng.integers(0, 2**63 - 1)))
    raise TypeError("rng must be random.Random or numpy.random.Generator")
