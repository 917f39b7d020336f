"""Path, query and form parameters that several routers share, with their limits."""

from typing import Annotated

from fastapi import Form, Path, Query

from bitext.core import sides
from bitext.services import editing
from bitext.web.views.library import MAX_PER_PAGE

Tag = Annotated[str | None, Query(max_length=200, description="Only documents with this tag.")]
Source = Annotated[
    str | None, Query(max_length=500, description="Only documents from this source (either name).")
]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PerPage = Annotated[
    int | None, Query(ge=1, le=MAX_PER_PAGE, description="Documents per page (default: setting).")
]
Slug = Annotated[str, Path(max_length=200)]
Id = Annotated[int, Path(ge=1, le=2**53)]
Side = Annotated[sides.Side, Query()]
ShortText = Annotated[str, Form(max_length=200)]
Note = Annotated[str, Form(max_length=editing.NOTE_MAX_CHARS * 2)]
Number = Annotated[int, Form(ge=0, le=2**31)]
