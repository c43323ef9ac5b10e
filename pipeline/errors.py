"""The one exception hierarchy of zongjie. Only the CLI turns these into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located for the person who fixes it."""

    file: str
    line: int | None
    path: str
    message: str
    severity: Literal["error", "warning"] = "error"
    column: int | None = None  # 1-based; given where it helps (a syntax error in a line)

    def __str__(self) -> str:
        if not self.file:
            return self.message
        where = f"{self.file}:{self.line}" if self.line else self.file
        where += f":{self.column}" if self.line and self.column else ""
        label = "" if self.severity == "error" else "警告："
        path = f" {self.path}" if self.path else ""
        return f"{where}{path}：{label}{self.message}"


class ZongjieError(Exception):
    """Base of every error the CLI knows how to report."""

    exit_code = 2


class InputError(ZongjieError):
    """Bad input or usage: exit 2, one message per problem."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(file="", line=None, path="", message=problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class EndpointError(ZongjieError):
    """The model endpoint failed after retries (unreachable, authentication, quota)."""

    exit_code = 3
