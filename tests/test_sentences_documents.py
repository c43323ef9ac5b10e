"""An activity whose title is only the issuing of a document names that document once, by
its recorded name; a title that says more keeps the name in brackets after it."""

import pytest

from pipeline.checks import check
from pipeline.drafting.sentences import activity_sentences
from pipeline.inputs import load_records
from tests.conftest import FIXTURES


def _one(title: str, documents: list[str]):
    records = load_records(FIXTURES / "lanshui_county.yaml")[0]
    first = records.activities[0].model_copy(update={"title": title, "documents": documents})
    return records.model_copy(update={"activities": [first]}), first


@pytest.mark.parametrize("title, document, said", [
    ("印发全县民族团结进步宣传月工作要点", "澜水县2025年民族团结进步宣传月工作要点",
     "县委统战部印发《澜水县2025年民族团结进步宣传月工作要点》。"),
    ("制定宣传月活动实施方案", "澜水县民族团结进步宣传月活动实施方案",
     "县委统战部制定《澜水县民族团结进步宣传月活动实施方案》。"),
    ("印发任务分工清单并建立工作台账", "澜水县宣传月任务分工清单",
     "县委统战部印发任务分工清单并建立工作台账（《澜水县宣传月任务分工清单》）。"),
    ("印发宣传月活动通知", "关于做好民族团结进步宣传月工作的意见",  # another kind of document
     "县委统战部印发宣传月活动通知（《关于做好民族团结进步宣传月工作的意见》）。"),
])
def test_the_document_is_said_once(title, document, said):
    records, activity = _one(title, [document])
    text = activity_sentences(activity, records)[0].text
    assert text.endswith(said) and text.count(document) == 1
    draft = f"# 澜水县2025年民族团结进步宣传月工作总结\n\n{text}\n"
    assert not [f for f in check(draft, records).findings if f.severity == "error"]
