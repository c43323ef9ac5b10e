"""Each stock frame at most once per draft: a clerk who opened with 按照市民委《……》要求
does not cite it again at the head of the first part, nor write 创建工作开展以来 twice
(frames: prompts/clerk.yaml). One pass over the draft's sentences in reading order."""

from __future__ import annotations

import re
from functools import cache

from pipeline.model.document import Paragraph, Sentence
from pipeline.resources import load_yaml


@cache
def _frames() -> dict[str, re.Pattern]:
    return {name: re.compile(p) for name, p in load_yaml("clerk.yaml")["frames"].items()}


class Once:
    """Remembers the frames said so far; `__call__` gives a sentence with a frame said
    before taken off its head (and the sources only that frame cited, 按照《…》要求's basis)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, s: Sentence) -> Sentence:
        text = s.text
        for name, pattern in _frames().items():
            head = pattern.match(text)
            if head and name in self.seen and len(text) > head.end() + 4:
                cut = head.group(0)
                text = text[head.end():]
                if "《" in cut:  # the frame was the citation of the basis
                    s = s.model_copy(update={"sources": [x for x in s.sources if not x.startswith("basis[")]})
            elif pattern.search(text):
                self.seen.add(name)
        return s if text == s.text else s.model_copy(update={"text": text})

    def paragraphs(self, paragraphs: list[Paragraph]) -> list[Paragraph]:
        return [p.model_copy(update={"sentences": [self(s) for s in p.sentences]}) for p in paragraphs]
