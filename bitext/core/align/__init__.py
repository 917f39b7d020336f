"""Alignment: beads between source and target segments, at paragraph and sentence level."""

from bitext.core.align.base import Aligner, Bead, DocumentAlignment, align_document

__all__ = ["Aligner", "Bead", "DocumentAlignment", "align_document"]
