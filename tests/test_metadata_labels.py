"""Both metadata forms (the import form and the editor's) take their labels from one
list: every field either form shows has a label there."""

from bitext.core.metadata import EDITABLE_TEXT_FIELDS
from bitext.web.routes.importing import OPTIONAL
from bitext.web.templating import METADATA_LABELS

IMPORT_REQUIRED = ("slug", "title_original", "title_translation", "language_original",
                   "language_translation")


def test_every_field_of_either_form_has_a_label():
    shown = {*EDITABLE_TEXT_FIELDS, *OPTIONAL, *IMPORT_REQUIRED}
    assert shown <= METADATA_LABELS.keys()
    assert all(METADATA_LABELS[name].strip() for name in shown)
