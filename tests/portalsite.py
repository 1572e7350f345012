"""A small CMS-like portal for the site-score and fixes tests: a home page, article pages and service
guides rendered from one head and one footer, so a test plants a defect in "the template" (every
page) or on a few pages, and audits the result with the real engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitebuilder import build_site, page

from audits.config import Config
from audits.engine import build_result

TOPICS = ["城市绿化", "道路养护", "公共交通", "社区医疗", "义务教育", "农业补贴", "文化活动", "防汛抗旱",
          "垃圾分类", "老旧小区", "消防安全", "食品安全", "就业培训", "养老服务", "水电保障", "旅游推广",
          "科技创新", "体育设施", "环境监测", "市场监管", "住房保障", "交通整治", "乡村振兴", "数字政府",
          "人才引进", "应急管理", "林业保护", "统计公报", "审计结果", "信访工作"]
SERVICES = ["社会保障卡申领", "机动车交通违法处理", "住房公积金提取", "居民身份证换领", "营业执照办理",
            "出生医学证明办理", "残疾人证申领", "不动产登记", "医保异地就医备案", "失业保险金申领"]
GUIDE = ("<p>事项名称：{name}</p><p>设定依据：《{name}管理办法》第十条</p><p>申请条件：本市户籍居民</p>"
         "<p>办理材料：居民身份证原件、申请表</p><p>办理地点：市政务服务中心一楼{i}号窗口</p>"
         "<p>办理时间：工作日上午9:00-12:00</p><p>联系电话：0571-8800{i:04d}</p>")


def article_path(i: int) -> str:
    return f"/xwzx/202611/t20261103_{100 + i}.html"


def guide_path(i: int) -> str:
    return f"/bsfw/grbs/t20261103_{500 + i}.html"


def portal_routes(articles: int = 12, guides: int = 0, *, head: Callable[[str], str] = lambda path: "",
                  body: Callable[[str], str] = lambda path: "", robots: str | None = None) -> dict[str, Any]:
    """The routes of a portal: ``head(path)`` / ``body(path)`` add to the page at ``path`` (a template
    defect returns the same for every path)."""
    paths = [article_path(i) for i in range(articles)] + [guide_path(i) for i in range(guides)]
    links = "".join(f'<li><a href="{p}">第{n}篇</a></li>' for n, p in enumerate(paths))
    routes: dict[str, Any] = {"/": page("首页_云溪市人民政府", head=head("/"), h1="云溪市人民政府",
                                        description="云溪市人民政府门户网站，发布政务信息，提供办事服务。",
                                        body=f"<ul>{links}</ul>{body('/')}")}
    for i in range(articles):
        topic = TOPICS[i % len(TOPICS)]
        text = f"<p>{topic}工作第{i}期：" + f"本市持续推进{topic}相关工作，各部门按照年度计划落实任务。" * 8 + "</p>"
        path = article_path(i)
        routes[path] = page(f"{topic}第{i}期工作动态_新闻中心_云溪市人民政府", head=head(path),
                            h1=f"{topic}第{i}期工作动态",
                            description=f"介绍本市{topic}第{i}期工作的进展、成效和下一步安排。",
                            body=text + body(path))
    for i in range(guides):
        name = SERVICES[i % len(SERVICES)] + ("" if i < len(SERVICES) else str(i))
        path = guide_path(i)
        routes[path] = page(f"{name}办事指南_个人办事_云溪市人民政府", head=head(path), h1=name,
                            description=f"{name}的办理条件、所需材料、办理地点和时间。",
                            body=GUIDE.format(name=name, i=i) + body(path))
    if robots is not None:
        routes["/robots.txt"] = (200, [("Content-Type", "text/plain")], robots.encode())
    return routes


def audit(tmp_path: Path, routes: dict[str, Any], config: Config | None = None) -> dict[str, Any]:
    site = build_site(tmp_path, routes)
    try:
        return build_result(site, config or Config())
    finally:
        site.close()


def html_pages(result: dict[str, Any]) -> int:
    return sum(1 for p in result["pages"] if p["kind"] == "html")
