"""The opening says when: a calendar year's work is “于2024年”, a campaign's dates stay dates."""

import datetime as dt

import pytest

from pipeline import draft_document
from pipeline.checks import check
from pipeline.inputs import load_records
from pipeline.render import to_markdown
from tests.conftest import FIXTURES


@pytest.mark.parametrize("start, end, said", [
    ((2025, 1, 1), (2025, 12, 31), "于2025年扎实开展"),
    ((2025, 9, 1), (2025, 9, 30), "于2025年9月1日至30日"),
    ((2025, 1, 1), (2025, 12, 30), "于2025年1月1日至12月30日"),
])
def test_the_opening_says_the_period_as_a_clerk_would(start, end, said):
    records = load_records(FIXTURES / "lanshui_county.yaml")[0]
    period = {"start": dt.date(*start), "end": dt.date(*end)}
    records = records.model_validate({**records.model_dump(), "period": period})
    md = to_markdown(draft_document(records))
    opening = md.split("\n\n")[1]
    assert said in opening
    assert check(md, records).ok
