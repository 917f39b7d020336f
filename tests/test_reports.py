"""Reader error reports: validation, rate limit, the queue, linking to a fix."""

import pytest

from bitext.errors import InputError, NotFound
from bitext.services import reports
from bitext.services.accounts import add_user
from bitext.services.editing import edit_paragraph
from bitext.services.library import add_document
from bitext.services.reading import get_document

META = {"slug": "doc", "title_original": "宣言", "title_translation": "Declaration",
        "language_original": "zh-Hans", "language_translation": "en", "status": "published"}


@pytest.fixture
def paragraph(library):
    add_document(library, META, "第一条。\n第二条。\n", "Article 1.\nArticel 2.\n")
    return get_document(library, "doc").rows[1].translation[0].id


def test_report_queue_and_accepting_with_the_fixing_revision(library, paragraph):
    report_id = reports.submit_report(library, "doc", paragraph, "translation", "Articel",
                                      "Article", "reader@example.org", "127.0.0.1")
    queue = reports.list_reports(library)
    assert [r.id for r in queue] == [report_id] and queue[0].quoted == "Articel"
    side, original, translation = reports.paragraph_pair(library, report_id)
    assert (side, original, translation) == ("translation", ["第二条。"], ["Articel 2."])
    editor = add_user(library, "ed", "a long passphrase", "editor")
    edit_paragraph(library, editor, "doc", "translation", paragraph, 1, "Article 2.", "spelling")
    reports.resolve_report(library, editor, report_id, "accepted", revision_number=2)
    assert reports.list_reports(library) == []
    assert reports.list_reports(library, "accepted")[0].revision_number == 2


@pytest.mark.parametrize(("fields", "message"), [
    ({"suggestion": "  "}, "describe the error"),
    ({"email": "not-an-address"}, "email"),
    ({"suggestion": "x" * 6000}, "too long"),
    ({"side": "middle"}, "side"),
    ({"paragraph": 999999}, "not in the current text"),
])
def test_bad_reports_are_refused(library, paragraph, fields, message):
    args = {"paragraph": paragraph, "side": "translation", "quoted": "q", "suggestion": "s",
            "email": None, **fields}
    with pytest.raises(InputError, match=message):
        reports.submit_report(library, "doc", args["paragraph"], args["side"], args["quoted"],
                              args["suggestion"], args["email"], "127.0.0.1")
    assert reports.list_reports(library) == []


def test_reports_on_drafts_are_not_found(library, paragraph):
    add_document(library, {**META, "slug": "draft", "status": "draft"}, "一。", "One.")
    with pytest.raises(NotFound):
        reports.submit_report(library, "draft", paragraph, "translation", "", "fix", None, "a")


def test_rate_limit_per_address(library, paragraph):
    for _ in range(reports.REPORTS_PER_ADDRESS_PER_HOUR):
        reports.submit_report(library, "doc", paragraph, "translation", "", "fix", None, "1.2.3.4")
    with pytest.raises(reports.RateLimited):
        reports.submit_report(library, "doc", paragraph, "translation", "", "fix", None, "1.2.3.4")
    reports.submit_report(library, "doc", paragraph, "translation", "", "fix", None, "5.6.7.8")
