"""Carrying a translation forward to a new version: every new paragraph once (carried or
listed), every previous paragraph once (used or removed), carried translations exactly the
previous ones, and on the real Constitution exactly the amendment's provisions listed."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.align.base import Bead
from bitext.core.versions.carry_forward import CarryForward, carry_forward
from bitext.core.versions.normalize import comparison_key
from bitext.core.versions.provisions import split_provisions
from bitext.errors import InputError

FIXTURE = Path(__file__).parent / "data" / "constitution_2018_changes.json"

# Paragraphs built from these: labelled articles, items and plain paragraphs, some close
# enough to each other that the diff pairs them as changed.
_BODIES = ["国家尊重和保障人权。", "公民的合法的私有财产不受侵犯。", "国家实行社会主义市场经济。",
           "中华人民共和国的一切权力属于人民。", "国家维护社会主义法制的统一和尊严。",
           "国家发展社会主义的教育事业。", "国家推广全国通用的普通话。"]


@st.composite
def paragraph(draw) -> str:
    body = draw(st.sampled_from(_BODIES)) + draw(st.sampled_from(["", "", "并且依法管理。"]))
    shape = draw(st.sampled_from(["plain", "article", "item"]))
    number = draw(st.integers(1, 12))
    return {"plain": body, "article": f"第{number}条 {body}", "item": f"（{number}）{body}"}[shape]


@st.composite
def alignment_of(draw, original_count: int) -> tuple[list[Bead], int]:
    """A random monotone paragraph alignment (n-m, 1-0 and 0-1 beads); its translation size."""
    beads, source, target = [], 0, 0
    while source < original_count or draw(st.booleans()) and len(beads) < 3:
        take = draw(st.integers(0, min(3, original_count - source)))
        give = draw(st.integers(0 if take else 1, 2))
        beads.append(Bead(tuple(range(source, source + take)),
                          tuple(range(target, target + give))))
        source, target = source + take, target + give
    return beads, target


@st.composite
def versions(draw):
    old = draw(st.lists(paragraph(), max_size=10))
    new = list(old)
    for _ in range(draw(st.integers(0, 4))):  # edits: drop, insert, move, amend
        edit = draw(st.sampled_from(["drop", "insert", "move", "amend"]))
        if edit == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(paragraph()))
        elif edit == "drop":
            new.pop(draw(st.integers(0, len(new) - 1)))
        elif edit == "move":
            new.insert(draw(st.integers(0, len(new) - 1)),
                       new.pop(draw(st.integers(0, len(new) - 1))))
        else:
            k = draw(st.integers(0, len(new) - 1))
            new[k] = new[k] + "但是法律另有规定的除外。"
    beads, translated = draw(alignment_of(len(old)))
    translation = [f"T{j}" for j in range(translated)]
    return old, translation, beads, new


@given(versions())
def test_every_paragraph_is_carried_or_listed_exactly_once(case):
    old, translation, beads, new = case
    result = carry_forward(old, translation, beads, new)
    placed = [j for unit in result.units for j in unit.new]
    assert placed == list(range(len(new))), "each new paragraph once, in order"
    for unit in result.units:
        assert list(unit.new) == list(range(unit.new[0], unit.new[0] + len(unit.new)))
    used = sorted([i for unit in result.units for i in unit.old] + list(result.removed))
    assert used == list(range(len(old))), "each previous paragraph used or removed, once"
    counts = sum(result.count(s) for s in ("carried", "changed", "new", "regrouped"))
    assert counts == len(new) == result.total


def groups_of(beads: list[Bead]) -> dict[tuple[int, ...], list[int]]:
    """Original paragraphs of each bead -> its translation paragraphs, with those of the
    beads without an original that follow it (or, before the first, precede it)."""
    groups: dict[tuple[int, ...], list[int]] = {}
    leading: list[int] = []
    last: tuple[int, ...] | None = None
    for bead in beads:
        if bead.source:
            last = bead.source
            groups[last] = leading + list(bead.target)
            leading = []
        elif last is None:
            leading.extend(bead.target)
        else:
            groups[last].extend(bead.target)
    return groups


@given(versions())
def test_carried_translation_is_the_previous_translation_of_those_paragraphs(case):
    old, translation, beads, new = case
    result = carry_forward(old, translation, beads, new)
    groups = groups_of(beads)
    for unit in result.units:
        if not unit.carried:
            assert unit.translation == ()
            continue
        assert unit.old in groups, "a bead carried whole"
        assert unit.translation == tuple(translation[j] for j in groups[unit.old])
        pairs = list(zip(unit.old, unit.new, strict=True))
        for k, (i, j) in enumerate(pairs):
            if not (k == 0 and unit.relabelled):
                assert comparison_key(old[i]) == comparison_key(new[j]), "carried unchanged"
    draft, draft_beads = result.draft()
    assert [j for b in draft_beads for j in b.source] == list(range(len(new)))
    assert [t for b in draft_beads for t in b.target] == list(range(len(draft)))
    assert draft == [t for u in result.units for t in u.translation]


@given(st.lists(paragraph(), min_size=1, max_size=10, unique=True))
def test_an_unchanged_version_carries_everything(old):
    beads = [Bead((i,), (i,)) for i in range(len(old))]
    translation = [f"T{i}" for i in range(len(old))]
    result = carry_forward(old, translation, beads, old)
    assert result.listed == [] and result.removed == ()
    assert result.draft() == (translation, beads)
    assert result.summary().startswith(f"{len(old)} of {len(old)} paragraphs carried over")


# -- examples ---------------------------------------------------------------------------------

OLD = ["第一条 中华人民共和国是社会主义国家。", "第二条 一切权力属于人民。",
       "第三条 国家机构实行民主集中制的原则。", "第四条 各民族一律平等，互相尊重。"]
EN = ["Article 1 The PRC is a socialist state.", "Article 2 All power belongs to the people.",
      "Article 3 State organs apply democratic centralism.",
      "Article 4 All ethnic groups are equal."]


def one_to_one(count: int) -> list[Bead]:
    return [Bead((i,), (i,)) for i in range(count)]


def test_source_differences_are_no_change():
    new = ["第1条　中华人民共和国是社会主义国家。", "第二条 一切权力 属于人民。", OLD[2],
           "第四条 各民族一律平等, 互相尊重。"]
    result = carry_forward(OLD, EN, one_to_one(4), new)
    assert [u.status for u in result.units] == ["carried"] * 4
    assert result.draft()[0] == EN


def test_changed_and_new_paragraphs_are_listed_with_the_old_translation_as_suggestion():
    new = [OLD[0], "第二条 中华人民共和国的一切权力属于人民。", "第三条 国家尊重和保障人权。",
           "第四条 国家机构实行民主集中制的原则。", "第五条 各民族一律平等，互相尊重。"]
    result = carry_forward(OLD, EN, one_to_one(4), new)
    by_status = {u.new: (u.status, u.suggestion) for u in result.units}
    assert by_status[(1,)] == ("changed", (EN[1],))
    assert by_status[(2,)] == ("new", ())
    assert result.summary() == ("3 of 5 paragraphs carried over (1 changed, 1 new, 0 removed)")
    draft, _ = result.draft()  # the renumbered articles carry their translation, renumbered
    assert draft == [EN[0], "Article 4 State organs apply democratic centralism.",
                     "Article 5 All ethnic groups are equal."]
    assert [u.relabelled for u in result.units if u.carried][1:] == [
        ("第三条", "第四条"), ("第四条", "第五条")]


def test_removed_paragraphs_are_dropped_and_moved_ones_carried():
    old = ["序言", "甲段落讲国家的根本任务。", "乙段落讲统一战线。", "丙段落讲民族关系。"]
    new = ["序言", "丙段落讲民族关系。", "甲段落讲国家的根本任务。"]
    result = carry_forward(old, ["P", "A", "B", "C"], one_to_one(4), new)
    assert result.removed == (2,)
    assert result.draft()[0] == ["P", "C", "A"]
    assert any(u.moved for u in result.units)


def test_a_shared_translation_is_carried_only_whole():
    beads = [Bead((0, 1), (0,)), Bead((2,), (1,)), Bead((3,), (2,))]
    en = ["Articles 1 and 2.", EN[2], EN[3]]
    whole = carry_forward(OLD, en, beads, OLD)
    assert [u.new for u in whole.units] == [(0, 1), (2,), (3,)]
    new = [OLD[0], "第二条 一切权力属于人民和人民代表大会。", *OLD[2:]]
    split = carry_forward(OLD, en, beads, new)
    assert [(u.status, u.suggestion) for u in split.units[:2]] == [
        ("regrouped", (en[0],)), ("changed", (en[0],))]
    assert split.count("carried") == 2


@pytest.mark.parametrize(("beads", "translation", "new", "message"), [
    ([Bead((0,), (0,))], EN[:1], OLD, "every original paragraph"),
    (one_to_one(4), EN[:3], OLD, "every translation paragraph"),
    (one_to_one(4), EN, [OLD[0], "  "], "new version: paragraph 2 is empty"),
])
def test_bad_input_is_refused_with_one_clear_line(beads, translation, new, message):
    with pytest.raises(InputError, match=message):
        carry_forward(OLD, translation, beads, new)


# -- the real Constitution -------------------------------------------------------------------

def paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def provision_of(lines: list[str]) -> list[str]:
    """The provision (article, preamble paragraph ...) each paragraph belongs to."""
    return [p.ident for p in split_provisions("\n".join(lines)) for _ in p.lines]


def structural_alignment(zh: list[str], en: list[str]) -> list[Bead]:
    """The NPC's Chinese and English paired provision by provision (both number their
    articles alike), paragraph by paragraph where a provision has as many on both sides."""
    beads, i, j = [], 0, 0
    for a, b in zip(split_provisions("\n".join(zh)), split_provisions("\n".join(en)),
                    strict=True):
        assert a.ref == b.ref
        n, m = len(a.lines), len(b.lines)
        beads += ([Bead((i + k,), (j + k,)) for k in range(n)] if n == m
                  else [Bead(tuple(range(i, i + n)), tuple(range(j, j + m)))])
        i, j = i + n, j + m
    return beads


def test_constitution_2018_translation_carried_back_to_2004(shared_data):
    """We have English only for the 2018 text, so the translation is carried backwards:
    the previous version is the NPC's 2018 Chinese with its English (aligned by provision
    numbers), the new one is the 2004 text. What the 2018 amendment touched (the hand-made
    fixture from the amendment text, read in reverse) must be listed or removed, nothing
    else; everything else must carry the English of the same provision, renumbered
    articles with their 2004 number."""
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    corpus = shared_data / "corpus"
    zh_2018 = paragraphs(corpus / "docs" / "prc-constitution-2018" / "zh.txt")
    en_2018 = paragraphs(corpus / "docs" / "prc-constitution-2018" / "en.txt")
    zh_2004 = paragraphs(corpus / fixture["old"])
    result = carry_forward(zh_2018, en_2018, structural_alignment(zh_2018, en_2018), zh_2004)

    entries = [e for es in fixture["amendments"].values() for e in es]
    to_2018 = {e["old"]: e["new"] for e in entries if e["op"] in ("changed", "moved")}
    changed_2004 = {e["old"] for e in entries if e["op"] == "changed"}
    changed_2018 = {e["new"] for e in entries if e["op"] == "changed"}
    added_2018 = {e["new"] for e in entries if e["op"] == "added"}
    of_2004, of_2018 = provision_of(zh_2004), provision_of(zh_2018)

    listed = {of_2004[j] for unit in result.listed for j in unit.new} - {"front"}
    removed = {of_2018[i] for i in result.removed} - {"front"}
    # The NPC's 2018 text (not the fixture's source) lacks the full stop closing Article 71's
    # second paragraph: a real difference of the two texts, so it is listed too.
    assert listed <= changed_2004 | {"article 71"}, "listed, though the amendment left it"
    assert "article 71" in listed
    assert removed <= added_2018 | changed_2018, "removed, though the amendment kept it"
    assert added_2018 <= removed, "a provision the 2018 amendment added is still there"
    for entry in (e for e in entries if e["op"] == "changed"):
        assert entry["old"] in listed or entry["new"] in removed, entry
    for unit in (u for u in result.units if u.carried):
        for i, j in zip(unit.old, unit.new, strict=True):
            if of_2004[j] != "front":
                assert of_2018[i] == to_2018.get(of_2004[j], of_2004[j]), (i, j)
    renumbered = [u for u in result.units if u.relabelled and u.relabelled[0].endswith("条")]
    assert len(renumbered) == sum(e["op"] == "moved" and e["old"].startswith("article ")
                                  for e in entries)
    for unit in renumbered:
        assert unit.translation[0].startswith(f"Article {of_2004[unit.new[0]].split()[1]} ")
    assert isinstance(result, CarryForward)
    assert result.summary().startswith(f"{result.count('carried')} of {len(zh_2004)} ")
