"""Sitemap parsing (inline bytes, hostile files) and the crawl store."""

import gzip
import sqlite3

import pytest

from crawler.sitemaps import parse_sitemap
from crawler.store import CrawlStore, StoreError

NS = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
URLSET = b'<?xml version="1.0" encoding="UTF-8"?><urlset ' + NS + b'><url><loc> http://a.gov.cn/x </loc>' \
         b"<lastmod>2026-01-01</lastmod><priority>0.8</priority></url><url><loc>http://a.gov.cn/y</loc></url></urlset>"


def test_urlset_index_txt_and_gzip():
    parsed = parse_sitemap(URLSET)
    assert parsed.kind == "urlset" and not parsed.gzipped
    assert parsed.entries == [{"loc": "http://a.gov.cn/x", "lastmod": "2026-01-01", "priority": "0.8"},
                              {"loc": "http://a.gov.cn/y"}]
    assert parse_sitemap(gzip.compress(URLSET)).gzipped
    assert parse_sitemap(gzip.compress(URLSET)).entries == parsed.entries
    index = parse_sitemap(b"<sitemapindex " + NS + b"><sitemap><loc>http://a/s1.xml</loc></sitemap>"
                          b"<sitemap><lastmod>x</lastmod></sitemap></sitemapindex>")
    assert index.kind == "sitemapindex" and index.children == ["http://a/s1.xml"]
    txt = parse_sitemap(b"\xef\xbb\xbfhttp://a/1\r\n\r\nnot a url\nhttps://a/2\n")
    assert txt.kind == "txt" and [e["loc"] for e in txt.entries] == ["http://a/1", "https://a/2"]


@pytest.mark.parametrize("raw", [b"", b"   ", b"<html><body>404 Not Found</body></html>", b"plain words",
                                 b"\x1f\x8b\x08garbage"])
def test_unusable_files_are_invalid_not_crashes(raw):
    parsed = parse_sitemap(raw)
    assert parsed.kind == "invalid" and parsed.error


def test_billion_laughs_does_not_expand():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                       for i in range(1, 10))
            + b"]><urlset><url><loc>http://a/&lol9;</loc></url></urlset>")
    parsed = parse_sitemap(bomb)
    assert all(len(e["loc"]) < 100 for e in parsed.entries)


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>'
           b"<urlset><url><loc>http://a/&x;</loc></url></urlset>")
    parsed = parse_sitemap(xxe)
    assert b"TOP-SECRET" not in repr(parsed).encode()


def test_gzip_bomb_is_bounded(monkeypatch):
    import crawler.sitemaps as sitemaps

    bomb = gzip.compress(b"<" + b" " * (4 * 1024 * 1024))
    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_BYTES", 1024 * 1024)
    parsed = sitemaps.parse_sitemap(bomb)
    assert parsed.kind == "invalid" and "beyond" in parsed.error


def test_store_round_trip_and_batches(tmp_path):
    db = tmp_path / "c.sqlite"
    store = CrawlStore(db, batch_size=1000, batch_seconds=3600)
    a = store.add_url("http://h/", "queued", "start", 0)
    b = store.add_url("http://h/a", "queued", "link", 1)
    store.add_fetch(a, status=200, content_type="text/html", headers=[("X-A", "1")], body=b"<html>" * 100)
    store.add_links(a, [(b, "a", None, "甲")])
    store.set_state(a, "done")
    # nothing is visible to another reader until the batch commits
    other = sqlite3.connect(db)
    assert other.execute("SELECT COUNT(*) FROM urls").fetchone()[0] == 0
    store.commit()
    assert other.execute("SELECT COUNT(*) FROM urls").fetchone()[0] == 2
    (record,) = list(store.iter_fetches())
    assert record.body == b"<html>" * 100 and record.header("x-a") == ["1"] and record.state == "done"
    assert list(store.iter_links()) == [(a, b, "a", None, "甲")]
    store.put_sitemap("http://h/s.xml", source="default", parent=None, status=200, error=None, kind="urlset",
                      body=b"<urlset/>", entries=[{"loc": "http://h/a"}])
    store.put_sitemap("http://h/s.xml", source="default", parent=None, status=200, error=None, kind="urlset",
                      body=b"<urlset/>", entries=[{"loc": "http://h/b"}])
    (sitemap,) = list(store.iter_sitemaps())
    assert [e["loc"] for e in sitemap["entries"]] == ["http://h/b"]
    store.close()
    reopened = CrawlStore(db, create=False)
    assert reopened.add_url("http://h/c", "queued", "link", 1) == b + 1   # ids continue after a reopen
    reopened.close()


def test_an_audit_reads_a_sitemaps_body_and_entries_from_the_store_when_asked(tmp_path):
    from audits.site import StoredSitemap

    db = tmp_path / "c.sqlite"
    store = CrawlStore(db)
    store.put_sitemap("http://h/s.xml", source="robots", parent=None, status=200, error=None, kind="urlset",
                      body=b"<urlset>...</urlset>", entries=[{"loc": "http://h/a", "lastmod": "2026-11-01"},
                                                            {"loc": "http://h/b"}])
    store.commit()
    (full,) = list(store.iter_sitemaps(with_body=True))
    (row,) = list(store.iter_sitemaps(with_entries=False))
    store.close()
    assert "entries" not in row and "body" not in row
    lazy = StoredSitemap(row, db)
    assert "entries" not in lazy                      # nothing held: read each time it is asked for
    assert lazy["body"] == full["body"] == b"<urlset>...</urlset>" and lazy.get("body") == full["body"]
    assert lazy["entries"] == lazy.get("entries") == full["entries"] and len(full["entries"]) == 2
    assert lazy.get("nothing", 7) == 7 and lazy["kind"] == "urlset"
    with pytest.raises(KeyError):
        lazy["nothing"]


def test_missing_or_foreign_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="not found"):
        CrawlStore(tmp_path / "none.sqlite", create=False)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        CrawlStore(garbage, create=False)
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError):
        CrawlStore(foreign, create=False)
