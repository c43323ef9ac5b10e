"""A number is judged by the clause a reader sees before it (facts_number._CLAUSE_SIGHT): a
run-on clause of thousands of characters neither hides a wrong figure nor costs a copy of
the whole clause per number."""

import pytest

from pipeline.checks import check
from pipeline.inputs import load_records
from tests.conftest import FIXTURES

RUN_ON = "各族群众踊跃参与宣传月各项活动气氛热烈" * 20  # 380 characters, no mark


@pytest.mark.parametrize("figure, wrong", [("900份", False), ("901份", True), ("130人", False), ("131人", True)])
def test_a_figure_after_a_long_run_on_clause_is_still_checked(figure, wrong):
    records = load_records(FIXTURES / "lanshui_county.yaml")[0]
    text = (f"# 澜水县2025年民族团结进步宣传月工作总结\n\n9月12日，县民族宗教事务局联合澜水镇在澜水镇集镇"
            f"开展民族政策宣传咨询活动{RUN_ON}发放宣传资料{figure if '份' in figure else '900份'}，"
            f"接受咨询群众{figure if '人' in figure else '130人'}。\n")
    errors = [f for f in check(text, records).findings if f.check == "facts.number" and f.severity == "error"]
    assert len(errors) == (1 if wrong else 0) and all(figure in f.excerpt for f in errors)
