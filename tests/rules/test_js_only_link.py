"""js-only-link on stores written as a --render crawl writes them (the render itself is tested with real Chromium in
tests/test_render.py): the rule reads only the link table's tag ``script``, the sitemap and the start URLs."""

from __future__ import annotations

from pathlib import Path

from sitebuilder import BASE, build_store, page, run_rule

from audits.site import load_site
from crawler.response import summarise
from crawler.store import CrawlStore, compress


def rendered_site(tmp_path: Path, routes: dict, script_links: list[tuple[str, str]], render: bool = True):
    """Crawl ``routes`` from their raw HTML, then record what a render would: the script-built links
    (source path, target path; targets no raw link reaches are fetched as the spider would) and an ok render."""
    store: CrawlStore = build_store(tmp_path / "crawl.sqlite", routes)
    ids = {url: uid for uid, url, *_ in store.iter_urls()}
    for source, target in script_links:
        url = BASE.rstrip("/") + target
        if url not in ids:
            ids[url] = store.add_url(url, "done", "script", 1)
            store.add_fetch(ids[url], **summarise(url, 200, [("Content-Type", "text/html")], routes[target].encode()).record)
        store.add_script_links(ids[BASE.rstrip("/") + source], [(ids[url], "script", None, "x")])
    for url, uid in ids.items() if render else ():
        store.add_render(uid, "ok", final_url=url, elapsed_ms=1.0, dom=compress(b"<html></html>"), dom_size=13)
    options = store.get_meta_json("options")
    store.set_meta("options", {**options, "render": render})
    store.commit()
    try:
        return load_site(store)
    finally:
        store.close()


ROUTES = {
    "/": page(body="<a href='/col'>栏目</a><a href='/both'>both</a>"),
    "/col": page(body="<p>栏目页</p>"),
    "/js": page(body="<p>只由脚本链接</p>"),
    "/js2": page(body="<p>两个页面的脚本</p>"),
    "/both": page(body="<p>原始链接也有</p>"),
    "/mapped": page(body="<p>在网站地图中</p>"),
    "/self": page(body="<p>只链接自己</p>"),
    "/sitemap.xml": (200, [("Content-Type", "application/xml")],
                     ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                      f"<url><loc>{BASE}mapped</loc></url></urlset>").encode()),
}
SCRIPT_LINKS = [("/", "/js"), ("/col", "/js"), ("/", "/js2"), ("/col", "/js2"), ("/col", "/both"),
                ("/col", "/mapped"), ("/", "/col"), ("/col", "/")]


def test_fires_on_pages_only_scripts_link_to(tmp_path):
    site = rendered_site(tmp_path, ROUTES, SCRIPT_LINKS)
    try:
        found = run_rule(site, "js-only-link")
        # near-misses: /both and /col are linked in the raw HTML too, /mapped is in the sitemap, / is the start
        assert set(found) == {"/js", "/js2"}
        assert found["/js"].evidence["script_sources"] == [BASE, BASE + "col"]
        assert found["/js"].severity == "error"
    finally:
        site.close()


def test_a_script_link_to_itself_does_not_make_a_page_reachable(tmp_path):
    routes = {**ROUTES, "/": page(body="<a href='/self'>self</a>")}
    site = rendered_site(tmp_path, routes, [("/self", "/self")])
    try:
        assert run_rule(site, "js-only-link") == {}
        assert site.script_only == {}
    finally:
        site.close()


def test_without_render_there_is_nothing_to_judge(tmp_path):
    from audits.rules import RULES_BY_ID

    site = rendered_site(tmp_path, ROUTES, [], render=False)
    try:
        assert not site.render_enabled and site.render_status(site.page(BASE)) is None
        assert run_rule(site, "js-only-link") == {}
        assert RULES_BY_ID["js-only-link"].judges(site) == 0        # status n/a: it weighs nothing
    finally:
        site.close()
