"""Tests of the CSV exports: findings.csv, pages.csv, services.csv (BOM, neutralised cells, atomic writes)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from result_factory import ROOT, make_finding, make_page, make_result, make_service

from reports.csvout import (
    FINDINGS_COLUMNS,
    SERVICES_COLUMNS,
    findings_rows,
    neutralise,
    services_rows,
    write_findings_csv,
    write_pages_csv,
    write_services_csv,
)


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# --- findings.csv and pages.csv ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("页面没有标题", "页面没有标题"), ("http://a/=b", "http://a/=b"), ("", ""), (None, ""),
    (5, "5"), (-5, "'-5"), (True, "true"), ("a=b", "a=b"), (" =1", " =1"),
])
def test_neutralise(cell: object, expected: str) -> None:
    assert neutralise(cell) == expected


def test_findings_csv_bom_columns_and_neutralised_cells(tmp_path: Path) -> None:
    result = make_result()
    result["findings"].append(make_finding("title-missing", ROOT + "=x", message="=cmd|' /C calc'!A0",
                                           evidence="@SUM(1,2)"))
    result["findings"].append(make_finding("title-missing", "-http://x", message="+1", evidence=["a", 1]))
    path = tmp_path / "findings.csv"
    assert write_findings_csv(result, path) == 6
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = _read_csv(path)
    assert tuple(rows[0]) == FINDINGS_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["severity"] for r in body] == ["error"] * 4 + ["warning", "notice"]
    by_msg = {r["message"]: r for r in body}
    assert by_msg["'=cmd|' /C calc'!A0"]["evidence"] == "'@SUM(1,2)"
    assert by_msg["'+1"]["url"] == "'-http://x"
    assert by_msg["'+1"]["evidence"] == '["a",1]'
    assert by_msg["页面有 2 个 <title>"]["evidence"] == '{"titles":["首页","首页"]}'
    assert by_msg["页面有 2 个 <title>"]["rule_title"] == "页面缺少标题"
    assert by_msg["<html> 没有 lang 属性"]["evidence"] == ""
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_findings_csv_english_falls_back() -> None:
    rows = {r[0] + r[2]: r for r in findings_rows(make_result(), "en")}
    assert rows["title-missing" + ROOT + "xwzx/a.html"][3] == "The page has no <title>"
    assert rows["title-missing" + ROOT + "xwzx/a.html"][5] == "Page has no title"
    assert rows["lang-missing" + ROOT][3] == "<html> 没有 lang 属性"
    assert rows["lang-missing" + ROOT][5] == "未声明页面语言"


def test_findings_csv_roundtrip_with_excel_style_reader(tmp_path: Path) -> None:
    result = make_result(findings=[make_finding("title-missing", ROOT, message='含"引号"，逗号,\n换行')])
    path = tmp_path / "f.csv"
    write_findings_csv(result, path)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][3] == '含"引号"，逗号,\n换行'


def test_pages_csv(tmp_path: Path) -> None:
    result = make_result()
    result["pages"].append(make_page(ROOT + "q", title="=1+1"))
    path = tmp_path / "pages.csv"
    assert write_pages_csv(result, path) == 5
    rows = _read_csv(path)
    assert rows[0][0] == "url" and len(rows) == 6
    assert "'=1+1" in [r[6] for r in rows]
    assert json.dumps(rows)  # plain strings only


def test_failed_write_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "findings.csv"
    target.write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("csv.writer", lambda *a, **k: type("W", (), {"writerow": boom, "writerows": boom})())
    with pytest.raises(OSError):
        write_findings_csv(make_result(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["findings.csv"]


def test_services_csv_hardest_first_with_fixes_and_queries(tmp_path: Path) -> None:
    easy = make_service(2, "失业登记", ROOT + "bszn/sy.html", 80)
    hard = make_service(1, "=社会保险登记", ROOT + "bszn/sb.html", 12, reasons=["title-missing", "unknown-rule"],
                        queries=[{"query": "社保登记", "position": None}, {"query": "社会保险登记", "position": 4}])
    hard["fixes"] = [{"rule": "title-missing", "fix": "写一个标题", "fix_en": "Write a title"}]
    hard["everyday_missing"] = ["社保", "五险"]
    hard.update(indexable=False, depth=5, title="-社保")
    path = tmp_path / "services.csv"
    assert write_services_csv(make_result(services=[easy, hard, "junk"]), path) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _read_csv(path)
    assert tuple(rows[0]) == SERVICES_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["rank"] == "1" and first["name"] == "'=社会保险登记" and first["title"] == "'-社保"
    assert first["reasons"] == "title-missing | unknown-rule"
    assert first["reason_titles"] == "页面缺少标题 | unknown-rule"
    assert first["fixes"] == "写一个标题"
    assert first["queries"] == "社保登记 → - | 社会保险登记 → 4"
    assert first["everyday_missing"] == "社保 | 五险"
    assert (first["indexable"], first["depth"]) == ("false", "5")
    assert rows[2][2] == "失业登记"
    en = services_rows(make_result(services=[hard]), "en")[0]
    assert en[6] == "Page has no title | unknown-rule" and en[7] == "Write a title"


def test_services_csv_fixes_fall_back_to_rule_fix() -> None:
    service = make_service(1, "社会保险登记", ROOT + "bszn/sb.html", 12, reasons=["title-missing"])
    assert services_rows(make_result(services=[service]))[0][7] == "为每个页面写一个以页面名称开头的 <title>。"


def test_services_csv_empty_and_malformed(tmp_path: Path) -> None:
    assert write_services_csv({}, tmp_path / "s.csv") == 0
    assert _read_csv(tmp_path / "s.csv") == [list(SERVICES_COLUMNS)]
    assert len(services_rows({"services": [{}, {"reasons": "x", "queries": None, "fixes": [None]}]})) == 2
