"""The disk-backed lists of a result document (common/spool.py) and the streaming result.json reader
(audits/resultfile.py)."""

from __future__ import annotations

import io
import json
import os
import random

import pytest

import audits.resultfile as resultfile
import common.spool as spool_module
from audits.resultfile import read, read_result
from common.spool import Spool

VALUES = [{"rule": "title-missing", "url": f"http://127.0.0.1/p{i}.html", "n": i, "ok": i % 2 == 0,
           "evidence": {"words": ["社保", "办理"] * (i % 4), "x": None, "f": 1.5}} for i in range(300)]


@pytest.fixture
def tiny_buffers(monkeypatch):
    """Flush and read a few bytes at a time, so values straddle every boundary."""
    monkeypatch.setattr(spool_module, "_FLUSH", 50)
    monkeypatch.setattr(spool_module, "_READ", 7)


def test_a_spool_gives_back_what_was_appended_as_often_as_asked(tiny_buffers):
    spool = Spool(VALUES[:100])
    spool.extend(VALUES[100:])
    assert len(spool) == 300 and bool(spool)
    assert list(spool) == VALUES
    assert list(spool) == VALUES                     # re-iterable
    outer = iter(spool)
    next(outer)
    assert [a["n"] for a, _ in zip(spool, outer, strict=False)][:3] == [0, 1, 2]   # two readers at once
    spool.append("更多")
    assert list(spool)[-1] == "更多" and len(spool) == 301


def test_an_empty_spool_is_false_and_equal_to_an_empty_list():
    spool = Spool()
    assert not spool and list(spool) == [] and spool == []
    assert Spool([1, 2]) == [1, 2] and Spool([1, 2]) != [2, 1] and Spool([1]) != Spool([1, 2])
    assert Spool([1]) != "1"


def test_a_spool_holds_values_on_disk_not_in_memory():
    spool = Spool({"text": "网" * 1000} for _ in range(2000))
    assert spool._written > 5_000_000 and spool._pending_size <= spool_module._FLUSH   # 6 MB, < 1 MB held
    assert os.fstat(spool._file.fileno()).st_size == spool._written
    spool.close()


def _dump(doc, **kwargs) -> io.StringIO:
    return io.StringIO(json.dumps(doc, ensure_ascii=False, **kwargs))


@pytest.mark.parametrize("layout", [{}, {"indent": 2}, {"separators": (",", ":")}])
def test_the_reader_reads_what_json_load_reads(monkeypatch, layout):
    monkeypatch.setattr(resultfile, "_CHUNK", 5)      # values cut across every chunk boundary
    doc = {"schema_version": 1, "site": {"name": "临江市人民政府", "score": 84}, "findings": VALUES[:50],
           "pages": [{"url": "u", "score": 12345678901234567890}], "services": [{"x": [1.25e-7, -3]}] * 20,
           "empty": [], "n": 1234567}
    got = read(_dump(doc, **layout))
    assert all(isinstance(got[key], Spool) for key in ("findings", "pages", "services"))
    assert isinstance(got["empty"], list) and list(got) == list(doc)
    assert got == doc                                   # Spool == list by contents


def test_findings_not_a_list_are_read_as_they_are(monkeypatch):
    monkeypatch.setattr(resultfile, "_CHUNK", 3)
    assert read(io.StringIO('{"findings": {"a": 1}, "pages": null, "findings": []}')) == \
        {"findings": [], "pages": None}                 # duplicate keys: the last wins, as in json
    assert read(io.StringIO(' [1, 2] ')) == [1, 2]
    assert read(io.StringIO('7')) == 7


@pytest.mark.parametrize("text", ['{"findings": [1, 2', '{"a": 1,}', '{"a" 1}', '{"a": 1} x', '{"pages": [1 2]}',
                                  '', '{', '{"findings": [1,]}', '{1: 2}', '\ufeff{}'])
def test_broken_json_raises_a_decode_error(monkeypatch, text):
    monkeypatch.setattr(resultfile, "_CHUNK", 4)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        read(io.StringIO(text))


def test_random_documents_round_trip(tmp_path):
    rng = random.Random(5)

    def value(depth: int):
        kind = rng.randrange(7 if depth < 3 else 4)
        if kind == 0:
            return rng.choice([None, True, False])
        if kind == 1:
            return rng.randrange(-10**12, 10**12)
        if kind == 2:
            return rng.random() * 10 ** rng.randrange(-5, 5)
        if kind == 3:
            return "".join(rng.choice('ab"\\\n 办事指南\u2028') for _ in range(rng.randrange(8)))
        if kind in (4, 5):
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {str(k): value(depth + 1) for k in range(rng.randrange(4))}

    for _ in range(30):
        doc = {"findings": [value(0) for _ in range(rng.randrange(5))], "x": value(0), "pages": [value(1)]}
        path = tmp_path / "r.json"
        path.write_text(json.dumps(doc, ensure_ascii=rng.random() < 0.5), encoding="utf-8")
        assert read_result(path) == doc
