"""The scorecard as a person sees it: opened in real headless Chromium (Debian's), driven by Playwright.

Uses the Debian ``chromium`` package through Playwright's ``executable_path`` (never a downloaded
browser build). Skipped, with the reason, when /usr/bin/chromium or the playwright package is absent.
Screenshots and the A4 PDF are kept in tests/artifacts/ (or $GOVSEO_TEST_ARTIFACTS), which ignores itself.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium

from reports import write_report

ARTIFACTS = Path(os.environ.get("GOVSEO_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
SCRIPT_TITLE = "<script>alert(1)</script>"
IMG_TITLE = '"><img src=x onerror=alert(1)>'
PWN_TITLE = "<img src=x onerror=\"window.__pwned=1\">社会保险登记"


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n", encoding="utf-8")
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def hostile_result(portal_site: Any) -> dict[str, Any]:
    """A real audit of the sample portal, with hostile crawled text planted where a crawl could put it."""
    from audits.config import Config
    from audits.engine import build_result

    result = copy.deepcopy(build_result(portal_site, Config()))
    result.update(pages=list(result["pages"]), findings=list(result["findings"]),   # Spools: made lists to edit
                  services=list(result["services"]))
    result["site"]["name"] = SCRIPT_TITLE
    result["pages"][1]["title"] = SCRIPT_TITLE
    result["pages"][2]["title"] = IMG_TITLE
    result["services"][0]["name"] = PWN_TITLE
    result["services"][1]["section"] = IMG_TITLE
    result["findings"][0]["message"] = IMG_TITLE
    result["findings"][0]["evidence"] = {"title": SCRIPT_TITLE, "targets": [{"url": "javascript:alert(1)"}]}
    return result


class Watch:
    """Everything a page says or asks for: console messages, errors, dialogs and network requests."""

    def __init__(self, page: Any) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: self.requests.append(r.url))


def _open(browser: Any, path: Path, javascript: bool = True, width: int = 1280) -> tuple[Any, Any, Watch]:
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                  locale="zh-CN")
    page = context.new_page()
    watch = Watch(page)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, watch


def _column(page: Any, table: str, index: int) -> list[str]:
    return page.eval_on_selector_all(f"{table} tbody tr:not([hidden])",
                                     f"rows => rows.map(r => r.cells[{index}].textContent.trim())")


def test_scorecard_runs_sorts_filters_and_never_runs_crawled_text(browser: Any, hostile_result: dict,
                                                                   tmp_path: Path, artifacts: Path) -> None:
    report = write_report([hostile_result], tmp_path)[0]
    context, page, watch = _open(browser, report)
    try:
        # the page script ran (allowed by its CSP hash) and the page stayed silent
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert page.locator("table[data-filter]").count() == page.locator("input.filter").count() >= 3
        # hostile crawled text is shown as text and never runs
        assert page.locator("h1").inner_text() == SCRIPT_TITLE
        assert page.get_by_text(IMG_TITLE).count() >= 2
        assert page.locator("td.svc strong").first.inner_text() == PWN_TITLE
        assert page.locator("img").count() == 0 and page.locator("script").count() == 1
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator('a[href^="javascript"]').count() == 0

        services = "table.services"
        scores = [int(s) for s in _column(page, services, 3)]
        assert scores == sorted(scores), "hardest first without sorting"
        page.locator(f"{services} thead th").nth(3).locator("button").click()
        assert page.locator(f"{services} thead th").nth(3).get_attribute("aria-sort") == "ascending"
        assert [int(s) for s in _column(page, services, 3)] == sorted(scores)
        page.locator(f"{services} thead th").nth(3).locator("button").click()
        assert page.locator(f"{services} thead th").nth(3).get_attribute("aria-sort") == "descending"
        assert [int(s) for s in _column(page, services, 3)] == sorted(scores, reverse=True)
        page.locator(f"{services} thead th").nth(1).locator("button").click()  # text column, zh collation
        names = _column(page, services, 1)
        assert len(names) == len(scores) and names != _column(page, services, 1)[::-1]

        total = len(scores)
        filter_box = page.locator("#services input.filter")
        filter_box.fill("医保")
        shown = _column(page, services, 1)
        assert 0 < len(shown) < total and all("医保" in page.locator(f"{services} tbody tr:not([hidden])")
                                               .nth(i).inner_text() for i in range(len(shown)))
        assert page.locator("#services .shown").inner_text() == f"显示 {len(shown)} / {total} 行"
        filter_box.fill("onerror=\"window.__pwned")  # hostile text as a filter word matches, runs nothing
        assert len(_column(page, services, 1)) == 1
        assert page.locator(f"{services} tbody tr:not([hidden]) td.svc strong").inner_text() == PWN_TITLE
        filter_box.fill("")
        assert len(_column(page, services, 1)) == total and page.locator("#services .shown").inner_text() == ""

        pages = "table.pages"
        page.locator(f"{pages} thead th").nth(2).locator("button").click()  # click depth, "—" last
        depths = _column(page, pages, 2)
        numbers = [int(d) for d in depths if d != "—"]
        assert numbers == sorted(numbers) and depths[len(numbers):] == ["—"] * (len(depths) - len(numbers))

        page.screenshot(path=str(artifacts / "report.png"), full_page=True)
        assert watch.console == [] and watch.errors == [] and watch.dialogs == []
        assert set(watch.requests) == {report.as_uri()}, "the report must not fetch anything"
    finally:
        context.close()


def test_csp_blocks_any_other_script(browser: Any, hostile_result: dict, tmp_path: Path) -> None:
    report = write_report([hostile_result], tmp_path)[0]
    context, page, watch = _open(browser, report)
    try:
        ran = page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__injected = 1'; document.body.appendChild(s); return window.__injected; }""")
        assert ran is None
        assert any("Content Security Policy" in line for line in watch.console)
    finally:
        context.close()


def test_readable_without_javascript(browser: Any, hostile_result: dict, tmp_path: Path, artifacts: Path) -> None:
    report = write_report([hostile_result], tmp_path)[0]
    context, page, watch = _open(browser, report, javascript=False)
    try:
        assert page.locator("input, button").count() == 0
        rows = page.locator("table.services tbody tr")
        assert rows.count() == len(hostile_result["services"]) and rows.first.is_visible()
        assert page.locator("table.sections tbody tr").count() == len(hostile_result["sections"])
        assert page.locator("#chart-depth").is_visible() and page.locator("#chart-sitemap").is_visible()
        assert page.locator("h1").inner_text() == SCRIPT_TITLE
        page.screenshot(path=str(artifacts / "report-nojs.png"), full_page=True)
        assert watch.console == [] and watch.errors == []
    finally:
        context.close()


def test_prints_on_a4(browser: Any, hostile_result: dict, tmp_path: Path, artifacts: Path) -> None:
    report = write_report([hostile_result], tmp_path)[0]
    context, page, watch = _open(browser, report, width=700)  # about the printable width of A4 at 96 dpi
    try:
        page.emulate_media(media="print")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"content is {overflow}px wider than an A4 page"
        assert not page.locator("nav.toc").is_visible() and not page.locator(".tbl-tools").first.is_visible()
        pdf = artifacts / "report-a4.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.read_bytes().count(b"/Type /Page") > 3
        assert watch.errors == []
    finally:
        context.close()


def test_multi_site_index_in_browser(browser: Any, hostile_result: dict, tmp_path: Path, artifacts: Path) -> None:
    other = copy.deepcopy(hostile_result)
    other["site"].update(name="石桥县人民政府", url="http://shiqiao.gov.cn/", score=97)
    paths = write_report([hostile_result, other], tmp_path, "en")
    context, page, watch = _open(browser, paths[-1])
    try:
        assert _column(page, "table.sites", 2) == [str(hostile_result["site"]["score"]), "97"]
        page.locator("table.sites thead th").nth(2).locator("button").click()
        page.locator("table.sites thead th").nth(2).locator("button").click()
        assert _column(page, "table.sites", 2) == ["97", str(hostile_result["site"]["score"])]
        page.screenshot(path=str(artifacts / "index.png"), full_page=True)
        page.locator("a.site-link", has_text="石桥县人民政府").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/shiqiao.gov.cn/report.html")
        assert page.locator("h1").inner_text() == "石桥县人民政府"
        assert watch.console == [] and watch.errors == [] and watch.dialogs == []
    finally:
        context.close()


def _with_fixes(result: dict[str, Any]) -> dict[str, Any]:
    """The audited portal as the real all-noindex portal looked: every page noindex from the template, a
    template-wide broken link, and a fix whose words and URLs are hostile."""
    from result_factory import broken_link_fix, make_fix, make_gate, noindex_fix

    doc = copy.deepcopy(result)
    urls = [page["url"] for page in doc["pages"]]
    services = len(doc["services"])
    doc["site"].update(score=8, score_uncapped=83, gates=[make_gate("pages-indexable", 0, len(urls), 10, True),
                                                          make_gate("services-indexable", 0, services, 10)])
    doc["site"]["categories"]["gov"] = None
    noindex = noindex_fix(len(urls), services)
    noindex["urls"] = urls[:20]
    broken = broken_link_fix(len(urls) - 1)
    broken.update(services_total=services, urls=urls[1:21])
    hostile = make_fix("title-generic", PWN_TITLE, 3, 2, services, fix_en=PWN_TITLE, cause=SCRIPT_TITLE,
                       cause_en=SCRIPT_TITLE, target="javascript:alert(1)", urls=["javascript:alert(2)", urls[2]])
    doc["fixes"] = [
        noindex, broken, hostile,
        make_fix("description-missing", "为每个页面添加 meta description", 40, 0, services,
                 fix_en="Add a meta description to every page", severity="warning", urls=urls[:20]),
        make_fix("lang-missing", "在网站模板的 <html> 上加 lang=\"zh-CN\"", len(urls), 0, services,
                 fix_en="Add lang=\"zh-CN\" to <html> in the site template", severity="notice", kind="template",
                 template=True, urls=urls[:20]),
        make_fix("image-alt-missing", "为图片添加 alt 说明", 2, 0, services, fix_en="Give images an alt text",
                 severity="notice", urls=urls[:2]),
    ]
    return doc


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_opens_with_headline_and_top_fixes(browser: Any, hostile_result: dict, tmp_path: Path,
                                                     artifacts: Path, lang: str) -> None:
    result = _with_fixes(hostile_result)
    report = write_report([result], tmp_path, lang)[0]
    context, page, watch = _open(browser, report)
    try:
        pages = len(result["pages"])
        page.screenshot(path=str(artifacts / f"headline-{lang}.png"), full_page=False)
        headline = page.locator("p.headline")
        expected = (f"本站得分 8/100：全站 {pages} 个页面都不能被搜索引擎收录，首要原因是网站模板中的 "
                    '<meta name="robots" content="noindex">。' if lang == "zh" else
                    f"This site scores 8/100: none of its {pages} pages can be indexed by search engines; the main "
                    'cause: <meta name="robots" content="noindex"> in the site template.')
        assert headline.is_visible() and headline.inner_text() == expected
        assert page.locator("p.headline-note").inner_text() == ("未计收录门槛时为 83 分" if lang == "zh"
                                                                else "83 without the indexability gate")
        top = page.locator("#top-fixes")
        assert top.is_visible()
        fixes = top.locator("li.topfix")
        assert fixes.count() == 5
        # right after the hero, before the category scores, services and findings
        y = {name: page.locator(name).bounding_box()["y"] for name in ("#overview", "#top-fixes", "#scores",
                                                                      "#services", "#fixes", "#findings")}
        assert list(y) == sorted(y, key=y.get)
        first = fixes.nth(0)
        assert first.locator(".tpl").is_visible() and first.locator(".tpl").inner_text() == (
            "网站模板" if lang == "zh" else "site template")
        impact = (f"：影响 {pages} 个页面、全部办事指南" if lang == "zh"
                  else f": affects {pages} pages, every service guide")
        assert first.locator(".tf-say").inner_text().endswith(impact)
        # hostile words are shown as text, run nothing and link nowhere
        assert fixes.nth(2).locator(".tf-fix").inner_text() == PWN_TITLE
        assert page.locator("img").count() == 0 and page.evaluate("window.__pwned === undefined")
        assert page.locator('a[href^="javascript"]').count() == 0
        # the affected pages are behind a disclosure that opens
        urls = fixes.nth(1).locator("details.fix-urls")
        assert not urls.locator("li").first.is_visible()
        urls.locator("summary").click()
        assert urls.locator("li").count() == 20 and urls.locator("li").first.is_visible()
        urls.locator("summary").click()
        top.screenshot(path=str(artifacts / f"top-fixes-{lang}.png"))
        page.locator("#top-fixes a[href='#fixes']").click()
        assert page.locator("table.fixes tbody tr").count() == len(result["fixes"])
        assert page.locator("#scores .cat.na .num").inner_text() == ("不适用" if lang == "zh" else "not applicable")
        assert watch.console == [] and watch.errors == [] and watch.dialogs == []
    finally:
        context.close()
