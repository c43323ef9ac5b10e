"""Evaluation suites: a YAML file (promptfoo-like) → a validated `Suite` → the cases to run.

    description: 默认评测套件
    defaults:                      # shared by every variant
      assertions: [fact_precision >= 1.0, no_errors, {max_numbering_errors: 0}]
      thresholds: {fact_precision: 1.0}
    fixtures:                      # records files (globs), optionally with hand-written drafts
      - ../fixtures/*.yaml
      - {records: handwritten/liuxi_county_2024.yaml, draft: handwritten/liuxi_county_2024.md}
    variants:
      - {name: 模板, backend: template}
      - {name: 忠实模型, backend: llm, provider: "scripted:faithful", latency: 0.01}
      - name: 精简提示词
        backend: llm
        provider: "scripted:faithful"
        prompts: {section: "…"}    # inline override of prompts/llm/section.txt
        prompt_dir: prompts-concise # or a folder of NAME.txt overrides

Paths are relative to the suite file. Every problem is reported at once, in Chinese,
naming the file, line and field. The JSON Schema (schema/eval-suite.schema.json) is
generated from these models: `python -m pipeline.evals.suite`.
"""

from __future__ import annotations

import fnmatch
import glob
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model,
                      field_validator, model_validator)

from pipeline.errors import InputError, Problem
from pipeline.drafting.llm.config import Endpoint
from pipeline.drafting.llm.prompts import NAMES as PROMPT_NAMES
from pipeline.drafting.llm.prompts import Prompt, load_prompt
from pipeline.evals import assertions as A
from pipeline.evals.messages import parse_yaml, validation_problems
from pipeline.evals.metrics import CEILINGS, GATEABLE, LengthTarget
from pipeline.text.chars import hidden_char
from pipeline.text.yamlpos import Lines

BACKENDS = ("template", "llm", "handwritten")
SCRIPTED_MODES = ("faithful", "invent", "stubborn", "heading", "error")
RECORD_SUFFIXES = (".yaml", ".yml", ".json")
DRAFT_SUFFIXES = (".md", ".txt", ".docx")

AssertionList = Annotated[list[A.AssertionItem], BeforeValidator(A.check_items)]
def _finite(v):
    """A threshold: a number (true is no number) that compares (nan and inf gate nothing)."""
    if isinstance(v, bool):
        raise ValueError("应为数字，不能是 true/false")
    return v


Bound = Annotated[float, BeforeValidator(_finite), Field(allow_inf_nan=False)]
Thresholds = dict[Literal[GATEABLE + CEILINGS], Bound]  # type: ignore[valid-type]
PromptName = Literal[PROMPT_NAMES]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Endpoint fields a suite may set (never the key itself: api_key_env names the variable).
EndpointSpec = create_model(
    "EndpointSpec", __base__=_Strict,
    **{name: ((Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation) | None,
              Field(None, description=f.description))  # the endpoint's own bounds (timeout > 0 …)
       for name, f in Endpoint.model_fields.items() if name not in ("api_key", "name")})


class LengthTargetSpec(_Strict):
    base: int = Field(LengthTarget.base, ge=0, description="每个实践部分的基础字数")
    per_activity: int = Field(LengthTarget.per_activity, ge=0, description="每项活动至多增加的字数")
    maximum: int = Field(LengthTarget.maximum, ge=1, description="目标字数上限")
    frame: int = Field(LengthTarget.frame, ge=0, description="每项活动在记录本身的字数之外加的字数（日期、连接词、一句成效），"
                                             "与记录字数之和不超过 per_activity")


class Defaults(_Strict):
    backend: Literal[BACKENDS] = Field("template", description="变体未写 backend 时使用")  # type: ignore[valid-type]
    assertions: AssertionList = Field([], description="每份草稿都要检验的断言")
    thresholds: Thresholds = Field({}, description="每个变体的汇总指标下限（如 fact_precision: 1.0）；"
                                                "越小越好的文风指标为上限（如 style_errors_per_k: 0）")
    concurrency: int = Field(4, ge=1, le=64, description="同时起草的份数")
    length_target: LengthTargetSpec = LengthTargetSpec()


class FixtureSpec(_Strict):
    records: str = Field(min_length=1, description="记录文件或通配符（相对于套件文件）")
    draft: str | None = Field(None, description="手写草稿（.md/.txt/.docx），供 handwritten 后端评测")
    name: str | None = Field(None, description="地区编号（默认取文件名）")


class Variant(_Strict):
    name: str = Field(min_length=1, description="变体名称（在报告与对比中标识它）")

    @field_validator("name")
    @classmethod
    def _one_line(cls, v: str) -> str:  # shown in the terminal's table and the reports' rows
        bad = hidden_char(v) or next((f"U+{ord(c):04X}" for c in v if c in "\u2028\u2029"), None)
        if bad or not v.strip():
            raise ValueError(f"变体名称不能为空白，不能含换行或控制字符（{bad}）" if bad else "变体名称不能为空白")
        return v
    description: str | None = None
    backend: Literal[BACKENDS] | None = None  # type: ignore[valid-type]
    provider: str | None = Field(None, description="scripted:<模式>（离线脚本模型）或 profile:<配置名>")
    endpoint: EndpointSpec | None = Field(None, description="模型接口的字段（base_url、model、api_key_env、价格等）")  # type: ignore[valid-type]
    model: str | None = None
    latency: float = Field(0.0, ge=0, le=60, description="脚本模型每次回复的延迟（秒）")
    cache: bool = Field(False, description="使用模型调用缓存（默认不用：评测要量真实的用量和耗时）")
    prompt_dir: str | None = Field(None, description="提示词覆盖文件夹：其中的 NAME.txt 代替 prompts/llm/NAME.txt")
    prompts: dict[PromptName, str] = Field({}, description="内联覆盖某个提示词文件的全文（优先于 prompt_dir）")
    places: list[str] = Field([], description="只评测这些地区（文件名通配符）；默认全部")
    assertions: AssertionList = Field([], description="追加在 defaults.assertions 之后")
    thresholds: Thresholds = Field({}, description="覆盖 defaults.thresholds 中的同名项")

    @field_validator("provider")
    @classmethod
    def _provider(cls, v: str | None) -> str | None:
        if v is None:
            return v
        kind, _, arg = v.partition(":")
        if kind == "scripted" and arg in SCRIPTED_MODES:
            return v
        if kind == "profile" and arg:
            return v
        raise ValueError(f"provider“{v}”无效：应为 scripted:<模式>（模式：{'、'.join(SCRIPTED_MODES)}）"
                         f"或 profile:<配置名>")


class MutationSpec(_Strict):
    seed: int | None = Field(None, description="变异的随机种子（默认 20240901）")
    per_class: int | None = Field(None, ge=1, description="每类每篇最多几个变异")
    min_detection: float = Field(0.0, ge=0, le=1, description="检出率下限")
    max_false_alarms: int | None = Field(None, ge=0, description="干净草稿上的误报上限")
    records_dir: str = Field("../fixtures", min_length=1,
                             description="记录文件夹：其中每个记录文件的模板草稿作为干净草稿（相对于套件文件）")
    handwritten_dir: str = Field("handwritten", min_length=1,
                                 description="手写总结文件夹：NAME.yaml 与同名的 .md/.txt（相对于套件文件）")


class Suite(_Strict):
    schema_ref: str | None = Field(None, alias="$schema")
    description: str = ""
    defaults: Defaults = Defaults()
    fixtures: list[str | FixtureSpec] = []
    variants: list[Variant] = []
    mutation: MutationSpec | bool | None = Field(None, description="把检查器的变异自测放进报告")

    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              json_schema_extra={"title": "zongjie 评测套件"})

    @model_validator(mode="after")
    def _consistent(self) -> Suite:
        problems = []
        names = [v.name for v in self.variants]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"变体名称“{name}”重复")
        for i, v in enumerate(self.variants):
            backend = v.backend or self.defaults.backend
            where = f"variants[{i}]（{v.name}）"
            if backend == "llm" and not (v.provider or v.endpoint):
                problems.append(f"{where}：llm 后端需要 provider（scripted:faithful 等）或 endpoint")
            if backend != "llm" and (v.provider or v.endpoint or v.prompts or v.prompt_dir or v.model):
                problems.append(f"{where}：provider、endpoint、model 与提示词覆盖只适用于 llm 后端")
        if not self.variants and not self.mutation:
            problems.append("套件中没有变体（variants），也没有变异自测（mutation）")
        if self.variants and not self.fixtures:
            problems.append("套件中有变体，但没有列出记录文件（fixtures）")
        if problems:
            raise ValueError("；".join(problems))
        return self


def json_schema() -> dict:
    schema = Suite.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# ---------------------------------------------------------------- resolved suite

@dataclass
class Fixture:
    place: str  # the file name without suffix: the key across runs
    records: Path
    draft: Path | None = None


@dataclass
class Plan:
    """One variant ready to run: its settings, prompt texts and fixtures."""

    variant: Variant
    backend: str
    assertions: list[A.Assertion]
    thresholds: dict[str, float]
    prompts: dict[str, str]  # name → override text
    fixtures: list[Fixture]


@dataclass
class LoadedSuite:
    path: Path
    text: str
    suite: Suite
    fixtures: list[Fixture]
    plans: list[Plan]
    length_target: LengthTarget = field(default_factory=LengthTarget)

    @property
    def base(self) -> Path:
        return self.path.parent


# ---------------------------------------------------------------- loading

def load_suite(path: str | Path) -> LoadedSuite:
    """Read, validate and resolve a suite; InputError lists every problem."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), None, "", "评测套件文件不存在" if not path.exists()
                                  else "应为评测套件文件（.yaml），不是文件夹")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), None, "", "文件不是 UTF-8 编码")]) from None
    data, lines = parse_yaml(path, text)
    try:
        suite = Suite.model_validate(data)
    except ValidationError as exc:
        nested = {"defaults": Defaults, "variants": Variant, "fixtures": FixtureSpec, "mutation": MutationSpec,
                  "endpoint": EndpointSpec, "length_target": LengthTargetSpec}
        raise InputError(validation_problems(exc, str(path), lines, data, Suite, nested)) from None
    problems: list[Problem] = []
    fixtures = _fixtures(suite, path, lines, problems)
    plans = []
    for i, v in enumerate(suite.variants):
        prompts = _prompts(v, i, path, lines, problems)
        chosen = [f for f in fixtures if not v.places or any(fnmatch.fnmatch(f.place, p) for p in v.places)]
        backend = v.backend or suite.defaults.backend
        if backend == "handwritten":
            chosen = [f for f in chosen if f.draft]
        if fixtures and not chosen:
            what = "带手写草稿的记录" if backend == "handwritten" else "记录文件"
            problems.append(Problem(str(path), lines.line(("variants", i)), f"variants[{i}]",
                                    f"变体“{v.name}”没有可评测的{what}（检查 places 与 fixtures）"))
        plans.append(Plan(variant=v, backend=backend,
                          assertions=[A.parse(a) for a in [*suite.defaults.assertions, *v.assertions]],
                          thresholds={**suite.defaults.thresholds, **v.thresholds},
                          prompts=prompts, fixtures=chosen))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))
    lt = suite.defaults.length_target
    return LoadedSuite(path=path, text=text, suite=suite, fixtures=fixtures, plans=plans,
                       length_target=LengthTarget(lt.base, lt.per_activity, lt.maximum, lt.frame))


def _fixtures(suite: Suite, path: Path, lines: Lines, problems: list[Problem]) -> list[Fixture]:
    base = path.parent
    out: list[Fixture] = []
    for i, spec in enumerate(suite.fixtures):
        spec = FixtureSpec(records=spec) if isinstance(spec, str) else spec
        where, line = f"fixtures[{i}]", lines.line(("fixtures", i))
        pattern = str(base / spec.records) if not Path(spec.records).is_absolute() else spec.records
        matches = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
        matches = [p for p in matches if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES
                   and not p.name.endswith(".schema.json")]
        if not matches:
            problems.append(Problem(str(path), line, where, f"“{spec.records}”没有匹配到任何记录文件"
                                                            f"（.yaml/.yml/.json，路径相对于套件文件）"))
            continue
        if spec.draft and len(matches) > 1:
            problems.append(Problem(str(path), line, where, "给出 draft 时 records 只能是一个文件，不能是通配符"))
            continue
        for records in matches:
            draft = None
            if spec.draft:
                draft = Path(spec.draft) if Path(spec.draft).is_absolute() else base / spec.draft
                if not draft.is_file():
                    problems.append(Problem(str(path), line, f"{where}.draft", f"手写草稿“{spec.draft}”不存在"))
                    continue
            else:  # a hand-written draft beside its records: NAME.yaml + NAME.md|txt|docx
                draft = next((records.with_suffix(s) for s in DRAFT_SUFFIXES
                              if records.with_suffix(s).is_file()), None)
            place = spec.name if spec.name and len(matches) == 1 else records.stem
            if any(f.records.resolve() == records.resolve() for f in out):
                continue
            if any(f.place == place for f in out):
                place = f"{records.parent.name}/{place}"
            out.append(Fixture(place=place, records=records, draft=draft))
    return out


def _prompts(v: Variant, i: int, path: Path, lines: Lines, problems: list[Problem]) -> dict[str, str]:
    """The override texts of a variant, each checked against the packaged prompt's fields:
    a prompt must take exactly the same variables, or rendering it would fail mid-run."""
    texts: dict[str, tuple[str, str, int | None]] = {}  # name → (text, where, line)
    if v.prompt_dir:
        folder = Path(v.prompt_dir) if Path(v.prompt_dir).is_absolute() else path.parent / v.prompt_dir
        line = lines.line(("variants", i, "prompt_dir"))
        if not folder.is_dir():
            problems.append(Problem(str(path), line, f"variants[{i}].prompt_dir",
                                    f"提示词文件夹“{v.prompt_dir}”不存在"))
        else:
            for f in sorted(folder.glob("*.txt")):
                if f.stem not in PROMPT_NAMES:
                    problems.append(Problem(str(path), line, f"variants[{i}].prompt_dir",
                                            f"“{f.name}”不是已知的提示词；可覆盖：{'、'.join(PROMPT_NAMES)}"))
                    continue
                texts[f.stem] = (f.read_text(encoding="utf-8"), f"{v.prompt_dir}/{f.name}", line)
            if not texts and not problems:
                problems.append(Problem(str(path), line, f"variants[{i}].prompt_dir",
                                        f"提示词文件夹“{v.prompt_dir}”中没有 NAME.txt 文件"))
    for name, text in v.prompts.items():
        texts[name] = (text, f"variants[{i}].prompts.{name}", lines.line(("variants", i, "prompts", name)))
    out = {}
    for name, (text, where, line) in texts.items():
        want = load_prompt(name).fields
        got = Prompt(name=name, text=text).fields
        if got != want:
            missing, extra = sorted(want - got), sorted(got - want)
            parts = ([f"缺少变量 {'、'.join('{' + x + '}' for x in missing)}"] if missing else []) + \
                    ([f"多出变量 {'、'.join('{' + x + '}' for x in extra)}"] if extra else [])
            problems.append(Problem(str(path), line, where,
                                    f"提示词 {name} 的覆盖{'，'.join(parts)}（应与 prompts/llm/{name}.txt 的变量相同；"
                                    f"字面的花括号写作 {{{{ }}}}）"))
            continue
        out[name] = text
    return out


if __name__ == "__main__":  # python -m pipeline.evals.suite > schema/eval-suite.schema.json
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
