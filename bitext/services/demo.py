"""The sample library shipped in the package, loaded once: loading again adds nothing."""

import datetime as dt
import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from bitext.services.file_import import add_from_files, prepare_import, read_document
from bitext.services.works import VersionPlace, file_version
from bitext.store.catalogue import document_slugs
from bitext.store.database import Database

DEMO_DIR = Path(str(files("bitext") / "demo"))


def demo_folders() -> list[Path]:
    return sorted(p for p in DEMO_DIR.iterdir() if (p / "meta.json").is_file())


def load_demo(
    database: Database, on_progress: Callable[[str, bool], None] | None = None
) -> list[str]:
    """Add every demo document whose slug is not in the library yet; return the added slugs."""
    with database.reader() as session:
        present = set(document_slugs(session))
    added = []
    for folder in demo_folders():
        is_new = folder.name not in present
        if is_new:
            # read as any text file is: the Basic Law's hard-wrapped lines joined
            add_from_files(database, prepare_import(
                folder / "original.txt", folder / "translation.txt", folder / "meta.json"))
            added.append(folder.name)
        if on_progress:
            on_progress(folder.name, is_new)
    file_demo_works(database)
    return added


def file_demo_works(database: Database) -> None:
    """Group the demo documents into the works of ``works.json`` (see the demo README): a
    version without translation takes its text from its file, read as any text file is."""
    works: list[dict] = json.loads((DEMO_DIR / "works.json").read_text(encoding="utf-8"))
    for work in works:
        for version in work["versions"]:
            place = VersionPlace(work["work"], version["label"],
                                 dt.date.fromisoformat(version["date"]))
            text = None
            if "text" in version:
                path = DEMO_DIR / version["text"]
                read = read_document(path.read_bytes(), path.name, language=work["language"])
                text = "\n".join(block.text for block in read.blocks)
            file_version(database, place, work["title"], work["language"], text=text,
                         slugs=version.get("documents", ()))
