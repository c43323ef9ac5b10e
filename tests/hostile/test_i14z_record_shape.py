"""Record text that gave the draft structure of its own, found on main after issue 14's
fixes (reproductions in notes/i14z.md):

- a name ending a sentence (media “县融媒体中心。全县参与群众100万人”) put a sentence of
  its own into the draft, and the check passed it (the number stood in a slot);
- a name starting with a heading mark (author “一、表彰先进个人”, “## 五、…”, “＃ …”) made
  the signature a numbered heading;
- “；二是…” inside a problem or plan added a list item, and with ⼆ (U+2F06, a Kangxi
  radical that looks like 二) the check did not even see it;
- an outline heading or a basis issuer took ESC and blanks, or a number of its own
  (“二、加强领导” drafted as “一、二、加强领导”);
- an HTML tag in a title reached the Markdown draft, where a viewer renders it.

Each is now refused at load with the field that holds it (exit 2 on the CLI), or folded
where a reader sees no difference (the look-alike ideographs)."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from pydantic import ValidationError

from conftest import FIXTURES, run_cli
from pipeline.errors import InputError
from pipeline.inputs import load_records
from pipeline.model.records import Records
from pipeline.orchestrator import draft

ASK = "全县参与群众100万人"


@pytest.fixture(scope="module")
def base() -> dict:
    return yaml.safe_load((FIXTURES / "injection.yaml").read_text(encoding="utf-8"))


def _act(d: dict) -> dict:
    return d["activities"][5]


CASES = {
    # field path shown by pydantic, setter, the words the message must carry
    "media": ("activities.5.media.0", lambda d: _act(d).update(media=["县融媒体中心。" + ASK]), "句末标点"),
    "unit": ("activities.5.units.0", lambda d: _act(d).update(units=["县民族宗教事务局！" + ASK]), "句末标点"),
    "place": ("activities.5.place", lambda d: _act(d).update(place="县会议室？" + ASK), "句末标点"),
    "county": ("county", lambda d: d.update(county="青石县。" + ASK + "。青石县"), "句末标点"),
    "campaign": ("campaign", lambda d: d.update(campaign="宣传月!" + ASK), "句末标点"),
    "alias": ("aliases.县民族宗教事务局.0",
              lambda d: d.update(aliases={"县民族宗教事务局": ["县民宗局。" + ASK]}), "句末标点"),
    "measure": ("activities.5.figures.0.unit", lambda d: _act(d)["figures"][0].update(unit="人。" + ASK), "句末标点"),
    "issuer": ("basis.0.issuer", lambda d: d["basis"][0].update(issuer="市民委。" + ASK + "。根据"), "句末标点"),
    "author_cn": ("author", lambda d: d.update(author="一、表彰先进个人"), "“一、”开头"),
    "author_md": ("author", lambda d: d.update(author="## 五、表彰先进个人"), "“##”开头"),
    "author_full": ("author", lambda d: d.update(author="＃ 五、表彰先进个人"), "“＃”开头"),
    "author_paren": ("author", lambda d: d.update(author="（二）表彰先进个人"), "“（二）”开头"),
    "county_digit": ("county", lambda d: d.update(county="3.表彰先进县"), "“3.”开头"),
    "problem_item": ("problems.0", lambda d: d["problems"].__setitem__(0, "部分乡镇重视不够；二是" + ASK), "“二是”"),
    "problem_lookalike": ("problems.0",
                          lambda d: d["problems"].__setitem__(0, "部分乡镇重视不够；\u2f06是" + ASK), "“二是”"),
    "plan_item": ("plans.0", lambda d: d["plans"].__setitem__(0, "建立调度机制，三是" + ASK), "“三是”"),
    "title_item": ("activities.5.title", lambda d: _act(d).update(title="召开座谈会；二是" + ASK), "“二是”"),
    "title_html": ("activities.5.title", lambda d: _act(d).update(title="召开<h2>五、表彰先进</h2>座谈会"), "“<h2>”"),
    "document_script": ("activities.5.documents.0",
                        lambda d: _act(d).update(documents=["通知<script src=x>"]), "网页标记"),
    "heading_esc": ("outline.0.heading", lambda d: d.update(outline=[
        {"key": "leadership", "heading": "加强\x1b[31m领导"}, {"key": "publicity"}, {"key": "results"}]), "U+001B"),
    "heading_blank": ("outline.0.heading", lambda d: d.update(outline=[
        {"key": "leadership", "heading": "  "}, {"key": "publicity"}, {"key": "results"}]), "空白"),
    "heading_number": ("outline.0.heading", lambda d: d.update(outline=[
        {"key": "leadership", "heading": "二、加强领导"}, {"key": "publicity"}, {"key": "results"}]), "“二、”"),
    "brief_nul": ("outline.1.brief", lambda d: d.update(outline=[
        {"key": "leadership"}, {"key": "publicity", "brief": "宣传\x00教育"}, {"key": "results"}]), "U+0000"),
}


@pytest.mark.parametrize("case", CASES)
def test_record_text_that_would_shape_the_draft_is_refused_at_its_field(base, case):
    loc, setter, words = CASES[case]
    data = copy.deepcopy(base)
    setter(data)
    with pytest.raises(ValidationError) as exc:
        Records.model_validate(data)
    errors = exc.value.errors()
    assert [".".join(map(str, e["loc"])) for e in errors] == [loc]
    assert words in errors[0]["msg"], errors[0]["msg"]


def test_the_loader_names_file_line_and_field(base, tmp_path):
    data = copy.deepcopy(base)
    _act(data)["media"] = ["青石发布。" + ASK]
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_records(path)
    assert re.search(r"r\.yaml:\d+ activities\[5\]\.media\[0\]：名称中含有句末标点“。”", str(exc.value)), exc.value


def test_what_a_clerk_really_writes_still_loads_and_drafts_as_before(base):
    """The refusals are narrow: decimals, names with numbers, 统一是 and a lone < pass."""
    data = copy.deepcopy(base)
    _act(data).update(media=["新闻1+1", "FM101.7"], place="距县城1.5公里的白水村")
    data["problems"][0] = "思想认识不统一是活动开展不平衡的原因之一，参与率<60%的乡镇有3个"
    data["basis"][0]["issuer"] = "市委宣传部、市民族宗教事务局"
    data["outline"] = [{"key": "leadership", "heading": "加强领导，压实责任"}, {"key": "publicity"}, {"key": "results"}]
    records = Records.model_validate(data)
    assert records.problems[0] == data["problems"][0]
    md = draft(records).markdown
    assert "## 一、加强领导，压实责任" in md and "思想认识不统一是" in md


def test_look_alike_ideographs_are_read_as_the_ideograph_a_reader_sees(base):
    data = copy.deepcopy(base)
    _act(data)["title"] = "召开少数民族代表人士座谈会（第\u2f06次）"  # ⼆
    data["plans"][0] = "建立宣传月活动季度调度机制，推动\u3192年一轮常态化"  # ㆒
    records = Records.model_validate(data)
    assert records.activities[5].title == "召开少数民族代表人士座谈会（第二次）"
    assert "\u3192" not in records.plans[0] and "推动一年一轮" in records.plans[0]


@pytest.mark.slow
def test_the_cli_refuses_a_signature_that_opens_a_heading(base, tmp_path):
    data = copy.deepcopy(base)
    data["author"] = "五、表彰先进个人"
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = run_cli("draft", "r.yaml", "--backend", "template", "-o", "d.md", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert re.search(r"r\.yaml:\d+ author：名称以序号或标题符号“五、”开头", out.stderr), out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "d.md").exists()
