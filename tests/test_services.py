"""Service detection, names and sections (audits/services.py), on inline sites."""

from __future__ import annotations

from sitebuilder import build_site, page

from audits.services import clean_name, detect_services, is_own_crumb

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


def crumbed(name, trail, agency="测试市公安局", column=None, title=None):
    head = f'<meta name="ColumnName" content="{column}">' if column else ""
    body = (f'<div class="position">当前位置：{trail}</div><h1>{name}</h1><p>实施机关：{agency}</p>' + LABELS)
    return page(title=title or f"{name}_个人办事_测试市人民政府", h1=None, body=body, head=head)


def test_section_is_the_breadcrumb_without_the_page_itself(tmp_path):
    names = ["居住证办理", "户口迁移", "机动车驾驶证有效期满换证", "身份证换领", "无犯罪记录证明开具",
             "出入境证件办理", "机动车驾驶证遗失补证", "社会保障卡申领"]
    routes = {
        # the trail ends with the page itself: exactly, with 办事指南, cut with an ellipsis, cut without one
        "/g/1.html": crumbed(names[0], f"首页 > 办事服务 > 个人办事 > 市公安局 > {names[0]}"),
        "/g/2.html": crumbed(names[1], f"首页 &gt; 办事服务 &gt; 市公安局 &gt; {names[1]}办事指南"),
        "/g/3.html": crumbed(names[2], "首页 » 办事服务 » 市公安局 » 机动车驾驶证有效…"),
        "/g/4.html": crumbed(names[6], "您现在的位置：网站首页 > 市公安局 > 机动车驾驶证遗失"),
        # the trail ends with the column (the department), the page's own name nowhere
        "/g/5.html": crumbed(names[3], "首页 > 办事服务 > 市公安局"),
        # the trail ends with 正文: not a section either
        "/g/6.html": crumbed(names[4], "首页 > 办事服务 > 市公安局 > 正文"),
        # the title's first part names the page (the H1 is the site's name)
        "/g/7.html": page(title=f"{names[5]}_测试市人民政府", h1="测试市人民政府",
                          body=f'<div class="position">当前位置：首页 > 市公安局 > {names[5]}</div>' + LABELS),
        # near miss: a column that merely starts like the guide's name stays the section
        "/g/8.html": crumbed(names[7], "首页 > 办事服务 > 社会保障", agency="测试市人力资源和社会保障局"),
        # the page's own crumb before a trailing 正文, under a home crumb with the site's name
        "/g/9.html": crumbed("护照办理", "测试市人民政府首页 > 市公安局 > 护照办理 > 正文"),
        # near miss: a generic title that is the column's name does not make the column crumb the page's own
        "/g/10.html": crumbed("港澳通行证办理", "首页 > 办事服务 > 个人办事", title="个人办事_测试市人民政府"),
    }
    routes["/"] = page(title="首页_测试市人民政府", h1="测试市人民政府",
                       body="".join(f'<a href="{p}">{p}</a>' for p in routes))
    found = paths(detect_services(build_site(tmp_path, routes)))
    sections = {p: s.section for p, s in found.items()}
    assert sections == ({f"g/{i}.html": "市公安局" for i in (*range(1, 8), 9)}
                        | {"g/8.html": "社会保障", "g/10.html": "个人办事"})


def test_a_trail_of_own_names_does_not_make_each_guide_a_department(tmp_path):
    """The trial: 当前位置：首页 > 办事服务 > 个人办事 > <the guide>, no ColumnName, no agency label."""
    names = ["居住证办理", "户口迁移", "结婚登记", "最低生活保障申请", "公共租赁住房申请", "住房公积金提取"]
    routes = {f"/g/{i}.html": page(title=f"{n}办事指南_测试市人民政府", h1=n,
                                   body=f'<div class="location">当前位置：首页 > 办事服务 > 个人办事 > {n}</div>' + LABELS)
              for i, n in enumerate(names)}
    # only 首页 above the page: no section from the trail, the URL path then
    routes["/h/x.html"] = page(title="老年人优待证办理_测试市人民政府", h1="老年人优待证办理",
                               body='<div class="crumb">当前位置：首页 > 老年人优待证办理</div>' + LABELS)
    routes["/"] = page(title="首页_测试市人民政府", h1="测试市人民政府",
                       body="".join(f'<a href="{p}">{p}</a>' for p in routes))
    services = detect_services(build_site(tmp_path, routes))
    assert {s.section for s in services if "/g/" in s.url} == {"个人办事"}
    assert [s.section for s in services if "/h/" in s.url] == ["/h/"]


def test_section_sources_in_order_breadcrumb_columnname_label_path(tmp_path):
    routes = {
        "/a/1.html": crumbed("居住证办理", "首页 > 市公安局 > 居住证办理", agency="测试市公安局出入境管理支队",
                             column="个人办事"),
        "/a/2.html": crumbed("户口迁移", "首页 > 户口迁移", agency="测试市公安局出入境管理支队", column="个人办事"),
        "/a/3.html": crumbed("结婚登记", "首页 > 结婚登记", agency="测试市民政局"),
        "/a/4.html": page(title="最低生活保障申请_测试市人民政府", h1="最低生活保障申请", body=LABELS),
    }
    routes["/"] = page(title="首页_测试市人民政府", h1="测试市人民政府",
                       body="".join(f'<a href="{p}">{p}</a>' for p in routes))
    site = build_site(tmp_path, routes)
    default = {p: s.section for p, s in paths(detect_services(site)).items()}
    assert default == {"a/1.html": "市公安局", "a/2.html": "个人办事", "a/3.html": "市民政局", "a/4.html": "/a/"}
    by_label = {p: s.section for p, s in paths(detect_services(site, {"section_from": ["label", "breadcrumb"]})).items()}
    assert by_label == {"a/1.html": "市公安局出入境管理支队", "a/2.html": "市公安局出入境管理支队",
                        "a/3.html": "市民政局", "a/4.html": "—"}


def test_is_own_crumb():
    assert is_own_crumb("居住证办理", ["居住证办理"])
    assert is_own_crumb("居住证办理办事指南", ["居住证办理"])
    assert is_own_crumb("居住证办理（申领）", ["居住证办理"])
    assert is_own_crumb("机动车驾驶证有效期满换…", ["机动车驾驶证有效期满换证"])
    assert is_own_crumb("机动车驾...", ["机动车驾驶证有效期满换证"])
    assert is_own_crumb("机动车驾驶证有效期满换", ["x", "机动车驾驶证有效期满换证"])
    # near misses: a column, a department, a column that starts or ends like the name, nothing
    assert not is_own_crumb("个人办事", ["居住证办理"])
    assert not is_own_crumb("市公安局", ["市公安局户籍证明开具"])
    assert not is_own_crumb("社会保障", ["社会保障卡申领"])
    assert not is_own_crumb("办事指南", ["居住证办理办事指南"])
    assert not is_own_crumb("…", ["居住证办理"])


def test_sample_portal_sections_are_its_departments(portal, portal_site):
    """Both breadcrumb styles of the sample portal (个人办事 guides end with their own name, the others with
    the department) give the department named in the manifest, from the breadcrumb alone."""
    from govseo.sample_portal import load_manifest

    # a crawl of the raw HTML finds the services a link or a sitemap leads to (not the one only a script links)
    expected = {p["path"]: p["section"] for p in load_manifest()["pages"]
                if p["service"] and (p["depth"] >= 0 or p["in_sitemap"])}
    base = portal.rstrip("/")
    for config in ({}, {"section_from": ["breadcrumb"]}):
        got = {s.url[len(base):]: s.section for s in detect_services(portal_site, config)}
        assert got == expected
    assert len(set(expected.values())) == 9
