"""SITES.csv: the sites of a batch, one a line, and the folder each one's results go to.

    url,name,group
    https://www.yichun.gov.cn/,宜春市人民政府,宜春市
    http://127.0.0.1:8001/,,

``name`` and ``group`` (a region or department) may be empty or absent. The file is UTF-8, with or
without a byte-order mark. Any problem is a UsageError naming the line ("SITES.csv 第 3 行：…").
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from common.messages import message
from govseo.commands import UsageError

COLUMNS = ("url", "name", "group")
_UNSAFE = re.compile(r"[^a-z0-9.-]+")
_MAX_FOLDER = 80


@dataclass(frozen=True)
class SiteSpec:
    url: str        # normalised (crawler.urls.normalize)
    name: str
    group: str
    folder: str     # DIR/<folder>/: see site_folder; unique within a batch
    line: int       # line of SITES.csv (1 = the header)


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def site_folder(url: str) -> str:
    """A stable folder name from a URL: host, ``_port`` when not the default, ``_<hash>`` of the path and
    query when there is one (``www.yichun.gov.cn``, ``127.0.0.1_8001``, ``www.a.gov.cn_1f2e3d4c``).
    Only ``[a-z0-9._-]``, never starts with a dot: crawled or CSV text cannot leave DIR or reach a shell."""
    parts = urlsplit(url.strip())
    try:
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        host, port = "", None
    base = _UNSAFE.sub("-", host).strip(".-")[:60] or "site"
    if port is not None and port != {"http": 80, "https": 443}.get(parts.scheme.lower()):
        base += f"_{port}"
    rest = (parts.path if parts.path not in ("", "/") else "") + (f"?{parts.query}" if parts.query else "")
    if rest:
        base += f"_{_short_hash(rest)}"
    return base[:_MAX_FOLDER]


def read_sites(path: str | Path, lang: str = "zh") -> list[SiteSpec]:
    """The sites of SITES.csv in file order; UsageError (one line, with the line number) on bad input."""
    from crawler.urls import BadURL, normalize

    path = Path(path)
    name = path.name

    def bad(line: int, key: str, **params: object) -> UsageError:
        return UsageError(message("sites_line", lang, path=name, line=line,
                                  detail=message(key, lang, **params)))

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(message("sites_unreadable", lang, path=path, error=exc.strerror or exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad(raw[:exc.start].count(b"\n") + 1, "sites_encoding") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)     # an unclosed quote is an error
    sites: list[SiteSpec] = []
    seen_urls: dict[str, int] = {}
    folders: set[str] = set()
    try:
        header = next(reader, None)
        columns = [c.strip().lower() for c in header or []]
        if not columns or columns[0] != "url" or len(set(columns)) != len(columns) \
                or not set(columns) <= set(COLUMNS):
            raise bad(1, "sites_header")
        for row in reader:
            line = reader.line_num
            if not "".join(row).strip():
                continue
            if len(row) > len(columns):
                raise bad(line, "sites_cells", n=len(row), m=len(columns))
            cells = dict(zip(columns, (c.strip() for c in row), strict=False))
            url = cells.get("url", "")
            if not url:
                raise bad(line, "sites_no_url")
            try:
                normal = normalize(url)
            except BadURL as exc:
                raise bad(line, "bad_url", url=url) from exc
            if not re.match(r"^https?://", url, re.I):
                raise bad(line, "bad_url", url=url)
            if normal in seen_urls:
                raise bad(line, "sites_duplicate", url=url, first=seen_urls[normal])
            seen_urls[normal] = line
            folder = site_folder(normal)
            if folder in folders:               # http and https of one host, or a hash collision
                folder = f"{folder[:_MAX_FOLDER - 9]}_{_short_hash(normal)}"
            folders.add(folder)
            sites.append(SiteSpec(normal, cells.get("name", ""), cells.get("group", ""), folder, line))
    except csv.Error as exc:
        raise bad(reader.line_num or 1, "sites_csv", error=exc) from exc
    if not sites:
        raise UsageError(message("sites_empty", lang, path=name))
    return sites
