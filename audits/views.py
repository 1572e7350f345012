"""What Baiduspider gets beside what a citizen sees, for each service a view gate keeps out: result.json
``services[].views``, the scorecard's side-by-side panel.

A view gate is one of VIEW_RULES: the gateway answers Baidu's crawler otherwise than a browser
(engine-blocked), only links that scripts build reach the page (js-only-link), or its main text exists only
after scripts run (js-dependent-content). A panel is ``{"rule", "engine": side, "citizen": side}``, a side
``{"name", "status", "title", "text_chars", "marker", "note"}``:

- engine-blocked: the engine's answer (Baiduspider's, else Baiduspider-render's) beside the crawl's, which a
  browser gets; ``text_chars`` counts the visible characters of the whole answer on both sides
  (``measure`` "page").
- js-dependent-content: the raw page beside the rendered page (``--render``); ``text_chars`` counts the main
  text, the site template removed (``measure`` "main"). Without a rendered view the citizen's side says
  ``note`` "not-rendered".
- js-only-link: Baiduspider finds no link to the page (``note`` "no-link"); the citizen reaches it through
  the script on ``via`` and sees the page (its rendered title and main text when rendered).

Built from the findings' evidence (read once) and the site, for service URLs only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from audits.findability import GATE_ENGINES, Assessment
from audits.site import Site

VIEW_RULES = ("engine-blocked", "js-only-link", "js-dependent-content")
BAIDU = "Baiduspider"


def view_evidence(findings: Iterable[dict[str, Any]], urls: set[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Service URL -> rule -> the evidence of its VIEW_RULES findings."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in findings:
        if row["rule"] in VIEW_RULES and row["url"] in urls and isinstance(row.get("evidence"), dict):
            found.setdefault(row["url"], {})[row["rule"]] = row["evidence"]
    return found


def _side(name: str, status: Any = None, title: Any = None, text_chars: Any = None, marker: Any = None,
          note: str | None = None, via: str | None = None) -> dict[str, Any]:
    return {"name": name, "status": status, "title": title, "text_chars": text_chars, "marker": marker,
            "note": note, "via": via}


def _engine_blocked(ev: dict[str, Any]) -> dict[str, Any] | None:
    views = [v for v in ev.get("views") or [] if v.get("engine") in GATE_ENGINES]
    if not views:
        return None
    view = next((v for v in views if v["engine"] == BAIDU), views[0])
    crawl = ev.get("crawl") or {}
    markers = view.get("markers") or []
    return {"rule": "engine-blocked", "measure": "page",
            "engine": _side(view["engine"], view.get("status"), view.get("title"), view.get("text_length"),
                            markers[0] if markers else None, None if view.get("status") is not None else "no-answer"),
            "citizen": _side("browser", crawl.get("status"), crawl.get("title"), crawl.get("text_length"))}


def _rendered_title(site: Site, a: Assessment) -> str | None:
    page = a.service.page
    art = site.rendered(page) if page is not None else None
    return art.title if art is not None else None


def _js_dependent(site: Site, a: Assessment, ev: dict[str, Any]) -> dict[str, Any]:
    page = a.service.page
    raw_title = page.artifacts.title if page is not None and page.artifacts else None
    raw_chars = ev.get("raw_chars", ev.get("main_chars"))
    engine = _side(BAIDU, page.status if page is not None else None, raw_title, raw_chars)
    if ev.get("view") in ("rendered", "rendered-empty") and page is not None:
        info = site.render_info(page)
        citizen = _side("browser", info.http_status if info else None, _rendered_title(site, a),
                        ev.get("rendered_chars"))
    else:
        citizen = _side("browser", note="not-rendered")
    return {"rule": "js-dependent-content", "measure": "main", "engine": engine, "citizen": citizen}


def _js_only_link(site: Site, a: Assessment, ev: dict[str, Any]) -> dict[str, Any]:
    page = a.service.page
    sources = ev.get("script_sources") or []
    title = _rendered_title(site, a) or (page.artifacts.title if page is not None and page.artifacts else None)
    chars = None
    if page is not None:
        rendered = site.rendered_main_blocks(page)
        chars = len("\n".join(rendered)) if rendered is not None else len(site.main_text(page))
    return {"rule": "js-only-link", "measure": "main", "engine": _side(BAIDU, note="no-link"),
            "citizen": _side("browser", page.status if page is not None else None, title, chars,
                             via=sources[0] if sources else None)}


def service_views(site: Site, a: Assessment, evidence: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The panels of one service, in VIEW_RULES order, for the view gates that keep it out."""
    panels = []
    for rule in VIEW_RULES:
        ev = evidence.get(rule)
        if ev is None or rule not in a.gates:
            continue
        panel = _engine_blocked(ev) if rule == "engine-blocked" else \
            _js_only_link(site, a, ev) if rule == "js-only-link" else _js_dependent(site, a, ev)
        if panel is not None:
            panels.append(panel)
    return panels
