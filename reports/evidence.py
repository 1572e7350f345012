"""Finding evidence as readable lines instead of raw JSON.

``evidence_lines`` turns the ``evidence`` field of a finding (any JSON value) into
a small view model: one line per top-level key, each holding items that are
either plain text or a URL (the template turns http(s) URLs into links through
``safe_href``). Nothing is escaped here; the templates autoescape every item.
Output is bounded by a character budget, so hostile or huge evidence cannot
blow up the report; the full evidence is always in findings.csv.
"""

from __future__ import annotations

import math
from typing import Any

BUDGET = 600  # visible characters of evidence per finding, roughly; the rest is cut with "…"
ITEM_CHARS = 200  # one string value
LIST_ITEMS = 8  # items shown per list
URL_KEYS = frozenset({"url", "target", "final", "location", "other"})

# zh names of the evidence keys the rules emit (docs/rules.md); English shows the key itself.
_KEYS_ZH: dict[str, str] = {
    "status": "状态码", "error": "错误", "detail": "详情", "count": "数量", "targets": "目标链接",
    "hops": "跳转", "loop": "循环", "final": "最终地址", "delay": "延迟（秒）", "target": "目标",
    "engines": "搜索引擎", "meta": "meta 标签", "canonicals": "canonical 声明", "resolved": "解析为",
    "main_chars": "正文字数", "signals": "迹象", "frame_chars": "框架内字数", "frames": "框架",
    "attachments": "附件", "elements": "元素", "detected": "检测到", "header": "响应头", "titles": "标题",
    "others": "其他页面", "title": "标题", "max": "上限", "min": "下限", "width": "宽度",
    "repeated": "重复词", "page_name": "页面名称", "problems": "问题", "descriptions": "描述",
    "description": "描述", "density": "密度", "term": "词", "tokens": "词数", "key_terms": "关键词",
    "chars": "字数", "min_chars": "最少字数", "other": "相似页面", "similarity": "相似度", "links": "链接",
    "images": "图片", "length": "长度", "separate_mobile_site": "独立移动站", "kind": "类型", "scope": "范围",
    "urls": "网址", "depth": "点击深度", "limit": "上限", "service": "办事页面", "link_score": "链接得分",
    "cutoff": "阈值", "inlinks": "内链数", "missing": "缺少", "present": "已有", "gates": "硬性障碍",
    "reach": "可达性", "reasons": "原因", "relevance": "相关性", "score": "得分", "search": "站内搜索",
    "name": "名称", "queries": "搜索词", "query": "搜索词", "position": "排名", "top_results": "排名靠前的结果",
    "url": "网址", "anchor": "链接文字", "location": "跳转到", "text": "文字", "expected": "应为",
    "value": "值", "problem": "问题", "block": "块", "tag": "标签", "robots": "robots",
}


def key_label(key: str, lang: str) -> str:
    """A readable name for an evidence key: zh from the table above, else the key with spaces."""
    if lang == "zh" and key in _KEYS_ZH:
        return _KEYS_ZH[key]
    return key.replace("_", " ")


class _Budget:
    def __init__(self, chars: int) -> None:
        self.left = chars

    def take(self, text: str) -> tuple[str, bool]:
        """``text`` cut to what is left (and to ITEM_CHARS); True when something was cut."""
        limit = max(0, min(self.left, ITEM_CHARS))
        self.left -= min(len(text), limit) + 4  # every item costs a little, so item counts are bounded too
        return (text, False) if len(text) <= limit else (text[:limit] + "…", True)


def _scalar(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    return str(value)


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://"))


def _inline(value: Any, lang: str) -> str:
    """A nested value on one line: ``k: v; k: v`` for dicts (empty values left out), ``a, b`` for lists."""
    colon, semicolon, comma = ("：", "；", "、") if lang == "zh" else (": ", "; ", ", ")
    if isinstance(value, dict):
        return semicolon.join(f"{key_label(str(k), lang)}{colon}{_inline(v, lang)}"
                              for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, list | tuple):
        return comma.join(_inline(v, lang) for v in value)
    return _scalar(value, lang)


def _item(value: Any, lang: str, budget: _Budget, key: str = "") -> dict[str, Any]:
    """One shown value: ``url`` (rendered as a link when http/https) and/or ``text``."""
    if isinstance(value, dict):
        url_key = next((k for k in value if k in URL_KEYS and _is_url(value[k])), None)
        rest = {k: v for k, v in value.items() if k != url_key}
        url = budget.take(str(value[url_key]))[0] if url_key else ""
        return {"url": url, "text": budget.take(_inline(rest, lang))[0] if rest else ""}
    if _is_url(value) or (key in URL_KEYS and isinstance(value, str) and value):
        text, cut = budget.take(value)
        return {"url": "" if cut else text, "text": text if cut else ""}
    return {"url": "", "text": budget.take(_inline(value, lang))[0]}


def _line(key: str, value: Any, lang: str, budget: _Budget) -> dict[str, Any]:
    values = list(value) if isinstance(value, list | tuple) else [value]
    items = []
    for item in values[:LIST_ITEMS]:
        if budget.left <= 0:
            break
        items.append(_item(item, lang, budget, key))
    if isinstance(value, list | tuple) and not values:
        items = [{"url": "", "text": "（无）" if lang == "zh" else "(none)"}]
    return {"key": key_label(key, lang) if key else "", "parts": items, "more": len(values) - len(items)}


def evidence_lines(evidence: Any, lang: str = "zh", budget: int = BUDGET) -> list[dict[str, Any]]:
    """Evidence as ``[{"key", "parts": [{"url", "text"}], "more"}]``; [] when there is none.

    A dict gives one line per key; a list or a scalar gives one line without a key.
    Lines stop once the character budget is spent; a last line ``{"key": "", "parts": [], "more": -1}``
    then says that something was left out.
    """
    if evidence is None or evidence == "" or evidence == {} or evidence == []:
        return []
    spend = _Budget(budget)
    pairs = list(evidence.items()) if isinstance(evidence, dict) else [("", evidence)]
    lines = []
    for key, value in pairs:
        if spend.left <= 0:
            lines.append({"key": "", "parts": [], "more": -1})
            break
        lines.append(_line(str(key), value, lang, spend))
    return lines
