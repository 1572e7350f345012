"""Service detection, names and sections (audits/services.py), on inline sites."""

from __future__ import annotations

from sitebuilder import build_site, page

from audits.services import clean_name, detect_services

LABELS = "".join(f"<p>{k}：……</p>" for k in ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "联系电话"))


def guide(name, extra_head="", agency=None):
    body = f"<h1>{name}</h1>" + (f"<p>实施机关：{agency}</p>" if agency else "") + LABELS
    return page(title=f"{name}办事指南_个人办事_测试市人民政府", h1=None, body=body, head=extra_head)


def paths(services):
    return {s.url.split("/", 3)[3]: s for s in services}


def test_detects_guides_by_labels_and_lists_unreadable_service_urls_from_anchors(tmp_path):
    site = build_site(tmp_path, {
        "/robots.txt": (200, [], b"User-agent: *\nDisallow: /bsfw/secret/\n"),
        "/": page(title="首页_测试市人民政府", body='<a href="/news/1.html">新闻</a><a href="/x/guide.html">社保卡申领</a>'
                  '<a href="/bsfw/secret/a.html">公租房申请</a><a href="/bsfw/gone.html">老年证办理</a>'
                  '<a href="/files/g.pdf">指南下载</a>'),
        "/news/1.html": page(title="新闻_测试", body="<p>办理材料这几个字出现在正文里，但不是标签。</p>"),
        "/x/guide.html": guide("社会保障卡申领", agency="测试市人力资源和社会保障局"),
        "/files/g.pdf": (200, [("Content-Type", "application/pdf")], b"%PDF-1.4"),
    })
    found = paths(detect_services(site))
    assert set(found) == {"x/guide.html", "bsfw/secret/a.html", "bsfw/gone.html"}
    assert found["x/guide.html"].name == "社会保障卡申领"
    assert found["x/guide.html"].section == "市人力资源和社会保障局"       # the city prefix dropped
    assert found["bsfw/secret/a.html"].name == "公租房申请" and found["bsfw/secret/a.html"].page is None
    assert found["bsfw/gone.html"].page.status == 404


def test_config_include_exclude_selector_and_section_order(tmp_path):
    site = build_site(tmp_path, {
        "/": page(title="首页_测试市人民政府", body='<a href="/a.html">a</a><a href="/b.html">b</a><a href="/c.html">c</a>'),
        "/a.html": guide("居住证办理", agency="测试市公安局", extra_head='<meta name="ColumnName" content="个人办事">'),
        "/b.html": guide("户口迁移"),
        "/c.html": page(title="特色服务_测试", body='<div class="bszn"><h2>营业执照</h2></div>'),
    })
    assert set(paths(detect_services(site, {"exclude": [r"/b\.html$"]}))) == {"a.html"}
    assert set(paths(detect_services(site, {"include": [r"/c\.html$"]}))) == {"a.html", "b.html", "c.html"}
    assert set(paths(detect_services(site, {"selector": "div.bszn"}))) == {"c.html"}
    by_column = paths(detect_services(site, {"section_from": ["columnname", "label"]}))
    assert by_column["a.html"].section == "个人办事" and by_column["b.html"].section == "—"


def test_clean_name():
    assert clean_name("机动车交通违法处理办事指南") == "机动车交通违法处理"
    assert clean_name(" 居住证办理的服务指南 ") == "居住证办理"
    assert clean_name("办事指南") == "办事指南"            # nothing left: keep it
    assert clean_name("新闻发布") == "新闻发布"
