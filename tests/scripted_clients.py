"""The real clients (openai, langchain-openai) pointed at a ScriptedServer, and the data
the scripted-server tests share. Nothing in the clients is patched."""
from __future__ import annotations

import openai
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, ConfigDict

KEY = "sk-test-SECRET-0123456789"
MODEL = "qwen-plus"
MSGS = [("system", "你是公文写作助手。请只输出 JSON。"), ("human", "起草民族团结进步宣传月工作总结。")]
GOOD = {"title": "民族团结进步宣传月工作总结", "paragraphs": ["一、基本情况", "二、主要做法", "三、下一步打算"]}


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    paragraphs: list[str]


class OnlyParagraphs(BaseModel):
    paragraphs: list[str]


def timing(name: str, seconds: float) -> None:
    print(f"\nTIMING {name}: {seconds:.3f}s")


def oa(srv, **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key=KEY, **{"timeout": 5, "max_retries": 0, **kw})


def lc(srv, **kw) -> ChatOpenAI:
    return ChatOpenAI(base_url=srv.base_url, api_key=KEY, model=MODEL, **{"timeout": 5, "max_retries": 0, **kw})
