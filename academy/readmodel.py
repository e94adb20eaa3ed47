"""The dashboards' read model: masked, aggregated tables made for the dashboards service alone.

The dashboards service (hubext.dashboards; its own unprivileged account in root mode) never opens
the academy database or the raw city runs (both 0600/0700 root). It reads only this:

    <root>/dashboards-data/            0750 root:academy-dash (root mode), 0755 otherwise
        readmodel.sqlite               aggregates (city part + training part), every text masked
        bulletins/<YYYY-MM>/           the 12345 bulletin as `python -m sandbox bulletin` writes it, + PDF
        pages/<page>[-<scope>].html    the pre-rendered static dashboards (academy.dashpages)

City part (built once per city, academy.citydata): hall figures per month × city/county/hall
(`hall_month`), per item (`item_month`), hour × weekday (`heat`), platform months, bulletins.
Training part (rebuilt by :func:`refresh_training` from the dashboards-data service,
`python -m academy.dashpages --every 60`, when the academy DB changed): one row per trainee and course, competence per trainee and
dimension, leaders' scopes. Definitions follow sandbox.hall.metrics.summary (DOMAIN §9) exactly;
tests/dashboards reconcile them with SQL over the stored runs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from runtime.paths import Paths

DASH_ACCOUNT = "academy-dash"
CITY_SCOPE = "全市"
# A leader whose 县区 in the roster is one of these sees the whole city; any other 县区 is their scope.
CITY_SCOPE_NAMES = frozenset({"海东市", "全市", "市级"})
# Not inside a longer number or a decimal fraction (the pages round every float, dashpages.to_json).
_ID_RE = re.compile(r"(?<![0-9A-Za-z.])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z.])(1[3-9]\d)(\d{4})(\d{4})(?![0-9A-Za-z])")


def data_dir(paths: Paths) -> Path:
    return paths.root / "dashboards-data"


def db_path(paths: Paths) -> Path:
    return data_dir(paths) / "readmodel.sqlite"


def mask_text(value: str) -> str:
    """Mask any 18-character ID number or 11-digit mobile inside a text (belt and braces)."""
    value = _ID_RE.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], value)
    return _MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", value)


def _masked_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: mask_text(v) if isinstance(v, str) else v)
    return out


def ensure_dash_account(paths: Paths) -> None:
    """Root mode: the system account the dashboards service runs as, and its private home (Voila's
    runtime files, saved 体验记录). No login shell, no password, in no academy group."""
    import pwd
    import subprocess

    home = paths.root / "dashboards-home"
    if not paths.root_mode:
        home.mkdir(parents=True, exist_ok=True)
        return
    try:
        pw = pwd.getpwnam(DASH_ACCOUNT)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--user-group", "--home-dir", str(home),
                        "--shell", "/usr/sbin/nologin", "--comment", "academy dashboards", DASH_ACCOUNT],
                       check=True, capture_output=True, text=True)
        pw = pwd.getpwnam(DASH_ACCOUNT)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, pw.pw_uid, pw.pw_gid)
    os.chmod(home, 0o700)


def prepare_dir(paths: Paths) -> Path:
    """The read model's folder, readable by the dashboards account only (besides root)."""
    ensure_dash_account(paths)
    d = data_dir(paths)
    for sub in (d, d / "bulletins", d / "pages"):
        sub.mkdir(parents=True, exist_ok=True)
    group = _dash_gid(paths)
    for p in [d, *d.rglob("*")]:
        if group is not None:
            os.chown(p, 0, group)
            os.chmod(p, 0o750 if p.is_dir() else 0o640)
        else:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return d


def _dash_gid(paths: Paths) -> int | None:
    if not paths.root_mode:
        return None
    import grp

    try:
        return grp.getgrnam(DASH_ACCOUNT).gr_gid
    except KeyError:
        return None


def _write_tables(paths: Paths, tables: dict[str, pd.DataFrame], meta: dict[str, str]) -> None:
    """Replace ``tables`` (and meta keys) in one transaction; other tables stay as they are."""
    prepare_dir(paths)
    con = sqlite3.connect(db_path(paths))
    try:
        with con:
            con.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            for name, df in tables.items():
                _masked_frame(df).to_sql(name, con, if_exists="replace", index=False)
            con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
    finally:
        con.close()
    prepare_dir(paths)  # owner and mode of the new file


# -- city part ---------------------------------------------------------------------------------
def _month_of(seconds: np.ndarray) -> np.ndarray:
    return pd.to_datetime(seconds, unit="s").strftime("%Y-%m").to_numpy()


def hall_counties() -> dict[str, str]:
    """hall → its county, from the city's scenario (the shipped baseline the city runs)."""
    import sandbox as sb

    return {h.name: h.county for h in sb.default_scenario().halls}


def hall_frame(rec, counties: dict[str, str]) -> pd.DataFrame:
    """One row per hall visit (channel 窗口) with the keys and flags the dashboards group by."""
    from sandbox.hall.records import OUTCOME
    from sandbox.hall.scenario import WINDOW_KINDS

    c = rec.cases
    m = c["channel"] == 0
    halls = np.array(rec.hall_names, dtype=object)[c["hall"][m]]
    t_num = pd.to_datetime(c["t_number"][m], unit="s")
    called = c["t_called"][m] >= 0
    outcome = c["outcome"][m]
    return pd.DataFrame({
        "month": t_num.strftime("%Y-%m"), "hall": halls,
        "county": [counties.get(h, "") for h in halls],
        "item": [f"{a} {b}" for a, b in zip(np.array(rec.item_codes, dtype=object)[c["item"][m]],
                                           np.array(rec.item_names, dtype=object)[c["item"][m]])],
        "weekday": t_num.day_of_week, "hour": t_num.hour,
        "wait": np.where(called, (c["t_called"][m] - c["t_number"][m]) / 60.0, np.nan),
        "decided": called,
        "abandoned": np.isin(outcome, [OUTCOME["放弃离开"], OUTCOME["闭厅未办"]]),
        "correction": called & (outcome == OUTCOME["补正"]),
        "refusal": called & (outcome == OUTCOME["不予受理"]),
        "bad_window": c["pool"][m] == WINDOW_KINDS.index("办不成事反映"),
    })


def _figures(g) -> pd.DataFrame:
    """Per group: the hall figures of sandbox.hall.metrics.summary (same definitions)."""
    out = g.agg(visitors=("wait", "size"), mean_wait=("wait", "mean"),
                p90_wait=("wait", lambda w: float(np.nanpercentile(w, 90)) if w.notna().any() else np.nan),
                abandoned=("abandoned", "sum"), decided=("decided", "sum"), corrections=("correction", "sum"),
                refusals=("refusal", "sum"), bad_window=("bad_window", "sum"))
    out["abandonment_rate"] = out["abandoned"] / out["visitors"]
    out["correction_rate"] = out["corrections"] / out["decided"].where(out["decided"] > 0)
    out["refusal_rate"] = out["refusals"] / out["decided"].where(out["decided"] > 0)
    return out


def _one_visit(rec, counties: dict[str, str]) -> pd.DataFrame:
    """One-visit rate of completed matters by the month and hall of their first contact."""
    mt = rec.matters
    c = rec.cases
    first = mt["first"]
    hall_idx = c["hall"][first]
    frame = pd.DataFrame({
        "month": _month_of(c["t_arrive"][first]),
        "hall": np.where(hall_idx >= 0, np.array(rec.hall_names, dtype=object)[np.maximum(hall_idx, 0)], ""),
        "done": mt["completed"], "one": mt["completed"] & (mt["hall_visits"] <= 1),
        "window": c["channel"][first] == 0,
    })
    frame = frame[frame["window"]]
    frame["county"] = frame["hall"].map(counties)
    return frame


def _utilisation(rec, counties: dict[str, str]) -> pd.DataFrame:
    p = rec.pools
    days = pd.to_datetime(np.asarray(p["day"], dtype=np.int64) - 719163, unit="D")
    df = pd.DataFrame({"month": days.strftime("%Y-%m"),
                       "hall": np.array(rec.hall_names, dtype=object)[p["hall"]],
                       "busy": p["busy_s"], "open": p["open_s"]})
    df["county"] = df["hall"].map(counties)
    return df


def hall_tables(rec) -> dict[str, pd.DataFrame]:
    """hall_month (city / county / hall levels), item_month and heat from a hall run's records."""
    counties = hall_counties()
    visits = hall_frame(rec, counties)
    ov = _one_visit(rec, counties)
    util = _utilisation(rec, counties)
    levels = []
    for level, keys in (("市", ["month"]), ("县区", ["month", "county"]), ("大厅", ["month", "county", "hall"])):
        f = _figures(visits.groupby(keys))
        o = ov.groupby(keys)[["done", "one"]].sum()
        u = util.groupby(keys)[["busy", "open"]].sum()
        f = f.join(o).join(u)
        f["one_visit_rate"] = f["one"] / f["done"].where(f["done"] > 0)
        f["utilisation"] = f["busy"] / f["open"].where(f["open"] > 0)
        f = f.reset_index()
        f["level"] = level
        levels.append(f)
    hall_month = pd.concat(levels, ignore_index=True)
    for col in ("county", "hall"):
        hall_month[col] = hall_month[col].fillna("")
    hall_month = hall_month.drop(columns=["done", "one", "busy", "open"])
    item_month = _figures(visits.groupby(["month", "county", "hall", "item"])).reset_index()
    heat = visits.groupby(["month", "county", "hall", "weekday", "hour"]).agg(
        visitors=("wait", "size"), mean_wait=("wait", "mean")).reset_index()
    return {"hall_month": hall_month, "item_month": item_month, "heat": heat}


def _platform_month(runs: Path, city) -> pd.DataFrame:
    from sandbox import platform as pf
    from sandbox.storage.platform import load_platform_records

    rec = load_platform_records(runs, city.platform_run)
    df = pf.monthly(rec).reset_index()
    df.columns = [str(c) for c in df.columns]
    return df


def build_bulletins(paths: Paths, runs: Path, city, log: Callable[[str], None] = print) -> list[str]:
    """Each month's bulletin, exactly as `python -m sandbox bulletin` builds and writes it, + PDF."""
    from sandbox.hotline import bulletin
    from sandbox.hotline.report import write

    months = pd.period_range(city.start[:7], city.end[:7], freq="M").strftime("%Y-%m").tolist()
    done = []
    for month in months:
        out = data_dir(paths) / "bulletins" / month
        try:
            data = bulletin.build(runs, month, city.hotline_run)
        except bulletin.NoTicketsError:
            continue
        html, _ = write(data, out)
        html_to_pdf(html, out / "bulletin.pdf")
        done.append(month)
    log(f"  read model: {len(done)} bulletins ({months[0]} … {months[-1]})")
    return done


def html_to_pdf(html: Path, pdf: Path) -> bool:
    """Print an HTML file to PDF with headless Chromium (absent: no PDF, the page says so)."""
    import shutil
    import subprocess

    exe = shutil.which("chromium")  # Debian's package chromium (scripts/system-packages.txt)
    if exe is None:
        return False
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html.resolve().as_uri()],
                   capture_output=True, timeout=120, check=False)
    return pdf.exists()


def build_city(paths: Paths, runs: Path, city, hall_rec, log: Callable[[str], None] = print) -> None:
    """The city part of the read model, from the fresh hall records and the stored runs (``runs``)."""
    tables = hall_tables(hall_rec)
    tables["platform_month"] = _platform_month(runs, city)
    months = build_bulletins(paths, runs, city, log)
    tables["bulletin_months"] = pd.DataFrame({"month": months})
    _write_tables(paths, tables, {"city_label": city.label, "city_seed": str(city.seed),
                                  "city_start": city.start, "city_end": city.end, "hall_run": city.hall_run,
                                  "hotline_run": city.hotline_run, "platform_run": city.platform_run,
                                  "data_mark": "合成数据"})
    log(f"  read model: city tables written ({sum(len(t) for t in tables.values()):,} rows)")


# -- training part -----------------------------------------------------------------------------
def leader_scope(county: str) -> str:
    """The roster's 县区 of a leader → what they see: 全市 or that county."""
    return CITY_SCOPE if county.strip() in CITY_SCOPE_NAMES or not county.strip() else county.strip()


def _course_specs(paths: Paths) -> dict[str, dict]:
    import tomllib

    from academy import db as adb

    out = {}
    for c in adb.courses(paths.academy_db_url):
        f = Path(c.source) / "course.toml"
        try:
            out[c.id] = tomllib.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out[c.id] = {"id": c.id, "title": c.title, "assignments": []}
    return out


def _due_passed(spec: dict, assignment: dict, now: dt.datetime) -> bool:
    due = assignment.get("due")
    if not due:
        return False
    when = due if isinstance(due, dt.datetime) else dt.datetime.fromisoformat(str(due))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return when < now


def training_tables(paths: Paths, now: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """One row per trainee × course, competence per trainee × dimension, leaders' scopes."""
    from grading import store
    from grading.competence import load_framework
    from runtime.people import people

    now = now or dt.datetime.now(dt.timezone.utc)
    specs = _course_specs(paths)
    everyone = people(paths.academy_db_url)
    results = {(r.course, r.assignment, r.account): r for r in store.results(paths.academy_db_url)}
    certs = {(c.account, c.course) for c in store.certificates(paths.academy_db_url) if not c.revoked}
    rows = []
    for p in (x for x in everyone if x.role == "trainee"):
        for course in p.courses:
            rows.append(_course_row(p, course, specs.get(course, {}), results, certs, now))
    fw = load_framework()
    comp = _competence(store.competence_rows(paths.academy_db_url), fw, {p.account: p for p in everyone})
    leaders = pd.DataFrame([{"account": p.account, "name": p.name, "scope": leader_scope(p.county)}
                            for p in everyone if p.role == "leader" and p.active],
                           columns=["account", "name", "scope"])
    cols = ["account", "name", "unit", "county", "cohort", "course", "course_title", "assignments", "submitted",
            "overdue", "completed", "passed", "certificate", "hours", "active"]
    return {"training": pd.DataFrame(rows, columns=cols), "competence": comp, "leaders": leaders,
            "dimensions": pd.DataFrame({"dimension": [d.name for d in fw.dimensions]})}


def _course_row(p, course: str, spec: dict, results: dict, certs: set, now) -> dict:
    # 选做 assignments (``optional = true``) are outside completion and the pass rule (grading.course.for_pass)
    assignments = [a for a in spec.get("assignments", []) if not a.get("optional")]
    got = [results.get((course, a["id"], p.account)) for a in assignments]
    submitted = sum(1 for r in got if r is not None and r.status != "missing")
    overdue = sum(1 for a, r in zip(assignments, got) if r is None and _due_passed(spec, a, now))
    score = sum(r.score for r in got if r is not None)
    top = sum(r.max_score for r in got if r is not None)
    completed = bool(assignments) and submitted == len(assignments)
    passed = completed and top > 0 and score / top >= float(spec.get("pass_score", 0.6))
    return {"account": p.account, "name": p.name, "unit": p.unit, "county": p.county, "cohort": p.cohort,
            "course": course, "course_title": spec.get("title", course), "assignments": len(assignments),
            "submitted": submitted, "overdue": overdue, "completed": completed, "passed": passed,
            "certificate": (p.account, course) in certs,
            "hours": float(spec.get("hours", 0)) if completed else 0.0, "active": p.active}


def _competence(rows: Iterable, fw, who: dict) -> pd.DataFrame:
    agg: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        pair = agg.setdefault((r.account, r.dimension), [0.0, 0.0])
        pair[0] += r.points
        pair[1] += r.max_points
    out = []
    for (account, dim), (pts, top) in sorted(agg.items()):
        p = who.get(account)
        if p is None or p.role != "trainee":
            continue
        share = pts / top if top else None
        out.append({"account": account, "name": p.name, "unit": p.unit, "county": p.county,
                    "cohort": p.cohort, "dimension": dim, "share": share, "level": fw.level(share)})
    return pd.DataFrame(out, columns=["account", "name", "unit", "county", "cohort", "dimension", "share", "level"])


def _fingerprint(tables: dict[str, pd.DataFrame]) -> str:
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(name.encode())
        h.update(tables[name].to_json(orient="split", force_ascii=False).encode())
    return h.hexdigest()


def refresh_training(paths: Paths, *, force: bool = False) -> bool:
    """Rebuild the training part when the academy DB changed. Returns whether it changed (then the
    training pages are rendered again: academy.dashpages.refresh)."""
    if not paths.has_academy_db():
        return False
    tables = training_tables(paths)
    digest = _fingerprint(tables)
    if not force and _meta(paths).get("training_digest") == digest and db_path(paths).exists():
        return False
    _write_tables(paths, tables, {"training_digest": digest,
                                  "training_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    return True


def _meta(paths: Paths) -> dict[str, str]:
    if not db_path(paths).exists():
        return {}
    con = sqlite3.connect(f"file:{db_path(paths)}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return {}
    finally:
        con.close()
