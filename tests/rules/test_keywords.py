from sitebuilder import build_site, page, run_rule

GUIDE = ("<p>事项名称：社会保障卡申领</p><p>申请条件：已参加本市社会保险的人员可以申领社会保障卡。</p>"
         "<p>办理材料：居民身份证原件。</p><p>办理地点：市政务服务中心社会保障窗口。</p>"
         "<p>办理流程：提交申请、采集照片、制卡、领卡。社会保障卡可用于就医结算和待遇领取。</p>")


def test_title_stuffing_repeats_and_keyword_lists(tmp_path):
    site = build_site(tmp_path, {
        "/": page(title="首页_测试市人民政府", body='<a href="/r">r</a><a href="/l">l</a><a href="/ok">ok</a>'
                                              '<a href="/site">s</a>'),
        "/r": page(title="社保卡办理_社保卡申领_社保卡补办_测试市人民政府"),
        "/l": page(title="社保,医保,公积金,户口,驾照,违章"),
        # near misses: the site name repeated by the template, and an ordinary title
        "/site": page(title="测试市人民政府网站_测试市人民政府_测试市人民政府"),
        "/ok": page(title="社会保障卡申领_个人办事_测试市人民政府"),
    })
    found = run_rule(site, "title-stuffing")
    assert set(found) == {"/r", "/l"}
    assert "社保卡" in found["/r"].evidence["repeated"]


def test_title_h1_mismatch(tmp_path):
    site = build_site(tmp_path, {
        "/": page(title="首页_测试市人民政府", body='<a href="/m">m</a><a href="/ok">ok</a><a href="/gen">g</a>'),
        "/m": page(title="通知公告_测试市人民政府", h1="社会保障卡申领"),
        # near misses: the H1 is in the title; the title shares a term with the H1
        "/ok": page(title="社会保障卡申领_个人办事_测试市人民政府", h1="社会保障卡申领"),
        "/gen": page(title="住房公积金提取指南_测试市人民政府", h1="住房公积金提取"),
    })
    assert set(run_rule(site, "title-h1-mismatch")) == {"/m"}


def test_keyword_stuffing_needs_a_long_body_and_a_dominant_term(tmp_path):
    sentences = ["申请人携带居民身份证原件到政务服务中心提交申请", "工作人员审核材料并出具受理回执",
                 "符合条件的当场办结，不符合的一次性告知需要补正的内容", "群众也可以通过网上政务服务平台预约",
                 "领取证件时请核对姓名、号码和有效期限", "委托他人代办的，受托人应当提交授权委托书",
                 "办理结果通过短信通知本人，并可在线查询进度", "对办理结果有异议的可以依法申请行政复议",
                 "窗口工作时间为工作日上午九点至下午五点", "咨询电话为政务服务便民热线一二三四五",
                 "老年人和残疾人可以申请上门服务或者绿色通道", "所有事项均不收取费用，严禁任何形式的代收"]
    normal = "".join(f"<p>{s}。</p>" for s in sentences * 4)
    stuffed = normal + "<p>" + "公积金 " * 80 + "</p>"
    site = build_site(tmp_path, {
        "/": page(body='<a href="/s">s</a><a href="/n">n</a><a href="/short">x</a>'),
        "/s": page(title="公积金", body=stuffed), "/n": page(title="办理", body=normal),
        "/short": page(title="短", body="<p>" + "公积金 " * 30 + "</p>"),      # under 200 tokens
    })
    found = run_rule(site, "keyword-stuffing")
    assert set(found) == {"/s"} and found["/s"].evidence["term"] == "公积金"
    assert set(run_rule(site, "keyword-stuffing", max_density=0.5)) == set()


def test_keyword_focus(tmp_path):
    site = build_site(tmp_path, {
        "/": page(title="首页_测试市人民政府", body='<a href="/bsfw/a">a</a><a href="/bsfw/b">b</a>'),
        "/bsfw/a": page(title="关于印发工作方案的通知_测试市人民政府", h1=None, body=GUIDE),
        "/bsfw/b": page(title="社会保障卡申领_测试市人民政府", h1="社会保障卡申领", body=GUIDE),
    })
    found = run_rule(site, "keyword-focus")
    assert set(found) == {"/bsfw/a"}
    assert "社会保障卡" in found["/bsfw/a"].evidence["key_terms"]
