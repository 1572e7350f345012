"""govseo.toml: crawl defaults and per-rule overrides.

    [crawl]
    max_pages = 5000
    [rules.title-duplicate]
    severity = "notice"        # off | notice | warning | error
    max_evidence = 5           # any parameter the rule declares
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITY_CHOICES = ("off", "notice", "warning", "error")


class ConfigError(ValueError):
    """govseo.toml is unreadable or names something unknown; ``key`` and ``params`` word it for the user."""

    def __init__(self, key: str, **params: object) -> None:
        from govseo.messages import message

        super().__init__(message(key, "en", **params))
        self.key, self.params = key, params


@dataclass
class Config:
    crawl: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


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
    config = Config(crawl=dict(data.get("crawl", {})), rules={})
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
    return config
