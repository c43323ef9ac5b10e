"""The outline classifier files activities by what was done (prompts/phrases.yaml
`categories`): a training in embroidery or planting is a skills course, not a lecture on
theory; a launch meeting is a meeting, not grass-roots publicity. Titles written here, not
taken from the fixtures, so the keyword table is tested on wording it was not tuned on."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.model.records import Activity
from pipeline.outline import classify, keyword_hit
from pipeline.resources import load_yaml

# (title, units, class). Several per class, the misfiles of issue 12 among them.
CASES = [
    # meeting: launches, inspections, duties
    ("召开民族团结进步月启动会", ["乡党委"], "meeting"),
    ("在社区广场举行民族团结宣传周启动仪式", ["街道党工委", "阳光社区"], "meeting"),
    ("召开全乡民族团结进步工作推进会", ["乡党委"], "meeting"),
    ("对各村宣传活动开展情况进行督查", ["镇党委"], "meeting"),
    ("开展宗教活动场所燃气安全排查", ["县民族宗教事务局", "县应急管理局"], "meeting"),
    ("与各社区签订民族团结创建目标责任书", ["街道办事处"], "meeting"),
    # skills: embroidery, planting, breeding courses
    ("举办彝族妇女刺绣培训班", ["县妇女联合会"], "skills"),
    ("开展苗绣刺绣技艺传承培训", ["县文化馆", "县妇女联合会"], "skills"),
    ("在村党群服务中心举办核桃种植技术培训", ["镇农业服务中心", "新寨村"], "skills"),
    ("举办肉牛养殖培训", ["旗农牧局"], "skills"),
    ("开展农村电商培训", ["县商务局"], "skills"),
    ("组织少数民族青年参加职业技能培训", ["县人力资源和社会保障局"], "skills"),
    # lecture: theory, policy, party lessons
    ("举办民族理论政策专题讲座", ["县委党校"], "lecture"),
    ("为机关党员讲授铸牢中华民族共同体意识专题党课", ["县委组织部"], "lecture"),
    ("开展民族团结进步理论宣讲进村", ["县委宣讲团", "河口村"], "lecture"),
    ("组织干部职工学习习近平总书记关于加强和改进民族工作的重要思想", ["县文化和旅游局"], "lecture"),
    # legal: law on the street, by cases
    ("开展民族政策法规“以案释法”宣讲进集市", ["县司法局"], "legal"),
    ("在农贸市场设点开展民族宗教政策咨询", ["县民族宗教事务局"], "legal"),
    ("开展民族团结普法宣传进寨子", ["乡司法所"], "legal"),
    # school
    ("开展“中华民族一家亲”主题班会", ["县第二中学"], "school"),
    ("为新生上好铸牢中华民族共同体意识开学第一课", ["县教育局"], "school"),
    ("组织少先队员参观民族团结教育基地", ["县实验小学"], "school"),
    # visit
    ("走访慰问少数民族老党员", ["镇党委"], "visit"),
    ("为牧区群众开展巡回义诊", ["旗人民医院"], "visit"),
    ("为少数民族独居老人开展家庭医生签约服务", ["街道社区卫生服务中心"], "visit"),
    # performance
    ("举办民族团结主题文艺晚会", ["县文化馆"], "performance"),
    ("乌兰牧骑深入嘎查开展惠民巡演", ["旗乌兰牧骑"], "performance"),
    # contest
    ("举办民族团结知识竞赛", ["县总工会"], "contest"),
    ("开展线上民族团结知识竞答", ["县融媒体中心"], "contest"),
    ("开展民族团结“最美家庭”评选", ["县妇女联合会"], "contest"),
    # sports
    ("举办少数民族传统体育运动会", ["县文化和旅游体育局"], "sports"),
    ("举办职工“那达慕”", ["旗总工会"], "sports"),
    # exhibit: a show of paintings is an exhibition, not a contest
    ("举办民族团结主题书画展", ["县文联"], "exhibit"),
    ("举办“石榴花开”主题摄影展", ["县委宣传部"], "exhibit"),
    ("举办各族妇女手工刺绣作品展", ["县妇女联合会"], "exhibit"),
    # model: naming and reviewing model units
    ("命名第六批县级民族团结进步示范单位", ["县民族宗教事务局"], "model"),
    ("对已命名的示范社区开展复查", ["区民族宗教事务局"], "model"),
    ("指导河口镇申报省级民族团结进步示范镇", ["县民族宗教事务局"], "model"),
    # development
    ("争取少数民族发展资金建设特色村寨", ["县民族宗教事务局", "县财政局"], "development"),
    ("实施茶叶特色产业发展项目", ["县农业农村局"], "development"),
    # exchange
    ("举办各族居民邻里百家宴", ["和平社区"], "exchange"),
    ("开展“石榴籽”亲子手工活动", ["阳光社区"], "exchange"),
    ("举办彝族火把节民族文化展演周", ["县人民政府", "县文化广播电视和旅游局"], "exchange"),
    # media
    ("在县电视台开设民族团结专栏", ["县融媒体中心"], "media"),
    ("推出民族团结系列短视频", ["县融媒体中心", "县民族宗教事务局"], "media"),
    ("在主要街道LED屏播放民族团结公益广告", ["区融媒体中心"], "media"),
    # community
    ("开展民族团结进步宣传进楼栋", ["朝阳社区"], "community"),
]


def _activity(title: str, units: list[str]) -> Activity:
    return Activity(id="t1", date=dt.date(2025, 5, 6), units=units, title=title)


@pytest.mark.parametrize("title,units,expected", CASES, ids=[c[0] for c in CASES])
def test_the_class_is_chosen_by_what_was_done(title, units, expected):
    assert classify(_activity(title, units)) == expected


def test_every_class_is_exercised_and_has_its_working_language():
    """A class the bank lists has cases here, leads, a label, and its purpose/gloss/effect
    sentences in prompts/clerk.yaml: a class without them drafts bare items."""
    categories = load_yaml("phrases.yaml")["categories"]
    clerk = load_yaml("clerk.yaml")["classes"]
    tested = {c[2] for c in CASES}
    for name, spec in categories.items():
        if name == "other":
            continue
        assert name in tested, name
        assert spec["leads"] and spec.get("label"), name
        assert all(clerk[name][k] for k in ("purpose", "gloss", "effect")), name
    labels = [s["label"] for s in categories.values() if s.get("label")]
    assert len(labels) == len(set(labels))


def test_the_units_decide_only_when_the_title_says_nothing():
    # 教育体育局 names sport, but the activity is a school lesson
    assert classify(_activity("开展铸牢中华民族共同体意识开学第一课", ["旗教育体育局"])) == "school"
    # the title names nothing; the unit is a school
    assert classify(_activity("开展“同心”主题活动", ["县民族中学"])) == "school"
    assert classify(_activity("开展“同心”主题活动", ["县委宣传部"])) == "other"


def test_joined_keywords_need_every_part():
    assert keyword_hit("刺绣+培训", "举办刺绣技艺培训")
    assert not keyword_hit("刺绣+培训", "举办刺绣作品展")
    assert keyword_hit("专栏", "开设专栏")
