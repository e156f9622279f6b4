"""Canonical units: locality from the issuer, level prefixes, central bodies, kinds, confidence,
and the jieba splitter for run-together unit lists — on notices written for these tests."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

import fzparse
from fzparse import resolve
from fzparse.models import Document, Unit
from fzparse.units import (KINDS, Place, canonicalise_unit, central_bodies, central_index, confidence_of, kind_of,
                           place_of, resolve_name, rule_split, split_run_together)

DATA = Path(__file__).parent / "data" / "resolve"
CQ = Place(province="重庆市", city="重庆市", issuer="重庆市人民政府办公厅")
NATIONAL = Place(national=True, issuer="国务院办公厅")
COUNTY = Place(county="西平县", issuer="西平县人民政府")


def units(doc, node_id):
    return [(u.name, u.role, u.canonical) for n in doc.nodes() if n.id == node_id for u in n.units]


@pytest.fixture(scope="module")
def cq():
    return fzparse.parse(DATA / "cq-yingsu.txt")


@pytest.fixture(scope="module")
def gwy():
    return fzparse.parse(DATA / "gwy-peixun.txt")


@pytest.fixture(scope="module")
def xp():
    return fzparse.parse(DATA / "xp-zhian.txt")


# ----------------------------------------------------------------------------- locality

@pytest.mark.parametrize("issuer, locality, national", [
    ("重庆市人民政府办公厅", "重庆市", False),
    ("西平县人民政府", "西平县", False),
    ("广州市卫生健康委员会", "广州市", False),
    ("国务院办公厅", None, True),
    ("广东省人民政府", "广东省", False),
    ("河南省驻马店市西平县人民政府", "西平县", False),
    ("重庆市渝中区人民政府", "渝中区", False),
    ("新疆维吾尔自治区质监局", "新疆维吾尔自治区", False),
    ("国家市场监督管理总局", None, True),
    ("财政部办公厅", None, True),
    ("重庆邮电大学", None, False),          # no place printed: unknown, not national
])
def test_locality_from_issuer(issuer, locality, national):
    place = place_of(Document(key="k", source_path="", format="text", issuers=[issuer]))
    assert place.locality == locality
    assert place.national is national


def test_locality_set_on_documents(cq, gwy, xp):
    assert (cq.locality, gwy.locality, xp.locality) == ("重庆市", None, "西平县")


# ----------------------------------------------------------------------------- names

@pytest.mark.parametrize("name, place, canonical, aliases", [
    ("市司法局", CQ, "重庆市司法局", []),
    ("县司法局", COUNTY, "西平县司法局", []),
    ("市委党校〔重庆行政学院〕", CQ, "重庆市委党校", ["重庆行政学院"]),
    ("发展改革委", NATIONAL, "国家发展改革委", ["国家发展和改革委员会"]),
    ("国家发改委", CQ, "国家发展改革委", ["国家发展和改革委员会"]),
    ("人社部", NATIONAL, "人力资源社会保障部", ["人力资源和社会保障部"]),
    ("市场监管总局", CQ, "市场监管总局", ["国家市场监督管理总局"]),     # 市场… is no 市 prefix
    ("市市场监管局", CQ, "重庆市市场监管局", ["重庆市市场监督管理局"]),
    ("市发展改革委", CQ, "重庆市发展改革委", ["重庆市发展和改革委员会"]),  # the local one, not the central
    ("重庆市发展和改革委员会", NATIONAL, "重庆市发展改革委", ["重庆市发展和改革委员会"]),
    ("广州市卫生健康委员会", CQ, "广州市卫生健康委", ["广州市卫生健康委员会"]),
    ("市政府办公厅", CQ, "重庆市人民政府办公厅", ["重庆市政府办公厅"]),
    ("重庆市司法局", NATIONAL, "重庆市司法局", []),
    ("统计局", NATIONAL, "统计局", ["国家统计局"]),
])
def test_canonical(name, place, canonical, aliases):
    r = resolve_name(name, place)
    assert (r.canonical, r.aliases, r.unresolved) == (canonical, aliases, False)


@pytest.mark.parametrize("name, place", [
    ("市司法局", NATIONAL),          # which city? a national notice does not say
    ("市司法局", COUNTY),            # a county notice whose city is not printed
    ("市委党校〔重庆行政学院〕", COUNTY),
    ("发展改革委", CQ),              # bare: the central body or the city's own? not told
    ("司法局", CQ),                  # whose 司法局?
    ("省教育厅", CQ),                # 重庆 has no 省
])
def test_unresolved_is_never_invented(name, place):
    r = resolve_name(name, place)
    assert r.canonical is None and r.unresolved
    u = Unit(name=name, role="lead")
    canonicalise_unit(u, place)
    assert u.canonical is None and "canonical-unresolved" in u.flags and u.name == name


@pytest.mark.parametrize("name, kind", [
    ("市委宣传部", "party"), ("市委组织部", "party"), ("市委编办", "party"), ("市委党校", "party"),
    ("县纪委监委", "party"), ("市委政法委", "party"), ("市委统战部", "party"),
    ("市司法局", "government"), ("市政府办公厅", "government"), ("市教委", "government"), ("海关总署", "government"),
    ("市人大常委会", "congress"), ("市政协", "congress"),
    ("市人民法院", "judicial"), ("市人民检察院", "judicial"),
    ("市总工会", "people_org"), ("团市委", "people_org"), ("市妇联", "people_org"), ("市科协", "people_org"),
    ("市残联", "people_org"), ("市红十字会", "people_org"), ("市工商联", "people_org"), ("市文联", "people_org"),
    ("乡镇人民政府", "lower_government"), ("各区人民政府", "lower_government"), ("街道办事处", "lower_government"),
    ("重庆市渝中区人民政府", "lower_government"),
    ("中国移动重庆分公司", "enterprise"), ("市城投集团", "enterprise"), ("中国农业银行重庆分行", "enterprise"),
    ("市疾控中心", "other"), ("重庆邮电大学", "other"),
])
def test_kinds(name, kind):
    assert kind_of(name) == kind


def test_collective_kinds():
    for name in ("有关部门", "市政府有关部门和单位", "各有关部门"):
        assert resolve_name(name, CQ, collective=True).kind == "collective"
    # a plural of lower governments keeps its sort; Unit.collective marks that it is plural
    assert resolve_name("各区县政府", CQ, collective=True).kind == "lower_government"


# ----------------------------------------------------------------------------- the data file

def test_central_bodies_file():
    bodies = central_bodies()
    assert len(bodies) >= 100
    assert all(b.kind in KINDS for b in bodies)
    assert all(b.scope in ("national", "shared") for b in bodies)
    canon = [b.canonical for b in bodies]
    assert len(canon) == len(set(canon))
    # every printed form names one body only
    seen = {}
    for b in bodies:
        for f in b.forms:
            assert seen.setdefault(f, b.canonical) == b.canonical, f
    idx = central_index()
    for form, canonical in [("国家发展和改革委员会", "国家发展改革委"), ("发改委", "国家发展改革委"), ("人社部", "人力资源社会保障部"),
                            ("国家市场监督管理总局", "市场监管总局"), ("工信部", "工业和信息化部"), ("中国人民银行", "人民银行"),
                            ("应急部", "应急管理部"), ("国家医保局", "医保局"), ("国家统计局", "统计局"), ("中央编办", "中央编办"),
                            ("供销合作总社", "供销合作总社"), ("中央宣传部", "中央宣传部"), ("海关总署", "海关总署")]:
        assert idx[form].canonical == canonical


# ----------------------------------------------------------------------------- on notices

def test_cq_notice_canonical(cq):
    assert units(cq, "cq-yingsu#1.1") == [("市司法局", "lead", "重庆市司法局"), ("市政府办公厅", "support", "重庆市人民政府办公厅")]
    # 等有关部门: the listed units and 有关部门 (a collective, nothing to complete)
    got = units(cq, "cq-yingsu#1.2")
    assert got[0] == ("市委党校〔重庆行政学院〕", "lead", "重庆市委党校")
    assert ("有关部门", "support", None) in got
    party = [u for n in cq.nodes() for u in n.units if u.name.startswith("市委党校")][0]
    assert party.aliases == ["重庆行政学院"] and party.kind == "party"
    # 会同: A takes the role word (lead under the document's rule), B supports — both canonical
    assert units(cq, "cq-yingsu#2.1") == [("市财政局", "lead", "重庆市财政局"), ("市司法局", "support", "重庆市司法局")]


def test_unit_in_two_roles(cq):
    got = units(cq, "cq-yingsu#2.2")
    assert ("市司法局", "lead", "重庆市司法局") in got and ("市司法局", "support", "重庆市司法局") in got
    roles = {u.role for n in cq.nodes() for u in n.units if u.canonical == "重庆市司法局"}
    assert roles == {"lead", "support"}


def test_rule_stated_once_and_standing_note(cq):
    # 列第一位者为牵头单位 stated once in the preamble: positional roles → confidence 0.8
    lead = [u for u in cq.nodes().__next__().children[0].units if u.role == "lead"][0]
    assert "role-from-positional-rule" in lead.flags and lead.confidence == 0.8
    # 以下均需各区县政府落实，不再列出: a note (prose) → 0.6, a class of lower governments
    later = [u for n in cq.nodes() if n.id in ("cq-yingsu#3.2", "cq-yingsu#3.3") for u in n.units]
    assert later and all(u.name == "各区县政府" and u.confidence == 0.6 and u.kind == "lower_government"
                         and u.canonical is None and "canonical-unresolved" not in u.flags for u in later)


def test_national_notice(gwy):
    assert units(gwy, "gwy-peixun#1.1")[2] == ("发展改革委", "responsible", "国家发展改革委")
    assert units(gwy, "gwy-peixun#1.2")[0] == ("人社部", "responsible", "人力资源社会保障部")
    local = [u for n in gwy.nodes() if n.id == "gwy-peixun#2.2" for u in n.units]
    assert [(u.canonical, "canonical-unresolved" in u.flags) for u in local] == [(None, True), (None, True)]
    assert all(u.confidence == 0.8 for u in local)        # 0.9 parenthetical − 0.1 unresolved


def test_county_notice(xp):
    assert units(xp, "xp-zhian#2.1") == [("县司法局", "lead", "西平县司法局"), ("县财政局", "support", "西平县财政局"),
                                        ("市司法局", "support", None)]
    assert units(xp, "xp-zhian#2.2")[0] == ("县委宣传部", "responsible", "西平县委宣传部")


def test_resolve_changes_no_existing_field():
    raw = fzparse.parse(DATA / "cq-yingsu.txt")
    before = copy.deepcopy(raw)
    resolve.resolve_document(raw)        # again: idempotent, and only resolve's own fields
    for a, b in zip(before.nodes(), raw.nodes()):
        assert (a.id, a.path, a.title, a.label) == (b.id, b.path, b.title, b.label)
        assert [(u.name, u.role, u.explicit, u.method, u.collective) for u in a.units] == \
               [(u.name, u.role, u.explicit, u.method, u.collective) for u in b.units]
        assert [u.flags for u in a.units] == [u.flags for u in b.units]
    assert before.issuer == raw.issuer and before.title == raw.title


# ----------------------------------------------------------------------------- confidence

@pytest.mark.parametrize("method, flags, value", [
    ("labelled", [], 0.95), ("table", [], 0.95), ("parenthetical", [], 0.9),
    ("parenthetical", ["role-from-positional-rule"], 0.8), ("note", ["from-standing-note"], 0.6), ("prose", [], 0.6),
    ("table", ["name-does-not-look-like-a-body"], 0.65), ("parenthetical", ["canonical-unresolved"], 0.8),
    ("parenthetical", ["role-from-positional-rule", "canonical-unresolved"], 0.7),
])
def test_confidence(method, flags, value):
    assert confidence_of(Unit(name="x", role="lead", method=method, flags=list(flags))) == value


# ----------------------------------------------------------------------------- run-together lists

def run_together_cases():
    rows = []
    for line in (DATA / "run_together.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            text, expected = line.split("\t")
            rows.append((text, expected.split("|")))
    return rows


def test_split_run_together_beats_rule_split(record_property):
    cases = run_together_cases()
    assert len(cases) >= 40
    jieba_ok = sum(split_run_together(t) == exp for t, exp in cases)
    rule_ok = sum(rule_split(t) == exp for t, exp in cases)
    jieba_acc, rule_acc = jieba_ok / len(cases), rule_ok / len(cases)
    print(f"\nrun-together unit lists ({len(cases)} cases): jieba-based {jieba_acc:.3f}, rule-based {rule_acc:.3f}")
    record_property("jieba_accuracy", jieba_acc)
    record_property("rule_accuracy", rule_acc)
    assert jieba_acc >= rule_acc
    assert jieba_acc >= 0.9


def test_split_examples():
    assert split_run_together("市发展改革委市财政局") == ["市发展改革委", "市财政局"]
    assert split_run_together("") == []
    assert split_run_together("市司法局") == ["市司法局"]


def test_internal_offices_belong_to_the_issuer():
    doc = fzparse.parse(DATA / "gz-table.html")
    assert doc.locality == "广州市"
    got = [(u.name, u.internal, u.canonical, u.kind) for n in doc.nodes() for u in n.units]
    assert ("基层处", True, "广州市卫生健康委员会基层处", "government") in got
    assert ("市卫生健康委", False, "广州市卫生健康委", "government") in got
    assert ("各区政府", False, None, "lower_government") in got
