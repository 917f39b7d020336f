"""The reader: one document as original, translation, or side by side."""

from dataclasses import dataclass
from typing import Literal, TypeGuard
from urllib.parse import quote, urlencode

from bitext.core.text.languages import joins_without_spaces
from bitext.services.accounts import Account
from bitext.services.editing import STATUS_CHANGES
from bitext.services.history import Change, corrections
from bitext.services.library import Library
from bitext.services.reading import EVERY_STATUS, PUBLIC_STATUSES, DocumentView, Row, get_document

View = Literal["side", "original", "translation"]
VIEWS: dict[View, str] = {  # in the order the view switch shows them
    "original": "Original", "translation": "Translation", "side": "Side by side"
}
DEFAULT_VIEW: View = "side"


def is_view(name: str | None) -> TypeGuard[View]:
    return name in VIEWS


# Paragraph beads scored below this are marked as uncertain (a hint for editors and
# careful readers that the two sides of the row may not match).
LOW_CONFIDENCE_SCORE = 0.2


def safe_link(url: str | None) -> str | None:
    """Only http(s) addresses become links; anything else is shown as text or not at all."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def mailto_link(subject: str, url: str) -> str:
    return "mailto:?" + urlencode({"subject": subject, "body": f"{subject}\n{url}"},
                                  quote_via=quote)


STATUS_ACTIONS = {"published": "Publish", "withdrawn": "Withdraw", "draft": "Back to draft"}
NOTICES = {
    "reported": "Thank you: your report was sent to the editors.",
    "saved": "Your correction was saved.",
    "changed": "The paragraph you linked to has been corrected since; this is its current "
               "text. The history shows what changed.",
    "status": "The status was changed.",
}


@dataclass(frozen=True)
class ReaderPage:
    document: DocumentView
    view: View
    url: str  # absolute URL of the document, for share links and print
    account: Account | None = None  # an editor sees drafts, edit links and status buttons
    corrections: tuple[Change, ...] = ()
    notice: str | None = None
    changed_row: int | None = None

    @property
    def is_editor(self) -> bool:
        return self.account is not None

    @property
    def status_actions(self) -> list[tuple[str, str]]:
        return [(status, STATUS_ACTIONS[status])
                for status in sorted(STATUS_CHANGES.get(self.meta.status, ()))]

    @property
    def notes(self) -> list[str]:
        """The editors' notes on corrections, newest first, each once."""
        return list(dict.fromkeys(c.note for c in self.corrections if c.note))

    @property
    def meta(self):
        return self.document.meta

    @property
    def views(self) -> list[tuple[str, str]]:
        return list(VIEWS.items())

    @property
    def show_original(self) -> bool:
        return self.view in ("side", "original")

    @property
    def show_translation(self) -> bool:
        return self.view in ("side", "translation")

    @property
    def joiner_original(self) -> str:
        return "" if joins_without_spaces(self.meta.language_original) else " "

    @property
    def joiner_translation(self) -> str:
        return "" if joins_without_spaces(self.meta.language_translation) else " "

    @property
    def url_original(self) -> str | None:
        return safe_link(self.meta.url_original)

    @property
    def mailto(self) -> str:
        return mailto_link(self.meta.title_translation, self.url)

    def is_uncertain(self, row: Row) -> bool:
        return row.score < LOW_CONFIDENCE_SCORE

    def permalink(self, row: Row) -> str:
        return f"{self.url}#p{row.number}"


def reader_page(
    database: Library, slug: str, view: str | None, url: str, *,
    account: Account | None = None, notice: str | None = None, changed_row: int | None = None,
) -> ReaderPage:
    chosen: View = view if is_view(view) else DEFAULT_VIEW
    statuses = EVERY_STATUS if account else PUBLIC_STATUSES
    document = get_document(database, slug, statuses=statuses)
    changes = tuple(corrections(database, slug, statuses=statuses))
    return ReaderPage(document, chosen, url, account, changes,
                      NOTICES.get(notice or ""), changed_row)
