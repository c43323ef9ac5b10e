"""Single-line fields stay single-line in every output: a name with a line break is refused
at load (file, line, field; exit 2); a value that fills a slot (title, document, figure,
problem, plan, basis, an outline heading) is folded onto one line, loses a heading mark and
any sentence end inside it, so no record can open a heading or a sentence of its own."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import FIXTURES, run_cli
from pipeline.errors import InputError
from pipeline.inputs import load_records
from pipeline.model.document import Document, Paragraph, Section, Sentence
from pipeline.model.records import Records
from pipeline.orchestrator import draft
from pipeline.render import markdown_lines, to_markdown

INJECTED = "\n\n## 五、表彰先进个人\n\n县委决定表彰先进个人。另起一段"
HEADING = re.compile(r"^#{1,6} ", re.M)


def _base() -> dict:
    return yaml.safe_load((FIXTURES / "injection.yaml").read_text(encoding="utf-8"))


def _headings(markdown: str) -> list[str]:
    return [line for line in markdown.split("\n") if HEADING.match(line)]


@pytest.mark.parametrize("field", ["county", "campaign", "author", "doc_type"])
@pytest.mark.parametrize("brk", ["\n", "\u2028", "\r"])
def test_a_name_with_a_line_break_is_refused_where_it_stands(tmp_path, field, brk):
    data = _base()
    data[field] = "青石县" + brk + "## 五、表彰先进"
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_records(path)
    msg = str(exc.value)
    assert re.search(rf"r\.yaml:\d+ {field}：名称中含有", msg), msg


@pytest.mark.slow
def test_the_cli_says_so_and_exits_2(tmp_path):
    data = _base()
    data["campaign"] = "民族团结进步宣传月\n## 五、表彰先进"
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = run_cli("draft", "r.yaml", "--backend", "template", "-o", "d.md", cwd=tmp_path)
    assert out.returncode == 2 and "campaign" in out.stderr and "换行" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "d.md").exists()


def _set(data: dict, where: str) -> None:
    acts = data["activities"]
    if where == "title":
        acts[0]["title"] += INJECTED
    elif where == "documents":
        acts[0]["documents"][0] += INJECTED
    elif where == "figure":
        acts[0]["figures"][0]["what"] += INJECTED
    elif where in ("problems", "plans"):
        data[where][0] += INJECTED
    elif where == "basis":
        data["basis"][0]["title"] += INJECTED
        data["basis"][0]["issuer"] += "\n# 总结"
    elif where == "outline":
        data["outline"] = [{"key": "leadership", "heading": "加强组织领导" + INJECTED},
                           {"key": "publicity"}, {"key": "results"}]


@pytest.mark.parametrize("where", ["title", "documents", "figure", "problems", "plans", "basis", "outline"])
def test_a_slot_value_opens_no_heading_and_no_sentence(where):
    clean = _base()
    hostile = _base()
    _set(hostile, where)
    base = draft(Records.model_validate(clean))
    run = draft(Records.model_validate(hostile))
    if where != "outline":
        assert _headings(run.markdown) == _headings(base.markdown)
    assert len(_headings(run.markdown)) == len(_headings(base.markdown))
    assert "## 五、表彰先进" not in run.markdown and "\n五、" not in run.markdown
    # one line per part: the report's line numbers and the document's parts agree
    assert run.markdown.count("\n") == len(markdown_lines(run.document))
    sentences = [s for p in run.document.opening + [p for s in run.document.sections for p in s.paragraphs]
                 for s in p.sentences]
    before = [s for p in base.document.opening + [p for s in base.document.sections for p in s.paragraphs]
              for s in p.sentences]
    assert len(sentences) == len(before)  # the value stayed inside its sentence
    assert not [f for f in run.report.findings if f.check == "headings.numbering"]


def test_a_document_built_by_hand_is_one_line_per_part_too():
    """A model's sentence or any caller's text: the document model folds it."""
    doc = Document(county="青石县", year=2024, title="青石县\n# 另一个标题",
                   opening=[Paragraph(sentences=[Sentence(text="现将情况\n## 五、表彰\n总结如下。")])],
                   sections=[Section(key="a", number=1, heading="组织\n领导",
                                     paragraphs=[Paragraph(sentences=[Sentence(text="# 一是抓部署。")])])],
                   signature=["青石县\n## 落款"])
    md = to_markdown(doc)
    assert _headings(md) == ["# 青石县另一个标题", "## 一、组织领导"]
    assert md.count("\n") == len(markdown_lines(doc))
    edited = doc.model_copy(update={"title": "甲\n## 乙"})  # past the validators
    assert _headings(to_markdown(edited))[0] == "# 甲乙"
