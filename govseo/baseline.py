"""`govseo baseline update CURRENT.json BASE.json`: a ratchet.

The baseline only moves forward. Replacing it is refused when, compared with it, the current result

- lowers the site score or any service score (by any amount: ``max-service-drop`` does not apply),
- gains a gate failure on a service, or loses a service,
- has a new finding at assertion level ``error`` (by default: any new finding of severity error),
- comes from an incomplete crawl, or did not run a rule the baseline has findings of,

unless ``allow_regression`` is given. ``min-site-score`` / ``min-service-score`` do not apply: the ratchet is
relative. The file is written atomically (temp file + rename): readers see the old or the new baseline.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from audits.resultfile import write_result
from reports.check import Assertions, Item, compare

_ALWAYS_REFUSED = ("crawl-incomplete", "rule-error")   # warnings for `check`, regressions for the ratchet


@dataclass
class UpdateOutcome:
    status: str                 # created | updated | forced | refused
    regressions: list[Item]

    @property
    def written(self) -> bool:
        return self.status != "refused"


def regressions(current: dict[str, Any], baseline: dict[str, Any], assertions: Assertions) -> list[Item]:
    """Everything that makes ``current`` worse than ``baseline``, as failing items."""
    strict = replace(assertions, max_service_drop=0, min_site_score=None, min_service_score=None,
                     fail_on_missing_service=True)
    report = compare(current, baseline, strict)
    found = [i if i.level == "error" else replace(i, level="error")
             for i in report.items if i.level == "error" or i.kind in _ALWAYS_REFUSED]
    before, after = report.site_before, report.site_after
    if before is not None and (after is None or after < before):
        found.insert(0, Item("site-score-drop", "error", url=report.site_url,
                             params={"before": before, "after": "—" if after is None else after}))
    return found


def update_baseline(current: dict[str, Any], baseline: dict[str, Any] | None, path: str | os.PathLike[str],
                    assertions: Assertions, allow_regression: bool = False) -> UpdateOutcome:
    """Replace the baseline at ``path`` with ``current`` unless that is a regression (see the module doc)."""
    if baseline is None:
        outcome = UpdateOutcome("created", [])
    else:
        found = regressions(current, baseline, assertions)
        status = ("forced" if allow_regression else "refused") if found else "updated"
        outcome = UpdateOutcome(status, found)
    if outcome.written:
        write_baseline(current, path)
    return outcome


def write_baseline(result: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write the baseline atomically, as result.json is written."""
    write_result(result, path)
