"""The batch league (DIR/index.html) in real headless Chromium (Debian's, through Playwright): zh and en,
sorting, the text filter and the group filter work, hostile SITES.csv text never runs, no console message.
Skipped, with the reason, when /usr/bin/chromium or the playwright package is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium

from govseo.batch.runner import write_verdict
from govseo.batch.sites import SiteSpec
from reports import write_report
from reports.league import write_league

PWN = '<img src=x onerror="window.__pwned=1">公安局'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _batch_dir(out: Path) -> Path:
    from result_factory import make_result

    sites = [("http://a.gov.cn/", "甲市", "宜春市", "ok", 55, 3), ("http://b.gov.cn/", "乙县", "宜春市", "ok", 91, 0),
             ("http://c.gov.cn/", PWN, PWN, "ok", 72, 1), ("http://d.gov.cn/", "丁区", "萍乡市", "ok", 64, 2),
             ("http://e.gov.cn/", "戊镇", "萍乡市", "unreachable", None, 0)]
    for line, (url, name, group, status, score, hard) in enumerate(sites, 2):
        spec = SiteSpec(url, name, group, url.split("/")[2], line)
        if status == "ok":
            result = make_result()
            result["site"].update(name=name, url=url, score=score)
            write_report([result], out / spec.folder, "zh")
        write_verdict(out, spec, status, "连接被拒绝" if status != "ok" else None,
                      {"score": score, "pages": 10 * line, "services": 4, "hard_services": hard, "errors": line,
                       "vetoes": ["engine_blocked"] if line == 4 else []})
    return out


def _open(browser: Any, path: Path) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    said: list[str] = []
    page.on("console", lambda m: said.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: said.append(f"error: {e}"))
    page.on("dialog", lambda d: (said.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, said


def _column(page: Any, index: int) -> list[str]:
    return page.eval_on_selector_all("#league-table tbody tr:not([hidden])",
                                     f"rows => rows.map(r => r.cells[{index}].textContent.trim())")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_league_sorts_filters_and_links(browser: Any, tmp_path: Path, lang: str) -> None:
    out = _batch_dir(tmp_path)
    index = write_league(out, lang)[0]
    context, page, said = _open(browser, index)
    try:
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert page.evaluate("window.__pwned === undefined") and page.locator("img").count() == 0
        assert _column(page, 3)[:4] == ["91", "72", "64", "55"]        # best first, the unreachable site last
        unreachable = "站点无法访问" if lang == "zh" else "site unreachable"
        assert unreachable in _column(page, 7)[-1]

        score = page.locator("#league-table thead th").nth(3).locator("button")
        score.click()
        assert _column(page, 3) == ["55", "64", "72", "91", "—"]        # the site without a score stays last
        score.click()
        assert _column(page, 3) == ["91", "72", "64", "55", "—"]

        group = page.locator("select.group-filter")
        group.select_option("萍乡市")
        assert _column(page, 2) == ["萍乡市", "萍乡市"]
        shown = "显示 2 / 5 行" if lang == "zh" else "Showing 2 of 5 rows"
        assert page.locator("#sites .shown").inner_text() == shown
        group.select_option(PWN)
        assert [n.strip() for n in _column(page, 1)] == [PWN + "http://c.gov.cn/" + (
            "百度蜘蛛被网关拦截" if lang == "zh" else "Baiduspider challenged by a gateway")]
        group.select_option(index=0)
        page.locator("#sites input.filter").fill("县")
        assert len(_column(page, 1)) == 1
        page.locator("#sites input.filter").fill("")
        assert len(_column(page, 1)) == 5

        medians = page.eval_on_selector_all("table.groups tbody tr", "rows => rows.map(r => r.cells[1].textContent.trim())")
        assert sorted(medians) == sorted(["73", "64", "72"])
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("a.site-link").count() == 4
        page.locator("a.site-link", has_text="乙县").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/b.gov.cn/report.html")
        assert page.locator("h1").inner_text() == "乙县"
        assert said == []
    finally:
        context.close()
