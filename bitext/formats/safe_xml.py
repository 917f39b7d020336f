"""The gate every XML input passes before a parser sees it.

defusedxml's expat parser refuses entity declarations (billion laughs, external entities)
and external references; we also refuse any DOCTYPE except a bare, known DTD file name
(``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, which no parser here loads), XInclude elements (no
parser here follows them, so a segment made of one would silently import empty), and inputs
over a size limit. Only after this check do translate-toolkit and lxml parse the bytes.
"""

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from bitext.errors import InputError

XML_MAX_BYTES = 50 * 1024 * 1024
XINCLUDE_NAMESPACES = ("{http://www.w3.org/2001/XInclude}", "{http://www.w3.org/2003/XInclude}")


class _Parser(DefusedXMLParser):
    def __init__(self, allowed_system_ids: frozenset[str]):
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.allowed_system_ids = allowed_system_ids

    def defused_start_doctype_decl(self, name, sysid, pubid, has_internal_subset):
        if has_internal_subset or pubid or sysid not in self.allowed_system_ids:
            raise InputError("XML input refused: a document type declaration is not allowed")


def check_xml(
    data: bytes,
    *,
    max_bytes: int = XML_MAX_BYTES,
    allowed_system_ids: frozenset[str] = frozenset(),
) -> bytes:
    """Return ``data`` if it is well-formed, small enough and free of DTD tricks."""
    if len(data) > max_bytes:
        raise InputError(f"XML input refused: larger than {max_bytes} bytes")
    parser = _Parser(allowed_system_ids)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as error:
        kind = type(error).__name__
        raise InputError(f"XML input refused: {kind} (entities and external references "
                         "are not allowed)") from None
    except ParseError as error:
        raise InputError(f"not well-formed XML: {error}") from None
    if any(element.tag.startswith(XINCLUDE_NAMESPACES) for element in root.iter()):
        raise InputError("XML input refused: XInclude elements are not allowed")
    return data
