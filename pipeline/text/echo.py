"""Whether a phrase only repeats words a clause before it has said: the echo a clerk strikes
out (走访慰问辖区少数民族困难家庭，共走访少数民族困难家庭22户). Shared by the style check that
reports it and the drafter that must not write it."""

from __future__ import annotations

# A phrase longer than this is not searched (the search is quadratic in the phrase; the
# words before a number are far shorter).
MAX_PHRASE = 24
# After 共/累计 the verb alone may be said again (先后走访慰问…3次，共走访慰问107户); a verb
# with its object, at least this long, is an echo (共走访少数民族困难家庭22户).
COUNTED_MIN = 5


def pieces_said(phrase: str, said: str, least: int = 2) -> list[str] | None:
    """The phrase cut into the longest pieces (each at least `least` characters) that `said`
    contains in the same order, left to right: 走访少数民族困难家庭 in 走访慰问辖区少数民族
    困难家庭 is [走访, 少数民族困难家庭]. None when some part of the phrase was not said
    there, or the phrase is too long to search. Words said in another order are no echo:
    培训宗教教职人员64名 after 举办宗教教职人员培训班 names who was trained."""
    if not phrase or len(phrase) > MAX_PHRASE:
        return None
    out: list[str] = []
    i = at = 0
    while i < len(phrase):
        k = len(phrase) - i
        while k >= least and said.find(phrase[i:i + k], at) < 0:
            k -= 1
        if k < least:
            return None
        at = said.find(phrase[i:i + k], at) + k
        out.append(phrase[i:i + k])
        i += k
    return out


def echoed_after_count(phrase: str, said: str) -> bool:
    """Whether the words after a counting word (共…) repeat an object said before."""
    return len(phrase) >= COUNTED_MIN and pieces_said(phrase, said) is not None


def object_again(phrase: str, said: str) -> bool:
    """Whether the phrase says, after a verb of its own, the object the clause before ended
    with: 播出专题节目 after 推出“石榴籽”专题节目 (a clerk writes 推出“石榴籽”专题节目12期)."""
    return len(phrase) >= OBJECT_AGAIN_MIN and said.endswith(phrase[2:])


# A two-character verb and an object of at least three characters: 播出专题节目, 更新宣传展板.
OBJECT_AGAIN_MIN = 5
