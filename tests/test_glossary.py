"""The glossary: files in and out (JSONL seed, CSV, TBX), revisions, hostile input, and
finding terms and their renderings in aligned text."""

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.glossary.entry import ENTRY_MAX_BYTES, GlossaryEntry, parse_entry
from bitext.core.glossary.occurrences import find_terms
from bitext.core.glossary.renderings import find_rendering, rendering_span
from bitext.errors import InputError
from bitext.formats.glossary import read_glossary, write_csv, write_tbx
from bitext.services.glossary import (
    entry_page,
    export_glossary,
    glossary_entries,
    import_glossary,
    save_entry,
)

ENTRY = {"zh": "四个意识", "zh_hant": "四個意識", "pinyin": "sì gè yì shí",
         "canonical_en": "Four Consciousnesses", "variants_en": ["four-sphere consciousness"],
         "expansion_zh": "政治意识、大局意识、核心意识、看齐意识",
         "category": "numbered formulation"}


def jsonl(*entries: dict) -> bytes:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries).encode()


def test_the_seed_glossary_imports_and_a_second_import_changes_nothing(library, shared_data):
    data = (shared_data / "glossary" / "formulations.jsonl").read_bytes()
    first = import_glossary(library, data, "jsonl")
    assert (first.added, first.revised) == (109, 0)
    again = import_glossary(library, data, "jsonl")
    assert (again.added, again.revised, again.unchanged) == (0, 0, 109)
    terms = {e.term: e for e in glossary_entries(library)}
    assert terms["四个意识"].expansion_zh == "政治意识、大局意识、核心意识、看齐意识"
    assert terms["四个意识"].canonical_is_official


def test_a_changed_entry_becomes_a_new_revision(library):
    import_glossary(library, jsonl(ENTRY), "jsonl")
    import_glossary(library, jsonl({**ENTRY, "canonical_en": "Four Awarenesses"}), "jsonl",
                    note="house style")
    page = entry_page(library, "四个意识")
    assert page.entry.canonical == "Four Awarenesses"
    assert [r.number for r in page.revisions] == [2, 1]
    assert page.revisions[0].note == "house style"


def test_tbx_csv_and_jsonl_exports_read_back_equal(library, shared_data):
    import_glossary(library, (shared_data / "glossary" / "formulations.jsonl").read_bytes(),
                    "jsonl")
    entries = glossary_entries(library)
    for file_format in ("tbx", "csv", "jsonl"):
        assert read_glossary(export_glossary(library, file_format), file_format) == entries


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs",
                                                                                    "Zl", "Zp")),
                        min_size=1, max_size=30).map(str.strip).filter(bool),
                min_size=1, max_size=5, unique=True))
def test_tbx_round_trip_keeps_every_rendering(renderings):
    entry = parse_entry({"term": "总体国家安全观", "canonical": renderings[0],
                         "variants": renderings[1:]})
    assert read_glossary(write_tbx([entry]), "tbx") == [entry]
    assert read_glossary(write_csv([entry]).encode(), "csv")[0].canonical == entry.canonical


def test_markup_in_a_term_is_kept_as_text_and_shown_inert(library):
    from fastapi.testclient import TestClient

    from bitext.web.app import create_app

    hostile = {**ENTRY, "zh": "<script>alert(1)</script>",
               "canonical_en": "<img src=x onerror=alert(1)>"}
    import_glossary(library, jsonl(hostile), "jsonl")
    client = TestClient(create_app(library))
    for url in ("/glossary", "/glossary/<script>alert(1)</script>"):
        html = client.get(url).text
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("entry, problem", [
    ({**ENTRY, "notes": "x" * 5000}, "longer than"),
    ({**ENTRY, "variants_en": [f"v{i}" for i in range(101)]}, "more than 100"),
    ({**ENTRY, "zh": "长" * 201}, "longer than 200"),
    ({**ENTRY, "canonical_en": "bell\x07"}, "control character"),
    ({**ENTRY, "zh": ""}, "needs a term"),
    ({**ENTRY, "variants_en": "x", "sources": [1]}, "must be text"),
])
def test_bad_entries_are_refused_and_nothing_is_written(library, entry, problem):
    with pytest.raises(InputError, match=problem):
        import_glossary(library, jsonl({**ENTRY, "zh": "五位一体"}, entry), "jsonl")
    assert glossary_entries(library) == []


def test_an_entry_too_large_as_a_whole_is_refused():
    huge = {**ENTRY, "sources": ["s" * 3000 + str(i) for i in range(30)]}
    with pytest.raises(InputError, match=f"larger than {ENTRY_MAX_BYTES // 1024} KB"):
        parse_entry(huge)


def test_a_repeated_term_refuses_the_file(library):
    with pytest.raises(InputError, match="appears twice"):
        import_glossary(library, jsonl(ENTRY, ENTRY), "jsonl")
    assert glossary_entries(library) == []


@pytest.mark.parametrize("tbx, problem", [
    (b'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY lol "lol">]><tbx><text><body>'
     b"<conceptEntry><langSec xml:lang='zh'><termSec><term>&lol;</term></termSec></langSec>"
     b"</conceptEntry></body></text></tbx>", "refused"),
    (b'<?xml version="1.0"?><!DOCTYPE tbx SYSTEM "http://evil.example/x.dtd"><tbx/>',
     "refused"),
    (b"<tbx><text><body><conceptEntry>", "not well-formed"),
    (b"<html><body/></html>", "not a TBX file"),
])
def test_malformed_or_hostile_tbx_is_refused(library, tbx, problem):
    with pytest.raises(InputError, match=problem):
        import_glossary(library, tbx, "tbx")
    assert glossary_entries(library) == []


def test_an_editor_correction_is_a_revision_with_its_note_in_the_audit_log(library):
    from bitext.services.audit_log import audit_entries

    import_glossary(library, jsonl(ENTRY), "jsonl")
    fields = {**parse_entry(ENTRY).as_dict(), "variants": ["Four Awarenesses"]}
    assert save_entry(library, fields, note="seen in Xinhua", user_id=None).revision == 2
    assert save_entry(library, fields, note="again", user_id=None).revision == 0
    with pytest.raises(InputError, match="note"):
        save_entry(library, fields, note=" ", user_id=None)
    assert [e.action for e in audit_entries(library).entries][:2] == [
        "glossary.edit", "glossary.import"]


def test_terms_are_found_longest_first_in_either_script_and_units_only_when_numbered():
    terms = ["全国人民代表大会", "全国人民代表大会常务委员会", "条", "章"]
    text = "第十二条 全國人民代表大會常務委員會決定修改章程，全国人民代表大会通过。"
    found = [(o.term, text[o.start:o.end]) for o in find_terms(text, terms)]
    assert found == [("条", "第十二条"),
                     ("全国人民代表大会常务委员会", "全國人民代表大會常務委員會"),
                     ("全国人民代表大会", "全国人民代表大会")]


def test_a_known_rendering_is_recognised_in_another_word_order_and_number():
    text = "The Standing Committees of the National People’s Congress shall meet."
    assert rendering_span("National People's Congress Standing Committee", text) is not None
    assert rendering_span("Politburo", "The Political Bureau shall meet.") is None
    found = find_rendering(["Political Bureau of the CPC Central Committee"],
                           "It is convened by the Political Bureau of the Central Committee.")
    assert found is not None and found.known is None
    assert found.text == "Political Bureau of the Central Committee"


def test_entry_fields_keep_their_order_and_types():
    entry = parse_entry(ENTRY)
    assert isinstance(entry, GlossaryEntry)
    assert entry.renderings() == ("Four Consciousnesses", "four-sphere consciousness")


def test_the_glossary_commands_import_list_export_and_refuse_with_one_line(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "library.db"
    seed = tmp_path / "seed.jsonl"
    seed.write_bytes(jsonl(ENTRY, {**ENTRY, "zh": "五位一体", "canonical_en": "Five-sphere"}))

    def bitext(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bitext", *args, "--db", str(db)],
                              capture_output=True, text=True)

    assert bitext("glossary", "import", str(seed)).stdout.strip() == (
        "2 added, 0 revised, 0 unchanged")
    listed = bitext("glossary", "list").stdout.splitlines()
    assert listed == ["五位一体\tFive-sphere\t0", "四个意识\tFour Consciousnesses\t0"]
    out = tmp_path / "g.tbx"
    assert bitext("glossary", "export", "--format", "tbx", "-o", str(out)).returncode == 0
    assert [e.term for e in read_glossary(out.read_bytes(), "tbx")] == ["五位一体", "四个意识"]
    bad = tmp_path / "bad.tbx"
    bad.write_bytes(b'<!DOCTYPE tbx [<!ENTITY x "y">]><tbx>&x;</tbx>')
    refused = bitext("glossary", "import", str(bad))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("error: XML input")
    unknown = bitext("glossary", "import", str(tmp_path / "g.txt"))
    assert unknown.returncode == 1 and "error:" in unknown.stderr


TERMS = ["全国人民代表大会", "全国人民代表大会常务委员会", "人民代表", "条", "代表大会"]


@given(st.lists(st.sampled_from([*TERMS, "第十二条", "第3条", "的", "全国", "常务委员会",
                                 "條", "全國人民代表大會", "，"]), max_size=30).map("".join))
def test_occurrences_are_ordered_disjoint_and_each_is_its_term(text):
    from bitext.core.text.tokenize import fold

    found = find_terms(text, TERMS)
    ends = [0] + [o.end for o in found]
    assert all(o.start >= end for o, end in zip(found, ends, strict=False))  # no overlap
    for o in found:
        piece = fold(text[o.start:o.end])
        assert piece == o.term or (len(o.term) == 1 and piece.startswith("第")
                                   and piece.endswith(o.term))
    # nothing lost: a term in the text is inside some occurrence (longest first)
    for term in TERMS[:2]:
        for k in range(len(text)):
            if fold(text).startswith(term, k):
                assert any(o.start <= k < o.end for o in found)


def test_revisions_and_usage_are_the_same_on_both_databases(any_library):
    from bitext.services.library import add_document
    from tests.samples import UDHR_EN, UDHR_METADATA, UDHR_ZH

    add_document(any_library, {**UDHR_METADATA, "status": "published"}, UDHR_ZH, UDHR_EN)
    entry = {"zh": "人身安全", "canonical_en": "security of person"}
    import_glossary(any_library, jsonl(entry), "jsonl")
    import_glossary(any_library, jsonl({**entry, "variants_en": ["personal security"]}),
                    "jsonl")
    page = entry_page(any_library, "人身安全")
    assert [r.number for r in page.revisions] == [2, 1]
    assert page.total == 1
    assert [(r.text, r.count) for r in page.renderings] == [("security of person", 1)]
    assert [(y.year, y.occurrences) for y in page.years] == [(1948, 1)]


@given(st.sampled_from(["=SUM(A1)", "+1", "-2", "@x", "'=quoted", "'", "plain"]))
def test_glossary_csv_cells_cannot_become_formulas_and_read_back_as_written(start):
    entry = parse_entry({"term": "总体国家安全观", "canonical": f"{start} rendering",
                         "variants": [f"{start} variant"], "notes": start})
    written = write_csv([entry])
    cells = next(csv.DictReader(io.StringIO(written)))
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells.values())
    assert read_glossary(written.encode(), "csv") == [entry]
