"""service-vocabulary-gap: a guide lacks the citizens' everyday words only when its title, H1 and
description carry none of the everyday names for the service."""

from sitebuilder import build_site, page, run_rule

from audits.findability import assess
from audits.fixes import suggested_title
from audits.synonyms import load_synonyms

LABELS = "".join(f"<p>{k}：……</p>" for k in ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "联系电话"))


def guide(name, title=None, h1=None, description="本事项的办理条件、办理材料、办理地点和联系电话。", head=""):
    return page(title=title or f"{name}办事指南_个人办事_测试市人民政府", h1=h1 or name, description=description,
                head=head, body=LABELS)


def assessed(tmp_path, routes):
    routes["/"] = page(title="首页_测试市人民政府", h1="测试市人民政府",
                       body="".join(f'<a href="{p}">{p}</a>' for p in routes))
    site = build_site(tmp_path, routes)
    site.assessments = assess(site, {})
    return site, {a.service.url.split("/", 3)[3]: a for a in site.assessments}


def test_vocabulary_gap_fires_only_when_no_everyday_name_is_shown(tmp_path):
    site, by_path = assessed(tmp_path, {
        # fires: none of 违章 / 罚单 / … anywhere an engine shows
        "/g/wz.html": guide("机动车交通违法处理"),
        # fires: the everyday word only in the ArticleTitle meta, which no engine shows
        "/g/wz2.html": guide("机动车交通违法处理", head='<meta name="ArticleTitle" content="机动车交通违法（违章）处理">'),
        # near misses. The trial: the title carries 营业执照, one of the everyday names of 企业设立登记;
        # 开公司 and 注册公司 are absent and need not be there
        "/g/kb.html": guide("企业设立登记", title="企业设立登记（营业执照）办事指南_企业办事_测试市人民政府"),
        # the everyday word in the H1 only, in the description only
        "/g/jz.html": guide("居住证办理", h1="居住证（暂住证）办理"),
        "/g/sbk.html": guide("社会保障卡申领", description="首次申领社保卡的办事指南，线上线下均可办理。"),
        # an abbreviation engines match: 失业金 is written out in 失业保险金
        "/g/sy.html": guide("失业保险金申领"),
        # no everyday name in the dictionary for the service
        "/g/xx.html": guide("档案查阅服务"),
    })
    found = run_rule(site, "service-vocabulary-gap")
    assert set(found) == {"/g/wz.html", "/g/wz2.html"}
    evidence = found["/g/wz.html"].evidence
    assert evidence["missing"][0] == "违章" and "罚单" in evidence["missing"]
    assert evidence["name"] == "机动车交通违法处理"
    # the relevance component gives the everyday-word share exactly where the rule is silent
    assert by_path["g/wz.html"].everyday_missing and not by_path["g/kb.html"].everyday_missing
    assert round(by_path["g/kb.html"].relevance - by_path["g/wz.html"].relevance, 2) == 0.15


def test_the_suggested_title_adds_the_first_missing_name_once(tmp_path):
    site, by_path = assessed(tmp_path, {
        "/g/wz.html": guide("机动车交通违法处理"),
        "/g/wz2.html": guide("机动车交通违法处理", head='<meta name="ArticleTitle" content="机动车交通违法（违章）处理">'),
    })
    synonyms = load_synonyms()
    assert suggested_title(site, by_path["g/wz.html"], synonyms).startswith("机动车交通违法（违章）处理办事指南")
    # the name (from ArticleTitle) has the word already: it is not added twice
    assert suggested_title(site, by_path["g/wz2.html"], synonyms).startswith("机动车交通违法（违章）处理办事指南")
