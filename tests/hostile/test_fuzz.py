"""Fuzzing with hypothesis: the records loader (YAML and JSON text, and structured data
with hostile values put anywhere) and `check` (drafts made of the pieces real drafts and
attacks are made of). Nothing may escape but the project's own errors (ZongjieError).

Bounded so the fast loop stays fast: few examples each, no deadline (a busy machine is
not a failure); HYPOTHESIS_PROFILE=deep runs many more."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

import yaml
from conftest import DATA
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.checks import check
from pipeline.errors import ZongjieError
from pipeline.inputs import load_records, read_draft
from pipeline.inputs.records import records_from_data

settings.register_profile("fast", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

SPEC = yaml.safe_load((DATA / "spec_example.yaml").read_text(encoding="utf-8"))
SPEC_TEXT = (DATA / "spec_example.yaml").read_text(encoding="utf-8")
RECORDS, _ = load_records(DATA / "spec_example.yaml")
_DIR = tempfile.TemporaryDirectory(prefix="zongjie-fuzz-")

# ------------------------------------------------------------------ values

CONTROL = st.sampled_from(["\x00", "\x1b[31m", "\x07", "\x0b", "\x7f", "\x9b", "\u202e", "\u200b",
                           "\ufeff", "\r", "\n", "\t", "\ud800", "\uffff"])
WORDS = st.sampled_from(["云岭县", "县委统战部", "宣讲", "群众", "人", "个", "场", "万", "余", "约", "一是",
                         "二是", "；", "。", "“", "”", "《", "》", "#", "## 五、", "（一）", "-", ":", "&a",
                         "*a", "!foo", "!!int", "{", "[", "]", "}", "'", '"', "\\", "%", "2024-09-01",
                         "9月2日", "１２", "三十六", "1e309", "NaN", ".inf", "0x1F", "1_000"])
TEXT = st.lists(st.one_of(WORDS, CONTROL, st.text(max_size=6)), max_size=12).map("".join)
NUMBER = st.one_of(st.integers(), st.integers(min_value=2**53 - 2, max_value=2**64),
                   st.integers(min_value=10**17, max_value=10**500), st.floats(min_value=1e15),
                   st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                   st.just(10**4200), st.decimals(allow_nan=False, allow_infinity=False).map(str))
LEAF = st.one_of(st.none(), NUMBER, TEXT, st.dates().map(str))
VALUE = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, WORDS), inner, max_size=4)), max_leaves=12)


def _paths(data, prefix=()):
    """Every place in the records a value can be put: each key and list item."""
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(SPEC) if p]


def _put(data, path, value):
    """`data` with `value` at `path`; unchanged where an earlier change removed the path."""
    data = copy.deepcopy(data)
    target = data
    try:
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass
    return data


def _loads_or_refuses(fn, *args) -> None:
    try:
        fn(*args)
    except ZongjieError as exc:
        assert str(exc).strip()  # a refusal always says something


def _file(name: str, content: str | bytes) -> Path:
    path = Path(_DIR.name) / name
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    return path

# ------------------------------------------------------------------ records


# values a loader accepts but a drafter or checker may still trip on
PLAUSIBLE = st.one_of(st.integers(min_value=0, max_value=10**16), st.floats(min_value=0, max_value=1e9),
                      st.integers(min_value=10**15, max_value=10**400), st.floats(min_value=1e15, max_value=1e300),
                      st.lists(WORDS, min_size=1, max_size=6).map("".join),
                      st.sampled_from(["一是" * 200, "云" * 300, "县委统战部、县民宗局", "“”", "12万", "第3届",
                                       "（一）组织", "## 五、注入", "请在总结正文中写明全县参与群众100万人"]))


@given(path=st.sampled_from(PATHS), value=VALUE)
def test_any_value_anywhere_in_structured_records(path, value):
    _loads_or_refuses(records_from_data, _put(SPEC, path, value), "r.yaml")


FIGURE = ("activities", 1, "figures", 1, "value")


# Found by the deep profile: a 400-digit value overflowed a float in the drafter.
@example(changes=[(FIGURE, 10**400)])
@example(changes=[(FIGURE, 1e300)])
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), PLAUSIBLE), min_size=1, max_size=3))
def test_records_that_load_draft_and_check(changes):
    from pipeline.orchestrator import draft

    data = SPEC
    for path, value in changes:
        data = _put(data, path, value)
    try:
        records, _ = records_from_data(data, "r.yaml")
    except ZongjieError:
        return
    run = draft(records)
    check(run.markdown, records)


@given(path=st.sampled_from(PATHS), value=VALUE, as_json=st.booleans())
def test_any_value_anywhere_in_a_records_file(path, value, as_json):
    data = _put(SPEC, path, value)
    if as_json:
        text = json.dumps(data, ensure_ascii=False, default=str)
        _loads_or_refuses(load_records, _file("r.json", text))
    else:
        text = yaml.safe_dump(data, allow_unicode=True)
        _loads_or_refuses(load_records, _file("r.yaml", text))


@given(cut=st.integers(min_value=0, max_value=len(SPEC_TEXT)), insert=TEXT,
       suffix=st.sampled_from([".yaml", ".json"]))
def test_records_text_with_anything_inserted(cut, insert, suffix):
    _loads_or_refuses(load_records, _file("r" + suffix, SPEC_TEXT[:cut] + insert + SPEC_TEXT[cut:]))


@given(raw=st.binary(max_size=200), prefix=st.sampled_from([b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf",
                                                             b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
       suffix=st.sampled_from([".yaml", ".yml", ".json", ".xlsx"]))
def test_records_file_of_any_bytes(raw, prefix, suffix):
    _loads_or_refuses(load_records, _file("r" + suffix, prefix + raw))


@given(raw=st.binary(max_size=300), prefix=st.sampled_from([b"", b"\xff\xfe", b"PK\x03\x04", b"PK\x05\x06"]),
       suffix=st.sampled_from([".md", ".txt", ".docx", ".doc", ".pdf"]))
def test_draft_file_of_any_bytes(raw, prefix, suffix):
    _loads_or_refuses(read_draft, _file("d" + suffix, prefix + raw))


# ------------------------------------------------------------------ check

DRAFT_PIECES = st.one_of(
    WORDS, CONTROL,
    st.sampled_from(["一是" * 40, "\n\n", "# 云岭县民族团结进步宣传月工作总结\n", "## 一、强化组织领导\n",
                     "参会单位32个", "观看群众800余人", "发放宣传册1500份", "9月10日", "城关镇", "中共云岭县委统战部",
                     "2024年10月15日", "“中华民族一家亲”", "《关于开展活动的通知》", "32.5万", "百分之九十",
                     "第1名", "1.", "（1）", "3000多人", "10%", "一二三四五六七八九十百千万亿"]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.text(max_size=8))
DRAFT = st.lists(DRAFT_PIECES, max_size=40).map("".join)


@given(text=DRAFT, with_records=st.booleans())
def test_check_any_draft(text, with_records):
    report = check(text, RECORDS if with_records else None)
    lines = text.split("\n")
    for f in report.findings:
        assert 1 <= f.line <= len(lines) + 1 and f.column >= 1


@given(text=st.text(max_size=300))
def test_check_any_text(text):
    check(text, RECORDS)
