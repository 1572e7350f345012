from sitebuilder import build_site, page, run_rule

NAV = '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">新闻</a></li><li><a href="/b">办事</a></li></ul>'
FOOTER = "<div class='footer'>主办单位：测试市人民政府办公室 网站标识码：bm12000001 版权所有</div>"


def templated(title, text):
    return page(title=title, body=NAV + f"<div class='content'>{text}</div>" + FOOTER)


LONG = "<p>" + "申请人应当携带居民身份证原件到政务服务中心窗口提交申请，工作人员当场审核材料并出具受理回执。" * 5 + "</p>"


def test_thin_content_judges_the_page_s_own_text(tmp_path):
    art = "/xwzx/202611/t20261103_{}.html"
    routes = {"/": templated("首页", f"<a href='{art.format('t')}'>t</a><a href='{art.format('n')}'>n</a>"
                                     "<a href='/lxwm.html'>联系</a>" + "".join(
        f"<a href='{art.format(i)}'>x</a>" for i in range(3)))}
    routes[art.format("t")] = templated("通知_测试", "<p>发布时间：2026-11-03</p><p>详见附件。</p>")
    routes[art.format("n")] = templated("指南_测试", "<p>发布时间：2026-11-03</p>" + LONG)
    routes["/lxwm.html"] = templated("联系我们_测试", "<p>电话：12345</p>")     # a utility page: not judged
    for i, name in enumerate(["居民", "企业", "单位"]):
        routes[art.format(i)] = templated(f"文章{i}_测试", LONG.replace("申请人", name))
    site = build_site(tmp_path, routes)
    found = run_rule(site, "thin-content")
    # the nav and footer are long, but they are template: /t is thin, /n is not
    assert set(found) == {art.format("t")}
    assert found[art.format("t")].evidence["chars"] < 30


def test_near_duplicate_pairs_similar_pages_not_merely_related_ones(tmp_path):
    base = ("<p>住房公积金提取办事指南。缴存职工购买自住住房、偿还住房贷款本息、支付房租，可以申请提取住房公积金账户余额。"
            "申请人需提供居民身份证、购房合同或者不动产权证书、银行卡。办理地点为市住房公积金管理中心服务大厅，"
            "办理时间为工作日上午九点至十二点、下午一点半至五点半，承诺时限为三个工作日，不收取任何费用。</p>"
            "<p>提取流程：申请人在线提交申请或者到窗口提交材料，经办人员审核通过后，提取资金转入申请人本人的银行账户。"
            "申请人对审核结果有异议的，可以向住房公积金管理中心申请复核，也可以拨打服务热线咨询办理进度。</p>")
    near = base.replace("三个工作日", "五个工作日")
    other = ("<p>机动车驾驶证换证办事指南。驾驶证有效期满前九十日内，驾驶人应当向车辆管理所申请换证，"
             "提交身份证明和县级以上医疗机构出具的身体条件证明，在车管所窗口或者交管服务平台网上办理，当场办结。</p>")
    site = build_site(tmp_path, {
        "/": page(body='<a href="/a">a</a><a href="/b">b</a><a href="/c">c</a>'),
        "/a": page(title="公积金提取_测试", body=base), "/b": page(title="公积金提取（新）_测试", body=near),
        "/c": page(title="驾驶证换证_测试", body=other),
    })
    found = run_rule(site, "near-duplicate")
    assert set(found) == {"/a", "/b"}
    assert found["/a"].evidence["other"].endswith("/b") and found["/a"].evidence["similarity"] >= 0.9
    assert set(run_rule(site, "near-duplicate", threshold=0.99)) == set()
