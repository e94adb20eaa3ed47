"""The shipped catalogue is valid and faithful to DOMAIN.md; broken data files give precise errors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sandbox.base.catalog import (BLOCKS, BUNDLE_SOURCES, ITEM_TYPES, TYPE_CODES, WINDOW_KINDS, Catalog, CatalogError,
                                  load_catalog, shared_materials)


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
        assert (it.weight > 0) == it.at_hall, it.code  # items handled elsewhere are never drawn for a hall
        assert 0 <= it.online_share < 1
        if it.cross_province == "全程网办":
            assert it.online
        assert it.steps and it.conditions and it.basis


# ---- corrections of the 2026-12 review (issue 14 point 8; docs/reviews/catalog-review-2026-12.md) ----------

NOT_AT_HALL = ("出生医学证明首次签发", "预防接种证办理", "遗体火化证明开具")


def test_documents_issued_elsewhere_are_not_hall_items(cat):
    # The birth hospital, the vaccinating clinic and the crematorium issue these; a hall only links them.
    for name in NOT_AT_HALL:
        it = cat.by_name(name)
        assert not it.at_hall and it.venue and it.weight == 0 and not it.online, name
        assert not any(it.code in b.items for b in cat.bundles.values()), name
    newborn = cat.bundle("新生儿出生一件事")
    assert {cat.item(c).name for c in newborn.linked} == {"出生医学证明首次签发", "预防接种证办理"}
    assert cat.by_name("遗体火化证明开具").code in cat.bundle("身后一件事").linked


def test_documents_issued_elsewhere_never_reach_a_window():
    from hall_runs import run
    rec = run("baseline", days=7, seed=11)
    drawn = {rec.item_codes[i] for i in np.unique(rec["item"])}
    assert len(drawn) > 40  # the run is big enough to show any item with weight
    cat = load_catalog()
    assert not drawn & {cat.by_name(n).code for n in NOT_AT_HALL}


def test_disability_card_is_a_county_federation_public_service(cat):
    it = cat.by_name("残疾人证办理")  # 残联 is a people's organisation, not an administrative organ
    assert it.item_type == "公共服务" and it.code.split("-")[1] == "GG"
    assert "残疾人联合会" in it.department and it.department.startswith(("县", "户籍所在地县")) and it.level == "县级"


def test_good_samaritan_not_confirmed_by_a_foundation(cat):
    it = cat.by_name("见义勇为人员奖励和表彰")
    assert "基金会" not in it.department
    assert "公安" in it.department and any("确认" in c for c in it.conditions)


def test_county_items_have_county_bodies(cat):
    # 高龄补贴、低保 … were 县级 but assigned to 海东市 bodies.
    for it in cat.items.values():
        if it.level == "县级":
            assert not it.department.startswith("海东市"), (it.code, it.name, it.department)
    for name in ("高龄补贴申领", "最低生活保障审核确认", "困难残疾人生活补贴和重度残疾人护理补贴申领"):
        assert "县（区）民政局" in cat.by_name(name).department, name


def test_county_licences_are_county_level(cat):
    # 道路运输条例 第二十四条, 烟草专卖法 第十六条, 出版管理条例 第三十七条: county authorities grant these.
    for name in ("道路货物运输经营许可（普通货运）", "烟草专卖零售许可", "出版物零售经营许可", "林木采伐许可"):
        assert cat.by_name(name).level == "县级", name


def test_pledge_and_rongque_flags_only_where_the_item_allows(cat):
    for it in cat.items.values():
        for m in it.materials:
            assert not m.pledge or it.pledge_allowed, (it.code, m.name)
            assert not m.rongque or it.rongque_allowed, (it.code, m.name)
    assert not cat.by_name("住房公积金个人住房贷款").pledge_allowed
    assert not cat.by_name("户口迁移（市内及跨省迁入）").material("亲属关系证明").pledge


def test_motor_vehicle_registration_allows_no_rongque(cat):
    it = cat.by_name("机动车注册登记")
    assert not it.rongque_allowed and not it.pledge_allowed
    # Every required material is core (safety, lawful origin), so no edit can mark one 容缺.
    assert all(m.core and not m.rongque for m in it.required_materials), [m.name for m in it.required_materials]
    assert str(int(it.fee_yuan)) in it.fee_basis or "100" in it.fee_basis  # fee and its basis agree
    assert it.fee_yuan >= 100  # a number plate alone costs 100 (was 25 next to a basis saying 100)


def test_time_limits_follow_the_law(cat):
    # 社会保险法 第五十七条: 15 days for a unit's registration; 机动车登记规定: 号牌 within 15 days,
    # 行驶证 the same day — one 即办件 could not carry both.
    assert cat.by_name("单位社会保险参保登记").legal_days == 15
    # 社会保险经办条例 (2023): a pension claim is settled within 20 working days of the application.
    assert cat.by_name("企业职工基本养老保险待遇申领（退休）").legal_days == 20
    plate = cat.by_name("补领、换领机动车号牌")
    assert (plate.legal_days, plate.instant) == (15, False) and plate.promised_days <= 15
    assert cat.by_name("补领、换领机动车行驶证").instant


def test_birth_registration_does_not_require_a_marriage_certificate(cat):
    # 国办发〔2015〕96号: 非婚生育的凭出生医学证明和父母一方户口簿登记.
    assert not cat.by_name("出生登记（新生儿入户）").material("结婚证").required


FIRST_BATCH = ("企业信息变更", "开办运输企业", "开办餐饮店", "水电气网联合报装", "信用修复", "企业破产信息核查",
               "企业注销登记", "新生儿出生", "教育入学", "一卡通", "残疾人服务", "退休", "身后一件事")


def test_every_bundle_has_a_source_label_and_basis(cat):
    for b in cat.bundles.values():
        assert b.source in BUNDLE_SOURCES and b.basis, b.code
    assert cat.bundle("企业开办一件事").source == "地方"  # not in the first national list


def test_first_batch_items_present(cat):
    # DOMAIN §6: the 13 items of the 2024 first batch, each a bundle labelled 国家第一批.
    first = [b for b in cat.bundles.values() if b.source == "国家第一批"]
    for word in FIRST_BATCH:
        hits = [b for b in first if word in b.name]
        assert len(hits) == 1, word
        assert len(cat.bundle_items(hits[0])) >= 2
    assert len(first) == len(FIRST_BATCH)
    assert cat.bundle("企业破产信息核查一件事").kind == "企业"
    assert cat.bundle("教育入学一件事").kind == cat.bundle("社会保障卡居民服务“一卡通”一件事").kind == "个人"
    bankrupt = cat.bundle_items(cat.bundle("企业破产信息核查一件事"))
    assert len({it.department for it in bankrupt}) >= 5
    assert shared_materials(bankrupt)["人民法院指定管理人决定书"] >= 5


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
source = "地方"
basis = "测试依据"
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
    ("pledge material on an item without 告知承诺", '{name = "申请书", core = true}', '{name = "申请书", core = true, pledge = true}', A, "materials[1](申请书).pledge"),
    ("rongque material on an item without 容缺", '{name = "申请书", core = true}', '{name = "证明", rongque = true}', A, "materials[1](证明).rongque"),
    ("not at the hall but drawn", "weight = 10\n", 'weight = 10\nvenue = "出生医院"\n', A, "weight"),
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
    ('source = "地方"\n', "", "source"),
    ('source = "地方"', 'source = "省里"', "source"),
    ('basis = "测试依据"\n', "", "basis"),
    ('description = "测试"\n', 'description = "测试"\nlinked = ["630200-GG-03901"]\n', "linked"),
])
def test_broken_bundles(tmp_path, old, new, field):
    _write(tmp_path, bundles=BUNDLES.replace(old, new))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert (info.value.file, info.value.item, info.value.field) == ("bundles.toml", "T-1", field), str(info.value)


def test_item_handled_elsewhere_is_linked_not_drawn(tmp_path):
    elsewhere = BLOCK.replace("weight = 10\n", 'weight = 0\nvenue = "出生医院"\n', 1)
    with pytest.raises(CatalogError) as info:  # in a bundle's items it would be drawn for a window
        load_catalog(_write(tmp_path, block=elsewhere))
    assert (info.value.file, info.value.item, info.value.field) == ("bundles.toml", "T-1", "items")
    # A third, hall item; the venue item goes to `linked`.
    third = "[[items]]" + BLOCK.split("[[items]]")[1].replace("630200-GG-03901", "630200-GG-03903").replace(
        "测试事项甲", "测试事项丙")
    bundles = BUNDLES.replace('"630200-GG-03901", "630200-XK-03902"', '"630200-GG-03903", "630200-XK-03902"').replace(
        'description = "测试"', 'description = "测试"\nlinked = ["630200-GG-03901"]')
    c = load_catalog(_write(tmp_path, block=elsewhere + "\n" + third, bundles=bundles))
    assert not c.item(A).at_hall and c.bundle("T-1").linked == (A,) and c.item("630200-GG-03903").at_hall


def test_broken_shared_material(tmp_path):
    _write(tmp_path, common=COMMON.replace("core = true", "core = true\nrongque = true"))
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    assert info.value.file == "_materials.toml" and info.value.field.endswith("rongque")


def test_missing_catalog_dir(tmp_path):
    with pytest.raises(CatalogError, match="找不到"):
        load_catalog(tmp_path)
