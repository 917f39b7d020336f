"""Plain text and Markdown: decoded strictly, hard-wrapped prose joined into paragraphs.

Plain text keeps the layout detection every text import has (one paragraph per line, or
blocks separated by blank lines), then joins a line to the one before when it reads as the
rest of that sentence, never across a blank line. Markdown is parsed by markdown-it-py:
headings and list items stay blocks of their own, inline markup goes, raw HTML is left out
and counted.
"""

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bitext.core.text.decode import decode_text
from bitext.core.text.normalize import dropped_controls, normalize_text
from bitext.core.text.paragraphs import BLANK_LINE, split_paragraphs, uses_blank_line_blocks
from bitext.formats.readers.lines import join_lines, rejoin_wrapped, tidy
from bitext.formats.readers.model import Block, ReadDocument


def read_text(data: bytes, *, language: str = "en", encoding: str = "utf-8",
              name: str = "input") -> ReadDocument:
    raw = decode_text(data, encoding, name=name)
    text = normalize_text(raw)
    document = ReadDocument("text")
    document.removed["control characters"] = dropped_controls(raw)
    if uses_blank_line_blocks(text):
        paragraphs = split_paragraphs(text, language)
    else:
        # a blank line always ends a paragraph: lines join only within a block
        blocks = [[line for line in block.split("\n") if line.strip()]
                  for block in BLANK_LINE.split(text)]
        groups = [group for lines in blocks for group in rejoin_wrapped(lines)]
        document.joined_lines = sum(map(len, blocks)) - len(groups)
        paragraphs = [join_lines(group) for group in groups]
    document.blocks = [Block(tidy(p)) for p in paragraphs if p.strip()]
    return document


_BLOCK_KINDS = {"heading_open": "heading", "list_item_open": "item"}


def read_markdown(data: bytes, *, encoding: str = "utf-8", name: str = "input") -> ReadDocument:
    raw = decode_text(data, encoding, name=name)
    text = normalize_text(raw)
    document = ReadDocument("markdown")
    document.removed["control characters"] = dropped_controls(raw)
    kinds: list[str] = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type in _BLOCK_KINDS:
            kinds.append(_BLOCK_KINDS[token.type])
        elif token.type in ("heading_close", "list_item_close"):
            kinds.pop()
        elif token.type == "inline":
            words = _inline_text(token.children or [], document)
            if words:
                document.blocks.append(Block(words, kinds[-1] if kinds else "paragraph"))
        elif token.type in ("fence", "code_block"):
            document.blocks.extend(Block(tidy(line)) for line in token.content.split("\n")
                                   if line.strip())
        elif token.type == "html_block":
            document.removed["raw HTML blocks"] += 1
    return document


def _inline_text(children: list[Token], document: ReadDocument) -> str:
    """The words of an inline run: markup gone, soft breaks joined as wrapped lines are,
    images kept by their alternative text, raw HTML left out."""
    text = ""
    for child in children:
        if child.type in ("text", "code_inline"):
            text += child.content
        elif child.type in ("softbreak", "hardbreak"):
            text += "\n"
        elif child.type == "image":
            text += child.content
        elif child.type == "html_inline":
            document.removed["raw HTML tags"] += 1
    pieces = [tidy(piece) for piece in text.split("\n")]
    return join_lines([p for p in pieces if p])
