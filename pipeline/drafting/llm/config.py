"""Which model endpoint to use, from the command line, the environment and zongjie.toml.

Precedence: --profile / ZONGJIE_PROFILE name a profile (from zongjie.toml, else the
built-in ones in profiles.yaml beside this module); OPENAI_BASE_URL / OPENAI_API_KEY / ZONGJIE_MODEL
and --model override its fields. The key itself is read from the variable the profile
names and is kept in a SecretStr: it is never printed, logged or written.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal, get_args

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from pipeline.errors import InputError, Problem
from pipeline.resources import load_yaml
from pipeline.text.files import require_file
from pipeline.text.syntax import syntax_problem, toml_fault

Method = Literal["json_schema", "json_mode", "function_calling"]
METHODS: tuple[Method, ...] = get_args(Method)

HOW_TO_CONFIGURE = (
    "未配置模型接口。可任选其一：\n"
    "  1. 设置环境变量 OPENAI_API_KEY（以及 OPENAI_BASE_URL、ZONGJIE_MODEL，用于 DeepSeek、Qwen、"
    "vLLM、Ollama 等兼容 OpenAI 的接口）；\n"
    "  2. 在当前目录或 ~/.config/zongjie/ 下写 zongjie.toml，例如：\n"
    "       default = \"deepseek\"\n"
    "       [profiles.deepseek]\n"
    "       api_key_env = \"DEEPSEEK_API_KEY\"\n"
    "     然后 export DEEPSEEK_API_KEY=...；或用 --profile 指定内置配置"
    "（openai、deepseek、qwen、vllm、ollama）。\n"
    "  不用模型时去掉 --backend llm，即使用内置的 template 后端。")


class Endpoint(BaseModel):
    """One OpenAI-compatible endpoint and how zongjie talks to it."""

    model_config = ConfigDict(extra="forbid")

    name: str = "env"
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    api_key_env: str = "OPENAI_API_KEY"
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    method: Method = "json_schema"
    concurrency: int = Field(default=8, ge=1, le=256)
    # A deadline for the whole call (connect, first byte, last byte), not a per-read timeout.
    timeout: float = Field(default=60.0, gt=0, le=3600)
    connect_timeout: float = Field(default=10.0, gt=0, le=600)
    max_retries: int = Field(default=3, ge=0, le=10)
    retry_budget: float = Field(default=180.0, ge=0, le=86400)  # seconds of retrying per run
    max_reply_bytes: int = Field(default=1_000_000, ge=1000, le=100_000_000)
    price_input: float = Field(default=0.0, ge=0, allow_inf_nan=False)  # per million prompt tokens
    price_output: float = Field(default=0.0, ge=0, allow_inf_nan=False)  # per million completion tokens
    currency: str = "USD"
    repair_rounds: int = Field(default=2, ge=0, le=5)
    section_token_budget: int = Field(default=6000, ge=200)
    temperature: float = Field(default=0.2, ge=0, le=2)
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None

    @field_validator("base_url")
    @classmethod
    def _plain_address(cls, url: str | None) -> str | None:
        fault = base_url_fault(url)
        if fault:
            raise ValueError(fault)
        return url

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.price_input + completion_tokens * self.price_output) / 1e6

    @property
    def tokens_exact(self) -> bool:
        """Only OpenAI's own models tokenise like tiktoken; elsewhere counts are estimates."""
        return self.model.startswith(("gpt-", "o1", "o3", "o4"))


def base_url_fault(url: str | None) -> str | None:
    """Why `url` cannot be an endpoint address, or None. The address goes into messages,
    eval reports and trails; a key in its user-info or query would go with it, so such an
    address is refused, and the message never repeats it."""
    if url is None:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  raises ValueError on a port that is no number
    except ValueError:
        return "地址无法解析（应形如 https://api.deepseek.com/v1）"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "地址应以 http:// 或 https:// 开头并写明主机（如 https://api.deepseek.com/v1）"
    if parts.username is not None or parts.password is not None:
        return "地址中不能含用户名或密码（user:pass@）；密钥请放在环境变量中（见 api_key_env），地址本身不予显示"
    if parts.query or parts.fragment or url.strip().endswith(("?", "#")):
        return "地址中不能含查询参数（?…）或片段（#…），其中常带密钥；密钥请放在环境变量中，地址本身不予显示"
    return None


def config_paths(cwd: Path | None = None) -> list[Path]:
    cwd = cwd or Path.cwd()
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [cwd / "zongjie.toml", xdg / "zongjie" / "zongjie.toml"]


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError([syntax_problem(str(path), toml_fault(exc))]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), None, "", "文件不是 UTF-8 编码")]) from None


def resolve_endpoint(profile: str | None = None, model: str | None = None,
                     config_file: str | Path | None = None,
                     env: dict[str, str] | None = None) -> Endpoint | None:
    """The configured endpoint, or None when nothing is configured (→ template backend)."""
    env = dict(os.environ) if env is None else env
    builtin: dict = load_yaml("profiles.yaml", package=__package__)
    user: dict = {}
    source = "zongjie.toml"
    if config_file and Path(config_file).exists():  # a missing one means "no config"
        require_file(Path(config_file), "配置文件（zongjie.toml）")
    paths = [Path(config_file)] if config_file else config_paths()
    for path in paths:
        if path.is_file():
            user, source = _read_toml(path), str(path)
            break
    profiles = {**builtin, **user.get("profiles", {})}
    name = profile or env.get("ZONGJIE_PROFILE") or user.get("default")
    fields: dict = {}
    if name:
        if name not in profiles:
            raise InputError(f"没有名为“{name}”的模型配置；可用：{'、'.join(sorted(profiles))}"
                             f"（自定义配置写在 {source}）")
        fields = {**builtin.get(name, {}), **user.get("profiles", {}).get(name, {}), "name": name}
    env_base, env_key, env_model = (env.get("OPENAI_BASE_URL"), env.get("OPENAI_API_KEY"),
                                    env.get("ZONGJIE_MODEL"))
    if not name and not (env_base or env_key or env_model):
        return None
    if env_base and "base_url" not in fields:
        fault = base_url_fault(env_base)
        if fault:
            raise InputError([Problem("环境变量", None, "OPENAI_BASE_URL", fault)])
        fields["base_url"] = env_base
    if env_model or model:
        fields["model"] = model or env_model
    if fields.get("method", "json_schema") not in METHODS:
        raise InputError(f"{source} profiles.{name}.method：应为 {'、'.join(METHODS)} 之一")
    try:
        endpoint = Endpoint.model_validate(fields)
    except ValidationError as exc:
        from pipeline.text.messages import error_message

        known = [n for n in Endpoint.model_fields if n not in ("name", "api_key")]
        raise InputError([Problem(source, None, f"profiles.{name}.{'.'.join(map(str, e['loc']))}",
                                  f"配置有误：{error_message(e, known)}") for e in exc.errors()]) from None
    key = env.get(endpoint.api_key_env)
    if not key and endpoint.base_url and endpoint.base_url.startswith(("http://127.", "http://localhost")):
        key = "local"  # vLLM and Ollama accept any key; the client insists on one
    if not key:
        raise InputError(f"模型配置“{endpoint.name}”需要环境变量 {endpoint.api_key_env} 中的密钥，"
                         f"但它未设置。\n{HOW_TO_CONFIGURE}")
    return endpoint.model_copy(update={"api_key": SecretStr(key)})
