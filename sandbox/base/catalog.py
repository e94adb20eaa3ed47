"""The catalogue of service items (政务服务事项目录) and 高效办成一件事 bundles.

Data lives in TOML files a trainer can read and edit (schema in sandbox/CATALOG.md):

- ``sandbox/data/catalog/_materials.toml`` — materials shared by many items (居民身份证, 营业执照 …);
- ``sandbox/data/catalog/<block-slug>.toml`` — one file per service block of the city centre;
- ``sandbox/data/bundles.toml`` — the 高效办成一件事 bundles, built from item codes.

Everything is validated on load; a :class:`CatalogError` names the file, the item code and the field.
Facts follow ../shared/DOMAIN.md §1, §2, §5 and §6. The module is pure: loading reads the files
once (cached for the default directory) and returns frozen objects.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "BLOCKS", "ITEM_TYPES", "LEVELS", "FORMS", "SOURCES", "CROSS_PROVINCE_MODES", "SERVICE_CLASSES",
    "WINDOW_KINDS", "TYPE_CODES", "BUNDLE_KINDS", "BUNDLE_SOURCES", "Material", "ServiceItem", "Bundle", "Catalog",
    "CatalogError", "load_catalog", "DATA_DIR", "shared_materials", "standard_steps",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# The nine service blocks of the Haidong city service centre (DOMAIN §1).
BLOCKS = ("公安与车驾管", "市场主体登记", "税务", "住房公积金", "不动产登记", "企业开办", "工程建设项目审批",
          "综合审批", "社会保障")
ITEM_TYPES = ("行政许可", "行政确认", "行政裁决", "行政给付", "行政奖励", "行政备案", "其他行政权力", "公共服务")
# Two-letter type codes used inside item codes (the academy's own scheme, modelled on GB/T 39554.1).
TYPE_CODES = {"行政许可": "XK", "行政确认": "QR", "行政裁决": "CJ", "行政给付": "GF", "行政奖励": "JL",
              "行政备案": "BA", "其他行政权力": "QT", "公共服务": "GG"}
LEVELS = ("国家级", "省级", "市级", "县级", "乡镇级", "村级")
FORMS = ("纸质", "电子", "纸质或电子")
SOURCES = ("申请人", "政府部门核发")
CROSS_PROVINCE_MODES = ("全程网办", "异地代收代办", "多地联办")
SERVICE_CLASSES = ("quick", "typical", "complex")
# Specialist window kinds: one per block, plus medical insurance, which the comparable Haixi hall
# counts as its own busy window (DOMAIN §1) although it sits in the social-security block here.
WINDOW_KINDS = BLOCKS + ("医疗保障",)
BUNDLE_KINDS = ("个人", "企业")
# Where a bundle comes from: the State Council's first batch of 13 (国发〔2024〕3号, DOMAIN §6), a later
# national batch, or a Haidong / Qinghai bundle of its own.
BUNDLE_SOURCES = ("国家第一批", "国家后续批次", "地方")
REGION_CODES = ("630200", "630202", "630203", "630222", "630223", "630224", "630225")
CODE_RE = re.compile(r"^(?P<region>\d{6})-(?P<type>[A-Z]{2})-(?P<num>\d{5})$")

# Material fields that may be omitted in the data files, with their defaults (documented in CATALOG.md).
MATERIAL_DEFAULTS: dict[str, Any] = {
    "required": True, "form": "纸质或电子", "originals": 1, "copies": 0, "source": "申请人",
    "elicence": False, "rongque": False, "pledge": False, "core": False,
}


class CatalogError(ValueError):
    """Invalid catalogue data; the message names the file, the item code and the field."""

    def __init__(self, file: str, item: str | None, field_name: str | None, message: str) -> None:
        self.file, self.item, self.field, self.detail = file, item, field_name, message
        where = file
        if item:
            where += f" 事项 {item}"
        if field_name:
            where += f" 字段 {field_name}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Material:
    name: str
    required: bool
    form: str  # 纸质 / 电子 / 纸质或电子
    originals: int
    copies: int
    source: str  # 申请人 / 政府部门核发
    elicence: bool  # an e-licence can replace it (免证办)
    rongque: bool  # may be supplied later under 容缺受理 (never for core materials)
    pledge: bool  # a 告知承诺 can replace it
    core: bool  # core or safety material


@dataclass(frozen=True, slots=True)
class ServiceItem:
    code: str
    name: str
    item_type: str
    block: str
    department: str
    level: str
    conditions: tuple[str, ...]
    materials: tuple[Material, ...]
    legal_days: int  # working days
    promised_days: int  # working days; 0 for 即办件
    instant: bool  # 即办件 (当场办结) vs 承诺件
    fee_yuan: float
    fee_basis: str
    visits: int  # 到现场次数 shown in the guide (0 when fully online)
    online: bool  # 全程网办 available
    online_share: float  # share of this item's cases done online (no queue)
    cross_province: str | None  # None / 全程网办 / 异地代收代办 / 多地联办
    service_class: str  # quick / typical / complex (DOMAIN §8)
    weight: float  # relative demand (all channels) at the city centre
    window_kind: str  # specialist window kind that serves it (its block unless noted)
    pledge_allowed: bool  # item-level 告知承诺 eligibility (DOMAIN §5 exclusions)
    rongque_allowed: bool  # item-level 容缺受理 eligibility (few items, DOMAIN §5)
    basis: str  # 设定和实施依据
    steps: tuple[str, ...]  # 办理流程
    faq: tuple[tuple[str, str], ...]  # 常见问题
    # 办理地点 when it is not a hall window (出生医学证明: the birth hospital); "" = the halls handle it.
    venue: str = ""

    @property
    def at_hall(self) -> bool:
        """Handled at hall windows (or their portal); False: another institution, linked in bundles only."""
        return not self.venue

    @property
    def required_materials(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if m.required)

    @property
    def kind_label(self) -> str:
        return "即办件" if self.instant else "承诺件"

    def material(self, name: str) -> Material:
        for m in self.materials:
            if m.name == name:
                return m
        raise KeyError(f"事项 {self.code} 没有材料 {name!r}")


@dataclass(frozen=True)
class Bundle:
    code: str
    name: str
    kind: str  # 个人 / 企业
    items: tuple[str, ...]  # item codes
    promised_days: int
    description: str
    source: str = "地方"  # BUNDLE_SOURCES
    basis: str = ""  # the document that sets the bundle up
    # Items another institution handles (at_hall False) whose result the bundle links, e.g. 出生医学证明.
    linked: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # identity equality/hash: usable as a cache key (lru_cache)
class Catalog:
    items: Mapping[str, ServiceItem]
    bundles: Mapping[str, Bundle]

    def __post_init__(self) -> None:
        # Index by block once; not a dataclass field, so equality and repr stay items + bundles.
        by_block = {b: tuple(it for it in self.items.values() if it.block == b) for b in BLOCKS}
        object.__setattr__(self, "_by_block", by_block)

    def item(self, code: str) -> ServiceItem:
        try:
            return self.items[code]
        except KeyError:
            raise KeyError(f"目录中没有事项编码 {code!r}") from None

    def by_block(self, block: str) -> tuple[ServiceItem, ...]:
        if block not in BLOCKS:
            raise KeyError(f"没有服务板块 {block!r}；可选：{'、'.join(BLOCKS)}")
        return self._by_block.get(block, ())

    def by_name(self, name: str) -> ServiceItem:
        for it in self.items.values():
            if it.name == name:
                return it
        raise KeyError(f"目录中没有事项 {name!r}")

    def bundle(self, code_or_name: str) -> Bundle:
        if code_or_name in self.bundles:
            return self.bundles[code_or_name]
        for b in self.bundles.values():
            if b.name == code_or_name:
                return b
        raise KeyError(f"没有一件事套餐 {code_or_name!r}")

    def bundle_items(self, bundle: Bundle | str) -> tuple[ServiceItem, ...]:
        b = self.bundle(bundle) if isinstance(bundle, str) else bundle
        return tuple(self.items[c] for c in b.items)

    def window_kinds(self) -> tuple[str, ...]:
        """Window kinds used by at least one item, in WINDOW_KINDS order."""
        used = {it.window_kind for it in self.items.values()}
        return tuple(k for k in WINDOW_KINDS if k in used)

    def weights_by_window_kind(self, *, hall_only: bool = False) -> dict[str, float]:
        """Summed demand weight per window kind; ``hall_only`` removes each item's online share."""
        out: dict[str, float] = {}
        for it in self.items.values():
            w = it.weight * (1.0 - it.online_share) if hall_only else it.weight
            out[it.window_kind] = out.get(it.window_kind, 0.0) + w
        return out

    def __len__(self) -> int:
        return len(self.items)


def shared_materials(items: tuple[ServiceItem, ...] | list[ServiceItem]) -> dict[str, int]:
    """Material names required by more than one of the items, with how many require them.

    A bundle collects each shared material once; the simulation measures what that saves.
    """
    counts: dict[str, int] = {}
    for it in items:
        for name in {m.name for m in it.materials if m.required}:
            counts[name] = counts.get(name, 0) + 1
    return {n: c for n, c in counts.items() if c > 1}


def standard_steps(instant: bool) -> tuple[str, ...]:
    """The default 办理流程 when a data file gives none."""
    if instant:
        return ("申请：窗口或网上提交申请材料", "受理：窗口审核材料，符合要求的当场受理",
                "办结：当场作出决定并出具办理结果")
    return ("申请：窗口或网上提交申请材料", "受理：材料齐全、符合法定形式的予以受理并出具受理通知书",
            "审查：承办部门审查材料，需要时现场核查", "决定：在承诺时限内作出决定",
            "送达：窗口领取、邮寄或电子送达办理结果")


# ---- loading and validation --------------------------------------------------------------------

_ITEM_REQUIRED = ("code", "name", "item_type", "department", "level", "conditions", "materials",
                  "legal_days", "promised_days", "instant", "fee_yuan", "visits", "online",
                  "service_class", "weight", "basis")
_ITEM_OPTIONAL = {"fee_basis": "", "online_share": 0.0, "cross_province": None, "window_kind": None,
                  "pledge_allowed": False, "rongque_allowed": False, "steps": None, "faq": (), "venue": ""}
_ITEM_KEYS = set(_ITEM_REQUIRED) | set(_ITEM_OPTIONAL)
_FILE_DEFAULTABLE = ("department", "level", "window_kind")


class _Ctx:
    """Where we are, so every error names the file, item and field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.item: str | None = None

    def fail(self, field_name: str | None, msg: str) -> CatalogError:
        return CatalogError(self.file, self.item, field_name, msg)


def _get_str(ctx: _Ctx, d: Mapping, key: str, *, allow_empty: bool = False, prefix: str = "") -> str:
    v = d.get(key)
    if not isinstance(v, str):
        raise ctx.fail(prefix + key, f"应为文字，实际是 {type(v).__name__}")
    if not allow_empty and not v.strip():
        raise ctx.fail(prefix + key, "不能为空")
    return v.strip()


def _get_int(ctx: _Ctx, d: Mapping, key: str, *, lo: int = 0, hi: int = 10_000, prefix: str = "") -> int:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, int):
        raise ctx.fail(prefix + key, f"应为整数，实际是 {v!r}")
    if not lo <= v <= hi:
        raise ctx.fail(prefix + key, f"应在 {lo}–{hi} 之间，实际是 {v}")
    return v


def _get_float(ctx: _Ctx, d: Mapping, key: str, *, lo: float = 0.0, hi: float = 1e9, prefix: str = "") -> float:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ctx.fail(prefix + key, f"应为数字，实际是 {v!r}")
    if not lo <= float(v) <= hi:
        raise ctx.fail(prefix + key, f"应在 {lo}–{hi} 之间，实际是 {v}")
    return float(v)


def _get_bool(ctx: _Ctx, d: Mapping, key: str, *, prefix: str = "") -> bool:
    v = d.get(key)
    if not isinstance(v, bool):
        raise ctx.fail(prefix + key, f"应为 true 或 false，实际是 {v!r}")
    return v


def _get_enum(ctx: _Ctx, d: Mapping, key: str, options: tuple[str, ...], *, prefix: str = "") -> str:
    v = d.get(key)
    if v not in options:
        raise ctx.fail(prefix + key, f"{v!r} 不在可选值中：{'、'.join(options)}")
    return v


def _get_str_list(ctx: _Ctx, d: Mapping, key: str, *, min_len: int = 0) -> tuple[str, ...]:
    v = d.get(key)
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise ctx.fail(key, "应为非空文字的列表")
    if len(v) < min_len:
        raise ctx.fail(key, f"至少需要 {min_len} 条")
    return tuple(x.strip() for x in v)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(path.name, None, None, f"TOML 格式错误：{exc}") from None
    except OSError as exc:
        raise CatalogError(path.name, None, None, f"无法读取：{exc}") from None


def _material(ctx: _Ctx, raw: Any, common: Mapping[str, dict], index: int, *, common_file: bool = False) -> Material:
    prefix = f"materials[{index}]."
    if isinstance(raw, str):
        if raw not in common:
            raise ctx.fail(f"materials[{index}]", f"共用材料 {raw!r} 未在 _materials.toml 中定义")
        raw = {"name": raw}
    if not isinstance(raw, dict):
        raise ctx.fail(f"materials[{index}]", "应为材料名称（引用共用材料）或材料表")
    name = _get_str(ctx, raw, "name", prefix=prefix)
    unknown = set(raw) - set(MATERIAL_DEFAULTS) - {"name"}
    if unknown:
        raise ctx.fail(prefix + sorted(unknown)[0], "未知字段")
    merged = dict(MATERIAL_DEFAULTS)
    if not common_file and name in common:
        merged.update(common[name])
    merged.update(raw)
    prefix = f"materials[{index}]({name})."
    m = Material(
        name=name,
        required=_get_bool(ctx, merged, "required", prefix=prefix),
        form=_get_enum(ctx, merged, "form", FORMS, prefix=prefix),
        originals=_get_int(ctx, merged, "originals", hi=10, prefix=prefix),
        copies=_get_int(ctx, merged, "copies", hi=10, prefix=prefix),
        source=_get_enum(ctx, merged, "source", SOURCES, prefix=prefix),
        elicence=_get_bool(ctx, merged, "elicence", prefix=prefix),
        rongque=_get_bool(ctx, merged, "rongque", prefix=prefix),
        pledge=_get_bool(ctx, merged, "pledge", prefix=prefix),
        core=_get_bool(ctx, merged, "core", prefix=prefix),
    )
    if m.core and m.rongque:
        raise ctx.fail(prefix + "rongque", "核心（或涉及安全的）材料不得容缺")
    if m.rongque and not m.required:
        raise ctx.fail(prefix + "rongque", "非必要材料无需容缺")
    if m.originals + m.copies == 0 and m.form == "纸质":
        raise ctx.fail(prefix + "originals", "纸质材料原件和复印件份数不能都是 0")
    return m


def _load_common(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    data = _read_toml(path)
    ctx = _Ctx(path.name)
    out: dict[str, dict] = {}
    raw_list = data.get("materials", [])
    if not isinstance(raw_list, list):
        raise ctx.fail("materials", "应为 [[materials]] 表的列表")
    for i, raw in enumerate(raw_list):
        m = _material(ctx, raw, {}, i, common_file=True)
        if m.name in out:
            raise ctx.fail(f"materials[{i}].name", f"共用材料 {m.name!r} 重复定义")
        out[m.name] = dict(raw)
    return out


def _item(ctx: _Ctx, raw: Any, block: str, defaults: Mapping, common: Mapping[str, dict], index: int) -> ServiceItem:
    if not isinstance(raw, dict):
        raise ctx.fail(f"items[{index}]", "应为 [[items]] 表")
    ctx.item = raw.get("code") if isinstance(raw.get("code"), str) else f"items[{index}]"
    unknown = set(raw) - _ITEM_KEYS
    if unknown:
        raise ctx.fail(sorted(unknown)[0], "未知字段（字段名写错了？）")
    d = {**{k: defaults[k] for k in _FILE_DEFAULTABLE if k in defaults}, **raw}
    for key in _ITEM_REQUIRED:
        if key not in d:
            raise ctx.fail(key, "缺少必填字段")
    for key, default in _ITEM_OPTIONAL.items():
        d.setdefault(key, default)
    code, item_type = _item_code(ctx, d)
    materials = _item_materials(ctx, d, common)
    legal, promised, instant = _item_time_limits(ctx, d)
    fee = _get_float(ctx, d, "fee_yuan", hi=1e6)
    fee_basis = _get_str(ctx, d, "fee_basis", allow_empty=True)
    if fee > 0 and not fee_basis:
        raise ctx.fail("fee_basis", "收费事项必须写明收费依据")
    visits, online, online_share, cross = _item_channels(ctx, d)
    window_kind = d["window_kind"] if d["window_kind"] is not None else block
    if window_kind not in WINDOW_KINDS:
        raise ctx.fail("window_kind", f"{window_kind!r} 不在可选值中：{'、'.join(WINDOW_KINDS)}")
    pledge_allowed, rongque_allowed = _item_pledge_rongque(ctx, d, materials, instant)
    venue, weight = _item_venue_weight(ctx, d, online)
    steps_raw = d["steps"]
    steps = standard_steps(instant) if steps_raw is None else _get_str_list(ctx, d, "steps", min_len=1)
    faq = _item_faq(ctx, d)
    item = ServiceItem(
        code=code,
        name=_get_str(ctx, d, "name"),
        item_type=item_type,
        block=block,
        department=_get_str(ctx, d, "department"),
        level=_get_enum(ctx, d, "level", LEVELS),
        conditions=_get_str_list(ctx, d, "conditions", min_len=1),
        materials=materials,
        legal_days=legal,
        promised_days=promised,
        instant=instant,
        fee_yuan=fee,
        fee_basis=fee_basis or ("不收费" if fee == 0 else fee_basis),
        visits=visits,
        online=online,
        online_share=online_share,
        cross_province=cross,
        service_class=_get_enum(ctx, d, "service_class", SERVICE_CLASSES),
        weight=weight,
        window_kind=window_kind,
        pledge_allowed=pledge_allowed,
        rongque_allowed=rongque_allowed,
        basis=_get_str(ctx, d, "basis"),
        steps=steps,
        faq=tuple(faq),
        venue=venue,
    )
    ctx.item = None
    return item


def _item_code(ctx: _Ctx, d: Mapping) -> tuple[str, str]:
    code = _get_str(ctx, d, "code")
    m = CODE_RE.match(code)
    if not m:
        raise ctx.fail("code", f"事项编码 {code!r} 格式应为 行政区划代码-类型代码-五位序号，如 630200-XK-02001")
    if m["region"] not in REGION_CODES:
        raise ctx.fail("code", f"行政区划代码 {m['region']} 不属于海东市")
    item_type = _get_enum(ctx, d, "item_type", ITEM_TYPES)
    if m["type"] != TYPE_CODES[item_type]:
        raise ctx.fail("code", f"类型代码 {m['type']} 与事项类型 {item_type}（{TYPE_CODES[item_type]}）不一致")
    return code, item_type


def _item_materials(ctx: _Ctx, d: Mapping, common: Mapping[str, dict]) -> tuple[Material, ...]:
    materials_raw = d["materials"]
    if not isinstance(materials_raw, list) or not materials_raw:
        raise ctx.fail("materials", "至少需要一项申请材料")
    materials = tuple(_material(ctx, r, common, i) for i, r in enumerate(materials_raw))
    names = [mat.name for mat in materials]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ctx.fail("materials", f"材料 {sorted(dup)[0]!r} 重复")
    if not any(mat.required for mat in materials):
        raise ctx.fail("materials", "至少需要一项必要材料")
    return materials


def _item_time_limits(ctx: _Ctx, d: Mapping) -> tuple[int, int, bool]:
    legal = _get_int(ctx, d, "legal_days", lo=1, hi=400)
    promised = _get_int(ctx, d, "promised_days", lo=0, hi=400)
    instant = _get_bool(ctx, d, "instant")
    if promised > legal:
        raise ctx.fail("promised_days", f"承诺办结时限 {promised} 个工作日超过法定办结时限 {legal} 个工作日")
    if instant and promised != 0:
        raise ctx.fail("promised_days", "即办件的承诺时限应为 0（当场办结）")
    if not instant and promised == 0:
        raise ctx.fail("promised_days", "承诺件的承诺时限至少 1 个工作日；当场办结的请标为 instant = true")
    return legal, promised, instant


def _item_channels(ctx: _Ctx, d: Mapping) -> tuple[int, bool, float, str | None]:
    visits = _get_int(ctx, d, "visits", lo=0, hi=5)
    online = _get_bool(ctx, d, "online")
    online_share = _get_float(ctx, d, "online_share", hi=1.0)
    if online and visits != 0:
        raise ctx.fail("visits", "全程网办事项的到现场次数应为 0")
    if not online and visits == 0:
        raise ctx.fail("visits", "不能全程网办的事项到现场次数至少为 1")
    if not online and online_share > 0:
        raise ctx.fail("online_share", "不能全程网办的事项网办比例应为 0")
    if online_share >= 1.0:
        raise ctx.fail("online_share", "网办比例应小于 1（大厅仍需保留窗口办理渠道）")

    cross = d["cross_province"]
    if cross is not None and cross not in CROSS_PROVINCE_MODES:
        raise ctx.fail("cross_province", f"{cross!r} 不在可选值中：{'、'.join(CROSS_PROVINCE_MODES)}")
    if cross == "全程网办" and not online:
        raise ctx.fail("cross_province", "跨省通办方式为全程网办的事项必须能网办（online = true）")
    return visits, online, online_share, cross


def _item_pledge_rongque(ctx: _Ctx, d: Mapping, materials: tuple[Material, ...], instant: bool) -> tuple[bool, bool]:
    pledge_allowed = _get_bool(ctx, d, "pledge_allowed")
    rongque_allowed = _get_bool(ctx, d, "rongque_allowed")
    for i, mat in enumerate(materials):  # a material flag the item does not allow misleads the guide
        if mat.pledge and not pledge_allowed:
            raise ctx.fail(f"materials[{i}]({mat.name}).pledge", "本事项不允许告知承诺（pledge_allowed = false），材料不能标为可承诺替代")
        if mat.rongque and not rongque_allowed:
            raise ctx.fail(f"materials[{i}]({mat.name}).rongque", "本事项不允许容缺受理（rongque_allowed = false），材料不能标为可容缺")
    if pledge_allowed and not any(mat.pledge for mat in materials):
        raise ctx.fail("pledge_allowed", "允许告知承诺的事项至少要有一项可承诺替代的材料（pledge = true）")
    if rongque_allowed:
        if instant:
            raise ctx.fail("rongque_allowed", "即办件当场办结，不适用容缺受理")
        if not any(mat.rongque for mat in materials):
            raise ctx.fail("rongque_allowed", "允许容缺受理的事项至少要有一项可容缺的次要材料（rongque = true）")
    return pledge_allowed, rongque_allowed


def _item_venue_weight(ctx: _Ctx, d: Mapping, online: bool) -> tuple[str, float]:
    venue = _get_str(ctx, d, "venue", allow_empty=True)
    weight = _get_float(ctx, d, "weight", hi=1e6)
    if venue and (weight != 0 or online):
        raise ctx.fail("weight" if weight != 0 else "online",
                       "不在大厅办理的事项（已写 venue）大厅和网上都不受理：weight 应为 0，online 应为 false")
    return venue, weight


def _item_faq(ctx: _Ctx, d: Mapping) -> list[tuple[str, str]]:
    faq_raw = d["faq"]
    if not isinstance(faq_raw, (list, tuple)):
        raise ctx.fail("faq", "应为 [问, 答] 的列表")
    faq = []
    for i, qa in enumerate(faq_raw):
        if (not isinstance(qa, (list, tuple)) or len(qa) != 2
                or not all(isinstance(x, str) and x.strip() for x in qa)):
            raise ctx.fail(f"faq[{i}]", "每条常见问题应为 [\"问题\", \"解答\"]")
        faq.append((qa[0].strip(), qa[1].strip()))

    return faq


def _load_block_file(path: Path, common: Mapping[str, dict]) -> list[ServiceItem]:
    data = _read_toml(path)
    ctx = _Ctx(path.name)
    block = data.get("block")
    if block not in BLOCKS:
        raise ctx.fail("block", f"{block!r} 不是服务板块；可选：{'、'.join(BLOCKS)}")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ctx.fail("defaults", "应为 [defaults] 表")
    bad = set(defaults) - set(_FILE_DEFAULTABLE)
    if bad:
        raise ctx.fail(f"defaults.{sorted(bad)[0]}", f"[defaults] 只能设置 {'、'.join(_FILE_DEFAULTABLE)}")
    items_raw = data.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise ctx.fail("items", "文件中没有 [[items]] 事项")
    return [_item(ctx, raw, block, defaults, common, i) for i, raw in enumerate(items_raw)]


_BUNDLE_REQUIRED = ("code", "name", "kind", "source", "items", "promised_days", "description", "basis")


def _bundle(ctx: _Ctx, raw: Any, index: int, items: Mapping[str, ServiceItem]) -> Bundle:
    if not isinstance(raw, dict):
        raise ctx.fail(f"bundles[{index}]", "应为 [[bundles]] 表")
    ctx.item = raw.get("code") if isinstance(raw.get("code"), str) else f"bundles[{index}]"
    unknown = set(raw) - set(_BUNDLE_REQUIRED) - {"linked"}
    if unknown:
        raise ctx.fail(sorted(unknown)[0], "未知字段")
    for key in _BUNDLE_REQUIRED:
        if key not in raw:
            raise ctx.fail(key, "缺少必填字段")
    code = _get_str(ctx, raw, "code")
    codes = _bundle_items(ctx, raw, items)
    linked = _get_str_list(ctx, raw, "linked") if "linked" in raw else ()
    for c in linked:
        if c not in items or items[c].at_hall:
            raise ctx.fail("linked", f"{c} 应为目录中不在大厅办理（写有 venue）的事项")
    promised = _get_int(ctx, raw, "promised_days", lo=0, hi=400)
    longest_legal = max(items[c].legal_days for c in codes)
    if promised > longest_legal:
        raise ctx.fail("promised_days", f"套餐承诺时限 {promised} 超过所含事项最长法定时限 {longest_legal}")
    return Bundle(code=code, name=_get_str(ctx, raw, "name"), kind=_get_enum(ctx, raw, "kind", BUNDLE_KINDS),
                  items=codes, promised_days=promised, description=_get_str(ctx, raw, "description"),
                  source=_get_enum(ctx, raw, "source", BUNDLE_SOURCES), basis=_get_str(ctx, raw, "basis"),
                  linked=linked)


def _bundle_items(ctx: _Ctx, raw: Mapping, items: Mapping[str, ServiceItem]) -> tuple[str, ...]:
    codes = _get_str_list(ctx, raw, "items", min_len=2)
    for c in codes:
        if c not in items:
            raise ctx.fail("items", f"引用的事项编码 {c} 不在目录中")
    if len(set(codes)) != len(codes):
        raise ctx.fail("items", "同一事项重复列入")
    elsewhere = [c for c in codes if not items[c].at_hall]
    if elsewhere:
        raise ctx.fail("items", f"事项 {elsewhere[0]} 不在大厅办理，应列入 linked（关联其办理结果）")
    return codes


def _load_bundles(path: Path, items: Mapping[str, ServiceItem]) -> dict[str, Bundle]:
    if not path.exists():
        raise CatalogError(path.name, None, None, "缺少一件事套餐文件")
    data = _read_toml(path)
    ctx = _Ctx(path.name)
    raw_list = data.get("bundles")
    if not isinstance(raw_list, list):
        raise ctx.fail("bundles", "应为 [[bundles]] 表的列表")
    out: dict[str, Bundle] = {}
    for i, raw in enumerate(raw_list):
        bundle = _bundle(ctx, raw, i, items)
        if bundle.code in out:
            raise ctx.fail("code", f"套餐编码 {bundle.code} 重复")
        out[bundle.code] = bundle
        ctx.item = None
    return out


def _load(directory: Path) -> Catalog:
    cat_dir = directory / "catalog"
    if not cat_dir.is_dir():
        raise CatalogError(str(cat_dir), None, None, "找不到事项目录文件夹")
    common = _load_common(cat_dir / "_materials.toml")
    items: dict[str, ServiceItem] = {}
    where: dict[str, str] = {}
    files = sorted(p for p in cat_dir.glob("*.toml") if not p.name.startswith("_"))
    if not files:
        raise CatalogError(str(cat_dir), None, None, "没有事项文件（*.toml）")
    for path in files:
        for it in _load_block_file(path, common):
            if it.code in items:
                raise CatalogError(path.name, it.code, "code", f"事项编码重复（已在 {where[it.code]} 中定义）")
            items[it.code] = it
            where[it.code] = path.name
    bundles = _load_bundles(directory / "bundles.toml", items)
    return Catalog(items=MappingProxyType(items), bundles=MappingProxyType(bundles))


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    return _load(DATA_DIR)


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Load and validate the catalogue; the default directory (sandbox/data) is loaded once and cached.

    ``directory`` holds ``catalog/*.toml`` and ``bundles.toml``.
    """
    if directory is None:
        return _default_catalog()
    return _load(Path(directory))
