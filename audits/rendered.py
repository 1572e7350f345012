"""The citizen's-browser view of pages (``--render``), read back from the crawl store without rendering again.

``Site.render_status(page)`` says what became of a page's render (ok | timeout | crashed | error | skipped,
or None when the crawl did not render it); ``Site.rendered(page)`` is the rendered page's PageArtifacts,
parsed by the same parser as the raw page (audits/artifacts.py), and ``Site.rendered_html(page)`` its DOM
as text. Rules that compare the two views (js-changed-meta, js-dependent-content) read these.

Memory stays bounded at 100,000 pages: only a byte a page (the status) is held; a DOM is read from the
store when asked for, and its parsed artifacts are memoised in a small LRU bounded by DOM bytes
(``budget``), so a rule that asks for the same page twice parses it once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from audits.artifacts import PageArtifacts, parse_artifacts
from audits.links import LinkTable
from audits.text.template import TemplateDetector
from audits.urltable import IdNames
from crawler.decode import charset_problems
from crawler.store import CrawlStore, FetchRecord

RENDERED_CONTENT_TYPE = "text/html; charset=utf-8"     # page.content() is serialised as UTF-8
MEMO_BYTES = 8 * 1024 * 1024
SCRIPT_TAG = "script"       # links only a page's rendered DOM has (crawler/render_hook.py)
MAX_SOURCES = 5


class RenderInfo(NamedTuple):
    status: str             # ok | timeout | crashed | error | skipped
    error: str | None
    final_url: str | None
    http_status: int | None     # what the browser's navigation got
    elapsed_ms: float | None
    dom_size: int | None


class RenderedViews:
    def __init__(self, store: CrawlStore, enabled: bool, budget: int = MEMO_BYTES) -> None:
        self.path: Path = store.path
        self.statuses = IdNames()
        for uid, status, *_ in store.iter_renders():
            self.statuses[uid] = status
        # the crawl ran with --render (or a run of it did: a --resume without it keeps what was rendered)
        self.enabled = enabled or len(self.statuses) > 0
        self._budget = budget
        self._memo: OrderedDict[int, tuple[PageArtifacts, int]] = OrderedDict()
        self._memo_bytes = 0
        self._store: CrawlStore | None = None

    def _open(self) -> CrawlStore:
        if self._store is None:
            self._store = CrawlStore(self.path, create=False)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def status(self, page_id: int) -> str | None:
        return self.statuses.get(page_id)

    def info(self, page_id: int) -> RenderInfo | None:
        if page_id not in self.statuses:
            return None
        row = self._open().render_row(page_id)
        return RenderInfo(*row) if row else None

    def dom(self, page_id: int) -> bytes | None:
        """The rendered DOM as stored (UTF-8 bytes), or None."""
        if self.statuses.get(page_id) != "ok":
            return None
        return self._open().rendered_dom(page_id)

    def html(self, page_id: int) -> str | None:
        data = self.dom(page_id)
        return data.decode("utf-8", "replace") if data is not None else None

    def artifacts(self, page_id: int, url: str) -> PageArtifacts | None:
        hit = self._memo.get(page_id)
        if hit is not None:
            self._memo.move_to_end(page_id)
            return hit[0]
        data = self.dom(page_id)
        if data is None:
            return None
        art = parse_artifacts(rendered_record(page_id, url, data))
        cost = len(data)
        if cost <= self._budget:
            self._memo[page_id] = (art, cost)
            self._memo_bytes += cost
            while self._memo_bytes > self._budget:
                _, (_, old) = self._memo.popitem(last=False)
                self._memo_bytes -= old
        return art


def decoded_alike(record: FetchRecord) -> bool:
    """The browser decodes the raw bytes as the crawl did: no charset declaration disagrees with them. Else the
    rendered text is mojibake: charset-mismatch reports that, and rules comparing the two views' text skip it
    (ASCII declarations, meta robots and canonical, still compare)."""
    return not charset_problems(record.charset_header, record.charset_meta, record.charset_detected)


def rendered_record(page_id: int, url: str, dom: bytes) -> FetchRecord:
    """A FetchRecord holding a rendered DOM, for the raw page's parser. No headers: X-Robots-Tag belongs to the
    raw response, which the rendered view shares (rules compare the markup)."""
    from crawler.store import compress

    return FetchRecord(page_id, url, "done", "render", None, 200, None, None, None, RENDERED_CONTENT_TYPE, None,
                       len(dom), False, None, compress(dom), None, None, None, "utf-8")


def script_only_targets(links: LinkTable) -> dict[int, list[int]]:
    """URL id -> up to MAX_SOURCES pages whose scripts link to it, for every URL that no other kind of link
    (raw HTML, redirect, canonical, frame) from another page reaches."""
    raw = np.zeros(links.id_bound(), dtype=bool)
    others = [tag for tag in links.tag_names if tag != SCRIPT_TAG]
    for sources, targets in links.edge_slices(others):
        raw[targets[sources != targets]] = True
    found: dict[int, list[int]] = {}
    for sources, targets in links.edge_slices((SCRIPT_TAG,)):
        keep = (sources != targets) & ~raw[targets]
        for source, target in zip(sources[keep].tolist(), targets[keep].tolist(), strict=True):
            linked = found.setdefault(target, [])
            if len(linked) < MAX_SOURCES and source not in linked:
                linked.append(source)
    return found


def script_template(pairs: Iterable[tuple[int, list[str], list[str]]], template: TemplateDetector) -> frozenset[int]:
    """Digests of the blocks scripts add to many rendered pages (a menu built by script, an accessibility
    toolbar, a date line): site template too, as the raw template is. ``pairs`` gives each rendered page's id,
    raw blocks and rendered blocks; a block counts on a page when its raw view lacks it. Counted with the
    raw template's detector settings (audits/text/template.py: bounded memory, same threshold)."""
    detector = TemplateDetector(ratio=template.ratio, min_pages=template.min_pages, memo=template.memo)
    known = template.digests
    for page_id, raw, rendered in pairs:
        have = {template.digest(b) for b in raw}
        detector.add_digests(page_id, [d for d in map(template.digest, rendered) if d not in have and d not in known])
    detector.finalise()
    return detector.digests


def main_blocks(blocks: Iterable[str], template: TemplateDetector, scripted: frozenset[int]) -> list[str]:
    """The rendered page's own blocks: neither the raw site template nor what scripts add to many pages."""
    known = template.digests
    return [b for b in blocks if (d := template.digest(b)) and d not in known and d not in scripted]
