import numpy as np

from audits.graph import link_scores, pagerank


def test_pagerank_matches_a_hand_computed_graph():
    # 0 <-> 1, 2 -> 0: node 0 collects most; node 2 nothing but the teleport share.
    rank = pagerank(3, np.array([0, 1, 2]), np.array([1, 0, 0]))
    assert abs(rank.sum() - 1) < 1e-9
    assert rank[0] > rank[1] > rank[2]
    assert abs(rank[2] - 0.15 / 3) < 1e-9


def test_dangling_nodes_and_empty_graphs():
    rank = pagerank(4, np.array([0, 0, 1]), np.array([1, 2, 3]))   # 2 and 3 link nowhere
    assert abs(rank.sum() - 1) < 1e-9
    assert rank[3] > rank[0]
    assert pagerank(0, np.array([]), np.array([])).size == 0
    assert list(link_scores(2, np.array([]), np.array([]))) == [100.0, 100.0]


def test_link_score_ranks_hub_linked_pages_above_weakly_linked_ones():
    # home 0 links to 1..5 and everyone links back home; page 1 is linked from every page; page 6 only from
    # page 5, which also links to 1, 2, 3 and 4.
    src = [0] * 5 + [1, 2, 3, 4, 5] + [2, 3, 4, 5] + [5, 5, 5, 5, 6]
    dst = [1, 2, 3, 4, 5] + [0] * 5 + [1] * 4 + [2, 3, 4, 6, 0]
    scores = link_scores(7, np.array(src), np.array(dst))
    assert scores.max() == 100.0
    assert scores[1] > scores[2] and scores[1] > scores[5]
    assert scores[6] == min(scores)


def test_sources_as_runs_give_the_same_ranks_bit_for_bit(monkeypatch):
    import audits.graph as graph
    from audits.graph import Runs

    rng = np.random.default_rng(3)
    n = 300
    lengths = rng.integers(0, 40, size=n)          # pages with 0..39 links, pages in order
    sources = np.repeat(np.arange(n, dtype=np.int32), lengths)
    targets = rng.integers(0, n, size=len(sources)).astype(np.int32)
    runs = Runs.of(sources)
    assert len(runs) == len(sources) and len(runs.values) <= n
    for a, b in [(0, 5), (7, 7), (13, 700), (len(sources) - 3, len(sources) + 9), (0, len(sources))]:
        assert np.array_equal(runs[a:b], sources[a:b])
    for part in (7, 64, 1 << 20):                  # slices that cut runs, and one slice
        monkeypatch.setattr(graph, "PART", part)
        assert np.array_equal(pagerank(n, runs, targets), pagerank(n, sources, targets))
    assert len(Runs.of(np.zeros(0, np.int32))) == 0 and len(Runs.of(np.zeros(0, np.int32))[0:5]) == 0
