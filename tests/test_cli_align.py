"""``bitext align``: files in, beads out, in the three formats; clean errors."""

import json

import pytest
from typer.testing import CliRunner

import bitext.cli.align  # noqa: F401  (registers the command)
from bitext.cli.app import app
from bitext.core.align.base import Bead
from bitext.core.align.confidence import UNCERTAIN_BELOW
from bitext.core.align.evaluate import parse_alignment
from bitext.services.line_alignment import OutputFormat, render_beads

ZH = ["叶文洁走进了实验室。", "窗外下着大雨，天色很暗。", "汪淼没有说话。"]
EN = ["Ye Wenjie walked into the laboratory.", "Outside the window it was raining hard.",
      "The sky was dark.", "Wang Miao said nothing."]
EXPECTED = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


@pytest.fixture
def files(tmp_path):
    source, target = tmp_path / "zh.txt", tmp_path / "en.txt"
    source.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    target.write_text("\n".join(EN) + "\n", encoding="utf-8")
    return source, target


def invoke(*args):
    return CliRunner().invoke(app, ["align", *map(str, args)])


def test_align_format_is_one_bead_per_line(files):
    result = invoke(*files)
    assert result.exit_code == 0, result.output
    assert parse_alignment(result.stdout) == EXPECTED
    assert result.stdout.splitlines()[1] == "[1]:[1,2]"


def test_json_format_has_scores_and_flags(files):
    result = invoke(*files, "--format", "json")
    assert result.exit_code == 0, result.output
    beads = json.loads(result.stdout)
    assert [(tuple(b["source"]), tuple(b["target"])) for b in beads] == EXPECTED
    assert all(isinstance(b["score"], float) for b in beads)
    # the flag is the reader's calibrated rule, not a cut on the aligner's score
    assert all(0 <= b["confidence"] <= 1 for b in beads)
    assert [b["low_confidence"] for b in beads] == [b["confidence"] < UNCERTAIN_BELOW
                                                    for b in beads]


def test_tsv_format_has_the_text(files):
    result = invoke(*files, "--format", "tsv", "--level", "paragraph")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == ["source_lines", "target_lines", "score", "source", "target"]
    assert rows[1].split("\t")[:2] == ["1", "1,2"]
    assert rows[1].split("\t")[4] == f"{EN[1]} {EN[2]}"


def test_blank_lines_are_not_units_and_ids_stay_line_numbers(tmp_path):
    source, target = tmp_path / "zh.txt", tmp_path / "en.txt"
    source.write_text(f"{ZH[0]}\n\n{ZH[1]}\n{ZH[2]}\n", encoding="utf-8")
    target.write_text(f"{EN[0]}\n\n{EN[1]}\n{EN[2]}\n{EN[3]}\n", encoding="utf-8")
    result = invoke(source, target)
    assert result.exit_code == 0, result.output
    assert parse_alignment(result.stdout) == [((0,), (0,)), ((2,), (2, 3)), ((3,), (4,))]


def test_languages_are_options(tmp_path):
    source, target = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text("The cat sat.\nIt rained.\n", encoding="utf-8")
    target.write_text("The cat sat.\nIt rained.\n", encoding="utf-8")
    result = invoke(source, target, "--source-language", "en", "--target-language", "en")
    assert result.exit_code == 0, result.output
    assert parse_alignment(result.stdout) == [((0,), (0,)), ((1,), (1,))]


def test_missing_file_is_one_clean_line(files, tmp_path):
    result = invoke(files[0], tmp_path / "absent.txt")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: cannot read absent.txt")
    assert "Traceback" not in result.output


def test_bad_encoding_and_bad_language_are_clean_errors(files, tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café\n".encode("latin-1"))
    result = invoke(files[0], latin1)
    assert result.exit_code == 1 and "not valid utf-8" in result.stderr
    result = invoke(*files, "--source-language", "xx-notalanguage-zz")
    assert result.exit_code == 1 and "unknown language code" in result.stderr


def test_an_empty_file_gives_null_beads(files, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke(files[0], empty)
    assert result.exit_code == 0, result.output
    assert parse_alignment(result.stdout) == [((0,), ()), ((1,), ()), ((2,), ())]


def test_json_flag_is_the_calibrated_confidence_not_the_score():
    """A weak score on a pair whose article numbers agree is not flagged; a heading paired
    with another article's text is, whatever its score."""
    source = ["第一條 本法依憲法制定之。", "第二條 本法所稱主管機關為內政部。"]
    target = ["Article 1 This Act is enacted in accordance with the Constitution.",
              "Article 7 The competent authority under this Act is the Ministry of Finance."]
    beads = json.loads(render_beads([Bead((0,), (0,), 0.05), Bead((1,), (1,), 0.9)],
                                    source, target, OutputFormat.json, ("zh-Hant", "en")))
    assert [b["low_confidence"] for b in beads] == [False, True]
