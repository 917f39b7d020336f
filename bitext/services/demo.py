"""The sample library shipped in the package, loaded once: loading again adds nothing."""

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from bitext.services.file_import import add_from_files, prepare_import
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
    return added
