"""The back office (后台) — the one trainee-facing API of the platform, used by the simulated staff too.

An officer verifies a registration, pre-reviews an application (预审: 受理 / 退回补正 with a one-time
list / 不予受理), looks up an e-licence, reads an item's online and hall guides, and migrates legacy
records. Nothing here knows the ground truth: a :class:`World` holds only what a real back office
sees (registry, licence library and holdings, guides as published); grading lives in
:mod:`sandbox.platform.grader`. Everything displayed is masked and marked 合成数据.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sandbox.base.ids import SYNTHETIC_MARK, mask_id, mask_name

from .applications import InvalidTransition, mode_of_item, transition
from .guides import GuideSource, draw_drifts
from .identity import RegistrationForm, Registry, Rules, Verdict, build_registry, check_registration, migrate
from .licences import LicenceLibrary, LicenceView, build_holdings, build_library, lookup
from .scenario import PlatformScenario

__all__ = ["World", "build_world", "QueueApplication", "BackOffice", "Decision", "exercise_queue", "registration_queue", "staff_decide", "usable",
           "DECISIONS"]

DECISIONS = ("预审通过", "退回补正", "不予受理")


@dataclass(frozen=True, eq=False)
class World:
    """What the back office can see for one run of the city."""
    scenario: PlatformScenario
    population: object
    items: tuple  # catalogue items in the hall's item-table order
    registry: Registry
    library: LicenceLibrary
    holdings: object
    guides: GuideSource

    def item(self, code: str):
        for it in self.items:
            if it.code == code:
                return it
        raise KeyError(f"事项目录中没有编码 {code!r}")


@lru_cache(maxsize=4)
def build_world(scenario: PlatformScenario, seed: int) -> World:
    from sandbox.base.catalog import load_catalog
    from sandbox.hall.items import item_table
    from sandbox.base.population import build_population

    hs = scenario.hall()
    pop = build_population(hs.population.seed, hs.population.citizens, hs.population.firms)
    cat = load_catalog()
    items = tuple(cat.items[c] for c in item_table(cat).codes)
    lib = build_library(items)
    return World(scenario, pop, items, build_registry(pop), lib, build_holdings(lib, pop, scenario),
                 GuideSource(items, draw_drifts(scenario, items, seed)))


@dataclass(frozen=True)
class QueueApplication:
    """One application in an officer's 预审 queue, as the screen shows it."""
    app_no: str
    item_code: str
    item_name: str
    mode: str
    applicant: str  # masked name and ID
    holder_id: str  # registry ID (the key for licence look-ups; masked on display)
    firm: int  # fid for enterprise matters, -1
    submitted: tuple[str, ...]  # materials uploaded
    person: int = field(repr=False, default=-1)

    def display(self) -> dict[str, str]:
        return {"申请号": self.app_no, "事项": f"{self.item_name}（{self.item_code}）", "办理方式": self.mode,
                "申请人": self.applicant, "已上传材料": "、".join(self.submitted) or "（无）", "数据标识": SYNTHETIC_MARK}


@dataclass(frozen=True)
class Decision:
    app_no: str
    decision: str  # one of DECISIONS
    state: str  # state after the decision
    ask_for: tuple[str, ...]  # materials on the one-time list (补正)
    pulled: tuple[str, ...]  # e-licences pulled instead of paper (免证办)


class BackOffice:
    """A back-office officer's desk over a :class:`World`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.decisions: dict[str, Decision] = {}

    @classmethod
    def for_scenario(cls, scenario: PlatformScenario, seed: int = 0) -> "BackOffice":
        return cls(build_world(scenario, seed))

    def verify_registration(self, form: RegistrationForm, *, face_verified: bool = False) -> Verdict:
        return check_registration(form, self.world.registry, face_verified=face_verified)

    def lookup_licence(self, holder_id: str, licence: str, *, firm: int | None = None) -> LicenceView:
        """A licence of a person (by registry ID) or of a firm (by fid) — masked, with status and validity."""
        w = self.world
        pid = w.registry.pid_of(holder_id)
        if pid is None and firm is None:
            raise KeyError("人口库中查无此身份证号")
        view = lookup(w.library, w.holdings, w.population, w.scenario.licences.cross_region, licence,
                      person=pid, firm=firm if firm is not None and firm >= 0 else None)
        return view if firm is not None and firm >= 0 else _with_holder(view, mask_id(holder_id))

    def guides(self, code: str):
        """(网上指南, 大厅指南) of an item as published."""
        return self.world.guides.pair(code)

    def migrate(self, records, rules: Rules = Rules()):
        """Merge legacy records into one account per person (repairs listed, rejections explained)."""
        return migrate(records, self.world.registry, rules)

    def prereview(self, app: QueueApplication, decision: str, ask_for=(), pulled=()) -> Decision:
        """Record an officer's 预审 decision; the state machine refuses an out-of-order step."""
        if decision not in DECISIONS:
            raise ValueError(f"预审结论应为 {'、'.join(DECISIONS)} 之一，而不是 {decision!r}")
        if app.app_no in self.decisions:
            raise InvalidTransition(self.decisions[app.app_no].state, decision)
        state = transition(transition("网上申报", "开始预审"), decision)
        d = Decision(app.app_no, decision, state, tuple(ask_for), tuple(pulled))
        self.decisions[app.app_no] = d
        return d


def _with_holder(view: LicenceView, holder: str) -> LicenceView:
    from dataclasses import replace

    return replace(view, holder=holder)


def usable(office: BackOffice, app: QueueApplication, licence: str) -> bool:
    """Can this material be pulled as an e-licence for this applicant (look-up says valid and recognised)?"""
    lib = office.world.library
    if licence not in lib.names:
        return False
    firm_licence = bool(lib.firm[lib.index(licence)])
    if firm_licence and app.firm < 0:
        return False
    return office.lookup_licence(app.holder_id, licence, firm=app.firm if firm_licence else None).recognised


def staff_decide(office: BackOffice, app: QueueApplication, rng: np.random.Generator,
                 p_ask_paper: float | None = None) -> Decision:
    """The simulated officer: look each missing licence up, pull what is usable, list the rest — but
    ask for paper anyway with ``applications.p_staff_ask_paper`` (the habit trainees learn to drop)."""
    w = office.world
    item = w.item(app.item_code)
    p = w.scenario.applications.p_staff_ask_paper if p_ask_paper is None else p_ask_paper
    ask, pulled = [], []
    for m in item.required_materials:
        if m.name in app.submitted:
            continue
        if usable(office, app, m.name) and rng.random() >= p:
                pulled.append(m.name)
                continue
        ask.append(m.name)
    return office.prereview(app, "退回补正" if ask else "预审通过", ask, pulled)


def registration_queue(scenario: PlatformScenario, seed: int, n: int = 30) -> tuple[World, tuple[RegistrationForm, ...]]:
    """Online registrations waiting for 核验 (as the applicants typed them; some are not right)."""
    from .legacy import make_registrations

    w = build_world(scenario, seed)
    return w, make_registrations(w.registry, seed, n)[0]


def exercise_queue(scenario: PlatformScenario, seed: int, n: int = 50) -> tuple[World, tuple[QueueApplication, ...]]:
    """A day's 预审 queue of ``n`` online applications (items by demand weight, people of the city)."""
    w = build_world(scenario, seed)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0xE0E])))
    weights = np.array([it.weight for it in w.items], float)
    picks = rng.choice(len(w.items), size=n, p=weights / weights.sum())
    firms = w.population.firms
    out = []
    for k, i in enumerate(picks.tolist()):
        it = w.items[i]
        pid = int(rng.integers(0, w.population.adults))  # an adult files (children only via a profile)
        firm = int(rng.integers(0, len(firms))) if it.block in ("市场主体登记", "企业开办", "工程建设项目审批") and firms else -1
        if firm >= 0:
            pid = firms[firm].legal_rep_pid
        # Uploads: each required material with 85 %, e-licence materials less often (people expect 免证办).
        sub = tuple(m.name for m in it.materials if m.required and rng.random() < (0.5 if m.elicence else 0.85))
        hid = w.registry.ids[pid]
        out.append(QueueApplication(f"WB{seed % 10000:04d}{k + 1:04d}", it.code, it.name, mode_of_item(it),
                                    f"{mask_name(w.registry.names[pid])} {mask_id(hid)}", hid, firm, sub, pid))
    return w, tuple(out)

