"""The findings formatter measures each line once: many findings on one long line are
shown exactly as each would be shown alone."""

from pipeline.checks import check
from pipeline.checks.output import format_findings


def test_many_findings_on_one_line_format_as_each_alone():
    text = "# 标题\n\n" + "一是，宣传月共开展12场活动，" * 40 + "\n"
    report = check(text, None)
    assert len(report.findings) > 3
    together = format_findings(report, "d.md", text).split("\n")[:-1]
    alone = []
    for f in report.findings:
        one = report.model_copy(update={"findings": [f]})
        alone += format_findings(one, "d.md", text).split("\n")[:-1]
    assert together == alone
    assert any("^" in line for line in together)
