from sitebuilder import build_site, page, run_rule


def test_meta_and_header_forms_fire(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body="".join(f'<a href="/{p}">{p}</a>' for p in ("m", "none", "baidu", "hdr", "gb", "ok", "f"))),
        "/m": page(head='<meta name="robots" content="noindex, follow">'),
        "/none": page(head='<meta name="ROBOTS" content="NONE">'),
        "/baidu": page(head='<meta name="Baiduspider" content="noindex">'),
        "/hdr": (200, [("Content-Type", "text/html"), ("X-Robots-Tag", "noindex")], page().encode()),
        "/gb": (200, [("Content-Type", "text/html"), ("X-Robots-Tag", "googlebot: noindex")], page().encode()),
        # near misses
        "/ok": page(head='<meta name="robots" content="index, follow">'),
        "/f": page(head='<meta name="robots" content="nofollow"><meta name="bingbot" content="noindex">'),
    })
    found = run_rule(site, "noindex")
    assert set(found) == {"/m", "/none", "/baidu", "/hdr", "/gb"}
    assert found["/baidu"].evidence["engines"] == ["Baiduspider"]
    assert found["/gb"].evidence["engines"] == ["Googlebot"]
    assert found["/m"].evidence["engines"] == ["Baiduspider", "Googlebot"]
