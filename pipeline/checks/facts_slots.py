"""facts.entity, the organising units: who did it, read from the slot a 公文 sentence keeps
for them — right after a date (“9月3日，金河镇联合县民宗局在……开展”), after 此外，,
after 联合/会同, or before a cited title — whatever the name is. A name there that ends
like an organisation or a place (…局, …镇, …中心, …学校) must stand in the records, so
another county's unit pasted into this county's summary is caught even when it is on no
word list.

Conservative by design: only that slot is read, only items shaped like names, and a
generic subject (各乡镇, 县直各部门, 相关单位) is no claim.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.resources import load_yaml
from pipeline.text.places import LEVEL_WORDS

_DATE_HEAD = r"\d{1,2}月\d{1,2}日(?:[至—－~～-](?:\d{1,2}月)?\d{1,2}日)?(?:起|以来|上午|下午|晚上)?"
_JOIN = r"联合|会同|协同|携手"


@cache
def _slot_words() -> tuple[re.Pattern, re.Pattern, re.Pattern, frozenset]:
    data = load_yaml("lexicon/unit_slots.yaml")
    ends = "|".join(map(re.escape, sorted(data["slot_end"], key=len, reverse=True)))
    suffixes = "|".join(map(re.escape, sorted(data["suffixes"], key=len, reverse=True)))
    # The slot: after a date and its comma, or after 联合/会同; up to the first verb.
    # The issuers before a title (根据市民委《……》) are a slot too.
    # 由A、B联合主办 and a list after a dash (辖区2所学校——A、B) name the organisers too.
    # A sentence's own subject too (县融媒体中心注重发挥…: a part's purpose sentence names
    # the unit whose items follow), when it opens with a level word as a unit's name does
    # (交往交流的平台不断拓展 is no unit).
    slot = re.compile(rf"(?:(?:^|(?<=[。；！？]))(?=[县区旗市州镇乡校])|{_DATE_HEAD}[，,]|(?:此外|另外|同时)[，,]|{_JOIN}|根据|按照|依据|》和|》、"
                      rf"|(?<![自理缘因经来事])由(?![于此衷浅])|——)"
                      rf"([\u4e00-\u9fff、（）()]{{2,200}}?)(?=(?:{ends})|[，。；：,;《]|$)")
    item = re.compile(rf"^[\u4e00-\u9fff（）()]{{1,24}}?(?:{suffixes})$")
    split = re.compile(rf"、|和|与|及|{_JOIN}")
    generic = frozenset(data["generic"])
    return slot, item, split, generic


def _generic(name: str, generic: frozenset, level: str) -> bool:
    """镇党委 is this town's own committee in a 镇 summary; in a 县 summary it names no
    one unit the records could hold, and a pasted one must be caught."""
    if name not in generic:
        return False
    own = next((lv for lv in LEVEL_WORDS if name.startswith(lv)), None)
    return own is None or own == level


def slot_names(work: str, level: str = "县") -> list[tuple[int, int, str]]:
    """(start, end, name) of each unit named in a who-slot of the line."""
    slot, item, split, generic = _slot_words()
    out = []
    for m in slot.finditer(work):
        pos = m.start(1)
        for part in split.split(m.group(1)):
            start = work.find(part, pos)
            pos = start + len(part)
            name = part.strip("（）()")
            if not name or _generic(name, generic, level) or name.startswith(
                    ("各", "全", "相关", "有关", "本", "我")):
                continue
            if item.match(name):
                out.append((start, start + len(part), name))
    return out


def org_shaped(name: str) -> bool:
    """Whether a phrase ends like a unit's name (县融媒体中心, 滨江实验学校)."""
    return bool(_slot_words()[1].match(name))


_PLACE_LIST = re.compile(r"在((?:[\u4e00-\u9fff]{2,16}、)+[\u4e00-\u9fff]{2,16}?)"
                         r"(?=开展|举办|召开|举行|组织|进行|设立|巡演|宣讲|慰问|走访|义诊|为|向|对|[，。；]|$)")
_TOWNISH = ("镇", "乡", "苏木", "街道", "村", "社区", "嘎查")


def place_list_names(work: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the unit-shaped items of a list of places after 在
    (在白音希勒苏木、查干敖包镇、乡司法所开展): a list that names a town or village is a list
    of where, and each item must be recorded. 在空间、文化、社会等方面 names no town: no list."""
    item = _slot_words()[1]
    out = []
    for m in _PLACE_LIST.finditer(work):
        parts = m.group(1).split("、")
        if not any(p.endswith(_TOWNISH) for p in parts):
            continue
        pos = m.start(1)
        for part in parts:
            if item.match(part) and not part.startswith(("各", "全", "相关", "有关")):
                out.append((pos, pos + len(part), part))
            pos += len(part) + 1
    return out


_LEAD_YEAR = re.compile(r"^[#\s*]*([\u4e00-\u9fff（）()]{2,24}?)(?=(?:19|20)\d\d年)")


def lead_names(raw: str) -> list[tuple[int, int, str]]:
    """The unit a line starts with before a year, the title's author above all
    (平川县红旗中学2024年民族团结进步教育工作总结): a unit's name there must be recorded."""
    m = _LEAD_YEAR.match(raw)
    if not m or not _slot_words()[1].match(m.group(1)) or m.group(1).startswith(("各", "全", "我", "本")):
        return []
    return [(m.start(1), m.end(1), m.group(1))]
