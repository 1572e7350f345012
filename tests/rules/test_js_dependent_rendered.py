"""js-dependent-content with a rendered view (--render): the difference between the raw and the rendered page's
main text decides, and the evidence carries both counts."""

from __future__ import annotations

from sitebuilder import page, rendered_site, run_rule

PROSE = "测试市政务服务中心推行周末不打烊服务，群众可在周六上午办理社保、医保、公积金等高频事项。"      # 44 characters
GUIDE = "".join(f"<p>{label}：{PROSE}</p>" for label in ("申请条件", "办理材料", "办理流程", "办理地点", "办理时间",
                                                        "收费标准", "设定依据", "联系电话"))
# An accessibility toolbar's script adds this to every rendered page: site template, not any page's content.
TOOLBAR = "<div class='wza'><p>" + "无障碍浏览 长辈版 大字幕 读屏模式 语音播报 重置" * 6 + "</p></div>"
EMPTY_APP = '<div id="guide-app"></div><noscript>请启用浏览器脚本后查看。</noscript><script src="/js/guide.js"></script>'


def body(text: str, h1: str) -> str:
    return page(f"{h1}_测试市人民政府", h1=h1, body=text)


def scripted(raw: str, extra: str) -> str:
    """``raw`` as the browser shows it: the toolbar and ``extra`` added before </body>."""
    return raw.replace("</body>", extra + TOOLBAR + "</body>")


def test_judges_the_text_only_scripts_show_with_both_counts(tmp_path):
    raw = {
        "/guide": body(EMPTY_APP, "灵活就业人员参保登记"),                # an API fills the mount point
        "/half": body(f"<p>{PROSE * 3}</p><div id='more'></div>", "居住证办理"),  # has text, scripts add the most
        "/shell": body('<div id="app"></div><script src="/js/app.js"></script>', "在线申报"),   # the API failed
        # short with a loader script, yet the rendered page is as short: thin, not script-built
        "/stats": body(f'<p>{PROSE[:30]}</p><script src="/js/detail.js"></script>', "统计"),
        # near misses
        "/same": body(f"<p>{PROSE * 4}</p>", "政策解读"),                 # identical in both views
        "/analytics": body(f"<p>{PROSE * 4}</p><script src='https://hm.baidu.com/hm.js?1'></script>", "新闻"),
        "/related": body(f"<p>{PROSE * 20}</p>", "工作动态"),            # scripts add a short related list
        "/unrendered": body(EMPTY_APP, "不动产登记"),                     # not rendered: the raw signals decide
    }
    routes = {"/": page(body="".join(f'<a href="{p}">{p}</a>' for p in raw)), **raw}
    rendered = {
        "/guide": scripted(raw["/guide"].replace('<div id="guide-app"></div>', f'<div id="guide-app">{GUIDE}</div>'), ""),
        "/half": scripted(raw["/half"], f"<p>{PROSE * 6}</p>"),
        "/shell": scripted(raw["/shell"], ""),
        "/stats": scripted(raw["/stats"], f"<p>{PROSE[30:]}本月共办理二十件，同比增长五成。本月共办理二十件，同比增长五成。</p>"),
        "/same": raw["/same"],
        "/analytics": scripted(raw["/analytics"], "<script>_hmt.push(['_trackPageview']);</script>"),
        "/related": scripted(raw["/related"], "<ul><li>相关阅读：周末不打烊</li><li>相关阅读：一网通办</li></ul>"),
    }
    site = rendered_site(tmp_path, routes, rendered)
    found = run_rule(site, "js-dependent-content")
    assert set(found) == {"/guide", "/half", "/shell", "/unrendered"}

    guide = found["/guide"].evidence
    assert guide["view"] == "rendered" and guide["raw_chars"] < 20
    assert guide["script_chars"] >= 8 * len(PROSE) and guide["rendered_chars"] >= guide["script_chars"]
    assert guide["rendered_chars"] < guide["script_chars"] + 40      # the toolbar is not counted as the page's
    assert "script: /js/guide.js" in guide["signals"] and guide["loader"] == "/js/guide.js"
    assert f"{guide['raw_chars']} 个字" in found["/guide"].message.zh
    assert str(guide["rendered_chars"]) in found["/guide"].message.en

    half = found["/half"].evidence
    assert half["view"] == "rendered" and 3 * len(PROSE) < half["raw_chars"] < 3 * len(PROSE) + 10 and half["script_chars"] == 6 * len(PROSE)

    shell = found["/shell"].evidence
    assert shell["view"] == "rendered-empty" and shell["script_chars"] == 0
    assert "渲染" in found["/shell"].message.zh

    assert "view" not in found["/unrendered"].evidence


def test_the_toolbar_alone_is_template_and_a_short_rendered_page_is_not_script_built(tmp_path):
    """A script that adds the same toolbar to every page makes no page script-built, even a short one; and a
    short raw page whose script adds a line is thin, not script-built (the raw signal alone no longer decides)."""
    words = "一二三四五"
    raw = {f"/p{i}": body(f"<p>第{w}号通知：{PROSE}</p><script src='/js/detail.js'></script>", f"通知{w}")
           for i, w in enumerate(words)}
    routes = {"/": page(body="".join(f'<a href="{p}">{p}</a>' for p in raw)), **raw}
    site = rendered_site(tmp_path, routes, {p: scripted(html, f"<p>第{w}号通知的发布机构：测试市政府办公室，阅读次数五十次。</p>")
                                            for (p, html), w in zip(raw.items(), words, strict=True)})
    assert run_rule(site, "js-dependent-content") == {}
    # without the rendered view, the raw signal (a detail.js loader beside 45 characters) still fires
    plain = rendered_site(tmp_path / "plain", routes, {}, render=False)
    assert set(run_rule(plain, "js-dependent-content")) == set(raw)
