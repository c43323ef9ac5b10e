"""The `zongjie` command: parses arguments and calls the library. Nothing else lives here.

Library modules are imported inside the command functions so that `zongjie --help`
stays fast (it imports neither pydantic models nor any model client).
"""

from __future__ import annotations

import argparse
import re
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_ENDPOINT = 0, 1, 2, 3


def _warn(problems, quiet: bool) -> None:
    if not quiet:
        for p in problems:
            print(str(p), file=sys.stderr)


def cmd_validate(args) -> int:
    from pipeline.inputs import load_records, signature_warnings

    if args.records.lower().endswith(".xlsx"):
        return _validate_workbook(args)
    records, warnings = load_records(args.records)
    warnings = warnings + signature_warnings(records, args.records)
    _warn(warnings, args.quiet)
    print(f"{args.records}：记录有效（{records.county}，{len(records.activities)} 项活动，"
          f"{len(warnings)} 个警告）")
    return EXIT_OK


def _validate_workbook(args) -> int:
    from pipeline.inputs import load_workbook_records

    code = EXIT_OK
    for place in load_workbook_records(args.records):
        _warn(place.warnings, args.quiet)
        if place.records is None:
            for problem in place.errors:
                print(str(problem), file=sys.stderr)
            code = EXIT_INPUT
        else:
            print(f"{args.records}：{place.name} 记录有效（{len(place.records.activities)} 项活动）")
    return code


def _notice(args, backend, endpoint) -> None:
    from pipeline.drafting import backend_notice

    notice = backend_notice(args.backend, backend, endpoint)
    if notice and not args.quiet:
        print(notice, file=sys.stderr)


def cmd_draft(args) -> int:
    from pipeline.checks.output import format_findings
    from pipeline.drafting import choose_backend
    from pipeline.inputs import load_records
    from pipeline.orchestrator import draft
    from pipeline.render import output_suffix, render, write_outputs

    suffix = output_suffix(args.output, args.format)
    records, warnings = load_records(args.records)
    _warn(warnings, args.quiet)
    backend, endpoint = choose_backend(args.backend, args.profile, args.model, args.config)
    _notice(args, backend, endpoint)
    trail = args.trail or (f"{args.output}.trail" if args.output and endpoint else None)
    run = draft(records, backend=backend, endpoint=endpoint, use_cache=not args.no_cache,
                cache_path=args.cache, trail_dir=trail)
    if args.output:
        report_path = write_outputs(run, args.output, suffix)
        if not args.quiet:
            print(f"已写出 {args.output}，核对报告 {report_path}", file=sys.stderr)
    else:
        sys.stdout.write(render(run.document, suffix))
        sys.stdout.flush()  # the draft before the findings, when both go to one terminal
    if run.usage is not None and not args.quiet:
        print(_usage_line(run), file=sys.stderr)
    if not args.quiet or not run.report.ok:
        print(format_findings(run.report, args.output or "草稿.md", run.markdown), file=sys.stderr)
    return EXIT_OK if run.report.ok else EXIT_FINDINGS


def _usage_line(run) -> str:
    u = run.usage
    note = "" if run.tokens_exact else "（估算）" if u.estimated else ""
    return (f"模型 {run.model}：调用 {u.calls} 次（缓存 {u.cached_calls} 次），"
            f"token {u.prompt_tokens}+{u.completion_tokens}{note}，"
            f"费用 {round(u.cost, 6):.4f} {run.currency}；修改 {len(run.repairs)} 处")


def cmd_check(args) -> int:
    from pathlib import Path

    from pipeline.checks import check
    from pipeline.checks.output import format_findings
    from pipeline.inputs import load_records, read_draft

    records = None
    if args.records:
        records, warnings = load_records(args.records)
        _warn(warnings, args.quiet)
    text = read_draft(args.draft)
    report = check(text, records)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_findings(report, Path(args.draft).name, text))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def cmd_batch(args) -> int:
    import time

    from pipeline.batch import exit_code, run_batch
    from pipeline.console import BatchProgress, print_table
    from pipeline.drafting import choose_backend
    from pipeline.text.chars import visible

    formats = [f".{f.strip().lstrip('.')}" for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in (".md", ".docx")]
    if unknown or not formats:
        from pipeline.errors import InputError

        raise InputError(f"--format 只能是 md、docx 或 md,docx，收到“{args.format}”")
    backend, endpoint = choose_backend(args.backend, args.profile, args.model, args.config)
    _notice(args, backend, endpoint)
    started = time.perf_counter()
    progress = BatchProgress(args.quiet)
    try:
        results = run_batch(args.input, args.output, formats, backend, endpoint, force=args.force,
                            use_cache=not args.no_cache, cache_path=args.cache, progress=progress,
                            via=args.via, poll_seconds=args.poll_seconds, jobs=args.jobs)
    finally:
        progress.close()
    print_table(results, started, args.quiet, priced=backend != "template")
    for r in results:
        if r.status == "failed":
            print(visible(r.message), file=sys.stderr)
    return exit_code(results)


def cmd_eval(args) -> int:
    from pipeline.evals.cli import run_eval

    return run_eval(args)


def cmd_serve(args) -> int:
    from pipeline.drafting import choose_backend
    from pipeline.web import serve

    _, endpoint = choose_backend(None, args.profile, args.model, args.config)
    serve(args.host, args.port, args.token, args.data, endpoint, args.keep_days)
    return EXIT_OK


def cmd_schema(args) -> int:
    import json

    from pipeline.model.records import json_schema

    if args.which == "eval-suite":
        from pipeline.evals.suite import json_schema
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


_USAGE_ERRORS = [  # argparse's English messages, said in Chinese
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.+)\)"), "参数 {0} 的值“{1}”无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"argument (\S+): expected (\d+) arguments?"), "参数 {0} 需要 {1} 个值"),
    (re.compile(r"argument (\S+): expected at (least|most) one argument"), "参数 {0} 的值个数不对"),
    (re.compile(r"argument (\S+): ignored explicit argument '(.*)'"), "参数 {0} 不需要值，却给了“{1}”"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), "选项 {0} 不完整，可能是：{1}"),
    (re.compile(r"argument (\S+): invalid (\S+) value: '(.*)'"), "参数 {0} 的值“{2}”无效"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
]


def _within(cast, low: float, high: float):
    """An argparse type: `cast(text)` strictly between low and high (nan and inf never are);
    a ValueError reads as “参数 … 的值 … 无效”."""
    def parse(text: str):
        value = cast(text)
        if not low < value < high:
            raise ValueError(text)
        return value
    return parse


_positive_int = _within(int, 0, float("inf"))
_seconds = _within(float, 0, 86_400 * 7)
_port = _within(int, 0, 65_536)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:  # section headings end in a full-width colon: “选项：”
        return re.sub(r"^(\S[^\n]*[\u4e00-\uff60）]):$", r"\1：", super().format_help(), flags=re.M)


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Chinese: the usage line, the group titles, -h."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        for pattern, chinese in _USAGE_ERRORS:
            m = pattern.fullmatch(message)
            if m:  # argparse lists choices as 'a', 'b': say a、b
                message = chinese.format(*(re.sub(r"'([^']*)'(, )?", lambda c: c[1] + ("、" if c[2] else ""), g)
                                           for g in m.groups()))
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}：用法错误：{message}（--help 查看说明）\n")


RECORDS_HELP = "记录文件（.yaml/.yml/.json）或一个地区的台账（.xlsx）"


def _model_options(p) -> None:
    g = p.add_argument_group("模型选项（llm 后端）")
    g.add_argument("--backend", choices=["template", "llm"],
                   help="起草后端：llm（已配置模型接口时的默认）或 template（内置，不调用模型）")
    _endpoint_options(g)
    g.add_argument("--no-cache", action="store_true", help="不使用模型调用缓存")
    g.add_argument("--cache", metavar="文件", help="缓存文件（默认 ~/.cache/zongjie/llm-cache.sqlite3）")


def _endpoint_options(g) -> None:
    g.add_argument("--model", metavar="名称", help="模型名称（llm 后端），覆盖配置与 ZONGJIE_MODEL")
    g.add_argument("--profile", metavar="配置名", help="zongjie.toml 或内置的模型配置名（openai、deepseek、qwen、vllm、ollama）")
    g.add_argument("--config", metavar="文件", help="配置文件路径（默认 ./zongjie.toml 或 ~/.config/zongjie/zongjie.toml）")


def _quiet(p) -> None:
    p.add_argument("--quiet", action="store_true", help="只输出结果与错误")


def _draft_args(p) -> None:
    p.add_argument("records", metavar="记录", help=RECORDS_HELP)
    p.add_argument("-o", "--output", metavar="文件", help="输出文件；后缀 .md、.docx 或 .json 决定格式；省略时 Markdown 输出到标准输出")
    p.add_argument("--format", choices=["md", "json", "docx"],
                   help="输出格式（默认按 -o 的后缀）；与 -o 的后缀不符时报错")
    p.add_argument("--trail", metavar="文件夹", help="运行记录文件夹（llm 后端；默认“文件.trail”，文件即 -o 所给）")


def _check_args(p) -> None:
    p.add_argument("draft", metavar="草稿", help="草稿文件（.md/.txt/.docx）")
    p.add_argument("--records", metavar="记录", help=f"对应的{RECORDS_HELP}")
    p.add_argument("--json", action="store_true", help="以 JSON 输出核对报告")


def _validate_args(p) -> None:
    p.add_argument("records", metavar="记录", help=f"{RECORDS_HELP}；多地区合用的 .xlsx 台账逐个地区检查")


def _batch_args(p) -> None:
    p.add_argument("input", metavar="输入", help="记录文件夹（其中的 .yaml/.yml/.json 和 .xlsx 台账），或一个 .xlsx 台账")
    p.add_argument("-o", "--output", required=True, metavar="文件夹", help="输出文件夹")
    p.add_argument("--format", default="md", metavar="格式", help="md、docx 或 md,docx（默认 md）")
    p.add_argument("--force", action="store_true", help="全部重做，不跳过已完成的地区")
    p.add_argument("--via", choices=["direct", "openai-batch"], default="direct",
                   help="direct：直接调用接口（默认）；openai-batch：经 Batch API 提交 JSONL，"
                        "费用约减半、按批次完成")
    p.add_argument("--poll-seconds", type=_seconds, default=30.0, metavar="秒", help="Batch API 轮询间隔（秒）")
    p.add_argument("--jobs", type=_positive_int, default=None, metavar="个数",
                   help="LLM 后端的工作进程数（默认：CPU 核数，至多 4；仅 Linux）。各进程分担地区，"
                        "并平分配置里的并发数和每分钟限额，合计不超过配置")


def _eval_args(p) -> None:
    p.add_argument("suite", nargs="?", metavar="套件", help="评测套件（.yaml）；默认 evals/default.yaml")
    p.add_argument("--out", metavar="文件夹", help="结果文件夹（默认 evals/runs/<运行编号>；--compare 时为 compare.md 的位置）")
    p.add_argument("--compare", nargs=2, metavar=("运行A", "运行B"),
                   help="对比两次运行（文件夹或运行编号）：各变体的指标变化与有变化的草稿，写出 compare.md")
    p.add_argument("--fail-under", action="append", default=[], metavar="指标=数值",
                   help="门槛（可重复），如 fact_precision=1.0、coverage=0.8、pass_rate=1；"
                        "任一变体的汇总值低于它时退出码为 1")
    p.add_argument("--variant", action="append", metavar="变体", help="只运行这个变体（可重复）")
    p.add_argument("--backend", choices=["template", "llm", "handwritten"], help="只运行这种后端的变体")
    p.add_argument("--concurrency", type=_positive_int, metavar="份数", help="同时起草的份数（默认取套件的 defaults.concurrency）")
    p.add_argument("--quiet", action="store_true", help="只输出结果表与错误")


def _schema_args(p) -> None:
    p.add_argument("which", nargs="?", choices=["records", "eval-suite"], default="records",
                   help="records：记录文件（默认）；eval-suite：评测套件")


def _serve_args(p) -> None:
    p.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，仅本机；其他地址须带令牌）")
    p.add_argument("--port", type=_port, default=8765, metavar="端口", help="端口（默认 8765）")
    p.add_argument("--token", metavar="令牌", help="访问令牌（--host 不是本机时必需；省略则自动生成并打印一次）")
    p.add_argument("--data", metavar="文件夹", help="数据文件夹（默认 ~/.local/share/zongjie/serve）")
    p.add_argument("--keep-days", type=_positive_int, default=None, metavar="天数",
                   help="稿件多少天未修改后清理（默认 30；另外最多保留最近的 200 份）")
    _endpoint_options(p.add_argument_group("模型选项（可选大模型起草时）"))


# name: (function, one-line help, description, epilog, argument builders). A new command is a row.
COMMANDS = {
    "draft": (cmd_draft, "根据记录文件或台账起草一份工作总结",
              "根据记录文件或一个地区的 .xlsx 台账起草工作总结，并逐项核对；写出文件时在旁边写出"
              "“文件.check.json”核对报告（文件即 -o 所给）。已配置模型接口（如设置了 OPENAI_API_KEY）时默认用 llm 后端，"
              "并在标准错误上说明；--backend template 用内置模板。", None, (_draft_args, _model_options, _quiet)),
    "check": (cmd_check, "核对一份草稿（.md/.txt/.docx）",
              "核对草稿；给出 --records 时逐项核对事实，否则只做无需记录的检查。", None, (_check_args, _quiet)),
    "validate": (cmd_validate, "检查记录文件或台账，一次列出全部问题",
                 "检查记录文件（.yaml/.yml/.json）或 .xlsx 台账：一次列出全部问题（文件、行号或单元格、字段），"
                 "不起草。有错时退出码为 2；只有警告时为 0。", None, (_validate_args, _quiet)),
    "batch": (cmd_batch, "批量起草：记录文件夹或 .xlsx 台账中的每个地区",
              "为“输入”中的每个地区起草总结并核对；中断后再次运行同一命令，"
              "已完成且输入未变的地区跳过，其余重做。", None, (_batch_args, _model_options, _quiet)),
    "eval": (cmd_eval, "评测：在同一批地区上比较模型、提示词和后端",
             "运行评测套件（默认 evals/default.yaml）：每个变体起草每个地区，逐份核对、"
             "计算指标并检验断言；结果写入 evals/runs/<运行编号>/（results.jsonl、"
             "report.md、report.html、meta.json）。--compare 对比两次运行。",
             "退出码：0 完成且达到全部门槛；1 有门槛未达到（--fail-under 或套件的 thresholds）；"
             "2 套件或参数有误。", (_eval_args,)),
    "serve": (cmd_serve, "启动审阅台：在浏览器中起草、查看每个事实的记录、修改并核对",
              "启动本机网页审阅台：zongjie serve，然后在本机浏览器打开 http://127.0.0.1:8765/。"
              "其他电脑访问：zongjie serve --host 0.0.0.0，在其他电脑的浏览器打开启动时打印的含 token 的完整地址"
              "（未给 --token 时自动生成，只显示一次）；每个请求都须带令牌。"
              "稿件与修改保存在数据文件夹（--data，默认 ~/.local/share/zongjie/serve），服务重启后仍可打开；"
              "上传的文件解析后即删除，超过 --keep-days 天未修改或超过 200 份的旧稿件、旧批次自动清理。"
              "大模型起草在后台进行，页面逐部分显示进度。"
              "已配置模型接口时可选大模型起草，密钥只留在服务器上。", None, (_serve_args,)),
    "schema": (cmd_schema, "输出记录文件的 JSON Schema（供编辑器校验）",
               "把 JSON Schema 输出到标准输出：records 为记录文件（.yaml/.json）的，eval-suite 为评测套件的。"
               "在编辑器中关联后，字段的中文标题和说明会在悬停时显示，写错时即时提示。", None, (_schema_args,)),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zongjie",
        description="总结（zongjie）：根据活动记录起草工作总结，并逐项核对数字、单位、日期和文件名。",
        epilog="退出码：0 通过；1 核对发现错误（草稿与报告仍写出）；2 输入或用法错误；3 模型接口失败。"
               "各命令的选项：zongjie 命令 --help。")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令", parser_class=_Parser)
    for name, (func, short, description, epilog, builders) in COMMANDS.items():
        p = sub.add_parser(name, help=short, description=description, epilog=epilog)
        for build in builders:
            build(p)
        p.set_defaults(func=func)
    return parser


def _refuse_bad_limits() -> None:
    """A limit set in the environment to inf, -5 or abc is a usage error (exit 2), for
    every command, before any input is read."""
    from pipeline import limits
    from pipeline.errors import InputError

    bad = limits.problems()
    if bad:
        raise InputError("；".join(bad))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pipeline.errors import ZongjieError
    from pipeline.text.chars import visible

    try:
        _refuse_bad_limits()
        return args.func(args)
    except ZongjieError as exc:
        for problem in getattr(exc, "problems", None) or [str(exc)]:
            print(visible(str(problem)), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # an output the system will not write: a read-only folder, a full disk
        from pipeline.text.files import os_problem

        print(visible(str(os_problem(exc))), file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
