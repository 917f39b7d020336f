"""How a change between two versions was rendered: for each provision the version diff
lists, the translation of it in each version (the paragraphs its paragraph beads pair with
the provision's lines) and the word marks between the two (core.versions.diff.word_marks,
the marks the original's diff uses)."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bitext.core.versions.diff import Mark, Operation, diff_provisions, word_marks
from bitext.core.versions.provisions import Provision, split_provisions
from bitext.services.works import normalized_paragraphs
from bitext.store import works as store
from bitext.store.database import Session


@dataclass(frozen=True)
class RenderedChange:
    """One provision's translation in the old and the new version ("" where it has none)."""

    old: str
    new: str
    marks: tuple[Mark, ...]


def provision_translations(stored: store.StoredParagraphs,
                            provisions: Sequence[Provision]) -> dict[int, str]:
    """id(provision) -> the translation paragraphs paired with its lines, in order. A
    provision is a run of the text's non-blank lines, each line in one paragraph."""
    line_paragraph = [k for k, text in enumerate(stored.original_texts)
                      for line in text.splitlines() if line.strip()]
    translation_of: dict[int, list[int]] = {}
    for source, target in stored.beads:
        for k in source:
            translation_of.setdefault(k, []).extend(target)
    found: dict[int, str] = {}
    start = 0
    for provision in provisions:
        paragraphs = dict.fromkeys(line_paragraph[start:start + len(provision.lines)])
        start += len(provision.lines)
        targets = sorted({t for k in paragraphs for t in translation_of.get(k, [])})
        found[id(provision)] = "\n".join(stored.translation_texts[t] for t in targets)
    return found


def diff_with_translations(session: Session, texts: tuple[str, str],
                           documents: tuple[str, str] | None, statuses: Collection[str]
                           ) -> tuple[list[Operation], list[RenderedChange | None] | None]:
    """The provision diff of two version texts and, given a translation of each (slugs)
    whose original is that version's text, each changed provision's translation diff."""
    provisions = [split_provisions(text) for text in texts]
    operations = diff_provisions(*provisions)
    if documents is None:
        return operations, None
    stored = [store.stored_paragraphs(session, document)
              for document in store.documents_by_slugs(session, documents, statuses)]
    if any(normalized_paragraphs(s.original_texts) != normalized_paragraphs([text])
           for s, text in zip(stored, texts, strict=True)):
        return operations, None  # a translation of an older text of its version
    old_of = provision_translations(stored[0], provisions[0])
    new_of = provision_translations(stored[1], provisions[1])
    changes: list[RenderedChange | None] = []
    for op in operations:
        if op.kind == "unchanged":
            changes.append(None)
            continue
        old = old_of[id(op.old)] if op.old else ""
        new = new_of[id(op.new)] if op.new else ""
        changes.append(RenderedChange(old, new, word_marks(old, new)))
    return operations, changes
