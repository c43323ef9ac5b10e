"""report.html: one self-contained page (inline CSS, JS and SVG; no external URL).

The comparison table, bar charts of the main metrics per variant, the gate, the checker's
mutation table, and a drill-down per place × variant showing the draft with every
finding marked at its line and column (the message as a tooltip and a note under the line).
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape

from pipeline.evals.metrics import MAIN, METRICS, fmt, label
from pipeline.evals.report_tables import STATUS, comparison, limit_text, mutation_rows

PALETTE = ("#2f6fb0", "#d9822b", "#3d9a5b", "#b8433c", "#7b5ea7", "#8c6d31", "#c2549d", "#4f8f9c")
CHARTS = ("fact_precision", "coverage", "heading_compliance", "assertion_rate", "length_ratio", "tokens",
          "latency", "errors_before_repair")

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;
color:#1f2933;background:#f4f5f7}
header{background:#8b1e1e;color:#fff;padding:22px 32px 16px}
header h1{margin:0 0 8px;font-size:24px;font-weight:600}
header .meta{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px;opacity:.92}
nav{background:#fff;border-bottom:1px solid #d8dce1;padding:8px 32px;position:sticky;top:0;z-index:5}
nav a{margin-right:18px;color:#8b1e1e;text-decoration:none;font-size:14px}
main{padding:18px 32px 60px;max-width:1500px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:16px 20px;margin:0 0 18px}
h2{font-size:18px;margin:0 0 12px;border-left:4px solid #8b1e1e;padding-left:10px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border:1px solid #e1e4e8;padding:4px 6px;text-align:right;white-space:nowrap}
th{background:#f0f2f5;font-weight:600;text-align:center;vertical-align:bottom}
td:first-child,td.l{text-align:left}
.scroll{overflow-x:auto}
td.wrap{white-space:normal;min-width:9em}
td.good{background:#e6f4ea}td.warn{background:#fff4e0}td.bad{background:#fde8e6}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:14px}
.chart{border:1px solid #eceff2;border-radius:4px;padding:8px 10px}
.chart h3{font-size:14px;margin:0 0 4px}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;margin-left:6px;color:#fff}
.pass{background:#3d9a5b}.fail{background:#d9822b}.error{background:#b8433c}
details.place{border:1px solid #dde1e6;border-radius:5px;margin:6px 0;background:#fff}
details.place>summary{padding:7px 12px;cursor:pointer;font-weight:600}
details.case{margin:4px 12px 8px;border-left:3px solid #cfd4da;padding-left:10px}
details.case>summary{cursor:pointer;padding:3px 0}
.case .body{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:14px;margin:6px 0 10px}
.draft{font-size:14px;border:1px solid #e6e8eb;background:#fcfcfd;padding:6px 0;max-height:720px;overflow:auto}
.ln{display:flex;padding:0 10px}.ln .no{color:#9aa3ad;width:3.2em;flex:none;text-align:right;margin-right:10px;
user-select:none;font-size:12px;padding-top:2px}
.ln .tx{white-space:pre-wrap;word-break:break-all;flex:1}.ln.h .tx{font-weight:600}
mark{border-radius:2px;padding:0 1px;cursor:help}
mark.error{background:#f9c9c4;border-bottom:2px solid #b8433c}
mark.warning{background:#fde9b6;border-bottom:2px dotted #c08a12}
.note{margin:1px 10px 4px 4.4em;font-size:12.5px;padding:2px 8px;border-radius:3px}
.note.error{background:#fdecea;color:#8a2d26}.note.warning{background:#fff6df;color:#7a5a0a}
.side ul{margin:4px 0 10px;padding-left:18px;font-size:13px}.side h4{margin:6px 0 2px;font-size:13.5px}
.ok{color:#2e7d4a}.no{color:#b8433c}
.err-box{background:#fdecea;color:#8a2d26;padding:8px 12px;border-radius:4px;margin:6px 12px}
.tools button{margin-right:8px;font:inherit;font-size:13px;padding:3px 10px;border:1px solid #c9ced4;
background:#fff;border-radius:4px;cursor:pointer}
.hide-pass details.case[data-status=pass],.hide-pass details.place[data-allpass=true]{display:none}
.small{font-size:12.5px;color:#66707a}
"""

JS = """
function setAll(open){document.querySelectorAll('details').forEach(d=>{d.open=open})}
function onlyFailing(btn){document.body.classList.toggle('hide-pass');
btn.textContent=document.body.classList.contains('hide-pass')?'显示全部':'只看未通过'}
document.addEventListener('click',e=>{const a=e.target.closest('a[data-goto]');if(!a)return;
const m=document.getElementById(a.dataset.goto);if(!m)return;e.preventDefault();
let d=m.closest('details');while(d){d.open=true;d=d.parentElement.closest('details')}
m.scrollIntoView({block:'center'});m.animate([{outline:'3px solid #8b1e1e'},{outline:'0 solid transparent'}],1400)});
"""


def _cell_class(metric: str, value) -> str:
    if value is None:
        return ""
    better = METRICS[metric][1] if metric in METRICS else "high"
    if better == "high":
        return "good" if value >= 0.9999 else "warn" if value >= 0.9 else "bad"
    if metric == "length_ratio":
        return "good" if 0.75 <= value <= 1.25 else "warn" if 0.5 <= value <= 1.5 else "bad"
    if metric in ("numbering_errors", "residue", "errors"):
        return "good" if value == 0 else "bad"
    return ""


def comparison_html(meta: dict) -> str:
    headers, rows = comparison(meta)
    keys = [None, None, None, None, None, "assertion_rate", *MAIN]
    out = ['<div class="scroll"><table><thead><tr>', *(f"<th>{escape(h)}</th>" for h in headers),
           "</tr></thead><tbody>"]
    for v, row in zip(meta["variants"], rows):
        agg = meta["aggregates"]["variants"][v["name"]]
        cells = []
        for i, (key, text) in enumerate(zip(keys, row)):
            value = agg["assertion_rate"] if key == "assertion_rate" else (
                agg["metrics"][key]["mean"] if key else None)
            cls = "l" if i == 0 else "l wrap small" if i == 1 else _cell_class(key, value) if key else ""
            cells.append(f'<td class="{cls}">{escape(text)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def bar_chart(metric: str, meta: dict) -> str:
    names = [v["name"] for v in meta["variants"]]
    aggs = meta["aggregates"]["variants"]
    values = [aggs[n]["assertion_rate"] if metric == "assertion_rate" else aggs[n]["metrics"][metric]["mean"]
              for n in names]
    pct = metric in ("fact_precision", "coverage", "heading_compliance", "assertion_rate")
    top = 1.0 if pct else max([v for v in values if v is not None] + [1.0 if metric == "length_ratio" else 0.0]) or 1.0
    top *= 1.0 if pct else 1.1
    row_h, left, width = 28, 170, 250
    height = row_h * len(names) + 26
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" '
             f'role="img" aria-label="{escape(label(metric))}">']
    for i, (name, value) in enumerate(zip(names, values)):
        y = 6 + i * row_h
        color = PALETTE[i % len(PALETTE)]
        shown = name if len(name) <= 11 else name[:10] + "…"
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#333">'
                     f'{escape(shown)}<title>{escape(name)}</title></text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{width}" height="{row_h - 8}" fill="#f0f2f5"/>')
        if value is not None:
            w = max(1.0, width * min(value, top) / top)
            parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{color}">'
                         f'<title>{escape(name)}：{fmt(metric, value)}</title></rect>')
        parts.append(f'<text x="{left + width + 6}" y="{y + 17}" font-size="13" fill="#333">'
                     f'{escape(fmt(metric, value))}</text>')
    if metric == "length_ratio":  # the target
        x = left + width * 1.0 / top
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="2" y2="{height - 18}" stroke="#8b1e1e" '
                     f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{height - 4}" font-size="11" '
                     f'text-anchor="middle" fill="#8b1e1e">目标 1.0</text>')
    parts.append("</svg>")
    what = "平均值" if metric not in ("assertion_rate",) else "全部断言"
    return f'<div class="chart"><h3>{escape(label(metric))}<span class="small">（{what}）</span></h3>{"".join(parts)}</div>'


_QUOTED = re.compile(r"“([^”]{1,40})”")
_TOKEN = re.compile(r"[0-9.]+[万余多]?[^\s，。；、：0-9]?|[^，。；、：\s]{1,8}")


def _span(line: str, f: dict) -> tuple[int, int]:
    """The offending span: the excerpt or a quoted piece of the message where the column
    points, else the excerpt wherever it is, else one token at the column."""
    start = min(max(f["column"] - 1, 0), len(line))
    ex = f.get("excerpt") or ""
    for piece in [ex, *_QUOTED.findall(f.get("message") or "")]:
        if piece and line.startswith(piece, start):
            return start, start + len(piece)
    if start < len(line):
        m = _TOKEN.match(line, start)
        return start, m.end() if m and m.end() > start else start + 1
    if ex and ex in line:
        return line.index(ex), line.index(ex) + len(ex)
    return max(0, len(line) - 1), len(line)


def _spans(line: str, findings: list[tuple[str, dict]]) -> list[tuple[int, int, list]]:
    out = []
    for fid, f in findings:
        start, end = _span(line, f)
        out.append((start, max(end, start + 1), [(fid, f)]))
    return out


def draft_html(markdown: str, findings: list[dict], case_id: str) -> str:
    lines = markdown.split("\n")
    by_line: dict[int, list] = defaultdict(list)
    stray = []
    for i, f in enumerate(findings):
        fid = f"{case_id}-f{i}"
        (by_line[f["line"]] if 1 <= f["line"] <= len(lines) else stray).append((fid, f))
    out = ['<div class="draft">']
    for fid, f in stray:
        out.append(f'<div class="note {f["severity"]}" id="{fid}">[{escape(f["check"])}] {escape(f["message"])}</div>')
    for n, line in enumerate(lines, 1):
        marks = _spans(line, by_line.get(n, []))
        cuts = sorted({0, len(line), *(s for s, _, _ in marks), *(min(e, len(line)) for _, e, _ in marks)})
        pieces = []
        for a, b in zip(cuts, cuts[1:]):
            covering = [x for s, e, fs in marks if s <= a and b <= e for x in fs]
            text = escape(line[a:b])
            if covering:
                sev = "error" if any(f["severity"] == "error" for _, f in covering) else "warning"
                tip = "\n".join(f"[{f['check']}] {f['message']}" for _, f in covering)
                pieces.append(f'<mark class="{sev}" id="{covering[0][0]}" title="{escape(tip)}">{text}</mark>')
            else:
                pieces.append(text)
        head = " h" if line.lstrip().startswith("#") else ""
        out.append(f'<div class="ln{head}"><span class="no">{n}</span><span class="tx">{"".join(pieces) or " "}</span></div>')
        for fid, f in by_line.get(n, []):
            word = "错误" if f["severity"] == "error" else "警告"
            out.append(f'<div class="note {f["severity"]}">{word} [{escape(f["check"])}] 第{f["line"]}行第{f["column"]}列：'
                       f'{escape(f["message"])}</div>')
    out.append("</div>")
    return "".join(out)


def case_html(row: dict, index: int, open_: bool = False) -> str:
    status = row["status"]
    m = row["metrics"]
    brief = "" if status == "error" else (
        f'事实准确率 {fmt("fact_precision", m.get("fact_precision"))} · 覆盖率 {fmt("coverage", m.get("coverage"))}'
        f' · 错误 {fmt("errors", m.get("errors"))} · 警告 {fmt("warnings", m.get("warnings"))}'
        f' · 篇幅比 {fmt("length_ratio", m.get("length_ratio"))} · token {fmt("tokens", m.get("tokens"))}'
        f' · {fmt("latency", m.get("latency"))} 秒')
    head = (f'<details class="case" data-status="{status}"{" open" if open_ else ""}><summary><b>{escape(row["variant"])}</b>'
            f'<span class="pill {status}">{STATUS[status]}</span> <span class="small">{escape(brief)}</span></summary>')
    if status == "error":
        return head + f'<div class="err-box">出错：{escape(row["error"] or "")}</div></details>'
    case_id = f"c{index}"
    side = ['<div class="side"><h4>断言</h4><ul>']
    for a in row["assertions"]:
        cls, sign = ("ok", "✓") if a["pass"] else ("no", "✗")
        side.append(f'<li class="{cls}">{sign} <code>{escape(a["assertion"])}</code>：{escape(a["reason"])}</li>')
    side.append("</ul>")
    if row["findings"]:
        side.append(f'<h4>核对发现（{len(row["findings"])}）</h4><ul>')
        for i, f in enumerate(row["findings"]):
            word = "错误" if f["severity"] == "error" else "警告"
            side.append(f'<li class="{"no" if f["severity"] == "error" else ""}"><a href="#" data-goto="{case_id}-f{i}">'
                        f'第{f["line"]}行</a> {word} [{escape(f["check"])}] {escape(f["message"])}</li>')
        side.append("</ul>")
    if row["sections"]:
        side.append("<h4>各部分篇幅</h4><ul>")
        side += [f'<li>{escape(s["heading"])}：{s["chars"]}/{s["target"]} 字（{s["ratio"]:.2f}）</li>'
                 for s in row["sections"]]
        side.append("</ul>")
    if row.get("repairs"):
        side.append(f'<h4>模型修改（{len(row["repairs"])}）</h4><ul>')
        side += [f'<li>{escape(r.get("part", ""))}：{escape(r.get("action", ""))}</li>' for r in row["repairs"][:12]]
        side.append("</ul>")
    side.append("</div>")
    return (head + '<div class="body">' + draft_html(row["markdown"] or "", row["findings"], case_id)
            + "".join(side) + "</div></details>")


def places_html(rows: list[dict]) -> str:
    by_place: dict[str, list] = defaultdict(list)
    for i, r in enumerate(rows):
        by_place[r["place"]].append((i, r))
    out = []
    first = next((i for i, r in enumerate(rows) if r["status"] == "fail"),
                 next((i for i, r in enumerate(rows) if r["findings"]), None))
    for place, items in by_place.items():
        county = next((r["county"] for _, r in items if r["county"]), None)
        pills = "".join(f'<span class="pill {r["status"]}" title="{escape(r["variant"])}">'
                        f'{escape(r["variant"])}：{STATUS[r["status"]]}</span>' for _, r in items)
        allpass = "true" if all(r["status"] == "pass" for _, r in items) else "false"
        title = f"{county}（{place}）" if county else place
        opened = " open" if any(i == first for i, _ in items) else ""
        out.append(f'<details class="place" data-allpass="{allpass}"{opened}><summary>{escape(title)} {pills}</summary>'
                   + "".join(case_html(r, i, i == first) for i, r in items) + "</details>")
    return "".join(out)


def html_report(rows: list[dict], meta: dict) -> str:
    title = meta["suite"]["description"] or meta["suite"]["path"]
    git = meta.get("git") or {}
    m = meta["machine"]
    chips = [f"运行编号 {meta['run_id']}", f"开始 {meta['started']}", f"用时 {meta['seconds']:.1f} 秒",
             f"Git {git['commit'][:10]}{'（有改动）' if git.get('dirty') else ''}" if git else "Git 不可用",
             f"{m['host']} · {m['system']} · Python {m['python']} · {m['cpus']} 核",
             f"套件 {meta['suite']['path']}"]
    body = [f'<header><h1>评测报告：{escape(title)}</h1><div class="meta">'
            + "".join(f"<span>{escape(c)}</span>" for c in chips) + "</div></header>",
            '<nav>' + ('<a href="#compare">变体对比</a><a href="#charts">图表</a>' if meta["variants"] else "")
            + ('<a href="#gate">门槛</a>' if meta["gate"] else "")
            + ('<a href="#mutation">变异自测</a>' if meta.get("mutation") else "")
            + ('<a href="#places">逐地区详情</a>' if rows else "") + '</nav><main>']
    if meta["variants"]:
        body.append('<section id="compare"><h2>变体对比</h2>' + comparison_html(meta)
                    + '<p class="small">数值为各地区草稿的平均值，括号内为最低值；篇幅比为实践部分字数与目标字数'
                      '（每项活动 160 字、另加 120 字，至多 1500 字）之比。</p></section>')
        body.append('<section id="charts"><h2>主要指标</h2><div class="charts">'
                    + "".join(bar_chart(k, meta) for k in CHARTS) + "</div></section>")
    if meta["gate"]:
        body.append('<section id="gate"><h2>门槛</h2><table><thead><tr><th>变体</th><th>指标</th><th>限值</th>'
                    '<th>实际</th><th>结果</th><th>来源</th></tr></thead><tbody>'
                    + "".join(f'<tr><td>{escape(g["variant"])}</td><td class="l">{escape(label(g["metric"]) if g["metric"] != "mutation" else "变异自测")}</td>'
                              f'<td>{escape(limit_text(g))}</td><td class="l">{escape(g["reason"])}</td>'
                              f'<td class="{"good" if g["pass"] else "bad"}">{"达到" if g["pass"] else "未达到"}</td>'
                              f'<td>{escape(g["source"])}</td></tr>' for g in meta["gate"])
                    + "</tbody></table></section>")
    mutation = meta.get("mutation")
    if mutation:
        body.append('<section id="mutation"><h2>检查器变异自测</h2>' + _mutation_html(mutation) + "</section>")
    if rows:
        body.append('<section id="places"><h2>逐地区详情</h2><div class="tools">'
                    '<button onclick="setAll(true)">全部展开</button><button onclick="setAll(false)">全部收起</button>'
                    '<button onclick="onlyFailing(this)">只看未通过</button>'
                    '<span class="small">草稿中标出的文字即核对发现的位置，鼠标停留可看说明。</span></div>'
                    + places_html(rows) + "</section>")
    body.append("</main>")
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>评测报告：{escape(title)}</title><style>{CSS}</style></head><body>"
            + "".join(body) + f"<script>{JS}</script></body></html>\n")


def _mutation_html(mutation: dict) -> str:
    if "error" in mutation:
        return f'<div class="err-box">未能运行：{escape(mutation["error"])}</div>'
    headers, rows = mutation_rows(mutation)
    out = [f'<p>{escape(mutation.get("summary") or "")}</p><table><thead><tr>'
           + "".join(f"<th>{escape(h)}</th>" for h in headers) + "<th>检出率</th></tr></thead><tbody>"]
    for c, row in zip([*mutation["classes"], mutation["total"]], rows):
        rate = c.get("rate") or 0
        bar = (f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="12"><rect width="160" height="12" fill="#f0f2f5"/>'
               f'<rect width="{160 * rate:.1f}" height="12" fill="{"#3d9a5b" if rate >= 0.999 else "#d9822b"}"/></svg>')
        out.append("<tr>" + "".join(f'<td class="{"l" if i < 2 else ""}">{escape(x)}</td>' for i, x in enumerate(row))
                   + f"<td>{bar}</td></tr>")
    out.append("</tbody></table>")
    out.append(f'<p>干净草稿上的错误（误报）：{mutation["false_alarms"]} 个</p>')
    if mutation["false_alarm_list"]:
        out.append("<ul>" + "".join(f'<li>{escape(a["draft"])} 第{a["line"]}行 [{escape(a["check"])}] {escape(a["message"])}</li>'
                                    for a in mutation["false_alarm_list"]) + "</ul>")
    return "".join(out)
