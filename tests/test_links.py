"""The compact link table answers what the Python objects it replaced answered."""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import pytest

from audits import links
from audits.links import CLICK_TAGS, LinkTable
from audits.site import load_site
from crawler.store import CrawlStore

ROWS = [
    (1, 2, "a", None, "办事指南"), (1, 3, "a", "nofollow", "首页"), (1, 1, "a", None, "本页"),
    (1, 4, "img", None, None), (1, 5, "iframe", None, None),
    (2, 3, "a", None, "首页"), (2, 4, "img", None, None), (2, 4, "img", None, None), (2, 6, "canonical", None, None),
    (3, 5, "frame", None, None), (3, 7, "redirect", None, None),
    (6, 2, "a", None, ""), (6, 8, "weird-tag", None, "x"),
]


def test_pages_links_come_back_in_document_order_with_their_labels():
    table = LinkTable(ROWS)
    assert len(table) == len(ROWS)
    assert [(x.target, x.tag, x.rel, x.anchor) for x in table.from_page(1)] == \
        [(2, "a", None, "办事指南"), (3, "a", "nofollow", "首页"), (1, "a", None, "本页"), (4, "img", None, None),
         (5, "iframe", None, None)]
    assert [(x.tag, x.anchor) for x in table.from_page(6)] == [("a", None), ("weird-tag", "x")]   # "" is no anchor
    assert table.from_page(99) == []
    assert [(x.source, x.target) for x in table] == [(s, t) for s, t, *_ in ROWS]


def test_inlinks_count_other_pages_once_by_clickable_links_only():
    table = LinkTable(ROWS)
    counts = table.inlink_counts()
    assert counts[3] == 2          # from 1 and 2
    assert counts[2] == 2          # from 1 and 6
    assert 1 not in counts         # a self-link is no inlink
    assert 4 not in counts and 6 not in counts and 7 not in counts   # img, canonical, redirect: not clicks
    assert counts[5] == 2          # iframe and frame are clickable parts


def test_images_frames_anchors_and_edges():
    table = LinkTable(ROWS)
    assert table.image_uses() == Counter({4: 3})
    assert table.frame_only_targets() == {5}
    assert table.anchors_to([3, 2]) == {2: ["办事指南"], 3: ["首页", "首页"]}
    assert table.sources_linking([4]) == {1, 2}
    assert table.targets_linked_from([1]) == {2, 3, 5}
    (sources, targets), = table.edge_slices(("redirect",))
    assert sources.tolist() == [3] and targets.tolist() == [7]


def test_answers_are_the_same_when_the_table_is_read_in_small_slices():
    whole = LinkTable(ROWS)
    sliced = LinkTable(ROWS)
    sliced._CHUNK = 2     # every slice still ends at a page boundary: page 1's five links stay together
    assert len(list(sliced._slices())) == 4
    assert sliced.inlink_counts() == whole.inlink_counts()
    assert sliced.image_uses() == whole.image_uses()
    assert sliced.frame_only_targets() == whole.frame_only_targets()
    assert sliced.anchors_to([3, 2]) == whole.anchors_to([3, 2])
    assert sliced.sources_linking([4, 3]) == whole.sources_linking([4, 3])
    assert sliced.targets_linked_from([1, 6]) == whole.targets_linked_from([1, 6])


def test_a_page_written_twice_apart_is_grouped():
    table = LinkTable([(1, 2, "a", None, "x"), (2, 3, "a", None, "y"), (1, 4, "a", None, "z")])
    assert [x.target for x in table.from_page(1)] == [2, 4]
    assert [x.target for x in table.from_page(2)] == [3]


def test_matches_a_plain_python_reading_of_a_real_crawl(portal_crawl):
    store = CrawlStore(portal_crawl, create=False)
    try:
        rows = list(store.iter_links())
    finally:
        store.close()
    table = LinkTable(rows)
    sources: dict[int, set[int]] = {}
    pages: dict[int, list[tuple]] = {}
    for s, t, tag, rel, anchor in rows:
        pages.setdefault(s, []).append((t, tag, rel or None, anchor or None))
        if tag in CLICK_TAGS and s != t:
            sources.setdefault(t, set()).add(s)
    assert table.inlink_counts() == {t: len(v) for t, v in sources.items()}
    for s, expected in pages.items():
        assert [(x.target, x.tag, x.rel, x.anchor) for x in table.from_page(s)] == expected


def _answers(table: LinkTable) -> dict:
    """Everything the table answers, for comparing two tables."""
    ids = range(table.id_bound() + 2)
    return {"len": len(table), "bound": table.id_bound(), "links": list(table),
            "pages": [table.from_page(uid) for uid in ids], "targets": [table.targets_of(uid) for uid in ids],
            "inlinks": table.inlink_counts(), "images": table.image_uses(), "frames": table.frame_only_targets(),
            "anchors": table.anchors_to(ids), "sources": table.sources_linking([4, 3, 7]),
            "linked": table.targets_linked_from([1, 6]),
            "edges": [(s, t) for sources, targets in table.edge_slices((*CLICK_TAGS, "redirect"))
                      for s, t in zip(sources.tolist(), targets.tolist(), strict=True)]}


def test_a_table_built_in_several_chunks_answers_as_one_built_in_one(monkeypatch):
    whole = _answers(LinkTable(ROWS))
    for rows_per_chunk in (1, 2, 4):
        monkeypatch.setattr(links, "_BUILD_ROWS", rows_per_chunk)
        table = LinkTable(ROWS)
        assert table._file.rows == len(ROWS)
        assert _answers(table) == whole
        table._CHUNK = 3
        assert len(list(table._slices())) == 3
        assert _answers(table) == whole


def test_an_empty_table():
    table = LinkTable([])
    assert len(table) == 0 and table.id_bound() == 0 and list(table) == [] and table.from_page(1) == []
    assert table.inlink_counts() == {} and table.image_uses() == Counter() and table.frame_only_targets() == set()
    assert list(table.edge_slices(CLICK_TAGS)) == [] and table.anchors_to([1]) == {}


def test_the_rows_live_in_a_temporary_file_that_close_deletes(tmp_path):
    table = LinkTable(ROWS, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []          # anonymous: never left behind, even by a crash
    fd = table._file._fd
    assert os.fstat(fd).st_size == 9 * len(ROWS)
    table.close()
    with pytest.raises(OSError):
        os.fstat(fd)
    with pytest.raises(ValueError, match="closed"):
        table.from_page(1)
    with pytest.raises(ValueError, match="closed"):
        table.inlink_counts()
    table.close()                                  # twice is harmless
    with LinkTable(ROWS, directory=tmp_path) as other:
        assert other.from_page(3)[0].target == 5
    assert other._file.closed


def test_pages_written_in_several_runs_apart_are_grouped_by_id(monkeypatch):
    """A page's links in two runs apart (never from the crawler) are read as if sorted by page id
    (stable: each page's links keep their order), whichever build chunks the runs fell in."""
    apart = ROWS[5:9] + ROWS[:2] + ROWS[11:] + ROWS[2:5] + ROWS[9:11] + [(2, 9, "a", None, "后来")]
    grouped = sorted(apart, key=lambda row: row[0])
    expected = _answers(LinkTable(grouped))
    assert [x.target for x in LinkTable(apart).from_page(2)] == [3, 4, 4, 6, 9]
    for rows_per_chunk in (1, 3, 1 << 20):
        monkeypatch.setattr(links, "_BUILD_ROWS", rows_per_chunk)
        assert _answers(LinkTable(apart)) == expected


def test_a_site_closes_its_link_table(portal_crawl):
    store = CrawlStore(portal_crawl, create=False)
    try:
        site = load_site(store)
    finally:
        store.close()
    assert site.links.from_page(next(iter(site.pages)))
    site.close()
    assert site.links._file.closed


def test_id_values_is_the_dict_it_replaces():
    from audits.urltable import IdValues

    scores = IdValues.of(np.array([7, 2, 40]), np.array([0.5, 100.0, 0.0]), np.float64)
    assert scores == {2: 100.0, 7: 0.5, 40: 0.0} and len(scores) == 3 and list(scores) == [2, 7, 40]
    assert scores.get(40) == 0.0 and scores.get(3) is None and scores.get(41, -1) == -1 and scores.get(-1) is None
    assert type(scores[7]) is float and 2 in scores and 3 not in scores and "2" not in scores
    counts = IdValues(np.array([0, 3, 0, 1]), np.array([0, 3, 0, 1]) > 0)
    assert dict(counts) == {1: 3, 3: 1} and type(counts[1]) is int and counts.get(0, 0) == 0
    assert IdValues.of(np.array([], dtype=np.int64), np.array([]), np.float64) == {}


def test_id_names_and_id_set_are_the_dict_and_set_they_replace():
    from audits.urltable import IdNames, IdSet

    kinds = IdNames()
    for uid, name in [(5, "service"), (2, "home"), (9, "service"), (5, "column")]:
        kinds[uid] = name
    assert kinds == {2: "home", 5: "column", 9: "service"} and len(kinds) == 3 and list(kinds) == [2, 5, 9]
    assert kinds.get(3) is None and kinds.get(10) is None and kinds.get(-1) is None and kinds.get(0) is None
    ids = IdSet([7, 0, 3, 7])
    assert ids == {0, 3, 7} and len(ids) == 3 and 0 in ids and 4 not in ids and 70 not in ids and -1 not in ids
    assert list(ids) == [0, 3, 7] and IdSet() == set() and len(IdSet()) == 0


def test_id_tables_refuse_what_they_cannot_hold():
    from audits.urltable import IdNames, IdSet, UrlTable

    with pytest.raises(ValueError):                # a negative id would write from the end of the bytes
        UrlTable().add(-1, "https://a.gov.cn/y", "done", "link")
    with pytest.raises(ValueError):
        IdSet([-2])
    names = IdNames()
    for i in range(255):
        names[i] = f"kind{i}"
    with pytest.raises(ValueError):                # 255 names and "absent" fill the byte
        names[300] = "one too many"
    assert names[254] == "kind254" and len(names) == 255
