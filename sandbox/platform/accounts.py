"""Accounts of the unified identity (统一身份认证) over a run: natural persons, legal persons (a firm's
account held by its legal representative) and authorised agents (经办人), with real-name levels.

One login across departments: every application is filed from an account; applicants without one
register just before their first application, at level 2 (ID + two proofs) at least, since filing
needs a real-name check. Others register over the run at ``identity.daily_registrations``.
"""
from __future__ import annotations

import numpy as np

from sandbox.hall.context import DAY, Context

from .scenario import PlatformScenario

__all__ = ["ACCOUNT_KINDS", "build_accounts"]

ACCOUNT_KINDS = ("自然人", "法人", "经办人授权")


def _registered_people(ctx: Context, ps: PlatformScenario, rng: np.random.Generator, first_app: np.ndarray,
                       start_s: int) -> tuple[np.ndarray, np.ndarray]:
    """(t_registered or -1, level) per citizen."""
    n = len(first_app)
    idn = ps.identity
    at_start = rng.random(n) < idn.registered_share
    t_reg = np.where(at_start, start_s - rng.integers(1, 5 * 365, n) * DAY, -1)
    p = idn.daily_registrations
    later = (rng.geometric(p, n) - 1) if p > 0 else np.full(n, 1 << 40)
    joins = ~at_start & (later < ctx.days)
    t_reg = np.where(joins, start_s + later * DAY + rng.integers(7 * 3600, 23 * 3600, n), t_reg)
    needs = (first_app >= 0) & ((t_reg < 0) | (t_reg > first_app))
    t_reg = np.where(needs, first_app - rng.integers(60, 1800, n), t_reg)
    level = (np.searchsorted(np.cumsum(idn.level_shares), rng.random(n), "right") + 1).clip(1, 3)
    level = np.where(first_app >= 0, np.maximum(level, 2), level)  # filing needs a real-name check
    return t_reg, level.astype(np.int8)


def build_accounts(ctx: Context, ps: PlatformScenario, seed: int, c: dict) -> dict[str, np.ndarray]:
    """Account columns plus ``filer`` (the person who filed each application, -1 never)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0xACC])))
    start_s = (ctx.start.toordinal() - 719163) * DAY
    people = ctx.people
    n_all, n_f = len(people.citizens), len(people.firms)
    n_p = people.adults  # natural-person accounts: the adults, then any minor who filed (a 16-year-old)
    # Firms: the legal representative and 0..k agents from the same county may file for the firm.
    rep = np.array([f.legal_rep_pid for f in people.firms], np.int64)
    lo, hi = ps.identity.agents_per_firm
    n_agents = rng.integers(lo, hi + 1, n_f) if n_f else np.zeros(0, np.int64)
    f_county = np.array([int(people.county_index[r]) for r in rep], np.int64) if n_f else np.zeros(0, np.int64)
    agent_firm = np.repeat(np.arange(n_f), n_agents)
    cp = ctx.county_people
    size = np.array([len(cp[int(k)]) for k in f_county[agent_firm]], np.int64) if len(agent_firm) else \
        np.zeros(0, np.int64)
    x = rng.integers(0, 1 << 30, len(agent_firm))
    agent_pid = np.array([cp[int(k)][i] for k, i in zip(f_county[agent_firm].tolist(), (x % np.maximum(size, 1)).tolist())],
                         np.int64)
    # Filers of firm f: flat[begin[f] : begin[f] + count[f]] (the representative first, then its agents).
    count = 1 + n_agents
    begin = np.r_[0, np.cumsum(count)[:-1]].astype(np.int64) if n_f else np.zeros(0, np.int64)
    flat = np.empty(int(count.sum()), np.int64)
    flat[begin] = rep
    slot = np.arange(len(agent_firm)) - np.r_[0, np.cumsum(n_agents)[:-1]][agent_firm] if len(agent_firm) else \
        np.zeros(0, np.int64)
    flat[begin[agent_firm] + 1 + slot] = agent_pid
    person, firm = c["person"], c["firm"]
    pick = rng.integers(0, 1 << 30, len(person))
    f = np.where(firm >= 0, firm, 0)
    filer = np.where(firm >= 0, flat[begin[f] + pick % count[f]], person) if n_f else person.copy()
    ent = np.flatnonzero(firm >= 0)
    first_app = np.full(n_all, np.iinfo(np.int64).max)
    np.minimum.at(first_app, filer, c["t_arrive"])
    first_app[first_app == np.iinfo(np.int64).max] = -1
    t_p, lvl_p = _registered_people(ctx, ps, rng, first_app[:n_p], start_s)
    # Children hold no account of their own until they file (at 16 and over, level 2 for filing).
    kids = n_p + np.flatnonzero(first_app[n_p:] >= 0)
    t_p, lvl_p = np.r_[t_p, first_app[kids] - 600], np.r_[lvl_p, np.full(len(kids), 2, np.int8)]
    persons = np.r_[np.arange(n_p), kids].astype(np.int64)
    # Firm accounts exist from the start with p_firm_account, else from the firm's first application.
    f_first = np.full(n_f, np.iinfo(np.int64).max)
    if len(ent):
        np.minimum.at(f_first, firm[ent], c["t_arrive"][ent])
    has = rng.random(n_f) < ps.identity.p_firm_account
    t_f = np.where(has, start_s - rng.integers(1, 5 * 365, n_f) * DAY,
                   np.where(f_first < np.iinfo(np.int64).max, f_first - 600, -1))
    t_a = t_f[agent_firm] + rng.integers(0, 30, len(agent_firm)) * DAY
    t_a = np.where(t_f[agent_firm] < 0, -1, t_a)
    kind = np.r_[np.zeros(len(persons), np.int8), np.ones(n_f, np.int8), np.full(len(agent_firm), 2, np.int8)]
    return dict(
        account_id=np.arange(1, len(kind) + 1, dtype=np.int64), kind=kind,
        person=np.r_[persons, rep, agent_pid].astype(np.int32),
        firm=np.r_[np.full(len(persons), -1), np.arange(n_f), agent_firm].astype(np.int32),
        level=np.r_[lvl_p, np.full(n_f, 3, np.int8), np.full(len(agent_firm), 2, np.int8)],
        t_registered=np.r_[t_p, t_f, t_a].astype(np.int64), filer=filer)
