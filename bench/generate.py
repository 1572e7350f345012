"""A realistic synthetic government portal of N pages, written as static files (for nginx).

Home, department columns with deep pagination (20 items a page), article and 办事指南 detail pages with
Chinese text and heavy navigation (~100 links a page, as real portals have), a sitemap index with
sitemaps of at most 50,000 URLs, robots.txt, and about 3 % GBK-encoded pages. Deterministic (seeded).

Two shapes: ``portal`` (two fifths of the detail pages are 办事指南, under /bm<N>/) and ``services``, the
service-heavy portal of issue 16: two thirds of the detail pages are 办事指南, every detail URL carries its
date as a 大汉/TRS-style CMS writes it (/art/2026/11/23/art_1629_101197.html), and each links two
attachments (.pdf/.doc) that robots.txt disallows.

    python bench/generate.py OUT_DIR --pages 2000 [--shape services]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

DEPARTMENTS = ["公安局", "人力资源和社会保障局", "住房和城乡建设局", "市场监督管理局", "民政局", "交通运输局",
               "医疗保障局", "住房公积金管理中心", "自然资源和规划局", "教育体育局", "卫生健康委员会", "税务局",
               "生态环境局", "农业农村局", "文化和旅游局", "退役军人事务局", "司法局", "财政局", "商务局", "应急管理局"]
# A service catalogue as a city's 政务服务事项目录 has it: hundreds of distinct items (a licence or
# certificate and what is done with it), so one name is shared by a few guides, not by thousands.
SUBJECTS = ["食品经营许可证", "营业执照", "社会保障卡", "居住证", "机动车驾驶证", "机动车行驶证", "港澳通行证", "户口簿",
            "残疾人证", "老年人优待证", "教师资格证", "医师执业证书", "道路运输经营许可证", "排污许可证",
            "建筑工程施工许可证", "药品经营许可证", "烟草专卖零售许可证", "出版物经营许可证", "危险化学品经营许可证",
            "燃气经营许可证", "取水许可证", "采矿许可证", "林木采伐许可证", "渔业捕捞许可证", "种子生产经营许可证",
            "兽药经营许可证", "医疗机构执业许可证", "民办学校办学许可证", "人力资源服务许可证", "劳务派遣经营许可证",
            "旅行社业务经营许可证", "网络文化经营许可证", "娱乐场所经营许可证", "公共场所卫生许可证", "放射诊疗许可证",
            "特种设备使用登记证", "建筑业企业资质证书", "房地产开发企业资质证书", "不动产权证书", "出生医学证明",
            "独生子女父母光荣证", "职业资格证书", "律师执业证", "导游证", "残疾军人证", "住房公积金缴存证明",
            "失业登记证明", "最低生活保障金", "临时救助金", "医疗保险关系转移凭证"]
ACTIONS = ["核发", "变更", "延续", "注销", "补办", "换领", "查询", "申领"]
SERVICES = [subject + action for action in ACTIONS for subject in SUBJECTS]


def service_name(i: int) -> str:
    """Page i's service; the shift each round of the catalogue spreads guides over every name."""
    return SERVICES[(i + i // len(SERVICES)) % len(SERVICES)]
SENTENCES = ["申请人应当携带居民身份证原件到政务服务中心窗口提交申请", "工作人员当场审核材料并出具受理回执",
             "符合条件的当场办结，不符合条件的一次性告知需要补正的全部内容", "群众也可以通过网上政务服务平台预约办理",
             "委托他人代办的，受托人应当提交授权委托书和本人身份证明", "办理结果通过短信通知本人并可以在线查询进度",
             "对办理结果有异议的，可以依法申请行政复议或者提起行政诉讼", "窗口工作时间为工作日上午九点至下午五点",
             "老年人和残疾人可以申请上门服务或者走绿色通道", "本事项不收取任何费用，严禁任何单位和个人代收",
             "我市持续深化放管服改革，推动更多政务服务事项一网通办", "全市各级部门要把优化营商环境摆在突出位置",
             "会议强调要坚持以人民为中心的发展思想，切实解决群众急难愁盼问题", "今年以来全市经济运行总体平稳、稳中有进",
             "各地要加强统筹协调，确保各项任务按期完成", "市政府召开常务会议，研究部署下一阶段重点工作"]
GUIDE_LABELS = ["事项名称", "实施机关", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话",
                "承诺时限", "收费标准", "办理流程"]
SITE = "临江市人民政府"
PER_LIST = 20
# Main columns with their sub-columns (the drop-down menus every portal has): 24 more links a page.
COLUMNS = {"政务公开": ["政府文件", "政策解读", "人事信息", "财政信息", "规划计划", "统计数据"],
           "政务服务": ["个人办事", "法人办事", "便民服务", "办事指南", "好差评", "证照下载"],
           "互动交流": ["市长信箱", "在线访谈", "征集调查", "常见问题", "咨询投诉", "意见反馈"],
           "走进临江": ["临江概况", "历史沿革", "行政区划", "人口民族", "自然资源", "旅游景点"]}
FRIENDS = ["www.gov.cn", "www.ndrc.gov.cn", "www.mps.gov.cn", "www.mohrss.gov.cn", "www.mohurd.gov.cn",
           "www.samr.gov.cn", "www.mca.gov.cn", "www.nhsa.gov.cn", "www.chinatax.gov.cn", "www.mee.gov.cn"]
# Inline CSS and scripts as CMS templates ship them (menus, font size, visit statistics): ~6 KB a page.
STYLE = "<style>" + "".join(f".c{i}{{margin:0 {i}px;padding:2px;font-size:14px;color:#333;line-height:1.8}}"
                            f".nav li.c{i} a:hover{{color:#b40000;background:#f5f5f5}}" for i in range(28)) + "</style>"
SCRIPT = ("<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
          "hm.src='/js/tj.js';var s=document.getElementsByTagName('script')[0];s.parentNode.insertBefore(hm,s);})();"
          + "".join(f"function menu{i}(el){{var m=document.getElementById('m{i}');if(!m)return;"
                    f"m.style.display=m.style.display=='block'?'none':'block';el.className='on';}}"
                    for i in range(24)) + "</script>")


def _text(rng: random.Random, n: int) -> str:
    return "".join(f"<p>{rng.choice(SENTENCES)}。{rng.choice(SENTENCES)}。</p>" for _ in range(n))


def _page(title: str, h1: str, body: str, nav: str, footer: str, crumbs: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}"><title>{title}_{SITE}</title>'
            f'<meta name="description" content="{h1}，{SITE}门户网站为您提供权威信息和在线服务。">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="SiteName" content="{SITE}"><meta name="SiteIDCode" content="bm13000001">{STYLE}</head>'
            f'<body><div class="header"><a href="/">{SITE}</a></div>{nav}<div class="position">当前位置：{crumbs}</div>'
            f'<div class="content"><h1>{h1}</h1>{body}</div>{footer}{SCRIPT}</body></html>')


def _padding(rng: random.Random, size: int) -> str:
    """About ``size`` bytes of article body as long pages carry it: paragraphs of prose (each a
    distinct mix of sentences) and a bordered table of materials with inline styles (~1/3 text)."""
    parts: list[str] = []
    used = 0
    while used < size:
        if rng.random() < 0.5:
            sentences = "，".join(rng.choice(SENTENCES) for _ in range(3))
            part = f'<p style="text-indent:2em;line-height:1.8;font-family:宋体;font-size:16px">{sentences}。</p>'
        else:
            part = "".join(f'<tr><td style="border:1px solid #ccc;padding:4px 8px;text-align:center;width:20%">'
                           f'{label}</td><td style="border:1px solid #ccc;padding:4px 8px;text-align:left">'
                           f"{rng.choice(SENTENCES)}</td></tr>" for label in rng.sample(GUIDE_LABELS, 3))
            part = f'<table class="materials" style="border-collapse:collapse;width:100%">{part}</table>'
        parts.append(part)
        used += len(part.encode("utf-8"))
    return "".join(parts)


SHAPES = ("portal", "services")


def detail_path(shape: str, d: int, i: int) -> str:
    """The URL path of detail page ``i`` of department ``d``."""
    if shape == "services":
        return f"/art/2026/{1 + i % 12:02d}/{1 + i % 28:02d}/art_{1600 + d}_{100000 + i}.html"
    return f"/bm{d}/t{i:06d}.html"


def generate(out: Path, pages: int, seed: int = 7, page_kb: int = 0, shape: str = "portal") -> int:
    """Write the portal under ``out``; returns the number of HTML pages written. ``page_kb``: pad every
    detail page with article text and tables to about that many KB (0: the pages as they are, ~14 KB).
    ``shape``: see the module's docstring."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}")
    rng = random.Random(seed)
    pad_rng = random.Random(seed + 1)       # its own sequence: the portal is the same apart from the padding
    out.mkdir(parents=True, exist_ok=True)
    depts = DEPARTMENTS
    n_detail = max((pages - 45) * PER_LIST // (PER_LIST + 1), len(depts))   # the rest: home, columns, lists
    details_per_dept = max(1, n_detail // len(depts))
    nav = ('<ul class="nav">' + "".join(f'<li><a href="/bm{i}/">{d}</a></li>' for i, d in enumerate(depts)) + "</ul>"
           + '<div class="menu">' + "".join(
               f'<div class="col"><span>{col}</span><ul id="m{c}">'
               + "".join(f'<li><a href="/lm{c}_{k}/">{sub}</a></li>' for k, sub in enumerate(subs)) + "</ul></div>"
               for c, (col, subs) in enumerate(COLUMNS.items())) + "</div>")
    # 热门服务: the first detail page of each department (details are numbered department by department)
    hot = "".join(f'<a href="{detail_path(shape, d, d * details_per_dept)}">{service_name(d * details_per_dept)}'
                  "</a>" for d in range(len(depts)))
    footer = (f'<div class="footer"><div class="hot">热门服务：{hot}</div>'
              + "".join(f'<a href="/zt/{i}.html">专题{i}</a>' for i in range(20))
              + '<div class="friends">友情链接：' + "".join(f'<a href="https://{f}/">{f}</a>' for f in FRIENDS)
              + '</div><p>主办单位：临江市人民政府办公室 网站标识码：bm13000001 临ICP备13000001号</p></div>')
    written, urls = 0, []
    (out / "zt").mkdir(exist_ok=True)
    for i in range(20):
        (out / "zt" / f"{i}.html").write_text(_page(f"专题{i}", f"专题{i}", _text(rng, 3), nav, footer, "首页"),
                                             encoding="utf-8")
        written += 1
    for c, subs in enumerate(COLUMNS.values()):
        for k, sub in enumerate(subs):
            (out / f"lm{c}_{k}").mkdir(exist_ok=True)
            (out / f"lm{c}_{k}" / "index.html").write_text(_page(sub, sub, _text(rng, 4), nav, footer, f"首页 > {sub}"),
                                                          encoding="utf-8")
            written += 1
    home = _page("首页", SITE, "".join(f'<a href="/bm{i}/">{d}办事指南</a>' for i, d in enumerate(depts)), nav, footer,
                 "首页")
    (out / "index.html").write_text(home, encoding="utf-8")
    written += 1
    serial = 0
    for d, dept in enumerate(depts):
        folder = out / f"bm{d}"
        folder.mkdir(exist_ok=True)
        ids = list(range(serial, serial + details_per_dept))
        serial += details_per_dept
        for p in range(0, len(ids), PER_LIST):
            chunk = ids[p:p + PER_LIST]
            items = "".join(f'<li><a href="{detail_path(shape, d, i)}">{service_name(i)}（{i}）</a>'
                            f"<span>2026-11-{1 + i % 28:02d}</span></li>" for i in chunk)
            pager = "".join(f'<a href="{"index" if q == 0 else f"index_{q}"}.html">{q + 1}</a>'
                            for q in range(0, (len(ids) + PER_LIST - 1) // PER_LIST))
            name = "index.html" if p == 0 else f"index_{p // PER_LIST}.html"
            (folder / name).write_text(_page(f"{dept}_部门办事", dept, f'<ul class="list">{items}</ul>{pager}', nav,
                                             footer, f"首页 > {dept}"), encoding="utf-8")
            written += 1
        for i in ids:
            service = service_name(i)
            is_guide = i % 3 < 2 if shape == "services" else i % 5 < 2
            body = ("".join(f"<p>{label}：{rng.choice(SENTENCES)}</p>" for label in GUIDE_LABELS) if is_guide
                    else _text(rng, 6))
            if shape == "services":     # the forms to download, which robots.txt keeps engines away from
                body += (f'<p>附件：<a href="/attach/{i}/sqb.doc">申请表.doc</a> '
                         f'<a href="/attach/{i}/bszn.pdf">办事指南.pdf</a></p>')
            related = "".join(f'<a href="{detail_path(shape, d, j)}">相关{j}</a>'
                              for j in rng.sample(ids, min(20, len(ids))))
            title = f"{service}（{i}）" + ("办事指南" if is_guide else "工作动态")
            html = _page(title, title, body + f'<div class="related">{related}</div>', nav, footer,
                         f"首页 > {dept} > 详情")
            if page_kb:
                missing = page_kb * 1024 - len(html.encode("utf-8"))
                html = html.replace('<div class="related">', _padding(pad_rng, missing) + '<div class="related">', 1)
            path = detail_path(shape, d, i)
            target = out / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if i % 33 == 0:     # about 3 % GBK pages, declared in <meta> only (as many CMSs do)
                target.write_bytes(html.replace('charset="utf-8"', 'charset="gbk"').encode("gbk", errors="replace"))
            else:
                target.write_text(html, encoding="utf-8")
            urls.append(path)
            written += 1
    maps = []
    for k in range(0, len(urls), 50_000):
        name = f"sitemap_{k // 50_000}.xml"
        body = "".join(f"<url><loc>{{BASE}}{u}</loc></url>" for u in urls[k:k + 50_000])
        (out / name).write_text('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                                f'schemas/sitemap/0.9">{body}</urlset>', encoding="utf-8")
        maps.append(name)
    index = "".join(f"<sitemap><loc>{{BASE}}/{m}</loc></sitemap>" for m in maps)
    (out / "sitemap_index.xml").write_text('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.'
                                           f'sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>', encoding="utf-8")
    disallow = "Disallow: /admin/\n" + ("Disallow: /attach/\n" if shape == "services" else "")
    (out / "robots.txt").write_text(f"User-agent: *\n{disallow}Sitemap: {{BASE}}/sitemap_index.xml\n",
                                    encoding="utf-8")
    return written


def set_base(out: Path, base: str) -> None:
    """Fill {BASE} in robots.txt and sitemaps with the served origin."""
    for path in [out / "robots.txt", *out.glob("sitemap*.xml")]:
        template = path.with_suffix(path.suffix + ".tpl")
        if not template.exists():
            template.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        path.write_text(template.read_text(encoding="utf-8").replace("{BASE}", base), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--page-kb", type=int, default=0, help="pad detail pages to about this many KB")
    parser.add_argument("--shape", choices=SHAPES, default="portal", help="portal, or the service-heavy variant")
    args = parser.parse_args()
    print(f"{generate(args.out, args.pages, page_kb=args.page_kb, shape=args.shape)} HTML pages written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
