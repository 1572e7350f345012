"""An anti-bot gateway in front of some paths: Baidu's crawler (any User-Agent with "Baiduspider") gets a 412
and a 瑞数-style script challenge (``$_ts``, a cookie to set, then a reload); browsers and other crawlers get
the page. govseo's engine views (crawler/engines.py) must report it as engine-blocked."""

from __future__ import annotations

from .site import Route

# The guide behind the gateway: 2017 临时救助 (see manifest.toml [gateway]).
CHALLENGED = frozenset({"/bsfw/grbs/202609/t20260924_2017.html"})
CHALLENGED_AGENT = "baiduspider"

_CHALLENGE = (
    b'<!DOCTYPE html><html><head><meta charset="utf-8">'
    b'<script type="text/javascript">var $_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=48213;'
    b'$_ts.cd="qhzfrGLlDLZ1rGkqcqr0DGk8WapTuq";'
    b'document.cookie="FSSBBIl1UgzbN7N80S="+$_ts.nsd+";path=/";location.reload();</script>'
    b'<script type="text/javascript" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js" r="m"></script>'
    b"</head><body></body></html>"
)


def challenge(path: str, user_agent: str) -> Route | None:
    """The challenge the gateway answers instead of ``path`` for this User-Agent, or None (the page)."""
    if path in CHALLENGED and CHALLENGED_AGENT in user_agent.lower():
        return Route(412, (("Content-Type", "text/html; charset=utf-8"),
                           ("Set-Cookie", "FSSBBIl1UgzbN7N80O=ZmVhdHVyZQ; path=/; HttpOnly")), _CHALLENGE)
    return None
