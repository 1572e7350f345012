"""js-changed-meta on stores written as a --render crawl writes them: the raw page as served, the rendered DOM as
Chromium serialised it (the render itself is tested with real Chromium in tests/test_render.py)."""

from __future__ import annotations

from sitebuilder import page, rendered_site, run_rule

RAW = page("居住证办理_办事指南_测试市人民政府", h1="居住证办理")


def test_fires_when_rendering_changes_a_declaration_and_noindex_in_one_view_is_an_error(tmp_path):
    routes = {"/": page(body="".join(f'<a href="/{p}">{p}</a>' for p in "abcdefgh")),
              **{f"/{p}": RAW for p in "abcdefg"},
              "/h": (200, [("Content-Type", "text/html; charset=utf-8"), ("X-Robots-Tag", "noindex")], RAW.encode())}
    rendered = {
        "/a": page("测试市人民政府", h1="居住证办理"),                                  # a script writes the title
        "/b": RAW.replace("</head>", '<meta name="robots" content="noindex"></head>'),  # noindex only rendered
        "/c": RAW.replace("</head>", '<link rel="canonical" href="http://portal.test/">' + "</head>"),
        "/d": page("居住证办理_办事指南_测试市人民政府", h1="居住证办理办事指南"),          # the H1 is rewritten
        # near misses: identical views; a script that only adds analytics and body text
        "/e": RAW,
        "/f": RAW.replace("</body>", '<script src="https://hm.baidu.com/hm.js?1"></script><p>新增说明</p></body>'),
        "/h": RAW,        # noindex by the X-Robots-Tag header, which holds for the rendered view too
    }                                                       # /g: not rendered (no view to compare)
    site = rendered_site(tmp_path, routes, rendered)
    found = run_rule(site, "js-changed-meta")
    assert set(found) == {"/a", "/b", "/c", "/d"}
    assert found["/a"].evidence["changes"] == [
        {"field": "title", "raw": "居住证办理_办事指南_测试市人民政府", "rendered": "测试市人民政府"}]
    assert found["/b"].severity == "error" and found["/a"].severity == "warning"
    assert found["/b"].evidence["changes"] == [{"field": "robots", "raw": [], "rendered": ["Baiduspider", "Googlebot"]}]
    assert [c["field"] for c in found["/c"].evidence["changes"]] == ["canonical"]
    assert [c["field"] for c in found["/d"].evidence["changes"]] == ["h1"]


def test_without_render_it_has_nothing_to_judge(tmp_path):
    from audits.config import Config
    from audits.engine import run_rules
    from audits.rules import RULES_BY_ID

    site = rendered_site(tmp_path, {"/": page(body='<a href="/a">a</a>'), "/a": RAW}, {"/a": RAW}, render=False)
    ((_, outcome, _),), findings = run_rules(site, Config(), [RULES_BY_ID["js-changed-meta"]])
    assert (outcome.status, findings) == ("n/a", [])


def test_a_page_the_browser_decodes_otherwise_compares_only_its_ascii_declarations(tmp_path):
    """UTF-8 bytes under <meta charset=gb2312>: Chromium shows mojibake (charset-mismatch says so); its title
    and H1 differ only by decoding, not by a script. Its noindex still compares."""
    mislabelled = RAW.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    routes = {"/": page(body='<a href="/a">a</a><a href="/b">b</a>'),
              "/a": (200, [("Content-Type", "text/html")], mislabelled.encode()),
              "/b": (200, [("Content-Type", "text/html")], mislabelled.encode())}
    mojibake = mislabelled.encode().decode("gb18030", "replace")
    site = rendered_site(tmp_path, routes, {
        "/a": mojibake, "/b": mojibake.replace("</head>", '<meta name="robots" content="noindex"></head>')})
    assert set(run_rule(site, "charset-mismatch")) == {"/a", "/b"}
    found = run_rule(site, "js-changed-meta")
    assert set(found) == {"/b"} and [c["field"] for c in found["/b"].evidence["changes"]] == ["robots"]
    assert "/a" not in run_rule(site, "js-dependent-content")
