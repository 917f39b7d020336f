"""Concepts defined once: every layer that applies one must agree with its definition.

Each test moves a value to either side of the one definition and checks that every user
of it changes its answer there, so a second, drifting copy would fail.
"""

from dataclasses import replace

from samples import UDHR_EN, UDHR_ZH

from bitext.core.align.engine import DEFAULT_LOW_CONFIDENCE
from bitext.services.library import add_document
from bitext.services.reading import EVERY_STATUS, get_document
from bitext.web.views.document import ReaderPage
from bitext.web.views.editorial import BeadLine

JUST_BELOW = DEFAULT_LOW_CONFIDENCE - 1e-9


def _udhr(library):
    add_document(library, {
        "slug": "udhr", "title_original": "世界人权宣言",
        "title_translation": "Universal Declaration of Human Rights",
        "language_original": "zh-Hans", "language_translation": "en",
    }, UDHR_ZH, UDHR_EN)
    return get_document(library, "udhr", statuses=EVERY_STATUS)


def test_reader_marks_uncertain_rows_at_the_aligners_threshold(library):
    document = _udhr(library)
    page = ReaderPage(document, "side", "https://example.org/documents/udhr")
    row = document.rows[0]
    assert page.is_uncertain(replace(row, score=JUST_BELOW))
    assert not page.is_uncertain(replace(row, score=DEFAULT_LOW_CONFIDENCE))


def test_alignment_page_marks_uncertain_beads_at_the_aligners_threshold():
    line = BeadLine(0, 1, ["原文"], ["text"], JUST_BELOW, confirmed=False)
    assert line.uncertain
    assert not replace(line, score=DEFAULT_LOW_CONFIDENCE).uncertain
    assert not replace(line, confirmed=True).uncertain  # an editor's link is not in doubt
