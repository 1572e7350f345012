from sitebuilder import BASE, build_site, page, run_rule


def home(*paths: str) -> str:
    return page(body="".join(f'<a href="{p}">{p.strip("/")}页面</a>' for p in paths))


def test_link_text_generic_whole_anchor_text_only(tmp_path):
    paths = ("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h")
    site = build_site(tmp_path, {
        "/": home(*paths),
        "/a": page(body='<div class="block"><h2>个人办事</h2><a href="/bsfw/grbs/">更多&gt;&gt;</a></div>'
                        '<p>岗位表请<a href="/files/gwb.xls">点击这里</a>下载。</p>'),
        "/b": page(body='<a href="/bsfw/qybs/"> ［更多］ </a>'),            # full-width brackets, spaces
        "/f": page(body='<a href="/bsfw/"><img src="/images/more.png" alt="更多"></a>'),   # the alt is all it says
        "/g": page(body='<a href="/tzgg/">&gt;&gt;</a>'),
        # near misses: an image alt that names the target, descriptive text, scripts, a generic word inside a sentence
        "/c": page(body='<a href="/bsfw/grbs/">更多<img src="/images/icon.png" alt="个人办事指南"></a>'),
        "/d": page(body='<a href="/bsfw/grbs/">更多个人办事指南</a><a href="/tzgg/">点击这里查看通知公告</a>'),
        "/e": page(body='<a href="javascript:void(0)">更多</a><a href="#top">这里</a>'),
        "/h": page(body='<a href="/files/form.doc">下载</a>'),
    })
    found = run_rule(site, "link-text-generic")
    assert set(found) == {"/a", "/b", "/f", "/g"}
    assert found["/a"].evidence == {"count": 2, "links": [
        {"text": "更多>>", "target": BASE + "bsfw/grbs/"}, {"text": "点击这里", "target": BASE + "files/gwb.xls"}]}
    assert set(run_rule(site, "link-text-generic", generic_texts=["下载"])) == {"/h"}


def test_image_alt_missing_but_decorative_alt_is_fine(tmp_path):
    site = build_site(tmp_path, {
        "/": home("/a", "/b", "/c"),
        "/a": page(body='<img src="/images/banner.png"><img src="/images/banner.png"><img src="/images/x.png" alt="图">'),
        # near misses: decorative alt="" and a real alt
        "/b": page(body='<img src="/images/line.png" alt="">'),
        "/c": page(body='<img src="/images/hall.png" alt="测试市政务服务中心办事大厅">'),
    })
    found = run_rule(site, "image-alt-missing")
    assert set(found) == {"/a"}
    assert found["/a"].evidence == {"images": ["/images/banner.png"], "count": 2}
    assert run_rule(site, "image-alt-missing", max_evidence=0)["/a"].evidence["images"] == []
