"""Finding a batch's pairs (folders, a LIST.tsv) and aligning one pair's lines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bitext.core.align.encoders import HashingEncoder
from bitext.core.align.engine import make_aligner
from bitext.errors import InputError
from bitext.services.batch_pairs import content_key, list_pairs
from bitext.services.line_alignment import Level, align_lines


def test_folders_are_pairs_and_what_they_lack_is_named(tmp_path):
    for name in ("b", "a", ".hidden"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "original.md").write_text("x", encoding="utf-8")
        (tmp_path / name / "translation.txt").write_text("y", encoding="utf-8")
    (tmp_path / "a" / "meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.txt").write_text("not a pair", encoding="utf-8")
    listing = list_pairs(tmp_path, metadata_required=False)
    assert [(p.name, p.source.name, p.metadata is not None) for p in listing.pairs] == [
        ("a", "original.md", True), ("b", "original.md", False)]
    strict = list_pairs(tmp_path, metadata_required=True)
    assert [p.name for p in strict.pairs] == ["a"]
    assert [(f.name, f.message) for f in strict.failures] == [
        ("b", "the folder has no meta.json")]


def test_a_list_needs_a_folder_for_add_and_must_exist(tmp_path):
    listing = tmp_path / "pairs.tsv"
    listing.write_text("a.txt\tb.txt\t../escape\n", encoding="utf-8")
    with pytest.raises(InputError, match="add --batch takes a directory"):
        list_pairs(listing, metadata_required=True)
    with pytest.raises(InputError, match="no such file or directory"):
        list_pairs(tmp_path / "missing.tsv", metadata_required=False)
    refused = list_pairs(listing, metadata_required=False)
    assert refused.pairs == [] and refused.failures[0].name == "line 1"


def test_content_keys_tell_apart_what_concatenation_would_not():
    assert content_key([b"ab", b"c"]) != content_key([b"a", b"bc"])
    assert content_key(["zh", b"x"]) == content_key([b"zh", b"x"])


lines = st.lists(st.one_of(st.just(""), st.text(alphabet="abcdef xyz.", min_size=1,
                                                max_size=30)), max_size=25)


@settings(max_examples=60, deadline=None)
@given(source=lines, target=lines, level=st.sampled_from(list(Level)))
def test_every_text_line_is_in_exactly_one_bead_and_blank_lines_in_none(source, target,
                                                                       level):
    aligner = make_aligner("en", "en", encoder=HashingEncoder())
    beads = align_lines(aligner, source, target, level)
    for side, ids in ((source, [i for b in beads for i in b.source]),
                      (target, [j for b in beads for j in b.target])):
        assert sorted(ids) == [k for k, line in enumerate(side) if line.strip()]
        assert ids == sorted(ids)  # in order: the alignment is monotone
