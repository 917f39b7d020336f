"""The glossary pages: the index of terms and one page per term, with what the published
library does with it (occurrences as parallel lines, renderings used with counts, and a
frequency chart drawn here as SVG, readable without JavaScript, with its numbers beside).
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bitext.core.glossary.usage import YearFrequency
from bitext.services.glossary import entry_page, export_glossary, glossary_index

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


def _render(request: Request, name: str, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context)


@router.get("/glossary", response_class=HTMLResponse, name="glossary",
            include_in_schema=False)
def glossary_page(request: Request) -> HTMLResponse:
    return _render(request, "glossary.html",
                   summaries=glossary_index(request.app.state.database))


@router.get("/glossary.tbx", name="glossary_tbx", include_in_schema=False)
def glossary_tbx(request: Request) -> Response:
    return Response(export_glossary(request.app.state.database, "tbx"),
                    media_type="application/x-tbx+xml",
                    headers={"Content-Disposition": 'attachment; filename="glossary.tbx"'})


@router.get("/glossary/{term:path}", response_class=HTMLResponse, name="glossary_entry",
            include_in_schema=False)
def glossary_entry_page(request: Request, term: str) -> HTMLResponse:
    page = entry_page(request.app.state.database, term)
    return _render(request, "glossary_entry.html", page=page, bars=chart_bars(page.years),
                   chart={"width": CHART_WIDTH, "height": CHART_HEIGHT,
                          "margin": CHART_MARGIN})
