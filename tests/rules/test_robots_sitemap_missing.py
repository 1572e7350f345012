import gzip

from sitebuilder import build_site, page, run_rule

URLSET = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' \
         b'<url><loc>http://portal.test/a</loc></url></urlset>'


def test_robots_txt_404_is_a_notice(tmp_path):
    site = build_site(tmp_path, {"/": page()})
    found = run_rule(site, "robots-txt-missing")
    assert set(found) == {"/robots.txt"}
    assert found["/robots.txt"].severity == "notice"


def test_robots_txt_5xx_is_an_error(tmp_path):
    site = build_site(tmp_path, {"/": page(), "/robots.txt": (503, [], b"busy")})
    assert run_rule(site, "robots-txt-missing")["/robots.txt"].severity == "error"


def test_robots_txt_present_even_if_empty(tmp_path):
    site = build_site(tmp_path, {"/": page(), "/robots.txt": (200, [("Content-Type", "text/plain")], b"")})
    assert run_rule(site, "robots-txt-missing") == {}


def test_sitemap_missing_fires_when_every_candidate_fails(tmp_path):
    site = build_site(tmp_path, {
        "/": page(),
        "/robots.txt": (200, [], b"User-agent: *\nDisallow:\nSitemap: http://portal.test/maps/site.xml\n"),
        "/maps/site.xml": (200, [("Content-Type", "text/html")], b"<html><body>not a sitemap</body></html>"),
    })
    found = run_rule(site, "sitemap-missing")
    assert set(found) == {"/"}
    tried = {t["url"].rsplit("/", 1)[1]: t for t in found["/"].evidence["tried"]}
    assert tried["site.xml"]["kind"] == "invalid" and tried["sitemap.xml"]["status"] == 404


def test_sitemap_found_via_robots_gzip_or_default_path(tmp_path):
    via_robots = build_site(tmp_path / "a", {
        "/": page(), "/robots.txt": (200, [], b"Sitemap: /maps/site.xml.gz\n"),
        "/maps/site.xml.gz": (200, [("Content-Type", "application/gzip")], gzip.compress(URLSET)),
    })
    assert run_rule(via_robots, "sitemap-missing") == {}
    via_txt = build_site(tmp_path / "b", {
        "/": page(), "/sitemap.txt": (200, [("Content-Type", "text/plain")], b"http://portal.test/a\n"),
    })
    assert run_rule(via_txt, "sitemap-missing") == {}
