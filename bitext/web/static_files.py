"""Static files under fingerprinted names: ``bitext.3f2a9c01de.css`` is ``bitext.css`` as
it is now, cached for a year; a changed file gets a new name, so no browser runs a stale
script. The plain name still works, revalidated on each use."""

import hashlib
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

FINGERPRINT_CHARS = 10
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def fingerprints(directory: Path) -> dict[str, str]:
    """A short content hash per file, keyed by its path under ``directory``."""
    return {
        path.relative_to(directory).as_posix():
            hashlib.sha256(path.read_bytes()).hexdigest()[:FINGERPRINT_CHARS]
        for path in directory.rglob("*") if path.is_file()
    }


def fingerprinted(name: str, digest: str) -> str:
    """``bitext.css`` -> ``bitext.<digest>.css``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


class FingerprintedStatic(StaticFiles):
    """StaticFiles that also answers each file's fingerprinted name, with a long cache."""

    def __init__(self, directory: Path):
        super().__init__(directory=directory)
        self.digests = fingerprints(directory)
        self.aliases = {fingerprinted(name, digest): name for name, digest in self.digests.items()}

    async def get_response(self, path: str, scope: Scope) -> Response:
        name = self.aliases.get(path)
        response = await super().get_response(name or path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE if name else REVALIDATE
        return response
