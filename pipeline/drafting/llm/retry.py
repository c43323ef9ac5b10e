"""Retries of model calls within one budget per run, and the message when they end.

openai's own retries are off (max_retries=0): they multiply the timeout, (1 + n) × T for a
hanging server. Here a failed attempt is retried only while the run's retry budget
(`retry_budget` seconds, shared by every call of the run, a batch included) lasts; each
retry's deadline is clipped to what is left of it. A refused connection, a timeout and
a reply over the size cap each get their own message, naming the budget and how to
change it."""

from __future__ import annotations

import asyncio
import random
from typing import Awaitable, Callable

from pipeline.drafting.llm.config import Endpoint
from pipeline.drafting.llm.http import ReplyTooLarge, attempt_deadline, scrub_text
from pipeline.errors import EndpointError

_RETRY_STATUS = {408, 409, 429}
HOW_TO_CHANGE = ("可在 zongjie.toml 该模型配置中调整 timeout（每次调用的期限）、max_retries、"
                 "retry_budget（每次运行的重试预算）与 max_reply_bytes（回复上限）")


class RetryBudget:
    """The run's retry budget, in seconds of wall time during which some call was retrying
    (parallel retries share it; a run that recovers keeps what is left for later)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._spent = 0.0
        self._retrying = 0  # calls between their first failure and their end
        self._since = 0.0

    def left(self, now: float) -> float:
        spent = self._spent + (now - self._since if self._retrying else 0.0)
        return max(0.0, self.endpoint.retry_budget - spent)

    async def run(self, call: Callable[[], Awaitable], is_bad_reply: Callable[[Exception], bool]):
        """`call()`'s result; reply faults raise as they are, endpoint faults as EndpointError."""
        loop = asyncio.get_running_loop()
        retries, entered = 0, False
        try:
            while True:
                token = attempt_deadline.set(loop.time() + self.left(loop.time()) if retries else None)
                try:
                    return await call()
                except Exception as exc:  # noqa: BLE001 - sorted below
                    if is_bad_reply(exc):
                        raise
                    failure = exc
                finally:
                    attempt_deadline.reset(token)
                if not entered:
                    entered = True
                    self._enter(loop.time())
                wait = _wait(failure, retries)
                if wait is None or retries >= self.endpoint.max_retries or wait >= self.left(loop.time()):
                    raise self.error(failure, retries, self.left(loop.time())) from None
                await asyncio.sleep(wait)
                retries += 1
        finally:
            if entered:
                self._leave(loop.time())

    def _enter(self, now: float) -> None:
        if not self._retrying:
            self._since = now
        self._retrying += 1

    def _leave(self, now: float) -> None:
        self._retrying -= 1
        if not self._retrying:
            self._spent += now - self._since

    def error(self, exc: Exception, retries: int, left: float) -> EndpointError:
        ep = self.endpoint
        key = ep.api_key.get_secret_value() if ep.api_key else None
        where = f"模型接口 {ep.name}（{ep.model}，{ep.base_url or '默认地址'}）"
        too_large = _find(exc, ReplyTooLarge)
        if too_large is not None:
            reason = str(too_large)
        elif _refused(exc):
            reason = "连接被拒绝（服务未启动，或地址、端口有误）"
        elif _is_timeout(exc):
            reason = f"未在 {ep.timeout:g} 秒的期限内完成回复（{_first_line(exc)}）"
        else:
            reason = f"出错：{type(exc).__name__}: {_first_line(exc)}"
        budget = (f"{'重试后仍失败，' if retries else ''}已重试 {retries} 次，"
                  f"本次运行的重试预算为 {ep.retry_budget:g} 秒、"
                  f"最多重试 {ep.max_retries} 次，剩余 {left:.0f} 秒")
        text = scrub_text(f"{where}{reason}；{budget}。{HOW_TO_CHANGE}。", key)
        return EndpointError(text[:800])


def _wait(exc: Exception, retries: int) -> float | None:
    """Seconds to wait before retrying `exc`, or None when retrying cannot help."""
    import openai

    if _find(exc, ReplyTooLarge) is not None:
        return None
    backoff = min(8.0, 0.5 * 2 ** retries) * (0.75 + random.random() / 2)
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return backoff
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status in _RETRY_STATUS or status >= 500:
            after = exc.response.headers.get("retry-after") if exc.response is not None else None
            try:
                return max(backoff, float(after)) if after else backoff
            except ValueError:
                return backoff
    return None


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _find(exc: BaseException, kind: type):
    return next((e for e in _chain(exc) if isinstance(e, kind)), None)


def _refused(exc: BaseException) -> bool:
    return any(isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == 111
               or "connection refused" in str(e).lower() or "connect call failed" in str(e).lower()
               for e in _chain(exc))


def _is_timeout(exc: BaseException) -> bool:
    import openai

    return any(isinstance(e, (openai.APITimeoutError, TimeoutError)) or "Timeout" in type(e).__name__
               for e in _chain(exc))


def _first_line(exc: BaseException) -> str:
    cause = next((e for e in _chain(exc) if "期限" in str(e)), exc)
    return (str(cause).splitlines() or [""])[0][:300]
