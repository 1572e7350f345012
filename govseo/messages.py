"""Command-line messages, Chinese first, English with --lang en."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "bad_url": ("不是有效的网址（需要 http:// 或 https:// 开头）：{url}",
                "not a valid URL (http:// or https:// expected): {url}"),
    "bad_regex": ("正则表达式无效：{pattern}（{error}）", "invalid regular expression: {pattern} ({error})"),
    "out_unwritable": ("无法写入输出目录：{path}（{error}）", "cannot write to output directory: {path} ({error})"),
    "db_unwritable": ("无法写入抓取数据库：{path}（{error}）", "cannot write the crawl store: {path} ({error})"),
    "start_unreachable": ("无法访问起始网址：{url}（{error}）", "start URL unreachable: {url} ({error})"),
    "result_unreadable": ("无法读取结果文件：{path}（{error}）", "cannot read result file: {path} ({error})"),
    "result_schema": ("不是 govseo 的结果文件，或版本不受支持：{path}",
                      "not a govseo result file, or an unsupported schema version: {path}"),
    "interrupted": ("已中断；已抓取的内容都保存在数据库中，加 --resume 可继续抓取",
                    "interrupted; everything fetched is in the store, continue with --resume"),
    "internal": ("内部错误：{error}（设置 GOVSEO_DEBUG=1 可查看详细信息）",
                 "internal error: {error} (set GOVSEO_DEBUG=1 for details)"),
    "crawl_crashed": ("抓取进程意外退出：{error}（已抓取的内容都保存在数据库中，加 --resume 可继续）",
                      "the crawl process ended unexpectedly: {error} (everything fetched is kept; use --resume)"),
    "store_missing": ("找不到抓取数据库：{path}", "crawl store not found: {path}"),
    "store_unusable": ("无法使用的抓取数据库：{path}（{detail}）", "not a usable crawl store: {path} ({detail})"),
    "store_foreign": ("不是 govseo 的抓取数据库：{path}", "not a govseo crawl store: {path}"),
    "store_schema": ("抓取数据库版本 {detail} 不受支持：{path}", "crawl store schema {detail} not supported: {path}"),
    "store_busy": ("数据库中已有一次抓取：{path}（继续抓取请加 --resume，或换一个文件）",
                   "the store already holds a crawl: {path} (use --resume, or a new file)"),
    "store_other_urls": ("数据库中是对其他起始网址的抓取：{urls}", "the store holds a crawl of other start URLs: {urls}"),
    "config_missing": ("找不到配置文件：{path}", "config file not found: {path}"),
    "config_unreadable": ("无法读取配置文件 {path}：{detail}", "cannot read config {path}: {detail}"),
    "config_rule": ("配置文件 {path} 中有未知的规则：[rules.{rule}]", "{path}: unknown rule id [rules.{rule}]"),
    "config_value": ("配置文件 {path} 中 [rules.{rule}] 的设置无效：{detail}", "{path}: [rules.{rule}]: {detail}"),
    "queries_missing": ("找不到搜索词文件：{path}", "queries file not found: {path}"),
    "queries_bad": ("搜索词文件 {path} 格式错误：{detail}", "queries file {path} is malformed: {detail}"),
    "progress": ("已抓取 {n} 个网址…", "fetched {n} URLs…"),
    "crawl_done": ("抓取完成：数据库中共 {pages} 个网址（本次 {now} 个）→ {db}",
                   "crawl finished: {pages} URLs in the store ({now} this run) → {db}"),
    "crawl_partial": ("抓取未完成：数据库中共 {pages} 个网址，可用 --resume 继续 → {db}",
                      "crawl incomplete: {pages} URLs in the store, continue with --resume → {db}"),
    "audit_done": ("审计完成 → {path}", "audit written → {path}"),
    "summary": ("{name}：站点得分 {score}/100，{pages} 个网址，错误 {errors} 项、警告 {warnings} 项、提示 {notices} 项",
                "{name}: site score {score}/100, {pages} URLs, {errors} errors, {warnings} warnings, "
                "{notices} notices"),
    "wrote": ("已生成：{path}", "wrote: {path}"),
    "demo_serving": ("示例门户网站已在 {url} 启动", "sample portal serving at {url}"),
    "rules_header": ("govseo 规则目录（{n} 条）", "govseo rule catalogue ({n} rules)"),
    # govseo check / govseo baseline update
    "config_site": ("配置文件 {path} 中 [site] 的设置无效：{detail}", "{path}: [site]: {detail}"),
    "config_check": ("配置文件 {path} 中 [check] 的设置无效：{detail}", "{path}: [check]: {detail}"),
    "result_invalid": ("结果文件 {path} 内容无效：{detail}", "result file {path} is malformed: {detail}"),
    "check_passed": ("通过", "PASSED"),
    "check_failed": ("未通过", "FAILED"),
    "check_header": ("govseo check：{status}（新增问题 {new} 项，已修复 {fixed} 项，未变化 {unchanged} 项；"
                     "失败 {failures} 项，警告 {warnings} 项）",
                     "govseo check: {status} ({new} new, {fixed} fixed, {unchanged} unchanged findings; "
                     "{failures} failures, {warnings} warnings)"),
    "check_no_baseline": ("未指定基线：所有问题都按新增计算", "no baseline: every finding counts as new"),
    "check_site": ("站点得分：基线 {before} → 本次 {after}", "site score: baseline {before} → now {after}"),
    "check_services": ("办事服务 {n} 个：得分下降 {down} 个，上升 {up} 个，新增 {added} 个，消失 {missing} 个",
                       "{n} services: {down} scored lower, {up} higher, {added} new, {missing} gone"),
    "check_fail_mark": ("[失败]", "[FAIL]"),
    "check_warn_mark": ("[警告]", "[WARN]"),
    "check_more": ("……另有 {n} 项", "… and {n} more"),
    "check_service_name": ("「{name}」", " \"{name}\""),
    "check_item_new-finding": ("新增问题 [{rule}] {url}{service}：{text}", "new finding [{rule}] {url}{service}: {text}"),
    "check_item_score-drop": ("服务得分下降 {before} → {after}（最多允许下降 {allowed} 分）[{rule}] {url}{service}",
                              "service score dropped {before} → {after} (at most {allowed} allowed) [{rule}] "
                              "{url}{service}"),
    "check_item_new-gate": ("服务新增收录障碍 [{rule}] {url}{service}：搜索引擎无法收录或找到该页面",
                            "service gained a gate failure [{rule}] {url}{service}: search engines cannot "
                            "index or reach it"),
    "check_item_min-service-score": ("服务得分 {after} 低于下限 {min} [{rule}] {url}{service}",
                                     "service score {after} is below the minimum {min} [{rule}] {url}{service}"),
    "check_item_missing-service": ("服务在本次结果中消失（基线得分 {before}）{url}{service}",
                                   "service is gone from this result (baseline score {before}) {url}{service}"),
    "check_item_min-site-score": ("站点得分 {after} 低于下限 {min} {url}", "site score {after} is below the minimum {min} {url}"),
    "check_item_site-score-drop": ("站点得分下降 {before} → {after} {url}", "site score dropped {before} → {after} {url}"),
    "check_item_rule-error": ("规则 [{rule}] 本次未运行或出错，它在基线中的 {n} 项问题不算已修复",
                              "rule [{rule}] did not run this time; its {n} baseline findings are not counted as fixed"),
    "check_item_crawl-incomplete": ("本次抓取未完成，结果可能缺少页面 {url}",
                                    "the current crawl is incomplete, pages may be missing {url}"),
    "baseline_created": ("已创建基线 → {path}", "baseline created → {path}"),
    "baseline_updated": ("已更新基线（无退步）→ {path}", "baseline updated (no regression) → {path}"),
    "baseline_forced": ("已更新基线（--allow-regression，接受 {n} 项退步）→ {path}",
                        "baseline updated (--allow-regression, {n} regressions accepted) → {path}"),
    "baseline_refused": ("拒绝更新基线：有 {n} 项退步，基线未改动（确需接受请加 --allow-regression）：{path}",
                         "baseline not updated: {n} regressions, the baseline is untouched "
                         "(add --allow-regression to accept them): {path}"),
}


def message(key: str, lang: str = "zh", **params: object) -> str:
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**params)
