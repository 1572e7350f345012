"""The bundled everyday-to-official dictionary and its lookups."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from audits.synonyms import HEADER, Synonyms, carries, load_synonyms, parse_synonyms

DOMAINS = {
    "social_security", "medical_insurance", "housing_fund", "traffic", "household", "public_security",
    "travel_documents", "real_estate", "housing", "construction", "civil_affairs", "business", "tax",
    "education", "health", "employment", "agriculture", "legal",
}

# Pairs the brief and RULES.md name; the dictionary must keep them.
REQUIRED = [
    ("社保", "社会保险"), ("社保卡", "社会保障卡"), ("医保", "基本医疗保险"), ("医保卡", "社会保障卡"),
    ("公积金", "住房公积金"), ("违章", "交通违法"), ("罚单", "交通违法处理"), ("驾照", "机动车驾驶证"),
    ("行驶证", "机动车行驶证"), ("户口", "户籍"), ("落户", "户口迁入"), ("迁户口", "户口迁移"),
    ("房产证", "不动产权证书"), ("房本", "不动产权证书"), ("过户", "不动产转移登记"),
    ("低保", "最低生活保障"), ("五保", "特困人员救助供养"), ("退休金", "基本养老金"),
    ("养老金", "基本养老保险待遇"), ("失业金", "失业保险金"), ("生育险", "生育保险"), ("工伤", "工伤认定"),
    ("执照", "营业执照"), ("开公司", "企业设立登记"), ("注销公司", "企业注销登记"),
    ("个体户", "个体工商户"), ("身份证", "居民身份证"), ("暂住证", "居住证"), ("准生证", "生育登记"),
    ("出生证", "出生医学证明"), ("结婚证", "结婚登记"), ("离婚", "离婚登记"), ("护照", "普通护照"),
    ("港澳通行证", "往来港澳通行证"), ("老年证", "老年人优待证"), ("残疾证", "残疾人证"),
    ("摇号", "小客车指标"), ("车检", "机动车安全技术检验"), ("上牌", "机动车注册登记"),
    ("提档", "人事档案转递"), ("教师资格证", "教师资格认定"), ("入学", "义务教育入学"),
    ("公租房", "公共租赁住房"), ("廉租房", "公共租赁住房"), ("预售证", "商品房预售许可"),
    ("施工许可证", "建筑工程施工许可证"), ("食品许可证", "食品经营许可证"), ("个税", "个人所得税"),
    ("发票", "发票领用"), ("找律师", "法律援助"), ("立遗嘱", "遗嘱公证"),
]


def bundled_text() -> str:
    return resources.files("audits.text").joinpath("data", "synonyms.tsv").read_text(encoding="utf-8")


# -- the bundled file -------------------------------------------------------------------------------

def test_bundled_file_is_well_formed() -> None:
    lines = bundled_text().split("\n")
    assert lines[0] == "\t".join(HEADER)
    assert lines[-1] == "", "file ends with a newline"
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("\t")
        assert len(fields) == 3, f"line {number}: {line!r}"
        assert all(f and f == f.strip() and not any(c.isspace() for c in f) for f in fields), number
        everyday, official, domain = fields
        assert everyday != official, number
        assert domain in DOMAINS, f"line {number}: unknown domain {domain}"


def test_bundled_file_size_and_no_duplicates() -> None:
    rows = [tuple(line.split("\t")[:2]) for line in bundled_text().splitlines()[1:]]
    assert len(rows) >= 150
    duplicates = [pair for pair, n in Counter(rows).items() if n > 1]
    assert duplicates == []
    synonyms = load_synonyms()
    assert len(synonyms) == len(rows)


def test_bundled_file_covers_every_domain() -> None:
    per_domain = Counter(pair.domain for pair in load_synonyms().pairs)
    assert set(per_domain) == DOMAINS
    assert min(per_domain.values()) >= 5, per_domain


def test_required_pairs_present() -> None:
    pairs = {(p.everyday, p.official) for p in load_synonyms().pairs}
    missing = [pair for pair in REQUIRED if pair not in pairs]
    assert missing == []


def test_every_pair_round_trips() -> None:
    synonyms = load_synonyms()
    for pair in synonyms.pairs:
        assert pair.everyday in synonyms.everyday_for(pair.official), pair
        assert pair.official in synonyms.officials_for(pair.everyday), pair


# -- lookups ----------------------------------------------------------------------------------------

def test_everyday_for_service_names() -> None:
    synonyms = load_synonyms()
    assert "违章" in synonyms.everyday_for("机动车交通违法处理")
    assert "罚单" in synonyms.everyday_for("机动车交通违法处理")
    assert "公积金" in synonyms.everyday_for("住房公积金提取")
    assert "房本" in synonyms.everyday_for("不动产权证书遗失补发_办事指南")
    assert synonyms.everyday_for("最低生活保障申请") == ["低保"]


def test_everyday_for_longest_official_first_no_duplicates() -> None:
    words = load_synonyms().everyday_for("住房公积金提取")
    # 住房公积金提取 (提公积金, 取公积金, 公积金提取) is longer than 住房公积金 (公积金).
    assert words.index("提公积金") < words.index("公积金")
    assert len(words) == len(set(words))
    # 驾照 stands for both 机动车驾驶证 and 驾驶证, both in the text: listed once.
    assert load_synonyms().everyday_for("机动车驾驶证期满换证").count("驾照") == 1


def test_everyday_for_normalises_full_width() -> None:
    assert "公积金" in load_synonyms().everyday_for("住房公积金\u3000提取")
    synonyms = Synonyms([("a证", "ABC许可", "test")])
    assert synonyms.everyday_for("ＡＢＣ许可") == ["a证"]


def test_everyday_for_near_misses() -> None:
    synonyms = load_synonyms()
    assert synonyms.everyday_for("新闻发布会") == []
    assert synonyms.everyday_for("关于召开全市安全生产工作会议的通知") == []
    assert synonyms.everyday_for("") == []
    # 交通 alone is not an official term; only 交通违法 is.
    assert "违章" not in synonyms.everyday_for("交通出行")


def test_vocabulary_gap_is_empty_once_any_everyday_name_is_shown() -> None:
    synonyms = load_synonyms()
    # 营业执照 is one of the everyday names of 企业设立登记: 开公司 and 注册公司 need not be there too
    assert synonyms.vocabulary_gap("企业设立登记", "企业设立登记（营业执照）办事指南") == []
    assert synonyms.vocabulary_gap("企业设立登记", "企业设立登记办事指南 开公司") == []
    assert synonyms.vocabulary_gap("失业保险金申领", "失业保险金申领办事指南") == []      # 失业金 written out
    assert synonyms.vocabulary_gap("档案查阅", "档案查阅") == []                       # no everyday name known
    # none shown: every name that would help, the one people type first
    gap = synonyms.vocabulary_gap("企业设立登记", "企业设立登记办事指南")
    assert set(gap) == {"开公司", "注册公司", "营业执照"} and gap.index("开公司") < gap.index("注册公司")
    assert synonyms.vocabulary_gap("机动车交通违法处理", "机动车交通违法处理办事指南")[0] == "违章"


def test_carries() -> None:
    assert carries("社保卡申领", "社保卡") and carries("失业保险金申领", "失业金")
    assert carries("户口迁移", "迁户口") and carries("\uff21\uff22\uff23", "ABC")
    assert not carries("交通违法处理", "违章") and not carries("", "社保")


def test_officials_for() -> None:
    synonyms = load_synonyms()
    assert synonyms.officials_for("驾照") == ["机动车驾驶证", "驾驶证"]
    assert synonyms.officials_for(" 社保 ") == ["社会保险"]
    assert synonyms.officials_for("社会保险") == []  # official terms are not everyday words
    assert synonyms.officials_for("火星") == []


def test_many_to_many() -> None:
    synonyms = load_synonyms()
    assert {"房产证", "房本", "土地证"} <= set(synonyms.everyday_for("不动产权证书"))
    assert len(synonyms.officials_for("医保")) >= 2


def test_load_synonyms_is_cached() -> None:
    assert load_synonyms() is load_synonyms()
    assert "traffic" in load_synonyms().domains


# -- user files -------------------------------------------------------------------------------------

def test_user_file_adds_pairs(tmp_path: Path) -> None:
    extra = tmp_path / "local.tsv"
    extra.write_text("\ufeffeveryday\tofficial\tdomain\n# 本地说法\n\n"
                     "市民卡\t社会保障卡\tsocial_security\n"
                     "社保\t社会保险\tsocial_security\n", encoding="utf-8")  # BOM; a repeated pair
    merged = load_synonyms(extra)
    bundled = load_synonyms()
    assert len(merged) == len(bundled) + 1
    assert merged.pairs[: len(bundled)] == bundled.pairs
    assert "市民卡" in merged.everyday_for("社会保障卡申领")
    assert "市民卡" not in load_synonyms().everyday_for("社会保障卡申领")  # bundled copy untouched


def test_user_file_without_header(tmp_path: Path) -> None:
    extra = tmp_path / "local.tsv"
    extra.write_text("一卡通\t社会保障卡\tsocial_security\n", encoding="utf-8")
    assert "一卡通" in load_synonyms(extra).everyday_for("社会保障卡")


@pytest.mark.parametrize(("line", "reason"), [
    ("市民卡\t社会保障卡", "expected 3"),
    ("市民卡 社会保障卡 social_security", "expected 3"),
    ("市民卡\t社会保障卡\tsocial_security\textra", "expected 3"),
    ("市民卡\t\tsocial_security", "empty official"),
    ("市民卡\t社会保障卡\t", "empty domain"),
    ("市民 卡\t社会保障卡\tsocial_security", "whitespace"),
    ("社保卡\t社保卡\tsocial_security", "the same"),
])
def test_user_file_errors_name_the_line(tmp_path: Path, line: str, reason: str) -> None:
    extra = tmp_path / "bad.tsv"
    extra.write_text(f"everyday\tofficial\tdomain\n# ok\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"bad\.tsv:3: .*{reason}"):
        load_synonyms(extra)


def test_user_file_missing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load_synonyms(tmp_path / "absent.tsv")


def test_parse_synonyms_header_only_first_line() -> None:
    # A header-like line after data is data, and it is a valid pair.
    assert parse_synonyms("a\tb\tc\neveryday\tofficial\tdomain\n")[1].everyday == "everyday"
    assert parse_synonyms("") == []
