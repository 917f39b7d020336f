"""Bytes to text, with an error that says where the bad byte is."""

import codecs

from bitext.core.text.normalize import has_lone_surrogate
from bitext.errors import ChoiceNeeded, InputError


def decode_text(data: bytes, encoding: str = "utf-8", *, name: str = "input") -> str:
    """Decode ``data`` strictly; a leading UTF-8 byte-order mark is dropped."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding: {encoding!r}") from None
    if not codec._is_text_encoding:  # rot13, hex, base64, zlib: bytes or str transforms
        raise InputError(f"not a text encoding: {encoding!r} (use one such as utf-8 or gb18030)")
    if codec.name == "utf-8":
        codec = codecs.lookup("utf-8-sig")
    try:
        text = codec.decode(data)[0]
    except UnicodeDecodeError as error:
        raise ChoiceNeeded(
            f"{name}: not valid {encoding} text: byte 0x{data[error.start]:02x} at offset "
            f"{error.start}", "encoding") from None
    except UnicodeError:  # punycode and "undefined" fail without a position
        raise InputError(f"{name}: not valid {encoding} text") from None
    if has_lone_surrogate(text):  # unicode_escape and its kin can spell one out
        raise InputError(f"{name}: not valid text: a lone surrogate code point")
    return text
