"""Citations: one CSL-JSON record per document (or paragraph), rendered by citeproc-py."""

from bitext.core.cite.record import CitedVersion, citation_record, permalink
from bitext.core.cite.render import STYLES, render_bibtex, render_citation, render_ris

__all__ = [
    "CitedVersion",
    "STYLES",
    "citation_record",
    "permalink",
    "render_bibtex",
    "render_citation",
    "render_ris",
]
