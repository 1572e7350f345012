"""The command-line face of the distributed mode: ``govseo worker`` and the ``--broker`` branch of
``govseo batch``. Dramatiq and redis are imported only when a command needs them."""

from __future__ import annotations

import argparse
from typing import Any

from common.messages import message
from govseo.commands import UsageError


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("≥ 1")
    return number


def _seconds(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("> 0")
    return number


def add_worker_parser(sub: Any) -> argparse.ArgumentParser:
    p = sub.add_parser("worker", help="从消息代理领取站点任务并运行（每台机器一个）/ run site jobs from the broker")
    p.add_argument("--broker", required=True, metavar="redis://HOST:PORT/DB", help="Redis 地址 / Redis URL")
    p.add_argument("--concurrency", type=_positive, default=1, metavar="N",
                   help="同时运行的站点数 (default 1) / sites at once")
    p.add_argument("--time-limit", type=_seconds, default=None, metavar="S",
                   help="单个站点最长运行秒数，超时记为失败 (default 43200) / per-site time limit")
    p.add_argument("--scratch", metavar="LOCAL_DIR",
                   help="在本机磁盘上运行站点，结束后复制到 DIR（DIR 所在网络文件系统不支持 SQLite WAL 时）"
                        " / run sites on local disk, copy them into DIR when they end")
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="输出语言 / output language")
    p.add_argument("--config", metavar="FILE", help=argparse.SUPPRESS)
    return p


def cmd_worker(args: argparse.Namespace, config: Any, lang: str) -> int:
    from govseo.batch.broker import BrokerError
    from govseo.batch.worker import DEFAULT_TIME_LIMIT, run_worker

    try:
        return run_worker(args.broker, args.concurrency, args.time_limit or DEFAULT_TIME_LIMIT, lang,
                          scratch=args.scratch)
    except BrokerError as exc:
        raise UsageError(message(exc.key, lang, **exc.params)) from exc
