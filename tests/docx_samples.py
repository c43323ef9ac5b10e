"""The documents the Word tests render, and a reader of the .docx package that resolves
paragraph and run properties as Word does (direct, style chain, docDefaults)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from pipeline.model.document import Document, Paragraph, Section, Sentence, SubHeading

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ---------------------------------------------------------------- documents


def para(*sentences: str) -> Paragraph:
    return Paragraph(sentences=[Sentence(text=s, sources=["a1"]) for s in sentences])


def sub(level: int, number: int, text: str, *sentences: str) -> Paragraph:
    """A sub-heading: on its own line, or run in when sentences follow."""
    return Paragraph(heading=SubHeading(level=level, number=number, text=text),
                     sentences=[Sentence(text=s, sources=["a1"]) for s in sentences])


COUNTY = "峨溪彝族自治县"
TITLE = "峨溪彝族自治县2025年民族团结进步创建活动工作总结"   # 24 characters wide: two lines
ACTIVITY = ("9月15日，县委统战部、县民族宗教事务局在县民族文化广场举办民族团结进步宣传月启动仪式，"
            "发放宣传资料2.5万份，现场群众达3000余人。")


def realistic() -> Document:
    return Document(
        county=COUNTY, year=2025, title=TITLE,
        opening=[para("根据州委统战部《关于开展2025年民族团结进步创建活动的通知》要求，",
                      "我县以铸牢中华民族共同体意识为主线，深入开展民族团结进步创建活动，取得明显成效。",
                      "现将有关情况总结如下。")],
        sections=[
            Section(key="organisation", number=1, heading="加强组织领导，压实工作责任", paragraphs=[
                sub(2, 1, "健全工作机制"),
                para("县委高度重视，成立由县委副书记任组长的领导小组，", "制定工作方案，明确12项重点任务。"),
                sub(2, 2, "强化责任落实", "各乡镇、各部门按照职责分工抓好落实，形成齐抓共管的工作格局。"),
                sub(3, 1, "细化任务分工"),
                para("将任务分解到28个责任单位，建立工作台账，实行销号管理。"),
                sub(4, 1, "明确时间节点"),
                para("各单位于9月5日前报送工作计划，9月30日前报送总结。"),
            ]),
            Section(key="practice", number=2, heading="丰富活动载体，营造浓厚氛围",
                    paragraphs=[para(ACTIVITY), para("一是开展进机关活动。", ACTIVITY), para(ACTIVITY)]),
            Section(key="problems", number=3, heading="存在的问题",
                    paragraphs=[para("一是宣传覆盖面仍不够广；", "二是活动形式有待创新。")]),
            Section(key="plans", number=4, heading="下一步工作打算",
                    paragraphs=[para("一是持续深化宣传教育；", "二是推动创建活动常态化。")]),
        ],
        signature=["峨溪彝族自治县民族宗教事务局", "2025年9月3日"],
    )


# Pure Han text: its line breaks do not depend on how a substitute font sets digits.
HAN = "全县各族干部群众共同团结奋斗共同繁荣发展" * 5


def long_document(paragraphs: int) -> Document:
    """Every body paragraph is 80 Han characters and 。: 26 + 28 + 27 = 3 lines exactly."""
    body = HAN[:80] + "。"
    return Document(
        county=COUNTY, year=2025, title=TITLE,
        opening=[para(body)],
        sections=[Section(key="practice", number=1, heading="主要做法",
                          paragraphs=[para(body) for _ in range(paragraphs)])],
        signature=["峨溪彝族自治县民族宗教事务局", "2025年9月3日"],
    )


# ---------------------------------------------------------------- reading the package


class Package:
    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")
        self.by_id = {s.get(q("styleId")): s for s in self.styles.iterfind("w:style", NS)}
        self.paragraphs = self.document.findall("w:body/w:p", NS)

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def text(self, p) -> str:
        return "".join(t.text or "" for t in p.iterfind(".//w:t", NS))

    def style_chain(self, p) -> list:
        node = p.find("w:pPr/w:pStyle", NS)
        sid = node.get(q("val")) if node is not None else "Normal"
        chain = []
        while sid:
            style = self.by_id[sid]
            chain.append(style)
            based = style.find("w:basedOn", NS)
            sid = based.get(q("val")) if based is not None else None
        return chain

    def ppr(self, p, path: str, attr: str) -> str | None:
        """A paragraph property as Word resolves it: direct, style chain, docDefaults."""
        scopes = [p.find("w:pPr", NS)] + [s.find("w:pPr", NS) for s in self.style_chain(p)]
        scopes.append(self.styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS))
        return self._first(scopes, path, attr)

    def rpr(self, p, run, path: str, attr: str) -> str | None:
        scopes = [run.find("w:rPr", NS)] + [s.find("w:rPr", NS) for s in self.style_chain(p)]
        scopes.append(self.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS))
        return self._first(scopes, path, attr)

    @staticmethod
    def _first(scopes, path: str, attr: str):
        for scope in scopes:
            node = scope.find(path, NS) if scope is not None else None
            if node is not None and node.get(q(attr)) is not None:
                return node.get(q(attr))
        return None

    def find(self, text: str):
        return next(p for p in self.paragraphs if self.text(p) == text)

    def style_id(self, p) -> str:
        return self.style_chain(p)[0].get(q("styleId"))
