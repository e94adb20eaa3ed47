"""Platform services (issue 19): e-seal sign+verify rate, service-code render and scan times, a year
of practice matters and of data-sharing requests and look-ups.

Baselines in the same process: bare Ed25519 sign+verify of 32 bytes (what the seal adds on top:
canonical JSON, SM3, registry checks), and the QR round trip against the signature check alone.
"""
from __future__ import annotations

import time
from datetime import date

N_SEAL = 400
N_CODE = 20


def _seals() -> dict:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sandbox.platform import seals as S

    sc = S.seal_scenario()
    reg, keys = S.build_registry(sc, 1)
    sid = reg.seals[0].seal_id
    t0 = time.perf_counter()
    for i in range(N_SEAL):
        doc = S.sign_document(keys, reg, sid, doc_no=f"海东电签〔2024〕{i:04d}号", title="住房公积金缴存证明",
                              subject_id="630202199001011234", body=f"兹证明缴存正常，第 {i} 份。", signed_on=date(2024, 5, 6))
        assert S.verify_bytes(S.to_bytes(doc), reg).ok
    t_seal = time.perf_counter() - t0
    key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    pub, msg = key.public_key(), bytes(32)
    t0 = time.perf_counter()
    for _ in range(N_SEAL):
        pub.verify(key.sign(msg), msg)
    t_base = time.perf_counter() - t0
    return {"seal_sign_verify_per_s": round(N_SEAL / t_seal), "baseline_ed25519_sign_verify_per_s": round(N_SEAL / t_base),
            "seal_overhead_ratio": round(t_seal / t_base, 2)}


def _codes() -> dict:
    from sandbox.platform import servicecode as C
    from sandbox.base.population import build_population

    sc = C.servicecode_scenario()
    pop = build_population(42, 2000, 10)
    accounts = C.link_accounts(pop, sc, 1)
    issuer, verifier = C.build_issuer(sc, accounts, 1)
    codes = [issuer.issue(accounts[i], 1_750_000_000, i) for i in range(N_CODE)]
    t0 = time.perf_counter()
    pngs = [C.render_png(c, sc) for c in codes]
    t_render = time.perf_counter() - t0
    t0 = time.perf_counter()
    ok = sum(C.scan(p, verifier, 1_750_000_010).ok for p in pngs)
    t_scan = time.perf_counter() - t0
    t0 = time.perf_counter()
    for c in codes:
        C.check_payload(c.payload, verifier, 1_750_000_010)
    t_check = time.perf_counter() - t0
    t0 = time.perf_counter()
    rec = C.simulate_practices(sc, 1, date(2024, 1, 1), 366, len(pop.citizens), accounts=accounts)
    figs = C.before_after(rec)
    t_year = time.perf_counter() - t0
    saved = {k: sum(v["saved"][k] for v in figs.values()) for k in ("visits", "minutes", "papers")}
    return {"code_render_ms": round(t_render / N_CODE * 1000, 1), "code_scan_ms": round(t_scan / N_CODE * 1000, 1),
            "code_check_only_ms": round(t_check / N_CODE * 1000, 3), "codes_scanned_ok": ok,
            "practice_year_matters": len(rec), "practice_year_s": round(t_year, 2),
            "practice_year_visits_saved": int(saved["visits"]), "practice_year_hours_saved": round(saved["minutes"] / 60),
            "practice_year_papers_saved": int(saved["papers"])}


def _sharing() -> dict:
    from sandbox.platform import datashare as D

    sc = D.datashare_scenario()
    D.load_data_catalogue()
    t0 = time.perf_counter()
    run = D.simulate_sharing(sc, 1, date(2025, 8, 1), 365)
    t_year = time.perf_counter() - t0
    figs = D.request_figures(run, sc)
    return {"share_year_s": round(t_year, 2), "share_year_requests": figs["requests"],
            "share_year_reply_late": figs["reply_late"], "share_year_calls": D.share_calls(run),
            "share_year_materials_replaced": D.materials_replaced(run),
            "share_year_repeated_collection": D.repeated_collection(run),
            "share_year_materials_needed": int(run.count.sum())}


def run() -> dict:
    return {**_seals(), **_codes(), **_sharing()}
