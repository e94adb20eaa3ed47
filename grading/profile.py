"""Competence profiles: weighted score per dimension across courses, levels, aggregates, CSV."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from .competence import LEVELS, Framework, load_framework
from .course import COMPETENCES
from . import store

SYNTHETIC = "合成数据（演示环境，不含真实人员信息）"


def profiles(db_url: str, framework: Framework | None = None) -> dict[str, dict[str, dict]]:
    """account -> dimension -> {points, max_points, share, level}. Points-weighted across courses:
    share = Σ points / Σ max points of every graded cell tagged with that dimension."""
    fw = framework or load_framework()
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for row in store.competence_rows(db_url):
        acc = sums[row.account][row.dimension]
        acc[0] += row.points
        acc[1] += row.max_points
    out: dict[str, dict[str, dict]] = {}
    for account, dims in sums.items():
        out[account] = {}
        for dim in COMPETENCES:
            points, maximum = dims.get(dim, [0.0, 0.0])
            share = points / maximum if maximum else None
            out[account][dim] = {"points": round(points, 2), "max_points": round(maximum, 2),
                                 "share": None if share is None else round(share, 4),
                                 "level": fw.level(share) if share is not None else "—"}
    return out


def aggregates(db_url: str, people: dict[str, Any], by: str, framework: Framework | None = None) -> list[dict]:
    """Mean share and head-count per level for each group (by = unit | county | cohort)."""
    fw = framework or load_framework()
    profs = profiles(db_url, fw)
    groups: dict[str, list[str]] = defaultdict(list)
    for account in profs:
        groups[getattr(people.get(account), by, "") or "（未登记）"].append(account)
    rows = []
    for group, accounts in sorted(groups.items()):
        for dim in COMPETENCES:
            shares = [profs[a][dim]["share"] for a in accounts if profs[a][dim]["share"] is not None]
            counts = {lv: sum(1 for a in accounts if profs[a][dim]["level"] == lv) for lv in LEVELS}
            mean = sum(shares) / len(shares) if shares else None
            rows.append({"group": group, "dimension": dim, "people": len(accounts),
                         "mean_share": None if mean is None else round(mean, 4),
                         "level": fw.level(mean) if mean is not None else "—", **counts})
    return rows


GROUP_LABELS = {"unit": "单位", "county": "县区", "cohort": "批次"}


def export_csv(db_url: str, people: dict[str, Any], out_dir: Path, framework: Framework | None = None) -> list[Path]:
    """profiles.csv plus one aggregate CSV per 单位, 县区 and 批次; UTF-8 with BOM, marked 合成数据."""
    fw = framework or load_framework()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    path = out_dir / "competence_profiles.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["数据说明", SYNTHETIC])
        w.writerow(["账号", "姓名", "单位", "县区", "批次", "能力维度", "得分", "满分", "得分率", "等级"])
        for account, dims in sorted(profiles(db_url, fw).items()):
            p = people.get(account)
            for dim, v in dims.items():
                w.writerow([account, getattr(p, "name", ""), getattr(p, "unit", ""), getattr(p, "county", ""),
                            getattr(p, "cohort", ""), dim, v["points"], v["max_points"],
                            "" if v["share"] is None else v["share"], v["level"]])
    written.append(path)
    for by, label in GROUP_LABELS.items():
        path = out_dir / f"competence_by_{by}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(["数据说明", SYNTHETIC])
            w.writerow([label, "能力维度", "人数", "平均得分率", "等级", *LEVELS])
            for r in aggregates(db_url, people, by, fw):
                w.writerow([r["group"], r["dimension"], r["people"], "" if r["mean_share"] is None else r["mean_share"],
                            r["level"], *[r[lv] for lv in LEVELS]])
        written.append(path)
    return written
