"""Reports rendered from a result document: the HTML scorecard, the multi-site index and CSV files.

``write_report(results, out_dir, lang, history)`` is the one call the command line needs. It is
imported lazily, so that ``reports.junit`` or ``reports.markdown`` (the CI gate) load without the
HTML stack.
"""

from typing import Any

__all__ = ["write_report"]


def __getattr__(name: str) -> Any:
    if name == "write_report":
        from reports.bundle import write_report

        return write_report
    raise AttributeError(name)
