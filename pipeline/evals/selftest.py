"""The checker's mutation self-test (evals/mutation.py, another module's) as part of a
suite: plant one error in a clean draft, see whether the checker reports it.

evals/mutation.py prints its per-class table and can write each mutant as JSON; it is run
as a child process (`python -m evals.mutation --json FILE`) so that its code stays its
own. The table is rebuilt from the JSON rows; the false alarms are read from its
printout. Anything that goes wrong becomes `{"error": …}`, never an exception.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.evals.providers import ROOT

_ALARM = re.compile(r"^\s+(\S+) 第(\d+)行 \[([^\]]+)\] (.*)$")
_TABLE_ROW = re.compile(r"^(\w+)\s+([a-z.]+)\s+(\d+)\s+(\d+)\s+([\d.]+%|-)\s+(\d+)\s*$")


def module_root() -> Path | None:
    for base in (ROOT, Path.cwd()):
        if (base / "evals" / "mutation.py").is_file():
            return base
    return None


class Running:
    """The self-test started in the background; `result()` waits for it."""

    def __init__(self, spec) -> None:
        self.spec = spec
        self.started = time.perf_counter()
        self.proc = None
        self.error = None
        self.root = module_root()
        if self.root is None:
            self.error = ("找不到检查器的变异自测 evals/mutation.py：请在 zongjie 源码目录中运行，"
                          "或在套件中去掉 mutation")
            return
        self.tmp = tempfile.NamedTemporaryFile(suffix=".json", delete=False)
        self.tmp.close()
        cmd = [sys.executable, "-m", "evals.mutation", "--json", self.tmp.name]
        if spec.seed is not None:
            cmd += ["--seed", str(spec.seed)]
        if spec.per_class:
            cmd += ["--per-class", str(spec.per_class)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(self.root),
                                                                         os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def result(self, timeout: float = 600) -> dict:
        if self.error:
            return {"error": self.error}
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            return {"error": f"变异自测超过 {timeout:.0f} 秒未完成，已停止"}
        seconds = time.perf_counter() - self.started
        try:
            if self.proc.returncode != 0:
                tail = (err or out).strip().splitlines()[-3:]
                return {"error": f"变异自测退出码 {self.proc.returncode}：{' '.join(tail)[:400]}"}
            data = _read_json(Path(self.tmp.name))
            return summarize(data, out, seconds, self.spec)
        finally:
            Path(self.tmp.name).unlink(missing_ok=True)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def summarize(data: dict | None, printed: str, seconds: float, spec) -> dict:
    """The per-class table, from the JSON rows, or from the printed table without them."""
    classes: dict[str, dict] = {}
    if data and data.get("rows") is not None:
        for r in data["rows"]:
            c = classes.setdefault(r["cls"], {"cls": r["cls"], "family": r["family"], "mutants": 0,
                                              "detected": 0, "right_family": 0})
            c["mutants"] += 1
            c["detected"] += bool(r["detected"])
            c["right_family"] += bool(r["right_family"])
        order = [m.group(1) for m in map(_TABLE_ROW.match, printed.splitlines()) if m]
        families = {m.group(1): m.group(2) for m in map(_TABLE_ROW.match, printed.splitlines()) if m}
        for name, c in classes.items():
            c["family"] = families.get(name, c["family"])
        table = sorted(classes.values(), key=lambda c: order.index(c["cls"]) if c["cls"] in order else 99)
    else:
        table = [{"cls": m.group(1), "family": m.group(2), "mutants": int(m.group(3)),
                  "detected": int(m.group(4)), "right_family": int(m.group(6))}
                 for m in map(_TABLE_ROW.match, printed.splitlines()) if m]
    if not table:
        return {"error": "无法读取变异自测的结果表"}
    for c in table:
        c["rate"] = c["detected"] / c["mutants"] if c["mutants"] else None
    total = {k: sum(c[k] for c in table) for k in ("mutants", "detected", "right_family")}
    alarms = [{"draft": m.group(1), "line": int(m.group(2)), "check": m.group(3), "message": m.group(4)}
              for m in map(_ALARM.match, printed.splitlines()) if m]
    count = data.get("false_alarms", len(alarms)) if data else len(alarms)
    head = next((ln for ln in printed.splitlines() if ln.startswith("干净草稿")), "")
    rate = total["detected"] / total["mutants"] if total["mutants"] else 0.0
    checks = [{"assertion": f"检出率 >= {spec.min_detection:.0%}", "pass": rate >= spec.min_detection,
               "score": rate, "reason": f"检出 {total['detected']}/{total['mutants']}（{rate:.1%}）"}]
    if spec.max_false_alarms is not None:
        checks.append({"assertion": f"误报 <= {spec.max_false_alarms}", "pass": count <= spec.max_false_alarms,
                       "score": 1.0 if count <= spec.max_false_alarms else 0.0,
                       "reason": f"干净草稿上的错误 {count} 个"})
    return {"classes": table, "total": {**total, "rate": rate}, "false_alarms": count,
            "false_alarm_list": alarms, "summary": head, "seconds": round(seconds, 2),
            "assertions": checks}
