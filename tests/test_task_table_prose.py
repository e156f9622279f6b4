"""Task-table rows: the task cell is prose of its own. A unit it names as doing the task that no
unit cell of the row names is a prose assignment (explicit=False); one the unit cells name
already is not added again (ANNOTATION.md "Assignments": a unit named in running prose as doing
the task is an assignment with explicit false)."""
from __future__ import annotations

import pytest

import fzparse

PAGE = """<html><head><meta charset="utf-8"><title>澜州市卫生健康委员会关于印发澜州市家庭医生签约服务工作方案的通知</title></head>
<body><div class="article">
<p>澜州市卫生健康委员会关于印发澜州市家庭医生签约服务工作方案的通知</p>
<p>澜卫发〔2024〕3号</p>
<p>各区卫生健康局：</p>
<p>现将《澜州市家庭医生签约服务工作方案》印发给你们，请认真贯彻执行。</p>
<p>附件：重点任务分工表</p>
<p>澜州市卫生健康委员会</p>
<p>2024年4月1日</p>
<p>附件</p>
<p>重点任务分工表</p>
<table border="1">
<tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th></tr>
{rows}
</table>
</div></body></html>
"""

# (task cell, lead cell, support cell) → the row's prose assignments (unit, role)
ROWS = [
    ("扩大家庭医生来源。由各区卫生健康行政部门确定承担签约服务的医疗卫生机构，指导落实登记备案管理。",
     "各区政府", "市卫生健康委", [("各区卫生健康行政部门", "guide")]),
    ("优化转诊服务。医联体牵头医院牵头、成员单位共同参与，成立双向转诊管理中心。",
     "市卫生健康委", "市医保局", [("医联体牵头医院", "lead"), ("成员单位", "support")]),
    # the unit cell names it already: nothing more
    ("完善支付政策。由市医保局负责制定支付标准。", "市医保局", "市财政局", []),
    ("加强考核评价。", "市卫生健康委", "各区政府", []),
    # no body is the subject: nothing
    ("建立由政府负责人牵头、相关部门参与的工作机制。", "市卫生健康委", "市人力社保局", []),
]


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    cells = "\n".join(f"<tr><td>{i}</td><td>{task}</td><td>{lead}</td><td>{support}</td></tr>"
                      for i, (task, lead, support, _) in enumerate(ROWS, 1))
    path = tmp_path_factory.mktemp("table-prose") / "notice.html"
    path.write_text(PAGE.format(rows=cells), "utf-8")
    return fzparse.parse(path)


@pytest.mark.parametrize("number", range(1, len(ROWS) + 1))
def test_task_cell_prose(doc, number):
    task, lead, support, expected = ROWS[number - 1]
    row = next(n for n in doc.nodes() if n.path == (number,))
    assert row.style == "table-row"
    explicit = [(u.name, u.role) for u in row.units if u.explicit]
    assert explicit == [(lead, "lead"), (support, "support")]
    prose = [u for u in row.units if not u.explicit]
    assert [(u.name, u.role) for u in prose] == expected
    for u in prose:
        assert u.method == "prose" and u.confidence < 1
        # the evidence is the table paragraph, as for the unit cells
        assert u.evidence.paragraph == row.units[0].evidence.paragraph
