"""Stored translation checks: a check runs in the transaction of the import, of each text
correction and of each alignment edit, its findings are kept with the alignment, and the
history says what each change fixed or broke; on SQLite and PostgreSQL."""

import json

import pytest
from sqlalchemy import func, select

from bitext.errors import InputError
from bitext.services import editing
from bitext.services.accounts import add_user
from bitext.services.glossary import import_glossary
from bitext.services.importing import import_bytes
from bitext.services.library import add_document
from bitext.services.qa import check_document, check_history, run_checks
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.store.schema import QaCheck

META = {"slug": "doc", "title_original": "决定", "title_translation": "Decision",
        "language_original": "zh-Hans", "language_translation": "en", "status": "draft"}
ZH = "第一条。本决定于二〇二二年四月十五日通过。\n第二条。人人平等。\n第三条。增长百分之十五。\n"
EN = ("Article 1. This Decision was adopted on April 16, 2022.\nArticle 2. All are equal.\n"
      "Article 3. It grew by 15%.\n")


@pytest.fixture
def doc(any_library):
    add_document(any_library, META, ZH, EN)
    return any_library


@pytest.fixture
def editor(any_library):
    return add_user(any_library, "editor1", "correct horse battery", "editor")


def _stored(database) -> list[QaCheck]:
    with database.reader() as session:
        return list(session.scalars(select(QaCheck).order_by(QaCheck.id)))


def _translation_paragraph(database, row):
    return get_document(database, "doc", statuses=EVERY_STATUS).rows[row].translation[0]


def test_the_import_stores_its_check_and_the_report_reads_it(doc):
    [check] = _stored(doc)
    assert check.trigger == "import" and check.rows == 6
    assert [f["kind"] for f in check.findings] == ["numbers"]
    report = check_document(doc, "doc")
    assert [f.key for f in report.findings] == [check.findings[0]["key"]]
    assert "16" in report.findings[0].message


def test_a_correction_stores_a_check_that_says_what_it_resolved(doc, editor):
    paragraph = _translation_paragraph(doc, 0)
    editing.edit_paragraph(doc, editor, "doc", "translation", paragraph.id, 1,
                           "Article 1. This Decision was adopted on April 15, 2022.", "date")
    checks = _stored(doc)
    assert [c.trigger for c in checks] == ["import", "correction"]
    assert checks[-1].findings == [] and check_document(doc, "doc").findings == []
    latest, first = check_history(doc, "doc")
    assert (latest.trigger, latest.revisions, latest.findings) == ("correction", (1, 2), 0)
    assert (latest.new, latest.resolved) == (0, 1)
    assert (first.trigger, first.revisions, first.new, first.resolved) == ("import", (1, 1),
                                                                            1, 0)


def test_a_correction_that_breaks_a_number_is_a_new_finding(doc, editor):
    paragraph = _translation_paragraph(doc, 2)
    editing.edit_paragraph(doc, editor, "doc", "translation", paragraph.id, 1,
                           "Article 3. It grew by 50%.", "wording")
    latest = check_history(doc, "doc")[0]
    assert (latest.findings, latest.new, latest.resolved) == (2, 1, 0)
    assert any("50" in f.message for f in check_document(doc, "doc").findings)


def test_an_alignment_edit_stores_a_check(doc, editor):
    base = get_document(doc, "doc", statuses=EVERY_STATUS).alignment_id
    editing.edit_alignment(doc, editor, "doc", base, "paragraph", 0, "merge")
    assert [c.trigger for c in _stored(doc)] == ["import", "alignment"]


def test_a_refused_correction_stores_no_check(doc, editor):
    paragraph = _translation_paragraph(doc, 0)
    with pytest.raises(InputError):
        editing.edit_paragraph(doc, editor, "doc", "translation", paragraph.id, 1,
                               paragraph.text, "unchanged")
    with pytest.raises(editing.EditConflict):
        editing.edit_paragraph(doc, editor, "doc", "translation", paragraph.id, 7, "Other.",
                               "stale revision")
    assert len(_stored(doc)) == 1


def test_an_import_refused_at_its_second_document_stores_no_check(any_library):
    """The first document's rows and check were written in the transaction the second
    document's clash rolled back."""
    lines = []
    for title in ("一", "二"):
        metadata = {**META, "slug": "same", "title_original": title}
        lines += [{"kind": "document", "metadata": metadata, "language_source": "zh-Hans",
                   "language_target": "en"},
                  {"kind": "bead", "source": ["二〇二二年通过。"], "target": ["Adopted in 2023."]}]
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    with pytest.raises(InputError):
        import_bytes(any_library, data, "jsonl")
    assert _stored(any_library) == []
    with any_library.reader() as session:
        assert session.scalar(select(func.count()).select_from(QaCheck)) == 0


def test_a_check_on_demand_is_stored_only_when_the_glossary_or_rows_changed(doc):
    run_checks(doc, "doc")
    assert len(_stored(doc)) == 1  # the import's check is current
    entry = {"zh": "人人平等", "canonical_en": "everyone is equal before the law"}
    import_glossary(doc, (json.dumps(entry, ensure_ascii=False) + "\n").encode(), "jsonl")
    report = run_checks(doc, "doc")
    checks = _stored(doc)
    assert [c.trigger for c in checks] == ["import", "demand"]
    assert {f["kind"] for f in checks[-1].findings} == {"numbers", "terminology"}
    assert {f.kind for f in report.findings} == {"numbers", "terminology"}
    run_checks(doc, "doc")
    assert len(_stored(doc)) == 2


# -- publishing with open findings -----------------------------------------------------

def test_publishing_with_open_findings_needs_a_confirmation_and_a_note(doc, editor):
    from bitext.services.audit_log import audit_entries
    from bitext.services.qa import OpenFindings

    with pytest.raises(OpenFindings, match="1 open translation-check finding:"):
        editing.change_status(doc, editor, "doc", "published")
    with pytest.raises(InputError, match="note"):
        editing.change_status(doc, editor, "doc", "published", despite_findings=True,
                              note="  ")
    assert get_document(doc, "doc", statuses=EVERY_STATUS).meta.status == "draft"
    editing.change_status(doc, editor, "doc", "published", despite_findings=True,
                          note="the date is\nas printed", address="192.0.2.1")
    assert get_document(doc, "doc").meta.status == "published"
    entry = audit_entries(doc).entries[0]
    assert entry.action == "document.status"
    assert entry.detail == {"from": "draft", "to": "published", "open_findings": 1,
                            "note": "the date is as printed"}


def test_a_document_without_open_findings_publishes_without_a_question(doc, editor):
    from bitext.services.qa import check_document, dismiss_finding

    [finding] = check_document(doc, "doc").findings
    dismiss_finding(doc, "doc", finding.key, "the printed date", user_id=editor.id)
    editing.change_status(doc, editor, "doc", "published")
    assert get_document(doc, "doc").meta.status == "published"


def test_a_refused_status_change_is_not_asked_about_findings(doc, editor):
    with pytest.raises(InputError, match="a draft document cannot become withdrawn"):
        editing.change_status(doc, editor, "doc", "withdrawn")


def test_bitext_publish_asks_for_despite_findings_and_a_note(doc):
    import subprocess
    import sys

    if not doc.is_sqlite:
        pytest.skip("the command is exercised once, on the SQLite file")
    db = str(doc.url).removeprefix("sqlite:///")
    doc.dispose()

    def publish(*options):
        return subprocess.run([sys.executable, "-m", "bitext", "publish", "doc", "--db", db,
                               *options], capture_output=True, text=True)

    refused = publish()
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "error: the document has 1 open translation-check finding: confirm publishing it "
        "anyway and say why in the note")
    assert publish("--despite-findings").returncode == 1
    done = publish("--despite-findings", "--note", "checked against the gazette")
    assert done.returncode == 0, done.stderr
    assert get_document(doc, "doc").meta.status == "published"
