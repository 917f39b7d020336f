"""Translation checks (bitext qa): each check on small pairs, the command and the service
on a real library, dismissals in the audit log, and the precision of the terminology and
number findings on hand-checked findings (tests/data/qa_checked.json)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.core.glossary.entry import parse_entry
from bitext.core.qa.checks import check_rows
from bitext.core.qa.consistency import check_repeated_originals, check_term_consistency
from bitext.core.qa.findings import Row
from bitext.core.qa.numbers import check_numbers
from bitext.core.qa.omissions import (
    LengthNorm,
    check_empty_sides,
    check_length_ratios,
    check_repeats,
    check_untranslated,
    length_norm,
)
from bitext.core.qa.terminology import check_terminology
from bitext.errors import InputError
from bitext.services.glossary import import_glossary
from bitext.services.library import add_document
from bitext.services.qa import check_document, dismiss_finding, plain_report
from tests.samples import UDHR_EN, UDHR_METADATA, UDHR_ZH

FIXTURE = Path(__file__).parent / "data" / "qa_checked.json"
MIN_PRECISION = 0.8
ENTRY = parse_entry({"term": "总体国家安全观",
                     "canonical": "holistic approach to national security",
                     "variants": ["overall national security outlook"]})


def rows(*pairs: tuple[str, str]) -> list[Row]:
    return [Row(k, o, t) for k, (o, t) in enumerate(pairs)]


# -- numbers and dates -----------------------------------------------------------------

@pytest.mark.parametrize("original, translation", [
    ("二〇二二年四月十五日，会议通过。", "The meeting adopted it on April 15, 2022."),
    ("增长百分之十五。", "It grew by 15%."),
    ("庆祝建校8周年。", "Celebrating the 8th anniversary of the school."),
    ("第一百二十一条 租金为百分之三。", "Article 121 The rent shall be 3 per cent."),
    ("第十一章 党徽党旗", "Chapter XI. Party Emblem and Flag"),
    ("（二）监督宪法的实施；", "(2) overseeing the enforcement of the Constitution;"),
    ("不超過二 ○四七年六月三十日", "not later than 30 June 2047"),
    ("培养和造就千百万社会主义事业接班人", "train millions of successors to the socialist cause"),
])
def test_numbers_that_agree_are_not_reported(original, translation):
    assert check_numbers(rows((original, translation)), "zh-Hans", "en") == []


@pytest.mark.parametrize("original, translation, missing, extra", [
    ("二〇二二年四月十五日，会议通过。", "The meeting adopted it on April 16, 2022.",
     ["15"], ["16"]),
    ("增长百分之十五。", "It grew by 50%.", ["15"], ["50"]),
    ("第五十四条 行政会议。", "Article 55 The Executive Council.", ["54"], ["55"]),
])
def test_numbers_that_differ_are_reported_with_both_sides(original, translation, missing,
                                                          extra):
    [finding] = check_numbers(rows((original, translation)), "zh-Hans", "en")
    assert finding.kind == "numbers"
    assert (finding.detail["missing"], finding.detail["extra"]) == (missing, extra)


def test_a_number_in_the_next_row_is_alignment_not_a_fault():
    pairs = rows(("一九九七年七月一日起实施。", "It shall come into force"),
                 ("", "on 1 July 1997."))
    assert check_numbers(pairs, "zh-Hans", "en") == []


# -- terminology -----------------------------------------------------------------------

def test_a_term_rendered_another_way_is_reported_with_what_was_used():
    [finding] = check_terminology(rows(
        ("坚持总体国家安全观。", "Uphold the comprehensive view of national security.")), [ENTRY])
    assert finding.detail["term"] == "总体国家安全观"
    assert "'holistic approach to national security'" in finding.message


@pytest.mark.parametrize("translation", [
    "Uphold a holistic approach to national security.",
    "Uphold the overall national security outlook.",
    "Uphold the Overall National Security Outlooks.",  # case and number aside
])
def test_the_canonical_rendering_or_a_variant_is_accepted(translation):
    assert check_terminology(rows(("坚持总体国家安全观。", translation)), [ENTRY]) == []


def test_defined_short_forms_and_cited_units_are_accepted():
    sar = parse_entry({"term": "特别行政区", "canonical": "special administrative region (SAR)"})
    paragraph = parse_entry({"term": "款", "canonical": "paragraph"})
    pairs = rows(("香港特别行政区可以自由离开。", "Holders may leave the Region freely."),
                 ("依照第二十二条第四款。", "In accordance with Article 22(4)."))
    assert check_terminology(pairs, [sar, paragraph]) == []


def test_two_character_everyday_words_are_not_checked():
    decision = parse_entry({"term": "决定", "canonical": "Decision"})
    assert check_terminology(rows(("由中央委员会决定。", "It is determined by the Committee.")),
                             [decision]) == []


# -- omissions, additions, repeats, consistency ----------------------------------------

def test_empty_sides_untranslated_chinese_and_repeats_are_reported():
    repeated = "The state shall protect the lawful rights and interests of citizens."
    pairs = rows(("第一句。", ""), ("", "An added sentence."),
                 ("第二句话。", "Second sentence with 中文 left in it."),
                 ("第三句话，完全不同。", repeated), ("第四句话，也不同。", repeated))
    kinds = [(f.kind, f.row) for f in (*check_empty_sides(pairs),
                                       *check_untranslated(pairs, "en"),
                                       *check_repeats(pairs))]
    assert kinds == [("omission", 0), ("addition", 1), ("untranslated", 2), ("repeated", 4)]


def test_a_length_ratio_far_from_the_document_norm_is_reported():
    usual = ("这是一个普通的中文句子，长度适中。", "An ordinary sentence of middling length.")
    pairs = rows(*[usual] * 12, (usual[0], "Short."))
    norm = length_norm(pairs)
    assert norm is not None
    assert [(f.kind, f.row) for f in check_length_ratios(pairs, norm)] == [("length", 12)]


def test_the_same_original_translated_twice_differently_is_inconsistent():
    pairs = rows(("本法自公布之日起施行。", "This Law shall come into force on promulgation."),
                 ("本法自公布之日起施行。", "This Law takes effect when promulgated."))
    assert [(f.kind, f.row) for f in check_repeated_originals(pairs)] == [("consistency", 1)]


def test_a_term_given_two_accepted_renderings_in_one_document_is_inconsistent():
    pairs = rows(("坚持总体国家安全观。", "Uphold a holistic approach to national security."),
                 ("贯彻总体国家安全观。", "Apply the holistic approach to national security."),
                 ("落实总体国家安全观。", "Implement the overall national security outlook."))
    [finding] = check_term_consistency(pairs, [ENTRY])
    assert finding.row == 2 and "overall national security outlook" in finding.message


def test_finding_keys_are_stable_and_every_finding_is_listed_once():
    pairs = rows(("第一句。", ""), ("第一句。", ""))
    first = check_rows(pairs, [], "zh-Hans", "en")
    assert [f.key for f in first] == [f.key for f in check_rows(pairs, [], "zh-Hans", "en")]
    assert len({f.key for f in first}) == len(first) == 2  # same texts: keyed by turn


# -- the service, the command and dismissals -------------------------------------------

@pytest.fixture
def checked_library(library):
    article = "第三条 人人有权享有生命、自由和人身安全。"
    zh = UDHR_ZH.replace(article, article + "2022年")
    add_document(library, {**UDHR_METADATA, "status": "published"}, zh, UDHR_EN)
    import_glossary(library, (json.dumps({"zh": "人身安全", "canonical_en": "personal safety"},
                                         ensure_ascii=False) + "\n").encode(), "jsonl")
    return library


def test_check_document_reports_findings_per_row_and_dismissals_hide_them(checked_library):
    from bitext.services.audit_log import audit_entries

    report = check_document(checked_library, "udhr")
    kinds = {f.kind for f in report.findings}
    assert {"numbers", "terminology"} <= kinds
    finding = next(f for f in report.findings if f.kind == "numbers")
    assert "2022" in finding.message
    with pytest.raises(InputError, match="reason"):
        dismiss_finding(checked_library, "udhr", finding.key, " ", user_id=None)
    dismiss_finding(checked_library, "udhr", finding.key, "the year is in a note",
                    user_id=None, address="192.0.2.1")
    again = check_document(checked_library, "udhr")
    assert finding.key not in {f.key for f in again.findings}
    assert again.dismissed == 1
    entry = audit_entries(checked_library).entries[0]
    assert entry.action == "qa.dismiss" and entry.detail["reason"] == "the year is in a note"
    data = plain_report(again)
    assert data["rows"] == report.rows and all(f["row"] >= 1 for f in data["findings"])


def test_the_qa_command_prints_json_and_refuses_an_unknown_document(checked_library,
                                                                    tmp_path):
    url = str(checked_library.url)
    checked_library.dispose()
    db = url.removeprefix("sqlite:///")
    done = subprocess.run([sys.executable, "-m", "bitext", "qa", "udhr", "--json", "--db", db],
                          capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["slug"] == "udhr" and report["findings"]
    missing = subprocess.run([sys.executable, "-m", "bitext", "qa", "nope", "--db", db],
                             capture_output=True, text=True)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "error: Document not found"


# -- precision on hand-checked findings ------------------------------------------------

def _fixture_findings(kind: str, entries):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for item in data[kind]:
        context = [Row(k, o, t) for k, (o, t) in enumerate(item["rows"])]
        norm = LengthNorm(*item["norm"]) if item["norm"] else None
        if kind == "terminology":
            found = [f for f in check_terminology(context, entries, norm)
                     if f.row == item["target"] and f.detail["term"] == item["term"]]
        else:
            found = [f for f in check_numbers(context, *item["languages"], norm)
                     if f.row == item["target"]]
        yield item, found


def test_terminology_findings_are_precise_on_hand_checked_findings(shared_data,
                                                                   record_property):
    from bitext.formats.glossary import read_glossary

    entries = read_glossary((shared_data / "glossary" / "formulations.jsonl").read_bytes(),
                            "jsonl")
    right = wrong = 0
    for item, found in _fixture_findings("terminology", entries):
        right += bool(found) and item["correct"]
        wrong += bool(found) and not item["correct"]
    record_property("terminology_precision", f"{right / (right + wrong):.3f} "
                                             f"({right}/{right + wrong})")
    assert right + wrong >= 40
    assert right / (right + wrong) >= MIN_PRECISION


def test_number_findings_are_precise_on_hand_checked_rows(record_property):
    right = wrong = missed = 0
    for item, found in _fixture_findings("numbers", []):
        right += bool(found) and item["correct"]
        wrong += bool(found) and not item["correct"]
        missed += not found and item["correct"]
    record_property("numbers_precision", f"{right / (right + wrong):.3f} ({right}/{right + wrong})")
    record_property("numbers_recall", f"{right / (right + missed):.3f}")
    assert right + wrong >= 20
    assert right / (right + wrong) >= MIN_PRECISION
