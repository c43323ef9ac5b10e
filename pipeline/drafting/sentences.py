"""How one activity is said: when, who, where, what, how many — as a careful clerk writes it.

The clerk's rules this module keeps (each a `style` finding when broken):
- the number follows the verb and object it counts: 走访慰问少数民族困难群众15户, not
  走访慰问少数民族困难群众，走访慰问15户 (style.echo);
- a unit acting on its own ground does not name itself twice: 白音希勒苏木在巴彦花嘎查…, not
  白音希勒苏木在白音希勒苏木巴彦花嘎查… (style.self_location);
- a title that already moves somewhere (走进…村开展…) takes the recorded place into its own
  words, never a separate 活动地点为… (style.wording);
- an outlet that is itself a unit of the activity (融媒体中心开设专栏) is not said to have
  "reported" it as well.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.drafting import phrasing as ph
from pipeline.model.document import Sentence
from pipeline.model.records import Activity, Figure, Records
from pipeline.resources import load_yaml
from pipeline.text.echo import object_again, pieces_said
from pipeline.text.dates import cn_date_range
from pipeline.text.kinds import school_self
from pipeline.text.outlets import names_outlet

_SPANS = ("天", "小时")  # how long something lasted: 为期3天
_MOTION = ("走进", "深入", "走访", "前往", "赴", "到", "进")
# 走进少数民族聚居村开展义诊: the motion, what it moves to, the action that follows.
_MOVE = re.compile(r"^(走进|深入|前往|赴|到|进)(.+?)(开展|举办|组织|进行|召开|慰问|宣讲|送)(.*)$")


def own_units(units: list[str], records: Records) -> list[str]:
    """The units as the summary's own author says them: a school writes 学校 for itself."""
    me = school_self(records.county, records.author)
    return [_SCHOOL_SELF if u == me else u for u in units] if me else units


_SCHOOL_SELF = "学校"


def units_phrase(units: list[str]) -> str:
    if len(units) == 1:
        return units[0]
    if len(units) <= 3:
        return f"{units[0]}联合{ph.join(units[1:])}"
    return f"{units[0]}牵头，联合{ph.join(units[1:])}"


_SUB_PLACE = re.compile(r"^.{1,12}?(村|社区|嘎查|居委会|小区|组|屯|寨)$")
_PLACE_UNITS = ("街道", "苏木", "社区", "嘎查", "镇", "乡", "村")


def _own_ground(place: str, units: list[str]) -> str:
    """The place less the name of a unit it lies in, as a clerk writes it:
    (白音希勒苏木巴彦花嘎查, 白音希勒苏木) → 巴彦花嘎查; (城关镇文化广场, 城关镇) → 镇文化广场;
    (县民族宗教事务局会议室, 县民族宗教事务局) → 本局会议室."""
    for unit in units:
        if not (place.startswith(unit) and len(place) > len(unit)):
            continue
        rest = place[len(unit):]
        kind = next((k for k in _PLACE_UNITS if unit.endswith(k)), None)
        if kind:  # 巴彦花嘎查 and 集镇 stand alone; 文化广场 is the 镇's: 镇文化广场
            return rest if _SUB_PLACE.match(rest) or rest.startswith(("集镇", kind)) else f"{kind}{rest}"
        return f"本{unit[-1]}{rest}" if unit[-1] in "局委部院" else f"本单位{rest}"
    return place


def _said_by(media: str, units: list[str], title: str, county: str, aliases: dict[str, list[str]]) -> bool:
    """Whether an outlet is already in the sentence as a unit or in the title; a unit may
    name it short (县融媒体中心 for 云岭县融媒体中心), or the records give the outlet's
    name as another name of a unit (县融媒体中心: [柏溪融媒])."""
    names = {media} | {full for full, shorts in aliases.items() if media in shorts}
    if county and media.startswith(county):
        level = ph.level(county)
        names.add(level + media[len(county):])
    return names_outlet(title, media) or any(n in title or any(n in u for u in units) for n in names)


def _echo(what: str, clause: str) -> bool:
    """Whether a figure's noun repeats what its clause already says (走访慰问 after
    走访慰问困难群众; 走访慰问家庭 after 走访慰问…家庭)."""
    if not what:
        return False
    if what in clause:
        return True
    head = what[:4] if len(what) >= 4 else what
    if len(head) >= 2 and head in clause or pieces_said(what, clause) is not None:  # 设置…展板
        return True
    return object_again(what, clause)  # 推出…专题节目 and 播出专题节目12期


@cache
def _rewrites() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r["pattern"]), r["to"]) for r in load_yaml("phrases.yaml")["figure_rewrites"]]


def _said(f: Figure) -> Figure:
    """The figure with its noun as a clerk writes it (受众群众 → 受众; phrases.yaml)."""
    for pattern, to in _rewrites():
        if pattern.match(f.what):
            return f.model_copy(update={"what": pattern.sub(to, f.what)})
    return f


@cache
def _forms() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r["pattern"]), r["form"]) for r in load_yaml("phrases.yaml")["figure_forms"]]


def figure_clause(f: Figure) -> str:
    """A figure as a clause with its verb (志愿者40名参与服务, 吸引观众300余人); a figure
    whose noun is already a verb phrase (发放宣传资料) as it stands."""
    for pattern, form in _forms():
        if pattern.search(f.what):
            return form.format(what=f.what, count=_count(f))
    return ph.figure(f)


def _count(f: Figure) -> str:
    """The number and measure word alone: 15户, 800余人."""
    return ph.figure(f.model_copy(update={"what": ""}))


def _where(a: Activity, title: str) -> tuple[str, str]:
    """(在{place} before the title or "", the title with the place taken in)."""
    if not a.place:
        return "", title
    place = _own_ground(a.place, a.units)
    said = a.place in a.title or place in a.title or title.startswith(("在", "于")) \
        or any(a.place in u for u in a.units)
    if said:
        return "", title
    if not title.startswith(_MOTION):
        return f"在{place}", title
    moved = _MOVE.match(title)
    if moved:  # 走进少数民族聚居村开展义诊 → 走进少数民族聚居村{place}开展义诊
        verb, target, action, rest = moved.groups()
        return "", f"{verb}{target}{place}{action}{rest}"
    return f"到{place}", title  # 走访慰问… → 到杨柳村走访慰问…


def directed(title: str) -> str:
    """A title that opens with a collective (各班开展……, 全体团员……) as its unit does it:
    through a verb (组织各班开展……), never joined to the unit's name (校德育处各班)
    (prompts/phrases.yaml `collective`)."""
    spec = load_yaml("phrases.yaml")["collective"]
    if title.startswith(tuple(spec["heads"])) and not title.startswith(tuple(spec["not"])):
        return spec["verb"] + title
    return title


_ISSUED = re.compile(r"^(印发|制定|出台)([^，。并及和]{4,})$")  # the title is the issuing and nothing more


def activity_sentences(a: Activity, records: Records) -> list[Sentence]:
    """The sentences that report one activity: when, who, where, what, how many (one
    sentence; a list, so that callers need not know)."""
    when = cn_date_range(a.date, a.end_date)
    title = directed(ph.strip_end(a.title))
    where, title = _where(a, title)
    first = f"{when}，{units_phrase(own_units(a.units, records))}{where}{title}"
    clauses = [first]
    ends_with_title = True
    if a.documents:
        books = "".join(f"《{d}》" for d in a.documents)
        named = _ISSUED.match(title)
        if named and len(a.documents) == 1 and a.documents[0].endswith(named.group(2)[-4:]):
            # 印发全县……工作要点 with 《柏溪县2024年……工作要点》: say the document once, by its name
            clauses[0] = clauses[0][: len(clauses[0]) - len(title)] + named.group(1) + books
            ends_with_title = False
        elif re.search(r"印发|制定|出台", title):  # 印发清单并建立台账（《……清单》）
            clauses[0] += f"（{books}）"
            ends_with_title = False
        else:
            clauses.append("印发" + books)
    for f in map(_said, a.figures):
        if ends_with_title and len(clauses) == 1 and _echo(f.what, title):
            clauses[0] += _count(f)  # 走访慰问少数民族困难群众15户
        elif f.unit in _SPANS and _echo(f.what, "，".join(clauses)):
            clauses.append(f"为期{_count(f)}")  # 培训骨干教师126名，为期3天
        else:
            clauses.append(figure_clause(f))
    media = [m for m in a.media if not _said_by(m, a.units, a.title, records.county, records.aliases)]
    if media:
        # the list is complete, so no 等: 峨州日报和县融媒体中心进行了报道
        clauses.append(f"{ph.join_and(media)}进行了报道")
    # The note is context (it sorts the activity, a model reads it) and never a sentence:
    # a record's text reaches the draft only as the value of a slot above.
    return [Sentence(text="，".join(clauses) + "。", sources=[a.id])]
