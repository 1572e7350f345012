from sitebuilder import build_site, page, run_rule

LONG = "/zwgk/" + "wenjian/" * 14 + "t20261103_1.html"


def test_url_unfriendly(tmp_path):
    hrefs = ["/tzgg/detail.jsp?id=4011&amp;channelid=38&amp;siteid=1", "/bsfw/list.jsp;jsessionid=A1B2C3D4",
             "/bsfw/view.php?PHPSESSID=9f8e7d", "/hd/index.asp?sid=77", "/files/2026 招聘公告.html", LONG,
             # near misses: two parameters, siteid is not sid, a short static path
             "/tzgg/detail.jsp?id=4012&amp;channelid=38", "/xxgk/index.jsp?siteid=1", "/bsfw/grbs/t20261103_2.html"]
    routes = {"/": page(body="".join(f'<a href="{h}">链接{i}</a>' for i, h in enumerate(hrefs)))}
    site = build_site(tmp_path, routes)
    found = run_rule(site, "url-unfriendly")
    assert set(found) == {"/tzgg/detail.jsp?id=4011&channelid=38&siteid=1", "/bsfw/list.jsp;jsessionid=A1B2C3D4",
                          "/bsfw/view.php?PHPSESSID=9f8e7d", "/hd/index.asp?sid=77",
                          "/files/2026%20%E6%8B%9B%E8%81%98%E5%85%AC%E5%91%8A.html", LONG}
    assert found[LONG].evidence["problems"] == [f"{len('http://portal.test' + LONG)} characters long (over 115)"]
    assert found["/hd/index.asp?sid=77"].evidence["problems"] == ["carries a session id (sid)"]
    relaxed = run_rule(site, "url-unfriendly", max_query_params=2, max_length=200, session_ids=["jsessionid"])
    assert set(relaxed) == {"/tzgg/detail.jsp?id=4011&channelid=38&siteid=1", "/bsfw/list.jsp;jsessionid=A1B2C3D4",
                            "/tzgg/detail.jsp?id=4012&channelid=38",
                            "/files/2026%20%E6%8B%9B%E8%81%98%E5%85%AC%E5%91%8A.html"}
