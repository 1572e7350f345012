"""Labels of the league page and league.csv (``govseo batch``), zh-CN first, English second; merged into
the report's label table by reports/league.py. ``%s`` placeholders are for Jinja's ``format`` filter."""

from __future__ import annotations

from typing import Any

LEAGUE_LABELS: dict[str, dict[str, Any]] = {
    "zh": {
        "league_title": "站点搜索可见性排名",
        "league_intro": "按站点得分从高到低排列；无法访问或出错的站点没有得分，排在最后。点击站点名称查看完整报告。",
        "league_sites": "共 %s 个站点。",
        "league_groups_title": "按地区/部门",
        "league_groups_intro": "每组站点得分的中位数，以及难找的办事服务数（得分低于 60）。",
        "league_table_title": "全部站点",
        "league_group_label": "地区/部门：",
        "league_all_groups": "全部",
        "league_no_group": "（未分组）",
        "col_group": "地区/部门",
        "col_median": "得分中位数",
        "col_sites": "站点数",
        "col_unreachable": "无法访问",
        "col_verdict": "结论",
        "col_errors": "错误",
        "league_status": {"ok": "已审计", "unreachable": "站点无法访问", "failed": "审计出错"},
        "league_vetoes": {
            "unreachable": "站点无法访问",
            "not_indexable": "全站不可收录（noindex 或 robots 屏蔽）",
            "robots_blocked": "robots.txt 屏蔽百度蜘蛛",
            "home_error": "首页返回错误",
            "engine_blocked": "百度蜘蛛被网关拦截",
        },
    },
    "en": {
        "league_title": "Search visibility league",
        "league_intro": "By site score, highest first; sites that could not be reached or audited have no score and "
                        "come last. Click a site for its full report.",
        "league_sites": "%s sites.",
        "league_groups_title": "By region or department",
        "league_groups_intro": "Each group's median site score, and its hard-to-find services (score below 60).",
        "league_table_title": "All sites",
        "league_group_label": "Region / department: ",
        "league_all_groups": "All",
        "league_no_group": "(no group)",
        "col_group": "Region / department",
        "col_median": "Median score",
        "col_sites": "Sites",
        "col_unreachable": "Unreachable",
        "col_verdict": "Verdict",
        "col_errors": "Errors",
        "league_status": {"ok": "audited", "unreachable": "site unreachable", "failed": "audit failed"},
        "league_vetoes": {
            "unreachable": "site unreachable",
            "not_indexable": "no page indexable (noindex or robots-blocked)",
            "robots_blocked": "robots.txt blocks Baiduspider",
            "home_error": "home page answers an error",
            "engine_blocked": "Baiduspider challenged by a gateway",
        },
    },
}
