"""A unit's own summary speaks as the unit: it names itself once (县民族宗教事务局), then
writes 我局 (我委, 我部, 我中心 … by the end of its name, prompts/lexicon/kinds.yaml
`self_words`) where it is the subject of a sentence or clause (我局联合县财政局……). Where it
leads a list of units it speaks as the lead (我局会同县委党校、县融媒体中心先后……); further in
a list it keeps its name, so who did what stays clear. In a run of its own dated sentences a clerk does not restate the subject each
time: every other one drops it (5月20日，我局提请……。9月18日，指导……), never before 联合/会同… or 在…
(the partner or the place would read as the subject), never after a sentence of another subject.
One pass over the draft's sentences in reading order."""

from __future__ import annotations

import re

from pipeline.model.document import Paragraph, Sentence
from pipeline.text.kinds import self_word

__all__ = ["SelfName", "self_word"]


class SelfName:
    """Remembers whether the unit has been named; `__call__` gives a sentence with the
    unit's later subject mentions said as its self word."""

    def __init__(self, names: list[str], word: str) -> None:
        self.word = word
        self.named = False
        self.said = False  # the sentence before, in this paragraph, said the self word as subject
        alternatives = "|".join(map(re.escape, sorted(set(names), key=len, reverse=True)))
        # the subject: at the head of the sentence or of a clause (9月2日，…), not one of a list
        self.subject = re.compile(rf"(?:^|(?<=，))(?:{alternatives})(?![、和与及])")
        self.any = re.compile(alternatives)
        # a list the unit leads (县民族宗教事务局、县委党校先后……) reads 我局会同县委党校先后……
        self.leads = re.compile(rf"(?:^|(?<=，))(?:{alternatives})、(?=[^，。；]{{1,80}}?(?:先后|分别))")
        # a dated sentence whose subject is the self word: 4月10日至30日，我局对……
        self.dated = re.compile(rf"^(\d{{1,2}}月[^，。；]{{0,40}}?日，){re.escape(word)}"
                                rf"(?!联合|会同|与|和|及|配合|协同|、|在)")

    def __call__(self, s: Sentence) -> Sentence:
        said, self.said = self.said, False
        if not self.any.search(s.text):
            return s
        if not self.named:
            self.named = True  # the first mention names the unit in full
            return s
        text = self.subject.sub(self.word, self.leads.sub(self.word + "会同", s.text))
        if text == s.text:
            return s
        dated = self.dated.match(text)
        if said and dated:
            text = dated.group(1) + text[dated.end():]
        else:
            self.said = bool(dated) or text.startswith(self.word)
        return s.model_copy(update={"text": text})

    def paragraphs(self, paragraphs: list[Paragraph]) -> list[Paragraph]:
        out = []
        for p in paragraphs:
            self.said = False
            out.append(p.model_copy(update={"sentences": [self(s) for s in p.sentences]}))
        return out
