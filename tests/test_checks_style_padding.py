"""style.padding: no two sentences of working language in a row, and the template drafter
keeps to the same rule (pipeline/text/stock.py is the one definition both use)."""

from __future__ import annotations

import pytest

from conftest import fixture_files
from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.drafting.planner import unpadded
from pipeline.inputs import load_records
from pipeline.model.document import Sentence
from pipeline.render import to_markdown
from pipeline.resources import load_yaml
from pipeline.text.stock import is_stock_sentence

_FACT = "9月3日，县委统战部召开宣传月工作安排会，参会单位28个。"
_STOCK_A = "各级各部门把宣传月活动作为一项重要任务来抓，做到有部署、有检查、有总结。"
_STOCK_B = "各相关单位主动作为、密切配合，推动各项工作落地见效。"
_STOCK_C = "宣传教育的覆盖面不断扩大，全县营造了浓厚的活动氛围。"


def _padding(text: str):
    return [f for f in check(text).findings if f.check == "style.padding"]


def test_two_stock_sentences_in_a_row_are_one_warning_at_the_second():
    line = _FACT + _STOCK_A + _STOCK_B
    found = _padding("一、加强领导\n\n" + line)
    assert [(f.line, f.severity) for f in found] == [(3, "warning")]
    assert line[found[0].column - 1:].startswith(_STOCK_B[:10])


def test_three_in_a_row_are_two_warnings():
    assert len(_padding(_FACT + _STOCK_A + _STOCK_B + _STOCK_C)) == 2


@pytest.mark.parametrize("text", [
    _FACT + _STOCK_A + _FACT.replace("3日", "9日") + _STOCK_B,  # a fact between them
    _STOCK_A + "\n\n" + _STOCK_B,  # another paragraph
    _STOCK_A + "二是强化宣传教育。" + _STOCK_B,  # an item's lead starts again
    _STOCK_A + "按照《关于开展宣传月活动的通知》要求，各单位密切配合、形成合力。",  # cites a document
])
def test_stock_sentences_apart_are_not_reported(text):
    assert _padding(text) == []


def test_every_phrase_of_the_template_reads_as_stock():
    """What the drafter writes as working language, the check reads as such: else the
    drafter could write two in a row that the check does not see."""
    slots = {"county": "澜水县", "whole": "全县", "leaders": "县委、县政府", "theme": "民族团结进步宣传教育",
             "campaign": "民族团结进步宣传月活动", "during": "宣传月期间", "reach": "进学校、进社区"}
    clerk, bank = load_yaml("clerk.yaml"), load_yaml("phrases.yaml")
    texts = [t for c in clerk["classes"].values() for k in ("purpose", "effect")
             for t in c[k] + c.get("plain", {}).get(k, [])]
    texts += [t for ts in clerk["sections"].values() for t in ts]
    texts += [t for s in bank["sections"].values() for t in s["leads"]]
    missed = [t for t in texts if not is_stock_sentence(t.format(**slots).rstrip("。"))]
    assert missed == []


def test_the_drafter_keeps_a_sentence_from_the_records_and_drops_the_stock_one_after_another():
    fact = Sentence(text=_FACT, sources=["a1"])
    a, b, c = (Sentence(text=t) for t in (_STOCK_A, _STOCK_B, _STOCK_C))
    assert [s.text for s in unpadded([fact, a, b, c])] == [_FACT, _STOCK_A]
    assert [s.text for s in unpadded([a, b, fact, c])] == [_STOCK_A, _FACT, _STOCK_C]


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_no_template_draft_has_two_stock_sentences_in_a_row(path):
    records = load_records(path)[0]
    md = to_markdown(draft_document(records))
    assert [f.excerpt for f in check(md, records).findings if f.check == "style.padding"] == []


def test_the_final_filter_keeps_a_part_count_a_note_happens_to_repeat():
    """guiyuan: the part opening's 共开展安排部署活动3项 is a count facts.number proves; a note
    saying 每个社区至少开展3项主题活动 does not make it the note's (removing it left two stock
    sentences in a row)."""
    from pipeline.checks import check as check_text
    from pipeline.support import keep_supported

    records = load_records(next(p for p in fixture_files() if p.name == "guiyuan_subdistrict_many.yaml"))[0]
    document = draft_document(records)
    _, removed = keep_supported(records, document, check_text(to_markdown(document), records))
    assert [r.before for r in removed] == []
    # a count beyond the activities the sentence cites is still a note's
    from pipeline.support import _sources, unsupported
    note_only = Sentence(text="各社区共开展主题活动3项。", sources=["g02"])
    assert unsupported(note_only, _sources(records), []) is not None
