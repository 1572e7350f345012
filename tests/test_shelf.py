"""Parsed pages live on a shelf (a temporary file), not in memory: what comes back is what was parsed."""

from __future__ import annotations

import tracemalloc

import pytest

from audits.artifacts import parse_artifacts
from audits.shelf import PageShelf, segment
from audits.text.memo import RecentMemo
from audits.text.template import block_digest
from audits.text.tokenizer import get_tokenizer
from crawler.store import CrawlStore


def _records(db, limit=60):
    store = CrawlStore(db, create=False)
    try:
        return [r for r in store.iter_fetches() if r.compressed_body and "html" in (r.content_type or "")][:limit]
    finally:
        store.close()


def test_pages_come_back_from_the_shelf_as_parsed(portal_crawl):
    tokenizer = get_tokenizer()
    shelf = PageShelf(cache_size=8)
    records = _records(portal_crawl)
    assert len(records) >= 40
    placed = [(record, shelf.add(record, tokenizer)[0]) for record in records]
    for index, (_, where) in enumerate(placed):
        shelf.place(index, where)
    assert shelf.where(len(placed)) is None and shelf.where(10**6) is None and shelf.words(10**6) is None
    with pytest.raises(KeyError):
        shelf.parsed(len(placed))
    for index, (record, where) in [*enumerate(placed), *enumerate(placed)]:     # twice: the cache holds only 8
        assert shelf.where(index) == where
        fresh = parse_artifacts(record)
        parsed = shelf.parsed(index)
        art = parsed.artifacts
        assert art.title == fresh.title and art.meta == fresh.meta and art.robots == fresh.robots
        assert art.blocks == fresh.blocks and art.images == fresh.images and art.json_ld == fresh.json_ld
        assert art.script_srcs == fresh.script_srcs and art.h1s == fresh.h1s and art.refresh == fresh.refresh
        assert list(parsed.digests) == [block_digest(b, {}) for b in fresh.blocks]
        assert shelf.words(index) == [segment(b, {}, tokenizer) for b in fresh.blocks]
        assert len(shelf._recent) <= 8
    assert shelf.size > 0
    shelf.close()
    assert shelf._file.closed


def test_a_head_is_read_without_its_body(portal_crawl):
    shelf = PageShelf()
    record = _records(portal_crawl, 1)[0]
    where, fresh = shelf.add(record, get_tokenizer())
    shelf.place(1, where)
    art = shelf.parsed(1).artifacts
    assert art.title == fresh.title
    assert art._body_from is not None          # the title alone did not decode the text
    assert art.blocks == fresh.blocks and art._body_from is None


def test_recent_memo_keeps_what_recurs_and_stays_bounded():
    memo = RecentMemo(limit=100)
    memo["nav"] = 1
    for number in range(1000):
        memo[f"one-page block {number}"] = number
        assert memo.get("nav") == 1            # read on every page: never forgotten
        assert len(memo) <= 200
    assert memo.get("one-page block 3") is None and "one-page block 999" in memo
    assert memo.get("absent", "default") == "default"


def test_placements_remember_each_fetch_in_flat_arrays():
    from audits.feed import Placements

    placed = Placements()
    placed.put(3, 100.5, True, True)
    placed.put(7000, 200.0, False, False)           # read, nothing parsed (not HTML): grows the arrays
    assert placed.get(3, 100.5) is True and placed.seen(3, 100.5)
    assert placed.get(3, 101.0) is None and not placed.seen(3, 101.0)      # a re-fetch is another page
    assert placed.seen(7000, 200.0) and placed.get(7000, 200.0) is None
    assert not placed.seen(4, 100.5) and not placed.seen(10**6, 1.0) and not placed.seen(3, None)
    placed.put(3, 300.0, True, False)
    assert placed.get(3, 300.0) is False and len(placed) == 1


def _shelved(records, tokenizer, **options):
    shelf = PageShelf(**options)
    for index, record in enumerate(records):
        shelf.place(index, shelf.add(record, tokenizer)[0])
    return shelf


def _decode_all(shelf, count):
    """Read every page back whole, as the audit does (its body, its words)."""
    for index in range(count):
        parsed = shelf.parsed(index)
        parsed.main = list(parsed.artifacts.blocks)
        parsed.segmented = ([t for w in shelf.words(index) or [] if w for t in w[0]], 0)
        assert len(parsed.artifacts.images) >= 0


def test_decoded_pages_are_kept_within_a_byte_budget_not_a_page_count(portal_crawl):
    tokenizer = get_tokenizer()
    records = _records(portal_crawl)
    roomy = _shelved(records, tokenizer)
    costs = [roomy.decoded_bytes(roomy.where(i)) for i in range(len(records))]
    assert roomy.site_bytes() == sum(costs) > 0
    budget = sum(sorted(costs)[:5])          # room for about five pages, whichever they are
    tight = _shelved(records, tokenizer, cache_size=10_000, cache_bytes=budget)
    for index in [*range(len(records)), *range(len(records))]:
        tight.parsed(index)
        assert 0 < tight.held_bytes <= budget
        assert tight.held_bytes == sum(costs[i] for i in tight._recent)
        assert len(tight._recent) <= 5
    assert len(tight._recent) >= 2             # it does keep pages, as many as fit
    # one page bigger than the whole budget is still read (alone)
    alone = _shelved(records[:2], tokenizer, cache_bytes=1)
    assert alone.parsed(0).artifacts.title == parse_artifacts(records[0]).title
    alone.parsed(1)
    assert list(alone._recent) == [1]
    for shelf in (roomy, tight, alone):
        shelf.close()
        assert shelf.held_bytes == 0


def test_a_site_that_fits_the_budget_stays_decoded_whole_and_one_that_does_not_keeps_a_window(portal_crawl):
    tokenizer = get_tokenizer()
    records = _records(portal_crawl)
    small = _shelved(records, tokenizer, cache_size=8)
    small.keep_all(len(records))             # the sample portal: a few MB
    assert small.cache_size == len(records)
    big = _shelved(records, tokenizer, cache_size=8, cache_bytes=small.site_bytes() - 1)
    big.keep_all(len(records))               # one byte short: only the window
    assert big.cache_size == 8
    _decode_all(big, len(records))
    assert len(big._recent) <= 8
    small.close()
    big.close()


def test_the_budget_estimate_covers_what_decoded_pages_hold(portal_crawl):
    """decoded_bytes (twice the shelf bytes) is not an underestimate of what the kept pages take."""
    tokenizer = get_tokenizer()
    records = _records(portal_crawl)
    shelf = _shelved(records, tokenizer, cache_size=10_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _decode_all(shelf, len(records))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(shelf._recent) == len(records)
    assert 0 < held <= shelf.held_bytes == shelf.site_bytes()
    shelf.close()


def test_memos_keep_short_blocks_only():
    from audits.text.template import MEMO_MAX_CHARS

    tokenizer = get_tokenizer()
    words, digests = RecentMemo(), RecentMemo()
    short, long = "办事指南" * (MEMO_MAX_CHARS // 4), "办事指南" * (MEMO_MAX_CHARS // 4) + "长"
    for block in (short, long):
        assert segment(block, words, tokenizer) == segment(block, {}, tokenizer)
        assert block_digest(block, digests) == block_digest(block, {}) != 0
    assert short in words and short in digests           # a block of MEMO_MAX_CHARS characters recurs
    assert long not in words and long not in digests     # one longer is page text: not kept


def test_a_feed_poll_reads_a_bounded_size_of_bodies_and_still_feeds_every_page(portal_crawl, monkeypatch):
    import audits.feed
    from audits.feed import PageFeed

    whole = PageFeed(portal_crawl)
    everything = whole.poll(limit=10_000)
    assert everything > 100 and whole.poll(limit=10_000) == 0
    monkeypatch.setattr(audits.feed, "_BATCH_BYTES", 1)        # every body is bigger: one body a poll
    feed = PageFeed(portal_crawl)
    polls = []
    while read := feed.poll(limit=10_000):
        polls.append(read)
    assert sum(polls) == everything and len(polls) >= everything // 4     # bodiless fetches ride along
    assert list(feed.placed.state) == list(whole.placed.state)
    assert feed.placed.fetched_at.tobytes() == whole.placed.fetched_at.tobytes()
    for done in (whole, feed):
        done.close()
        done.shelf.close()
