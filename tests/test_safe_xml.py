"""Hostile XML is refused with one InputError before any parser expands or fetches it."""

import pytest

from bitext.errors import InputError
from bitext.formats.safe_xml import check_xml
from bitext.formats.tmx import read_tmx
from bitext.formats.xliff import read_xliff

TMX_BODY = (
    '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" '
    'o-tmf="x" adminlang="en" srclang="zh" datatype="plaintext"/><body><tu>'
    '<tuv xml:lang="zh"><seg>{source}</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv>'
    "</tu></body></tmx>"
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10))
    + "]>" + TMX_BODY.format(source="&lol9;")
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + TMX_BODY.format(source="&xxe;")
)
DTD_RETRIEVAL = (
    '<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/evil.dtd">'
    + TMX_BODY.format(source="x")
)
PARAMETER_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x">'
    "%remote;]>" + TMX_BODY.format(source="x")
)


@pytest.mark.parametrize(
    "payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, DTD_RETRIEVAL, PARAMETER_ENTITY],
    ids=["billion-laughs", "external-entity", "dtd-retrieval", "parameter-entity"],
)
@pytest.mark.parametrize("reader", [read_tmx, read_xliff], ids=["tmx", "xliff"])
def test_attacks_are_refused_with_one_line(payload, reader):
    with pytest.raises(InputError) as caught:
        reader(payload.encode("utf-8"))
    assert "\n" not in caught.value.message
    assert "root:" not in caught.value.message  # nothing of /etc/passwd echoed


def test_oversize_input_is_refused_before_parsing():
    data = TMX_BODY.format(source="x" * 2000).encode()
    with pytest.raises(InputError, match="larger than"):
        check_xml(data, max_bytes=1000)


def test_malformed_xml_is_one_line():
    with pytest.raises(InputError, match="not well-formed") as caught:
        read_tmx(b"<tmx><header></tmx>")
    assert "\n" not in caught.value.message


def test_our_own_doctype_is_accepted():
    data = ('<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "tmx14.dtd">'
            + TMX_BODY.format(source="中文 &amp; x")).encode()
    [document] = read_tmx(data)
    assert document.beads[0].source == ("中文 & x",)
