"""The shipped catalogue is valid and faithful to DOMAIN.md; broken data files give precise errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.base.catalog import (BLOCKS, ITEM_TYPES, TYPE_CODES, WINDOW_KINDS, Catalog, CatalogError, load_catalog,
                             shared_materials)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


# ---- the shipped data -------------------------------------------------------------------------

def test_size_and_coverage(cat):
    assert len(cat.items) >= 60
    for block in BLOCKS:
        assert len(cat.by_block(block)) >= 3, block
    assert {it.block for it in cat.items.values()} == set(BLOCKS)
    assert {it.item_type for it in cat.items.values()} == set(ITEM_TYPES)
    assert len(cat.bundles) >= 8
    assert {b.kind for b in cat.bundles.values()} == {"个人", "企业"}


def test_default_catalog_is_cached(cat):
    assert load_catalog() is cat


def test_named_items_present(cat):
    names = " ".join(it.name for it in cat.items.values())
    for word in ("住房公积金提取", "职工参保登记", "城乡居民养老保险待遇申领", "居民身份证申领", "机动车驾驶证换证",
                 "营业执照设立登记", "个体工商户设立登记", "食品经营许可", "不动产转移登记", "抵押登记",
                 "建设工程规划许可证", "施工许可", "出生医学证明"):
        assert word in names, word


def test_id_card_matches_domain(cat):
    it = cat.by_name("居民身份证申领")
    assert (it.promised_days, it.legal_days, it.visits, it.instant) == (5, 60, 1, False)


def test_time_limits_consistent(cat):
    for it in cat.items.values():
        assert 0 <= it.promised_days <= it.legal_days, it.code
        assert it.instant == (it.promised_days == 0), it.code
        if it.online:
            assert it.visits == 0, it.code
        else:
            assert it.visits >= 1 and it.online_share == 0, it.code


def test_licences_follow_licensing_law_defaults(cat):
    # No special limit → 20 working days (DOMAIN §2); special laws may shorten, a few set 45 (joint).
    licences = [it for it in cat.items.values() if it.item_type == "行政许可"]
    assert len(licences) >= 20
    assert all(it.legal_days <= 45 for it in licences)
    for name in ("建设工程规划许可证核发", "公共场所卫生许可", "烟草专卖零售许可", "建设用地规划许可证核发"):
        assert cat.by_name(name).legal_days == 20, name


def test_codes_encode_type(cat):
    for code, it in cat.items.items():
        assert code == it.code
        assert code.split("-")[1] == TYPE_CODES[it.item_type]


def test_busiest_windows_in_domain_order(cat):
    # DOMAIN §1: housing fund > social security > public security > medical insurance > market regulation.
    order = ["住房公积金", "社会保障", "公安与车驾管", "医疗保障", "市场主体登记"]
    for hall_only in (False, True):
        w = cat.weights_by_window_kind(hall_only=hall_only)
        values = [w[k] for k in order]
        assert values == sorted(values, reverse=True), (hall_only, w)
        # Real estate is among the busy blocks, construction approvals among the quiet ones.
        assert w["不动产登记"] > w["工程建设项目审批"] * 3
    assert set(cat.window_kinds()) <= set(WINDOW_KINDS)


def test_rongque_is_rare_and_never_core(cat):
    items = list(cat.items.values())
    rq = [it for it in items if it.rongque_allowed]
    assert 1 <= len(rq) <= len(items) // 10
    assert sum(it.item_type == "行政许可" for it in rq) <= 3  # DOMAIN §5: 3 licensing items in 2022 Q2
    for it in items:
        for m in it.materials:
            assert not (m.core and m.rongque), (it.code, m.name)
        if it.rongque_allowed:
            assert not it.instant and any(m.rongque for m in it.materials)


def test_pledge_excluded_for_safety_health_ecology(cat):
    excluded = ("消防", "药品", "医疗机构", "取水", "特种设备", "食品", "护照", "林木", "工伤")
    for it in cat.items.values():
        if any(w in it.name for w in excluded):
            assert not it.pledge_allowed, it.name
        if it.pledge_allowed:
            assert any(m.pledge for m in it.materials), it.code
    assert sum(it.pledge_allowed for it in cat.items.values()) >= 5


def test_bundles(cat):
    names = {b.name for b in cat.bundles.values()}
    for word in ("新生儿出生", "退休", "开办餐饮店", "企业信息变更", "水电气网联合报装", "企业注销", "二手房转移登记",
                 "身后一件事"):
        assert any(word in n for n in names), word
    for b in cat.bundles.values():
        items = cat.bundle_items(b)
        assert len(items) >= 2 and all(c in cat.items for c in b.items)
        assert b.promised_days <= max(it.legal_days for it in items)
    newborn = cat.bundle("新生儿出生一件事")
    assert newborn.promised_days == 5
    shared = shared_materials(cat.bundle_items(newborn))
    assert shared["出生医学证明"] >= 2


def test_lookup_errors(cat):
    with pytest.raises(KeyError, match="没有事项编码"):
        cat.item("000000-XK-00000")
    with pytest.raises(KeyError, match="没有服务板块"):
        cat.by_block("教育")
    assert cat.item("630200-QR-01001").material("居民户口簿").elicence


def test_weights_and_shares_sane(cat):
    for it in cat.items.values():
        assert it.weight > 0
        assert 0 <= it.online_share < 1
        if it.cross_province == "全程网办":
            assert it.online
        assert it.steps and it.conditions and it.basis


# ---- validation of broken files ------------------------------------------------------------------

COMMON = '''
[[materials]]
name = "居民身份证"
source = "政府部门核发"
elicence = true
core = true
'''

BLOCK = '''block = "税务"

[defaults]
department = "测试税务局"

[[items]]
code = "630200-GG-03901"
name = "测试事项甲"
item_type = "公共服务"
level = "市级"
conditions = ["条件一"]
materials = ["居民身份证", {name = "申请书", core = true}]
legal_days = 5
promised_days = 2
instant = false
fee_yuan = 0.0
visits = 1
online = false
service_class = "typical"
weight = 10
basis = "某条例第一条"

[[items]]
code = "630200-XK-03902"
name = "测试许可乙"
item_type = "行政许可"
level = "市级"
conditions = ["条件二"]
materials = ["居民身份证", {name = "平面图", rongque = true}, {name = "承诺书", pledge = true}]
legal_days = 20
promised_days = 10
instant = false
fee_yuan = 0.0
visits = 1
online = false
service_class = "complex"
weight = 5
rongque_allowed = true
pledge_allowed = true
cross_province = "多地联办"
basis = "某法第二条"
'''

BUNDLES = '''
[[bundles]]
code = "T-1"
name = "测试一件事"
kind = "企业"
items = ["630200-GG-03901", "630200-XK-03902"]
promised_days = 3
description = "测试"
'''


def _write(root: Path, block: str = BLOCK, bundles: str = BUNDLES, common: str = COMMON) -> Path:
    (root / "catalog").mkdir(parents=True, exist_ok=True)
    (root / "catalog" / "_materials.toml").write_text(common, encoding="utf-8")
    (root / "catalog" / "blk.toml").write_text(block, encoding="utf-8")
    (root / "bundles.toml").write_text(bundles, encoding="utf-8")
    return root


def test_fixture_is_valid(tmp_path):
    c = load_catalog(_write(tmp_path))
    assert len(c) == 2 and len(c.bundles) == 1
    a = c.item("630200-GG-03901")
    assert a.department == "测试税务局" and a.window_kind == "税务" and a.fee_basis == "不收费"
    assert a.material("居民身份证").core and a.material("居民身份证").elicence  # from _materials.toml
    assert a.material("申请书").originals == 1 and a.material("申请书").source == "申请人"  # defaults
    assert len(a.steps) == 5  # standard steps for a 承诺件


A, B = "630200-GG-03901", "630200-XK-03902"
BROKEN = [
    # (what, old, new, item, field)
    ("missing field", "legal_days = 5\n", "", A, "legal_days"),
    ("wrong type", "weight = 10", 'weight = "十"', A, "weight"),
    ("bool as int", "visits = 1\nonline = false\nservice_class = \"typical\"", "visits = true\nonline = false\nservice_class = \"typical\"", A, "visits"),
    ("item type enum", 'item_type = "公共服务"', 'item_type = "行政处罚"', A, "item_type"),
    ("level enum", 'level = "市级"\nconditions = ["条件一"]', 'level = "地级"\nconditions = ["条件一"]', A, "level"),
    ("service class enum", 'service_class = "typical"', 'service_class = "slow"', A, "service_class"),
    ("promised over legal", "promised_days = 2", "promised_days = 9", A, "promised_days"),
    ("instant with days", "promised_days = 2\ninstant = false", "promised_days = 2\ninstant = true", A, "promised_days"),
    ("commitment without days", "promised_days = 2", "promised_days = 0", A, "promised_days"),
    ("duplicate code", 'code = "630200-XK-03902"', 'code = "630200-GG-03901"', A, "code"),
    ("code format", 'code = "630200-GG-03901"', 'code = "630200-GG-3901"', "630200-GG-3901", "code"),
    ("code type mismatch", 'code = "630200-GG-03901"', 'code = "630200-XK-03901"', "630200-XK-03901", "code"),
    ("foreign region", 'code = "630200-GG-03901"', 'code = "110101-GG-03901"', "110101-GG-03901", "code"),
    ("unknown field", "weight = 10\n", "weight = 10\npromissed_days = 3\n", A, "promissed_days"),
    ("fee without basis", "fee_yuan = 0.0\nvisits = 1\nonline = false\nservice_class = \"typical\"", "fee_yuan = 5.0\nvisits = 1\nonline = false\nservice_class = \"typical\"", A, "fee_basis"),
    ("online with visits", "online = false\nservice_class = \"typical\"", "online = true\nservice_class = \"typical\"", A, "visits"),
    ("unknown shared material", 'materials = ["居民身份证", {name = "申请书"', 'materials = ["户口簿", {name = "申请书"', A, "materials[0]"),
    ("core rongque", '{name = "申请书", core = true}', '{name = "申请书", core = true, rongque = true}', A, "materials[1](申请书).rongque"),
    ("material form enum", '{name = "申请书", core = true}', '{name = "申请书", core = true, form = "传真"}', A, "materials[1](申请书).form"),
    ("no materials", 'materials = ["居民身份证", {name = "申请书", core = true}]', "materials = []", A, "materials"),
    ("no conditions", 'conditions = ["条件一"]', "conditions = []", A, "conditions"),
    ("rongque without material", '{name = "平面图", rongque = true}', '{name = "平面图"}', B, "rongque_allowed"),
    ("pledge without material", '{name = "承诺书", pledge = true}', '{name = "承诺书"}', B, "pledge_allowed"),
    ("cross-province enum", 'cross_province = "多地联办"', 'cross_province = "全国通办"', B, "cross_province"),
    ("window kind enum", "weight = 5\n", 'weight = 5\nwindow_kind = "教育"\n', B, "window_kind"),
    ("online share when offline", "weight = 5\n", "weight = 5\nonline_share = 0.3\n", B, "online_share"),
    ("faq shape", "weight = 5\n", 'weight = 5\nfaq = [["只有问题"]]\n', B, "faq[0]"),
]


@pytest.mark.parametrize("what,old,new,item,field", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_block_file(tmp_path, what, old, new, item, field):
    assert old in BLOCK, what
    _write(tmp_path, block=BLOCK.replace(old, new, 1))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    err = info.value
    assert (err.file, err.item, err.field) == ("blk.toml", item, field), str(err)
    assert "blk.toml" in str(err) and item in str(err) and field in str(err)


def test_unknown_block(tmp_path):
    _write(tmp_path, block=BLOCK.replace('block = "税务"', 'block = "税务局"'))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert (info.value.file, info.value.item, info.value.field) == ("blk.toml", None, "block")


def test_toml_syntax_error_names_file(tmp_path):
    _write(tmp_path, block=BLOCK + "\ncode = \n")
    with pytest.raises(CatalogError, match=r"blk\.toml.*TOML"):
        load_catalog(tmp_path)


def test_duplicate_code_across_files(tmp_path):
    _write(tmp_path)
    (tmp_path / "catalog" / "zz.toml").write_text(BLOCK.split("[[items]]")[0] + "[[items]]" + BLOCK.split("[[items]]")[1],
                                                  encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert (info.value.file, info.value.item, info.value.field) == ("zz.toml", A, "code")
    assert "blk.toml" in str(info.value)


@pytest.mark.parametrize("old,new,field", [
    ('"630200-XK-03902"]', '"630200-XK-09999"]', "items"),
    ('kind = "企业"', 'kind = "机关"', "kind"),
    ("promised_days = 3", "promised_days = 30", "promised_days"),
    ('description = "测试"\n', "", "description"),
])
def test_broken_bundles(tmp_path, old, new, field):
    _write(tmp_path, bundles=BUNDLES.replace(old, new))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert (info.value.file, info.value.item, info.value.field) == ("bundles.toml", "T-1", field), str(info.value)


def test_broken_shared_material(tmp_path):
    _write(tmp_path, common=COMMON.replace("core = true", "core = true\nrongque = true"))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert info.value.file == "_materials.toml" and info.value.field.endswith("rongque")


def test_missing_catalog_dir(tmp_path):
    with pytest.raises(CatalogError, match="找不到"):
        load_catalog(tmp_path)
