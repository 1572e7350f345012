"""govseo.toml: crawl defaults and per-rule overrides.

    [crawl]
    max_pages = 5000
    [rules.title-duplicate]
    severity = "notice"        # off | notice | warning | error
    max_evidence = 5           # any parameter the rule declares
    [services]
    include = ["/zwfw/.*/bszn_"]       # URL regexes that are (or are not) service guides
    exclude = ["/bsfw/index"]
    selector = "div.bszn"              # CSS selector a service page must contain
    section_from = ["breadcrumb", "columnname", "label", "path"]
    [findability]
    weights = { reach = 0.3, relevance = 0.3, search = 0.4 }
    [site]
    jurisdiction = "auto"      # auto | cn-gov | other: whether the Chinese government norms apply
    [check]                    # `govseo check` assertions (docs/ci.md)
    min-site-score = 80
    min-service-score = 40
    max-service-drop = 5       # default 5
    fail-on-new-errors = true  # default true
    fail-on-missing-service = true
    [check.assertions]
    "noindex" = "error"        # off | warn | error, for findings not in the baseline
    [batch]                    # `govseo batch`
    parallel = 2               # sites at once on this machine (default: cores - 1, at least 1)
    [batch.groups."市公安局"]   # run options for the sites of one group (SITES.csv `group`): they win
    max_pages = 500            # over the command line and [crawl] (a group's setting is the most specific)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITY_CHOICES = ("off", "notice", "warning", "error")
CHECK_LEVELS = ("off", "warn", "error")
CHECK_SCORES = ("min-site-score", "min-service-score", "max-service-drop")
CHECK_FLAGS = ("fail-on-new-errors", "fail-on-missing-service")


class ConfigError(ValueError):
    """govseo.toml is unreadable or names something unknown; ``key`` and ``params`` word it for the user."""

    def __init__(self, key: str, **params: object) -> None:
        from common.messages import message

        super().__init__(message(key, "en", **params))
        self.key, self.params = key, params


@dataclass
class Config:
    crawl: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)       # [services]: include/exclude/selector/...
    findability: dict[str, Any] = field(default_factory=dict)    # [findability]: weights, thresholds
    check: dict[str, Any] = field(default_factory=dict)          # [check]: validated, keys with hyphens
    queries: list[tuple[str, str | None]] = field(default_factory=list)   # --queries: (query, url or None)
    site: dict[str, Any] = field(default_factory=dict)           # [site]: jurisdiction = auto|cn-gov|other
    batch: dict[str, Any] = field(default_factory=dict)          # [batch]: parallel, groups: {group: options}


def load_config(path: str | Path | None) -> Config:
    if path is None:
        return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("config_missing", path=path) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("config_unreadable", path=path, detail=exc) from exc
    config = Config(crawl=dict(data.get("crawl", {})), rules={}, services=dict(data.get("services", {})),
                    findability=dict(data.get("findability", {})))
    for pattern in (*config.services.get("include", []), *config.services.get("exclude", [])):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError("config_value", path=path, rule="services", detail=f"{pattern}: {exc}") from exc
    config.site = _site_table(data.get("site", {}), path)
    from audits.rules import RULES_BY_ID

    for rule_id, overrides in (data.get("rules") or {}).items():
        rule = RULES_BY_ID.get(rule_id)
        if rule is None:
            raise ConfigError("config_rule", path=path, rule=rule_id)
        if not isinstance(overrides, dict):
            raise ConfigError("config_value", path=path, rule=rule_id, detail="must be a table")
        for key, value in overrides.items():
            if key == "severity":
                if value not in SEVERITY_CHOICES:
                    raise ConfigError("config_value", path=path, rule=rule_id,
                                      detail=f"severity = {', '.join(SEVERITY_CHOICES)}")
            elif key not in rule.params:
                raise ConfigError("config_value", path=path, rule=rule_id, detail=f"no parameter {key!r}")
        config.rules[rule_id] = dict(overrides)
    config.check = _check_table(data.get("check", {}), path, RULES_BY_ID)
    config.batch = _batch_table(data.get("batch", {}), path)
    return config


# [batch.groups.<group>]: the run options a group may set, by type (names as the command line's, with "_")
BATCH_OPTIONS: dict[str, type | tuple[type, ...]] = {
    "max_pages": int, "max_depth": int, "max_per_pattern": int, "concurrency": int, "render_max": int,
    "render_concurrency": int, "delay": (int, float), "timeout": (int, float), "render_timeout": (int, float),
    "include": list, "exclude": list, "subdomains": bool, "ignore_robots": bool, "no_autothrottle": bool,
    "render": bool, "user_agent": str,
}


def _batch_table(table: Any, path: Path) -> dict[str, Any]:
    """Validate ``[batch]``: ``parallel`` (a whole number >= 1) and ``groups`` (a table of option tables)."""
    def bad(detail: str) -> ConfigError:
        return ConfigError("config_batch", path=path, detail=detail)

    if not isinstance(table, dict):
        raise bad("must be a table")
    result: dict[str, Any] = {"groups": {}}
    for key, value in table.items():
        if key == "parallel":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise bad("parallel must be a whole number >= 1")
            result["parallel"] = value
        elif key == "groups":
            if not isinstance(value, dict):
                raise bad("groups must be a table")
            for group, options in value.items():
                result["groups"][group] = _group_options(group, options, bad)
        else:
            raise bad(f"unknown setting {key!r} (parallel, groups)")
    return result


def _group_options(group: str, options: Any, bad: Any) -> dict[str, Any]:
    if not isinstance(options, dict):
        raise bad(f"groups.{group!r} must be a table")
    checked: dict[str, Any] = {}
    for raw_key, value in options.items():
        key = raw_key.replace("-", "_")
        kind = BATCH_OPTIONS.get(key)
        if kind is None:
            raise bad(f"groups.{group!r}: unknown option {raw_key!r}")
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            raise bad(f"groups.{group!r}.{raw_key}: wrong type ({type(value).__name__})")
        if kind is list:
            if not all(isinstance(v, str) for v in value):
                raise bad(f"groups.{group!r}.{raw_key} must be a list of regular expressions")
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise bad(f"groups.{group!r}.{raw_key}: {pattern}: {exc}") from exc
        elif kind in (int, (int, float)) and value < (1 if kind is int else 0):
            raise bad(f"groups.{group!r}.{raw_key} must be {'>= 1' if kind is int else '>= 0'}")
        checked[key] = value
    return checked


def _site_table(table: Any, path: Path) -> dict[str, Any]:
    """``[site]``: ``jurisdiction`` is one of audits.jurisdiction.SETTINGS (other keys are kept as they are)."""
    from audits.jurisdiction import SETTINGS

    if not isinstance(table, dict):
        raise ConfigError("config_site", path=path, detail="must be a table")
    if table.get("jurisdiction", SETTINGS[0]) not in SETTINGS:
        raise ConfigError("config_site", path=path, detail=f"jurisdiction = {' | '.join(SETTINGS)}")
    return dict(table)


def _check_table(table: Any, path: Path, known_rules: dict[str, Any]) -> dict[str, Any]:
    """Validate ``[check]``; keys are returned with hyphens (``min_site_score`` is accepted too)."""
    def bad(detail: str) -> ConfigError:
        return ConfigError("config_check", path=path, detail=detail)

    if not isinstance(table, dict):
        raise bad("must be a table")
    result: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key in CHECK_SCORES:
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
                raise bad(f"{raw_key} must be a number from 0 to 100")
        elif key in CHECK_FLAGS:
            if not isinstance(value, bool):
                raise bad(f"{raw_key} must be true or false")
        elif key == "assertions":
            if not isinstance(value, dict):
                raise bad("assertions must be a table")
            for rule_id, level in value.items():
                if rule_id not in known_rules:
                    raise bad(f"assertions: unknown rule id {rule_id!r}")
                if level not in CHECK_LEVELS:
                    raise bad(f"assertions.{rule_id} = {' | '.join(CHECK_LEVELS)}")
            value = dict(value)
        else:
            raise bad(f"unknown setting {raw_key!r}")
        result[key] = value
    return result


def load_queries(path: str | Path) -> list[tuple[str, str | None]]:
    """--queries CSV: header ``query,url``; url may be empty."""
    import csv

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ConfigError("queries_missing", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("queries_bad", path=path, detail=exc) from exc
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["query", "url"]:
        raise ConfigError("queries_bad", path=path, detail="the first line must be: query,url")
    result: list[tuple[str, str | None]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        query = row[0].strip()
        url = row[1].strip() if len(row) > 1 else ""
        if not query:
            raise ConfigError("queries_bad", path=path, detail=f"line {number}: empty query")
        if url:
            from crawler.urls import BadURL, normalize

            try:
                url = normalize(url)
            except BadURL as exc:
                raise ConfigError("queries_bad", path=path, detail=f"line {number}: bad URL {url}") from exc
        result.append((query, url or None))
    return result
