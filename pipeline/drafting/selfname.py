"""A unit's own summary speaks as the unit: it names itself once (县民族宗教事务局), then
writes 我局 (我委, 我部, 我中心 … by the end of its name, prompts/lexicon/kinds.yaml
`self_words`) where it is the subject of a sentence or clause. Where another unit is named in
the same sentence (县民族宗教事务局联合县财政局……, 县民族宗教事务局、县委党校先后……) it keeps
its name, so who did what stays clear.
One pass over the draft's sentences in reading order."""

from __future__ import annotations

import re

from pipeline.model.document import Paragraph, Sentence
from pipeline.resources import load_yaml


def self_word(unit: str) -> str | None:
    """我局 for a …局, 我委 for a …委员会; None for a name no self word fits."""
    for end, word in load_yaml("lexicon/kinds.yaml")["self_words"]:
        if unit.endswith(end):
            return word
    return None


class SelfName:
    """Remembers whether the unit has been named; `__call__` gives a sentence with the
    unit's later subject mentions said as its self word."""

    def __init__(self, names: list[str], word: str, others: list[str] = ()) -> None:
        self.word = word
        self.others = [o for o in others if o not in names and not any(o in n for n in names)]
        self.named = False
        alternatives = "|".join(map(re.escape, sorted(set(names), key=len, reverse=True)))
        # the subject: at the head of the sentence or of a clause (9月2日，…), not one of a list
        self.subject = re.compile(rf"(?:^|(?<=，))(?:{alternatives})(?![、和与及])")
        self.any = re.compile(alternatives)

    def __call__(self, s: Sentence) -> Sentence:
        if not self.any.search(s.text):
            return s
        if not self.named:
            self.named = True  # the first mention names the unit in full
            return s
        if any(o in s.text for o in self.others):
            return s
        text = self.subject.sub(self.word, s.text)
        return s if text == s.text else s.model_copy(update={"text": text})

    def paragraphs(self, paragraphs: list[Paragraph]) -> list[Paragraph]:
        return [p.model_copy(update={"sentences": [self(s) for s in p.sentences]}) for p in paragraphs]
