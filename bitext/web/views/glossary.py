"""The glossary pages: the index of terms and one page per term, with what the published
library does with it (occurrences as parallel lines, renderings used with counts, and a
frequency chart drawn here as SVG, readable without JavaScript, with its numbers beside).
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from bitext.core.glossary.entry import FIELD_MAX_CHARS, TERM_MAX_CHARS, GlossaryEntry
from bitext.core.glossary.usage import YearFrequency
from bitext.errors import BitextError
from bitext.services.glossary import (
    entry_page,
    export_glossary,
    glossary_entries,
    glossary_index,
    save_entry,
)
from bitext.web.dependencies import EditorDep, LibraryDep, render, see_other
from bitext.web.security import client_address
from bitext.web.templating import path_for

router = APIRouter()

CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 640, 220, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    year: int
    value: float


def chart_bars(years: list[YearFrequency]) -> list[Bar]:
    """Bars of occurrences per million characters, one per year, scaled to the chart."""
    if not years:
        return []
    top = max(y.per_million for y in years) or 1.0
    step = (CHART_WIDTH - 2 * CHART_MARGIN) / len(years)
    usable = CHART_HEIGHT - 2 * CHART_MARGIN
    bars = []
    for k, year in enumerate(years):
        height = usable * year.per_million / top
        bars.append(Bar(CHART_MARGIN + k * step + step * 0.15,
                        CHART_HEIGHT - CHART_MARGIN - height, step * 0.7, height,
                        year.year, year.per_million))
    return bars


@router.get("/glossary", response_class=HTMLResponse, name="glossary",
            include_in_schema=False)
def glossary_page(request: Request, library: LibraryDep) -> HTMLResponse:
    return render(request, "glossary.html", summaries=glossary_index(library))


@router.get("/glossary.tbx", name="glossary_tbx", include_in_schema=False)
def glossary_tbx(library: LibraryDep) -> Response:
    return Response(export_glossary(library, "tbx"),
                    media_type="application/x-tbx+xml",
                    headers={"Content-Disposition": 'attachment; filename="glossary.tbx"'})


@router.get("/glossary/{term:path}", response_class=HTMLResponse, name="glossary_entry",
            include_in_schema=False)
def glossary_entry_page(request: Request, library: LibraryDep, term: str) -> HTMLResponse:
    page = entry_page(library, term)
    return render(request, "glossary_entry.html", page=page, bars=chart_bars(page.years),
                  chart={"width": CHART_WIDTH, "height": CHART_HEIGHT,
                         "margin": CHART_MARGIN})


# -- editors: add or correct an entry ---------------------------------------------------

FieldText = Annotated[str, Form(max_length=FIELD_MAX_CHARS)]
ListText = Annotated[str, Form(max_length=FIELD_MAX_CHARS * 4)]
LIST_FIELDS = ("variants", "sources")  # one item a line in the form


def _form_values(entry: GlossaryEntry | None) -> dict[str, str | bool]:
    if entry is None:
        return {}
    data = entry.as_dict()
    return {k: "\n".join(v) if k in LIST_FIELDS else v for k, v in data.items()}


@router.get("/editor/glossary", response_class=HTMLResponse, name="glossary_edit",
            include_in_schema=False)
def glossary_edit_form(request: Request, library: LibraryDep, editor: EditorDep,
                       term: Annotated[str, Query(max_length=TERM_MAX_CHARS)] = ""
                       ) -> HTMLResponse:
    """The form for a new entry, or (``?term=``) for correcting one."""
    entry = entry_page(library, term).entry if term else None
    return render(request, "glossary_edit.html", values=_form_values(entry),
                  existing=entry is not None, message=None)


@router.post("/editor/glossary", name="glossary_edit_post", include_in_schema=False)
def glossary_edit(
    request: Request, library: LibraryDep, editor: EditorDep,
    term: Annotated[str, Form(max_length=TERM_MAX_CHARS * 2)] = "",
    term_hant: FieldText = "", pinyin: FieldText = "", canonical: FieldText = "",
    canonical_source: FieldText = "", canonical_is_official: FieldText = "",
    variants: ListText = "", expansion_zh: FieldText = "", expansion_en: FieldText = "",
    category: FieldText = "", notes: FieldText = "", first_seen: FieldText = "",
    sources: ListText = "", note: FieldText = "", existing: FieldText = "",
):
    values: dict[str, object] = {
        "term": term, "term_hant": term_hant, "pinyin": pinyin, "canonical": canonical,
        "canonical_source": canonical_source,
        "canonical_is_official": canonical_is_official == "yes",
        "variants": variants.splitlines(), "expansion_zh": expansion_zh,
        "expansion_en": expansion_en, "category": category, "notes": notes,
        "first_seen": first_seen, "sources": sources.splitlines(),
    }
    try:
        saved = save_entry(library, values, note=note, user_id=editor.id,
                           address=client_address(request))
    except BitextError as error:
        shown = {k: "\n".join(v) if isinstance(v, list) else v for k, v in values.items()}
        return render(request, "glossary_edit.html", error.status, values=shown,
                      existing=existing == "yes", message=error.message, note=note)
    return see_other(path_for(request, "glossary_entry", term=saved.term))


@router.get("/api/glossary/terms", name="api_glossary_terms", tags=["glossary"])
def api_glossary_terms(request: Request, library: LibraryDep) -> list[dict[str, str]]:
    """Every glossary term (both scripts) with its canonical rendering and entry page: what
    the reader marks terms with."""
    return [{"term": e.term, "term_hant": e.term_hant, "canonical": e.canonical,
             "url": path_for(request, "glossary_entry", term=e.term)}
            for e in glossary_entries(library)]
