"""Glossary files in and out: JSONL (the seed's shape), CSV, and TBX (ISO 30042).

A file format, so it lives with the others in ``formats`` (it was in ``core.glossary``,
which then imported ``formats.safe_xml``). Reading returns checked entries (see
:mod:`bitext.core.glossary.entry`) or raises one ``InputError``; a file with one bad entry
imports nothing. TBX is read after :func:`bitext.formats.safe_xml.check_xml` (no entities,
no DTD tricks) with lxml, in both the TBX 2 (``martif``,
``termEntry``/``langSet``/``tig``) and TBX 3 (``conceptEntry``/``langSec``/``termSec``)
shapes; it is written as TBX 3 (TBX-Core, DCA style).
"""

import csv
import io
from collections.abc import Iterable

from lxml import etree

from bitext.core.glossary.entry import GlossaryEntry, parse_entry
from bitext.core.strict_json import load_json_object
from bitext.errors import InputError
from bitext.formats.safe_xml import check_xml
from bitext.formats.tabular import csv_safe

GLOSSARY_FILE_MAX_BYTES = 20 * 1024 * 1024
FORMATS = ("jsonl", "csv", "tbx")
# CSV: one column per field; lists (variants, sources) joined with " | ".
CSV_COLUMNS = ("term", "term_hant", "pinyin", "canonical", "canonical_source",
               "canonical_is_official", "variants", "expansion_zh", "expansion_en",
               "category", "notes", "first_seen", "sources")
CSV_LIST_SEPARATOR = " | "
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_DTDS = frozenset({"TBXcoreStructV02.dtd", "TBXBasiccoreStructV02.dtd"})
PREFERRED, ADMITTED = "preferredTerm-admn-sts", "admittedTerm-admn-sts"
FIRST_SEEN = "first seen: "  # a note on the concept
OFFICIAL_NOTE = "official rendering"  # a note on the preferred English term


def format_of(name: str) -> str:
    """The format a file name says (its extension), or an error naming the choices."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("json", "ndjson"):
        suffix = "jsonl"
    if suffix not in FORMATS:
        raise InputError(f"glossary files are {', '.join(FORMATS)}; use --format")
    return suffix


def read_glossary(data: bytes, file_format: str) -> list[GlossaryEntry]:
    """The entries of a glossary file; one bad entry or a repeated term refuses it all."""
    if len(data) > GLOSSARY_FILE_MAX_BYTES:
        raise InputError(f"glossary file larger than {GLOSSARY_FILE_MAX_BYTES} bytes")
    readers = {"jsonl": _read_jsonl, "csv": _read_csv, "tbx": _read_tbx}
    if file_format not in readers:
        raise InputError(f"glossary files are {', '.join(FORMATS)}")
    entries = readers[file_format](data)
    seen: set[str] = set()
    for entry in entries:
        if entry.term in seen:
            raise InputError(f"the term {entry.term[:40]!r} appears twice in the file")
        seen.add(entry.term)
    if not entries:
        raise InputError("the glossary file holds no entries")
    return entries


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"glossary file is not UTF-8 (byte {error.start})") from None


def _read_jsonl(data: bytes) -> list[GlossaryEntry]:
    entries = []
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        value = load_json_object(line, f"line {number}")
        try:
            entries.append(parse_entry(value))
        except InputError as error:
            raise InputError(f"line {number}: {error.message}") from None
    return entries


def _read_csv(data: bytes) -> list[GlossaryEntry]:
    rows = csv.DictReader(io.StringIO(_decode(data), newline=""))
    if rows.fieldnames is None or "term" not in rows.fieldnames:
        raise InputError("a glossary CSV needs a header row with a term column")
    entries = []
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise InputError(f"line {number}: more cells than columns")
        row = {k: _unguarded(v) if isinstance(v, str) else v for k, v in row.items()}
        fields: dict[str, object] = {k: v for k, v in row.items() if k in CSV_COLUMNS}
        for name in ("variants", "sources"):
            fields[name] = [v for v in (row.get(name) or "").split(CSV_LIST_SEPARATOR.strip())]
        fields["canonical_is_official"] = (row.get("canonical_is_official") or "").strip(
        ).lower() in ("1", "true", "yes")
        try:
            entries.append(parse_entry(fields))
        except InputError as error:
            raise InputError(f"line {number}: {error.message}") from None
    return entries


def write_csv(entries: Iterable[GlossaryEntry]) -> str:
    """Every cell guarded against formulas (``tabular.csv_safe``), reversibly: reading the
    file back gives the entries written."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        data = entry.as_dict()
        writer.writerow([_guarded(
            CSV_LIST_SEPARATOR.join(data[c]) if c in ("variants", "sources")
            else str(data[c]).lower() if c == "canonical_is_official" else str(data[c] or ""))
            for c in CSV_COLUMNS
        ])
    return out.getvalue()


def _guarded(value: str) -> str:
    """``csv_safe``, and a quote mark before a cell that starts with one, so that
    :func:`_unguarded` takes off exactly what was put on."""
    return "'" + value if value.startswith("'") else csv_safe(value)


def _unguarded(value: str) -> str:
    return value[1:] if value.startswith("'") else value


# -- TBX ------------------------------------------------------------------------------

def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if _local(child) in names]


def _typed_text(element: etree._Element, kind: str, type_: str) -> str:
    for child in element.iter():
        if _local(child) == kind and child.get("type") == type_:
            return "".join(child.itertext()).strip()
    return ""


def _read_tbx(data: bytes) -> list[GlossaryEntry]:
    check_xml(data, max_bytes=GLOSSARY_FILE_MAX_BYTES, allowed_system_ids=TBX_DTDS)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    root = etree.fromstring(data, parser)
    if _local(root) not in ("tbx", "martif"):
        raise InputError("not a TBX file: the root element is not tbx or martif")
    concepts = [e for e in root.iter() if _local(e) in ("conceptEntry", "termEntry")]
    return [_tbx_entry(concept, number) for number, concept in enumerate(concepts, start=1)]


def _tbx_entry(concept: etree._Element, number: int) -> GlossaryEntry:
    notes = ["".join(n.itertext()).strip() for n in _children(concept, "note")]
    fields: dict[str, object] = {
        "category": _typed_text(concept, "descrip", "subjectField"),
        "notes": "\n".join(n for n in notes if not n.startswith(FIRST_SEEN)),
        "first_seen": next((n.removeprefix(FIRST_SEEN) for n in notes
                            if n.startswith(FIRST_SEEN)), ""),
        "sources": ["".join(a.itertext()).strip() for a in _children(concept, "admin")
                    if a.get("type") == "source"],
    }
    variants: list[str] = []
    for lang_set in _children(concept, "langSec", "langSet"):
        language = (lang_set.get(XML_LANG) or "").lower()
        terms = _children(lang_set, "termSec", "tig", "ntig")
        texts = []
        for term_sec in terms:
            found = [e for e in term_sec.iter() if _local(e) == "term"]
            status = _typed_text(term_sec, "termNote", "administrativeStatus")
            text = "".join(found[0].itertext()).strip() if found else ""
            texts.append((text, status, term_sec))
        if not texts:
            continue
        definition = _typed_text(lang_set, "descrip", "definition")
        if language.startswith("zh") and language in ("zh-hant", "zh-tw", "zh-hk"):
            fields["term_hant"] = texts[0][0]
        elif language.startswith("zh"):
            fields["term"] = texts[0][0]
            fields["pinyin"] = _typed_text(texts[0][2], "termNote", "pronunciation")
            fields["expansion_zh"] = definition
        elif language.startswith("en"):
            preferred = [t for t in texts if t[1] == PREFERRED] or texts[:1]
            fields["canonical"] = preferred[0][0]
            fields["canonical_source"] = _typed_text(preferred[0][2], "admin", "source")
            fields["canonical_is_official"] = any(
                "".join(n.itertext()).strip() == OFFICIAL_NOTE
                for n in _children(preferred[0][2], "note"))
            variants += [t[0] for t in texts if t is not preferred[0]]
            fields["expansion_en"] = definition
    fields["variants"] = variants
    try:
        return parse_entry(fields)
    except InputError as error:
        raise InputError(f"TBX entry {number}: {error.message}") from None


def write_tbx(entries: Iterable[GlossaryEntry], source_language: str = "zh-Hans") -> bytes:
    """The entries as a TBX 3 (TBX-Core, DCA) file."""
    def sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{TBX_NAMESPACE}}}{tag}", attrs)
        if text:
            element.text = text
        return element

    root = etree.Element(f"{{{TBX_NAMESPACE}}}tbx", {"type": "TBX-Core", "style": "dca",
                                                      XML_LANG: "en"},
                         nsmap={None: TBX_NAMESPACE})
    header = sub(sub(sub(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    sub(header, "p", "bitext glossary")
    body = sub(sub(root, "text"), "body")
    for number, entry in enumerate(entries, start=1):
        concept = sub(body, "conceptEntry", id=f"c{number}")
        if entry.category:
            sub(concept, "descrip", entry.category, type="subjectField")
        if entry.notes:
            sub(concept, "note", entry.notes)
        if entry.first_seen:
            sub(concept, "note", FIRST_SEEN + entry.first_seen)
        for source in entry.sources:
            sub(concept, "admin", source, type="source")
        zh = sub(concept, "langSec", **{XML_LANG: source_language})
        if entry.expansion_zh:
            sub(zh, "descrip", entry.expansion_zh, type="definition")
        term_sec = sub(zh, "termSec")
        sub(term_sec, "term", entry.term)
        if entry.pinyin:
            sub(term_sec, "termNote", entry.pinyin, type="pronunciation")
        if entry.term_hant:
            sub(sub(sub(concept, "langSec", **{XML_LANG: "zh-Hant"}), "termSec"), "term",
                entry.term_hant)
        if not entry.renderings():
            continue
        en = sub(concept, "langSec", **{XML_LANG: "en"})
        if entry.expansion_en:
            sub(en, "descrip", entry.expansion_en, type="definition")
        for k, rendering in enumerate(entry.renderings()):
            term_sec = sub(en, "termSec")
            sub(term_sec, "term", rendering)
            sub(term_sec, "termNote", PREFERRED if k == 0 else ADMITTED,
                type="administrativeStatus")
            if k == 0 and entry.canonical_is_official:
                sub(term_sec, "note", OFFICIAL_NOTE)
            if k == 0 and entry.canonical_source:
                sub(term_sec, "admin", entry.canonical_source, type="source")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
