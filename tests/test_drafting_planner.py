"""The template drafter's sentence planner (pipeline/drafting/planner.py) and the counts and
sums facts.number accepts for activities said together (pipeline/checks/facts_tally.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import fixture_files
from pipeline.checks import check
from pipeline.drafting import draft_document
from pipeline.drafting.sentences import figure_clause
from pipeline.evals.metrics import section_lengths
from pipeline.model.length import LengthTarget
from pipeline.inputs import load_records
from pipeline.model.records import Figure, Records
from pipeline.render import to_markdown
from pipeline.resources import load_yaml

ROOT = Path(__file__).resolve().parent.parent


def _shows(n: int) -> Records:
    """n 街道 each holding the same show, and one meeting."""
    acts = [{"id": "m1", "date": "2024-09-02", "units": ["区委统战部"], "title": "召开宣传月工作部署会",
             "figures": [{"what": "参会人员", "value": 40, "unit": "人"}]}]
    for i in range(n):
        acts.append({"id": f"s{i}", "date": f"2024-09-{10 + i:02d}", "units": [f"{'东南西北中'[i]}城街道"],
                     "title": "举办民族团结主题文艺演出",
                     "figures": [{"what": "演出节目", "value": 10 + i, "unit": "个"},
                                 {"what": "观看群众", "value": 300, "unit": "人", "approx": True}]})
    return Records.model_validate({"county": "锦川区", "year": 2024, "campaign": "民族团结进步宣传月",
                                   "activities": acts})


def _number_errors(text: str, records: Records) -> list[str]:
    return [f.excerpt for f in check(text, records).findings if f.check == "facts.number"]


_MERGED = "9月10日至12日，东城街道、南城街道、西城街道先后举办民族团结主题文艺演出{n}{m}，共演出节目{s}个、观看群众{v}余人。"


def test_a_merged_sentence_states_count_and_sums_the_checker_accepts():
    records = _shows(3)
    text = "二、主要做法\n\n" + _MERGED.format(n=3, m="场", s=33, v=900)
    assert _number_errors(text, records) == []


@pytest.mark.parametrize("n, m, s, v", [(4, "场", 33, 900), (3, "场", 34, 900), (3, "场", 33, 1000),
                                        (3, "次", 33, 900)])
def test_a_wrong_count_sum_or_measure_word_in_a_merged_sentence_is_an_error(n, m, s, v):
    text = "二、主要做法\n\n" + _MERGED.format(n=n, m=m, s=s, v=v)
    assert _number_errors(text, _shows(3))


def test_a_part_opening_counts_its_own_activities_by_class():
    records = _shows(3)
    lines = ["一、主要做法", "", "各单位共开展各类活动{t}项，其中文艺展演{a}项、安排部署{b}项，共观看群众{v}余人。",
             "9月2日，区委统战部召开宣传月工作部署会，参会人员40人。",
             _MERGED.format(n=3, m="场", s=33, v=900)]
    good = "\n".join(lines).format(t=4, a=3, b=1, v=900)
    assert _number_errors(good, records) == []
    for t, a, b in [(5, 3, 1), (4, 2, 1), (4, 3, 2)]:
        assert _number_errors("\n".join(lines).format(t=t, a=a, b=b, v=900), records), (t, a, b)
    assert _number_errors("\n".join(lines).format(t=4, a=3, b=1, v=1200), records)


def test_activities_of_one_title_are_one_sentence_with_totals():
    records = _shows(4)
    md = to_markdown(draft_document(records))
    merged = [s for s in re.split(r"(?<=。)", md) if "先后举办民族团结主题文艺演出" in s]
    assert len(merged) == 1
    assert "共演出节目46个" in merged[0] and "观看群众1200余人" in merged[0]
    assert all(f"{'东南西北'[i]}城街道" in merged[0] for i in range(4))
    assert check(md, records).ok


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_template_drafts_reach_the_suites_length_with_no_sentence_twice(path):
    records = load_records(path)[0]
    document = draft_document(records)
    sections = section_lengths(document, records, LengthTarget())
    ratio = sum(s["chars"] for s in sections) / sum(s["target"] for s in sections)
    sentences = [s.text for sec in document.sections for p in sec.paragraphs for s in p.sentences]
    long_ones = [s for s in sentences if len(s) >= 12]
    assert len(long_ones) == len(set(long_ones))
    report = check(to_markdown(document), records)
    assert report.ok and not [f for f in report.findings if f.check.startswith("style.")]
    assert ratio >= 0.8, ratio


def test_a_large_input_names_every_activity_and_repeats_no_listed_item():
    records = load_records(next(p for p in fixture_files() if p.name == "scale_160.yaml"))[0]
    md = to_markdown(draft_document(records))
    report = check(md, records)
    assert report.stats.records_covered == report.stats.records_total
    for clause in re.split(r"[，。；：]", md):
        items = clause.split("、")
        assert len(items) == len(set(items)), clause


@pytest.mark.parametrize("what, unit, verb", [("志愿者", "名", "参与服务"), ("观众", "人次", "吸引"),
                                             ("示范单位", "个", "涉及"), ("点击量", "人次", "达")])
def test_a_noun_only_figure_is_said_with_a_verb(what, unit, verb):
    clause = figure_clause(Figure(what=what, value=40, unit=unit))
    assert verb in clause and "40" in clause


def test_a_religion_summary_takes_no_phrase_of_the_unity_theme():
    records = load_records(ROOT / "evals/handwritten/yanshan_county_religion_2023.yaml")[0]
    assert "宗教" in records.campaign
    unity = load_yaml("clerk.yaml")["theme_words"]["unity"]
    md = to_markdown(draft_document(records))
    phrases = [t for cls in load_yaml("clerk.yaml")["classes"].values() for k in ("purpose", "gloss", "effect")
               for t in cls[k] + cls.get("plain", {}).get(k, [])] + [t for ts in load_yaml("clerk.yaml")["sections"].values() for t in ts]
    for t in phrases:
        if any(w in t for w in unity) and "{" not in t:
            assert t.rstrip("。") not in md, t


_OPENING_RANGE = re.compile(r"(?:^|。)(\d{1,2}月\d{1,2}日至(?:\d{1,2}月)?\d{1,2}日)，")


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_a_part_does_not_open_with_the_range_its_first_activity_says_again(path):
    """5月9日至30日，…先后开展…。一是…。5月9日至30日，校德育处组织各班…: when one activity
    spans the part's whole range, the opening says the campaign's period instead."""
    records, _ = load_records(path)
    for paragraph in to_markdown(draft_document(records)).split("\n"):
        ranges = _OPENING_RANGE.findall(paragraph)
        assert not ranges or ranges[0] not in ranges[1:], (path.name, ranges)
