"""Trust: the engine reduced to M/M/c agrees with Erlang C; pooling beats separate queues."""
from __future__ import annotations

import pytest

import sandbox as sb
from sandbox.hall.validation import erlang_c, mmc_mean_wait, replicate


def test_erlang_c_formula():
    assert erlang_c(1, 0.8) == pytest.approx(0.8)  # M/M/1: P(wait) = rho
    assert erlang_c(2, 0.5) == pytest.approx(1 / 3)  # a = 1, c = 2
    assert mmc_mean_wait(1, 0.5, 10.0) == pytest.approx(10.0)
    assert erlang_c(5, 0.8) == pytest.approx(0.5541, abs=1e-4)
    with pytest.raises(ValueError):
        erlang_c(3, 1.0)


# A statistical replication (~25 s of one core): with the long matrices in `make test-long`. `make test`
# keeps the engine's agreement with queueing theory through the pooled/separate check below.
@pytest.mark.long
@pytest.mark.timeout(600)
def test_mmc_matches_erlang_c_over_20_replications():
    v = sb.load_scenario("validation_mmc").evolve({"validation.horizon_hours": 1200.0,
                                                   "validation.warmup_hours": 100.0}).validation
    assert v.load == pytest.approx(0.8) and v.servers == 5
    r = replicate(v, 20, seed=1)
    lo, hi = r.ci95
    assert lo <= r.theory_wait_min <= hi
    assert r.mean == pytest.approx(r.theory_wait_min, rel=0.05)
    plo, phi = r.p_wait_ci95
    assert plo <= r.theory_p_wait <= phi
    assert r.p_wait == pytest.approx(r.theory_p_wait, abs=0.02)


@pytest.mark.timeout(300)
def test_pooled_one_window_beats_separate_queues():
    v = sb.load_scenario("validation_mmc").evolve({"validation.horizon_hours": 400.0,
                                                   "validation.warmup_hours": 50.0}).validation
    pooled = replicate(v, 5, seed=2)
    separate = replicate(v, 5, seed=2, pooled=False)
    assert separate.theory_wait_min == pytest.approx(40.0)  # M/M/1 at rho 0.8, 10-minute service
    assert separate.mean == pytest.approx(separate.theory_wait_min, rel=0.15)
    assert pooled.mean < separate.mean / 4  # theory: 5.5 vs 40 minutes
    assert separate.p_wait == pytest.approx(0.8, abs=0.03)
