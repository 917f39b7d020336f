"""Tables. Revisions and segments are append-only: a correction adds rows, never rewrites.

A *revision* is one version of one side's text: an ordered list of paragraph segments.
A *segment* row is immutable; a new revision reuses the rows of unchanged paragraphs, which
is what keeps segment ids (and so permalinks and citations) stable across corrections.
An *alignment* pairs one revision of each side; its *beads* are stored in order.
"""

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    title_original: Mapped[str] = mapped_column(Text)
    title_translation: Mapped[str] = mapped_column(Text)
    language_original: Mapped[str] = mapped_column(String(35))
    language_translation: Mapped[str] = mapped_column(String(35))
    source: Mapped[str | None] = mapped_column(Text)
    source_translation: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    version_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    translator: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    url_original: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    corrected_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    authors: Mapped[list["DocumentAuthor"]] = relationship(
        order_by="DocumentAuthor.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list["Tag"]] = relationship(secondary="document_tags", order_by="Tag.name")


class Work(Base):
    """A text with versions of its original (drafts, adopted and amended texts) and, per
    version, any number of translations. A translation is a document: the document's URL,
    permalinks and citations stay as they were, and a work only groups documents."""

    __tablename__ = "works"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    language_original: Mapped[str] = mapped_column(String(35))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WorkVersion(Base):
    """One version of a work's original, in the work's order. Its text is that of the
    originals of its documents (all the same text); a version no translation has yet keeps
    its text here instead."""

    __tablename__ = "work_versions"
    __table_args__ = (UniqueConstraint("work_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)


class WorkTranslation(Base):
    """A document as a translation of one version of a work (every document that was in
    the library at migration 0010, and each one added with a --work)."""

    __tablename__ = "work_translations"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("work_versions.id", ondelete="CASCADE"), index=True)


class DocumentAuthor(Base):
    __tablename__ = "document_authors"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    romanized: Mapped[str | None] = mapped_column(Text)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class DocumentTag(Base):
    __tablename__ = "document_tags"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("document_id", "side", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(16))
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (Index("ix_segments_parent", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # "paragraph" or "sentence"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # sentence order in paragraph
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id"))  # corrected one


class RevisionParagraph(Base):
    __tablename__ = "revision_paragraphs"

    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id"), index=True)


class Alignment(Base):
    __tablename__ = "alignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    original_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    translation_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    method: Mapped[str] = mapped_column(String(100))
    # What made it (core.align.base.EngineRecord): engine, version, signals with their
    # weights; an edit keeps its base's. None for alignments stored before it was kept.
    engine: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Bead(Base):
    __tablename__ = "beads"

    alignment_id: Mapped[int] = mapped_column(
        ForeignKey("alignments.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_ids: Mapped[list[int]] = mapped_column(JSON)
    target_ids: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)


class Embedding(Base):
    """Cache of sentence vectors, keyed by (model, text hash): re-aligning is cheap."""

    __tablename__ = "embeddings"

    model: Mapped[str] = mapped_column(String(100), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class User(Base):
    """An editor. Readers have no account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # "editor" (accounts.ROLES)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LoginSession(Base):
    """Server-side session row: logging out deletes it, so an old cookie is worthless."""

    __tablename__ = "login_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class LoginFailure(Base):
    """Failed logins, by name and by address, for throttling."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Report(Base):
    """A reader's error report on one paragraph."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_address_at", "client_address", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("segments.id"))
    side: Mapped[str] = mapped_column(String(16))
    quoted: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MetadataRevision(Base):
    """A snapshot of a document's metadata after an editor changed it."""

    __tablename__ = "metadata_revisions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    metadata_json: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """Every write: who, when, what, from which address."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(300))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))


class GlossaryTerm(Base):
    """A formulation in the glossary, keyed by its original-script form; its content lives
    in append-only revisions, like a document's text."""

    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class GlossaryRevision(Base):
    """One version of a glossary entry (scripts, pinyin, renderings, expansion, sources)."""

    __tablename__ = "glossary_revisions"
    __table_args__ = (UniqueConstraint("term_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("glossary_terms.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    entry: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class QaDismissal(Base):
    """An editor's decision that a translation-check finding is not a fault, with why."""

    __tablename__ = "qa_dismissals"
    __table_args__ = (UniqueConstraint("document_id", "finding_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    finding_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class QaCheck(Base):
    """One run of the translation checks over one alignment of a document (at import, at
    each correction, on demand): every finding it made, dismissed or not, so the editor
    sees the state of the current revision and what each change fixed or broke."""

    __tablename__ = "qa_checks"
    __table_args__ = (Index("ix_qa_checks_document", "document_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    alignment_id: Mapped[int] = mapped_column(ForeignKey("alignments.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(16))  # import, correction, alignment, demand
    glossary_version: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    findings: Mapped[list[dict]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ImportJob(Base):
    """One web import, from its preview to its end: what was read (kept until confirmed or
    given up), then how far its alignment has got, then its report or its error. The state
    lives here, not in a server process, so any worker shows it and a job whose process
    died (its heartbeat stopped) is known to have failed."""

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # preview, queued, running, done, failed
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    slug: Mapped[str] = mapped_column(String(120))
    prepared: Mapped[dict | None] = mapped_column(JSON)  # dropped once the job has run
    stage: Mapped[str] = mapped_column(String(64), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
