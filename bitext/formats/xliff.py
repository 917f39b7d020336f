"""XLIFF 1.2 through translate-toolkit: one ``<trans-unit>`` per sentence bead.

Sentence lengths and the bead score are kept in attributes of our own namespace (XLIFF 1.2
allows foreign attributes on ``trans-unit``), so an import gives back the same beads.
"""

from lxml import etree
from translate.storage import xliff

from bitext.errors import InputError
from bitext.formats.model import AlignedBead, AlignedDocument, joiner
from bitext.formats.safe_xml import check_xml
from bitext.formats.tmx import lengths, split_joined

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
BITEXT_NS = "urn:bitext:xliff:1"


class Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_NS


class Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2 instead of 1.1."""

    UnitClass = Xliff12Unit
    namespace = XLIFF_NS
    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{XLIFF_NS}' xmlns:bitext='{BITEXT_NS}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""


def write_xliff(document: AlignedDocument) -> bytes:
    store = Xliff12File(sourcelanguage=document.language_source,
                        targetlanguage=document.language_target)
    file_node = next(store.document.getroot().iterchildren(store.namespaced("file")))
    file_node.set("original", document.slug)
    js, jt = joiner(document.language_source), joiner(document.language_target)
    for number, bead in enumerate(document.beads, start=1):
        unit = store.UnitClass(js.join(bead.source))
        store.addunit(unit)
        unit.target = jt.join(bead.target)
        unit.setid(str(number))
        element = unit.xmlelement
        element.set(f"{{{BITEXT_NS}}}score", repr(float(bead.score)))
        element.set(f"{{{BITEXT_NS}}}source-lengths", lengths(bead.source))
        element.set(f"{{{BITEXT_NS}}}target-lengths", lengths(bead.target))
    return bytes(store)


def read_xliff(data: bytes) -> list[AlignedDocument]:
    check_xml(data)
    try:
        store = Xliff12File.parsestring(data)
    except Exception as error:  # translate-toolkit raises many kinds on bad files
        raise InputError(f"not an XLIFF 1.x file: {error}") from None
    language_source = store.getsourcelanguage() or ""
    language_target = store.gettargetlanguage() or ""
    beads = []
    for unit in store.getunits():
        element = unit.xmlelement
        if not _has_target(element):
            raise InputError("XLIFF: a <trans-unit> has no <target>: untranslated units "
                             "cannot be imported")
        try:
            score = float(element.get(f"{{{BITEXT_NS}}}score", "0"))
        except ValueError:
            raise InputError("XLIFF: a score is not a number") from None
        source = split_joined(unit.source or "", element.get(f"{{{BITEXT_NS}}}source-lengths"),
                              joiner(language_source))
        target = split_joined(unit.target or "", element.get(f"{{{BITEXT_NS}}}target-lengths"),
                              joiner(language_target))
        beads.append(AlignedBead(source, target, score))
    file_node = next(store.document.getroot().iterchildren(store.namespaced("file")), None)
    original = file_node.get("original") if file_node is not None else None
    metadata = {"slug": original} if original and original != "NoName" else {}
    return [AlignedDocument(metadata, language_source, language_target, beads)]


def _has_target(element) -> bool:
    """A ``<target>`` child in whatever XLIFF 1.x namespace the file uses."""
    return any(isinstance(child.tag, str) and etree.QName(child).localname == "target"
               for child in element)
