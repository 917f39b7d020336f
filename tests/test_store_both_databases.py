"""The store's statements give the same answers on SQLite and PostgreSQL, through the
services that use them: accounts, listings and feeds, history, reports, audit and doctor."""

import pytest

from bitext.errors import InputError
from bitext.services import accounts, reports
from bitext.services.audit_log import audit_entries
from bitext.services.doctor import check_library
from bitext.services.editing import edit_metadata, edit_paragraph
from bitext.services.export import published_slugs
from bitext.services.feeds import recent_updates
from bitext.services.history import diff_revisions, history_page, locate_paragraph
from bitext.services.library import add_document, set_status
from bitext.services.reading import DocumentFilters, facet_values, get_document, list_documents

PUBLISHED = {"language_original": "zh-Hans", "language_translation": "en",
             "status": "published"}


def _add(library, slug: str, **fields) -> None:
    add_document(library, {"slug": slug, "title_original": "宣言",
                           "title_translation": slug.title(), **PUBLISHED, **fields},
                 "第一条。\n第二条。\n", "Article 1.\nArticel 2.\n")


def test_accounts_sessions_and_throttling(any_library):
    accounts.add_user(any_library, "Ed", "a long passphrase", "editor")
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user(any_library, "ed", "another passphrase", "editor")
    with pytest.raises(InputError, match="wrong user name or password"):
        accounts.log_in(any_library, "ed", "wrong password", "10.0.0.1")
    token = accounts.log_in(any_library, "ed", "a long passphrase", "10.0.0.1")
    assert accounts.account_for(any_library, token).name == "ed"
    [summary] = accounts.list_accounts(any_library)
    assert (summary.name, summary.sessions, summary.disabled) == ("ed", 1, False)
    assert accounts.revoke_sessions(any_library, "ed") == 1
    assert accounts.account_for(any_library, token) is None
    backoff = accounts.LoginBackoff(0, 60, 60, 600)
    with pytest.raises(InputError):
        accounts.log_in(any_library, "ed", "wrong password", "10.0.0.2", backoff=backoff)
    with pytest.raises(accounts.TooManyAttempts):
        accounts.log_in(any_library, "ed", "a long passphrase", "10.0.0.2", backoff=backoff)


def test_listings_filters_and_feed_order(any_library):
    _add(any_library, "older", date="1949-10-01", tags=["law"], source_translation="Gazette")
    _add(any_library, "newer", date="1982-12-04", tags=["constitution"])
    _add(any_library, "undated")
    _add(any_library, "draft", status="draft")
    page = list_documents(any_library, DocumentFilters(), per_page=2)
    assert (page.total, [d.slug for d in page.items]) == (3, ["newer", "older"])
    assert [d.slug for d in list_documents(any_library, DocumentFilters(), page=2,
                                           per_page=2).items] == ["undated"]
    assert [d.slug for d in list_documents(any_library, DocumentFilters(tag="law")).items] \
        == ["older"]
    assert [d.slug for d in list_documents(any_library, DocumentFilters(year=1982)).items] \
        == ["newer"]
    assert list_documents(any_library, DocumentFilters(source="Gazette")).total == 1
    facets = facet_values(any_library)
    assert (facets.tags, facets.sources, facets.years) == (
        ["constitution", "law"], ["Gazette"], [1982, 1949])
    assert published_slugs(any_library) == ["newer", "older", "undated"]
    editor = accounts.add_user(any_library, "ed", "a long passphrase", "editor")
    edit_metadata(any_library, editor, "older", 0, {"summary": "Founding."}, "a summary")
    assert [u.slug for u in recent_updates(any_library)][0] == "older"
    set_status(any_library, "draft", "published")
    assert "draft" in published_slugs(any_library)


def test_history_reports_and_audit(any_library):
    _add(any_library, "doc")
    editor = accounts.add_user(any_library, "ed", "a long passphrase", "editor")
    old_id = get_document(any_library, "doc").rows[1].translation[0].id
    report_id = reports.submit_report(any_library, "doc", old_id, "translation", "Articel",
                                      "Article", None, "127.0.0.1")
    assert reports.count_reports(any_library) == 1
    assert reports.paragraph_pair(any_library, report_id) == (
        "translation", ["第二条。"], ["Articel 2."])
    edit_paragraph(any_library, editor, "doc", "translation", old_id, 1, "Article 2.",
                   "spelling")
    edit_metadata(any_library, editor, "doc", 0, {"summary": "A test."}, "summary")
    reports.resolve_report(any_library, editor, report_id, "accepted", revision_number=2)
    assert reports.list_reports(any_library, "accepted")[0].revision_number == 2
    history = history_page(any_library, "doc", per_page=2)
    # three text revisions (both sides, then the edit), a metadata snapshot, two alignments
    assert (history.total, len(history.changes), history.pages) == (6, 2, 3)
    assert {c.editor for c in history.changes} == {"ed"}
    assert [r.tag for r in diff_revisions(any_library, "doc", "translation", 1, 2)] == [
        "equal", "replace"]
    located = locate_paragraph(any_library, "doc", old_id)
    assert (located.row, located.changed) == (2, True)
    newest = audit_entries(any_library, limit=2)
    assert [e.action for e in newest.entries] == ["report.accepted", "metadata.edit"]
    older = audit_entries(any_library, before=newest.older, limit=100)
    assert older.older is None and "document.add" in [e.action for e in older.entries]
    assert all(f.ok for f in check_library(any_library)), check_library(any_library)
