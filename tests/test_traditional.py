"""繁体: matched after a conversion to 简体 (OpenCC t2s), printed names kept as printed and a
simplified canonical beside them."""
from __future__ import annotations

from pathlib import Path

import fzparse
from fzparse.models import Unit
from fzparse.units import Place, canonicalise_unit, is_traditional, place_of, resolve_name, to_simplified

DATA = Path(__file__).parent / "data" / "resolve"
CQ = Place(province="重庆市", city="重庆市", issuer="重庆市人民政府办公厅")


def test_to_simplified():
    assert to_simplified("國家發展改革委") == "国家发展改革委"
    assert to_simplified("重慶市人民政府辦公廳") == "重庆市人民政府办公厅"
    assert to_simplified("市司法局") == "市司法局"           # already simplified: unchanged, OpenCC not needed
    assert to_simplified("") == "" and to_simplified(None) is None
    assert is_traditional("牽頭單位") and not is_traditional("牵头单位")


def test_traditional_unit_names():
    u = Unit(name="國家發展改革委", role="lead")
    canonicalise_unit(u, CQ)
    assert (u.name, u.canonical, u.aliases, u.kind) == ("國家發展改革委", "国家发展改革委", ["国家发展和改革委员会"], "government")
    u = Unit(name="市衛生健康委員會", role="support")
    canonicalise_unit(u, CQ)
    assert (u.name, u.canonical) == ("市衛生健康委員會", "重庆市卫生健康委")
    assert resolve_name("市委黨校〔重慶行政學院〕", CQ).canonical == "重庆市委党校"
    assert resolve_name("市司法局", Place(national=True)).unresolved


def test_traditional_notice():
    doc = fzparse.parse(DATA / "cq-fanti.txt")
    assert doc.issuer == "重慶市人民政府辦公廳"                 # as printed
    assert doc.locality == "重庆市"                             # matched in 简体
    assert place_of(doc).city == "重庆市"
    node = next(n for n in doc.nodes() if n.id == "cq-fanti#1.1")
    (t,) = node.targets
    assert (t.text, t.value, t.unit, t.measure) == ("村級公共法律服務站點覆蓋率要達到95%", 95, "%", "村級公共法律服務站點覆蓋率")
    assert doc.paragraphs[t.evidence.paragraph].text[t.evidence.start:t.evidence.end] == t.text
    node = next(n for n in doc.nodes() if n.id == "cq-fanti#2.1")
    assert [(x.value, x.unit, x.measure) for x in node.targets] == [(5000, "件", "法律援助案件")]


def test_traditional_targets_match_their_simplified_text():
    from fzparse.targets import targets_in
    trad = "每年辦理法律援助案件不少於5000件，覆蓋率要達到95%。"
    simp = to_simplified(trad)
    a = [(f.target.value, f.target.unit, to_simplified(f.target.measure), f.start, f.end) for f in targets_in(trad)]
    b = [(f.target.value, f.target.unit, f.target.measure, f.start, f.end) for f in targets_in(simp)]
    assert a == b and len(a) == 2


def test_a_traditional_notice_is_read_like_its_simplified_twin(tmp_path):
    """Every element and unit is found in a 繁体 notice, and given back as printed."""
    import fzparse
    from fzparse.units import to_simplified

    src = (Path(__file__).resolve().parent / "data" / "resolve" / "cq-fanti.txt").read_text("utf-8")
    twin = tmp_path / "jianti.txt"
    twin.write_text(to_simplified(src), "utf-8")
    fanti, jianti = fzparse.parse(Path(__file__).resolve().parent / "data" / "resolve" / "cq-fanti.txt"), fzparse.parse(twin)
    assert fanti.doc_number.text == "渝府辦發〔2031〕8號" and jianti.doc_number.text == "渝府办发〔2031〕8号"
    assert to_simplified(fanti.title) == jianti.title and fanti.title != jianti.title
    assert [to_simplified(r) for r in fanti.recipients] == jianti.recipients
    assert fanti.date == jianti.date
    pairs = lambda d: [(n.path, to_simplified(u.name), u.role, u.canonical) for n in d.nodes() for u in n.units]  # noqa: E731
    assert pairs(fanti) == pairs(jianti) and pairs(fanti)
    assert any(u.name == "市財政局" for n in fanti.nodes() for u in n.units)          # as printed
    assert "traditional-characters" in [f.code for f in fanti.flags]
    assert fanti.paragraphs[0].text.startswith("重慶")
