"""Streaming exports in pieces of a useful size: one bead's line is too small a write for a
web response, a whole library too big to hold in memory."""

from collections.abc import Iterable, Iterator

CHUNK_BYTES = 64 * 1024


def utf8_chunks(pieces: Iterable[str], size_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The pieces encoded as UTF-8 and gathered into chunks of about ``size_bytes``."""
    buffer: list[bytes] = []
    held = 0
    for piece in pieces:
        data = piece.encode("utf-8")
        buffer.append(data)
        held += len(data)
        if held >= size_bytes:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)
