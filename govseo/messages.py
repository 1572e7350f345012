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
}


def message(key: str, lang: str = "zh", **params: object) -> str:
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**params)
