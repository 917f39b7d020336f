"""Bytes to text, with an error that says where the bad byte is."""

import codecs

from bitext.errors import InputError


def decode_text(data: bytes, encoding: str = "utf-8", *, name: str = "input") -> str:
    """Decode ``data`` strictly; a leading UTF-8 byte-order mark is dropped."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding: {encoding!r}") from None
    if codec.name == "utf-8":
        codec = codecs.lookup("utf-8-sig")
    try:
        return codec.decode(data)[0]
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not valid {encoding} text: byte 0x{data[error.start]:02x} at offset "
            f"{error.start} (use --encoding to name the file's encoding)"
        ) from None
