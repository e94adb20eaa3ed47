"""Trust checks against queueing theory: the engine reduced to a plain M/M/c queue.

Validation mode has no day boundaries, no patience limit, no priorities: Poisson arrivals at rate
λ = load·c·μ, exponential service with mean 1/μ, one pool of c identical windows (FIFO), a long
horizon with the warm-up removed. Over independent replications the mean wait and the probability of
waiting must match Erlang C; c separate single-window queues (each fed λ/c) must do worse, as theory
says (pooling = 一窗受理).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .queue import run_pools
from .scenario import Scenario, Validation

__all__ = ["erlang_c", "mmc_mean_wait", "MMCRun", "run_mmc", "replicate", "Replications"]


def erlang_c(c: int, load: float) -> float:
    """Probability that an arrival waits in M/M/c with utilisation ``load`` = λ/(cμ) < 1."""
    if not 0 < load < 1:
        raise ValueError("load must be in (0, 1)")
    a = load * c
    term = 1.0
    s = 1.0
    for k in range(1, c):
        term *= a / k
        s += term
    top = term * a / c / (1 - load)  # a^c / c! * 1/(1-ρ)
    return top / (s + top)


def mmc_mean_wait(c: int, load: float, service_mean: float) -> float:
    """Erlang C mean wait in queue (same unit as service_mean)."""
    mu = 1.0 / service_mean
    return erlang_c(c, load) / (c * mu * (1 - load))


@dataclass(frozen=True)
class MMCRun:
    mean_wait_min: float
    p_wait: float
    customers: int
    waits_min: np.ndarray


def run_mmc(v: Validation | Scenario, seed: int, *, pooled: bool = True) -> MMCRun:
    """One replication; ``pooled=False`` splits the windows into c single-window queues."""
    if isinstance(v, Scenario):
        v = v.validation
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x4D4D43])))
    mean_s = v.service_mean_min * 60.0
    lam = v.load * v.servers / mean_s
    horizon = v.horizon_hours * 3600.0
    n = int(rng.poisson(lam * horizon))
    arrive = np.sort(rng.uniform(0.0, horizon, n))  # Poisson process: uniform order statistics
    service = rng.exponential(mean_s, n)
    if pooled:
        pool = np.zeros(n, np.int64)
        caps = [v.servers]
    else:
        pool = rng.integers(0, v.servers, n)
        caps = [1] * v.servers
    res = run_pools(arrive, pool, np.full(n, 2, np.int64), service, np.full(n, -1.0), caps)
    keep = arrive >= v.warmup_hours * 3600.0
    w = (res.called[keep] - arrive[keep]) / 60.0
    return MMCRun(mean_wait_min=float(w.mean()), p_wait=float((w > 1e-9).mean()), customers=int(keep.sum()),
                  waits_min=w)


@dataclass(frozen=True)
class Replications:
    means: np.ndarray
    p_waits: np.ndarray
    theory_wait_min: float
    theory_p_wait: float

    @property
    def mean(self) -> float:
        return float(self.means.mean())

    @property
    def ci95(self) -> tuple[float, float]:
        from scipy.stats import t

        r = len(self.means)
        half = t.ppf(0.975, r - 1) * self.means.std(ddof=1) / math.sqrt(r)
        return self.mean - half, self.mean + half

    @property
    def p_wait(self) -> float:
        return float(self.p_waits.mean())

    @property
    def p_wait_ci95(self) -> tuple[float, float]:
        from scipy.stats import t

        r = len(self.p_waits)
        half = t.ppf(0.975, r - 1) * self.p_waits.std(ddof=1) / math.sqrt(r)
        return self.p_wait - half, self.p_wait + half

    def as_dict(self) -> dict[str, float]:
        lo, hi = self.ci95
        return {"replications": len(self.means), "mean_wait_min": self.mean, "ci95_low": lo, "ci95_high": hi,
                "erlang_c_wait_min": self.theory_wait_min, "rel_error": self.mean / self.theory_wait_min - 1,
                "p_wait": self.p_wait, "erlang_c_p_wait": self.theory_p_wait}


def replicate(v: Validation | Scenario, replications: int = 20, seed: int = 1, *, pooled: bool = True) -> Replications:
    """Independent replications of the M/M/c run, with the matching theory."""
    if isinstance(v, Scenario):
        v = v.validation
    runs = [run_mmc(v, seed * 1000 + r, pooled=pooled) for r in range(replications)]
    if pooled:
        theory_w = mmc_mean_wait(v.servers, v.load, v.service_mean_min)
        theory_p = erlang_c(v.servers, v.load)
    else:  # c separate M/M/1 queues at the same load
        theory_w = v.load * v.service_mean_min / (1 - v.load)
        theory_p = v.load
    return Replications(means=np.array([r.mean_wait_min for r in runs]),
                        p_waits=np.array([r.p_wait for r in runs]), theory_wait_min=theory_w, theory_p_wait=theory_p)
