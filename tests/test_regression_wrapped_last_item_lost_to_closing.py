"""A text file wrapped by hand (not at one width, so its lines stay paragraphs): the last item's
sentence went on in a line of its own, and that line — with the item's unit parenthetical — was
taken for the document's closing, so the last task lost its units. A line is the rest of the
item's sentence when the line before it does not end one."""
from __future__ import annotations

import fzparse
from support import node_at, notice

BODY = """一、强化培训服务
1.开展职业技能培训。全年培训
1.5万人次以上。（市人力社保局牵头，市教育局配合）
"""


def test_wrapped_last_item_keeps_its_units(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(notice(BODY), "utf-8")
    doc = fzparse.parse(path)
    last = node_at(doc, (1, 1))
    assert [(u.name, u.role) for u in last.units] == [("市人力社保局", "lead"), ("市教育局", "support")]
    assert last.text.endswith("1.5万人次以上。（市人力社保局牵头，市教育局配合）")
    assert doc.closing is None


FINISHED = """一、强化培训服务
1.开展职业技能培训。全年培训1.5万人次以上。（市人力社保局牵头，市教育局配合）
各地各部门要加强组织领导，确保各项任务落到实处。
"""


def test_a_closing_after_a_finished_item_is_still_the_closing(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(notice(FINISHED), "utf-8")
    doc = fzparse.parse(path)
    assert doc.closing == "各地各部门要加强组织领导，确保各项任务落到实处。"
    assert [(u.name, u.role) for u in node_at(doc, (1, 1)).units] == [("市人力社保局", "lead"), ("市教育局", "support")]
