"""The govseo command line: a thin layer over crawler/, audits/ and reports/.

Exit codes: 0 ok, 1 check failed, 2 bad usage or unusable input (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from audits.config import ConfigError, load_config, load_queries
from common import __version__
from common.messages import message
from crawler.store import StoreError
from govseo.batch.distcli import add_worker_parser, cmd_worker
from govseo.commands import COMMANDS, UsageError, resolve_lang
from govseo.memory import tune_allocator


# ---------------------------------------------------------------------------- argument parsing
def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="输出语言 / output language")
    parser.add_argument("--config", metavar="FILE", help="govseo.toml")


def _queries(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--queries", metavar="FILE",
                        help="群众搜索词 CSV（表头 query,url；url 可为空）/ citizen queries CSV")


def _crawl_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("crawl")
    g.add_argument("--max-pages", type=int, help="最多抓取的网址数 (default 10000)")
    g.add_argument("--max-depth", type=int, help="最大点击深度 (default 20)")
    g.add_argument("--max-per-pattern", type=int, help="只有日期不同的网址（日历）最多抓取数 (default 50)")
    g.add_argument("--concurrency", type=int, help="每个主机的并发请求数 (default 8)")
    g.add_argument("--delay", type=float, help="请求间隔秒数 (default 0, AutoThrottle on)")
    g.add_argument("--timeout", type=float, help="单个请求超时秒数 (default 30)")
    g.add_argument("--include", action="append", metavar="REGEX", help="只抓取匹配的网址 (repeatable)")
    g.add_argument("--exclude", action="append", metavar="REGEX", help="不抓取匹配的网址 (repeatable)")
    g.add_argument("--subdomains", action="store_true", default=None, help="也抓取起始主机的子域名")
    g.add_argument("--ignore-robots", action="store_true", default=None,
                   help="不遵守 robots.txt（只用于审计自己的网站）")
    g.add_argument("--no-autothrottle", action="store_true", default=None, help="关闭 AutoThrottle")
    g.add_argument("--user-agent", help="覆盖默认 User-Agent")
    g.add_argument("--render", action="store_true", default=None,
                   help="另用无头 Chromium 渲染每个页面，保存渲染后的 DOM，跟踪脚本生成的链接 / render pages in Chromium")
    g.add_argument("--render-max", type=int, metavar="N", help="最多渲染的页面数，办事指南优先 (default: all)")
    g.add_argument("--render-concurrency", type=int, metavar="N", help="同时渲染的页面数 (default 2)")
    g.add_argument("--render-timeout", type=float, metavar="S", help="单个页面渲染超时秒数 (default 15)")
    g.add_argument("--resume", action="store_true", help="继续被中断的抓取")
    g.add_argument("--quiet", action="store_true", help="不显示进度")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govseo", description="找出群众通过搜索引擎找不到的政务服务。")
    parser.add_argument("--version", action="version", version=f"govseo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="抓取 + 审计 + 报告")
    p.add_argument("url")
    p.add_argument("--out", required=True, metavar="DIR")
    _crawl_options(p)
    _queries(p)
    _common(p)

    p = sub.add_parser("crawl", help="只抓取（可续抓）")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--db", required=True, metavar="FILE")
    _crawl_options(p)
    _common(p)

    p = sub.add_parser("audit", help="审计已抓取的数据库（不联网）")
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument("--out", required=True, metavar="result.json")
    _queries(p)
    _common(p)

    p = sub.add_parser("report", help="由 result.json 生成报告（多个站点时另生成站点排名 index.html）")
    p.add_argument("results", nargs="+", metavar="result.json")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--history", nargs="+", metavar="OLD.json", help="历次结果，生成趋势 / earlier results: trend")
    _common(p)

    p = sub.add_parser("demo", help="在本机启动示例门户网站并运行 govseo run")
    p.add_argument("--out", default="govseo-demo", metavar="DIR")
    p.add_argument("--quiet", action="store_true")
    _common(p)

    p = sub.add_parser("rules", help="列出规则目录")
    _common(p)

    p = sub.add_parser("check", help="与基线比较，检查可见性是否退步（CI 门禁）")
    p.add_argument("result", metavar="CURRENT.json", help="result.json，或 govseo batch 的输出目录 / or a batch DIR")
    p.add_argument("--baseline", metavar="BASE.json",
                   help="基线 result.json（不指定时所有问题都算新增）；批量目录时为旧的批量目录 / OLD_DIR for a batch")
    p.add_argument("--junit", metavar="FILE", help="写出 JUnit XML")
    p.add_argument("--markdown", metavar="FILE", help="写出 Markdown 摘要（用于合并请求评论）")
    _common(p)

    p = sub.add_parser("batch", help="批量审计多个站点，生成站点排名（index.html、league.csv）")
    p.add_argument("sites", metavar="SITES.csv", help="表头 url,name,group 的站点列表 / sites, header url,name,group")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--parallel", type=int, metavar="N",
                   help="本机同时审计的站点数（默认：CPU 核数的一半，至少 1）/ sites at once (default: half the cores)")
    p.add_argument("--refresh", action="store_true", help="重新抓取所有站点（默认跳过已完成的站点）")
    # --broker: distributed mode (govseo/batch/broker.py); govseo/batch/command.py has the hook
    p.add_argument("--broker", metavar="URL", help="Redis 地址：由各台机器上的 govseo worker 执行 / Redis URL")
    _crawl_options(p)
    _queries(p)
    _common(p)

    p = sub.add_parser("baseline", help="管理基线")
    bsub = p.add_subparsers(dest="baseline_command", required=True, metavar="ACTION")
    p = bsub.add_parser("update", help="用本次结果更新基线（只进不退）")
    p.add_argument("result", metavar="CURRENT.json")
    p.add_argument("baseline", metavar="BASE.json")
    p.add_argument("--allow-regression", action="store_true", help="允许得分下降或新增错误")
    _common(p)

    add_worker_parser(sub)
    return parser


# ---------------------------------------------------------------------------- helpers


def main(argv: Sequence[str] | None = None) -> int:
    tune_allocator()
    args = build_parser().parse_args(argv)
    lang = resolve_lang(args)
    try:
        config = load_config(args.config)
        if getattr(args, "queries", None):
            config.queries = load_queries(args.queries)
        return {**COMMANDS, "worker": cmd_worker}[args.command](args, config, lang)
    except UsageError as exc:
        print(f"govseo: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"govseo: {message(exc.key, lang, **exc.params)}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"govseo: {message('store_' + exc.kind, lang, path=exc.path, detail=exc.detail)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"govseo: {message('interrupted', lang)}", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("GOVSEO_DEBUG"):
            raise
        print(f"govseo: {message('internal', lang, error=f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
