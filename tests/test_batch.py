"""Batches on a real Dask cluster (in this process: ``processes=False``) and real files.

``align --batch`` writes one file of beads per pair, ``add --batch`` stores documents in a
real SQLite (or PostgreSQL) library; a broken pair is reported and skipped; a re-run
writes nothing new and finishes what a stopped run left; a bad scheduler is one line.
"""

import json
import socket

import pytest
from dask.distributed import LocalCluster
from typer.testing import CliRunner

import bitext.cli.align  # noqa: F401  (registers the command)
from bitext.cli.app import app
from bitext.core.align.evaluate import parse_alignment
from bitext.services.audit_log import audit_entries
from bitext.services.batch_add import add_batch
from bitext.services.library import add_document, open_library
from bitext.services.reading import EVERY_STATUS, DocumentFilters, get_document, list_documents

ZH = ["叶文洁走进了实验室。", "窗外下着大雨，天色很暗。", "汪淼没有说话。"]
EN = ["Ye Wenjie walked into the laboratory.", "Outside the window it was raining hard.",
      "The sky was dark.", "Wang Miao said nothing."]
EXPECTED = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]

DOCUMENTS = {
    "rain": ("叶文洁走进了实验室。窗外下着大雨，天色很暗。\n\n汪淼没有说话。他看着窗外。",
             "Ye Wenjie walked into the laboratory. Outside the window it was raining hard, "
             "and the sky was dark.\n\nWang Miao said nothing. He looked out of the window."),
    "law": ("第一条 为了维护国家安全，制定本法。\n\n第二条 国家安全是国家利益的根本。",
            "Article 1 This Law is enacted to safeguard national security.\n\n"
            "Article 2 National security is the foundation of the interests of the state."),
}


@pytest.fixture(scope="module")
def scheduler():
    """A real Dask scheduler with one worker thread, in this process."""
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster:  # no fixed port: others may run
        yield cluster.scheduler_address


def run_cli(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def write_pair(folder, source_lines, target_lines):
    folder.mkdir(parents=True)
    (folder / "original.txt").write_text("\n".join(source_lines) + "\n", encoding="utf-8")
    (folder / "translation.txt").write_text("\n".join(target_lines) + "\n", encoding="utf-8")


def write_document_folder(folder, slug, original, translation):
    folder.mkdir(parents=True)
    (folder / "original.txt").write_text(original, encoding="utf-8")
    (folder / "translation.txt").write_text(translation, encoding="utf-8")
    (folder / "meta.json").write_text(json.dumps({
        "slug": slug, "title_original": f"{slug} 标题", "title_translation": f"{slug} title",
        "language_original": "zh-Hans", "language_translation": "en"}), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def journal_names(out):
    return [json.loads(line)["name"]
            for line in (out / "bitext-batch.jsonl").read_text(encoding="utf-8").splitlines()]


# ---- align --batch ---------------------------------------------------------------------


def test_align_batch_writes_every_pair_and_skips_the_broken_ones(tmp_path, scheduler):
    pairs, out = tmp_path / "pairs", tmp_path / "out"
    write_pair(pairs / "first", ZH, EN)
    write_pair(pairs / "second", ZH[:2], EN[:3])
    write_pair(pairs / "empty", ZH, [""])
    (pairs / "lonely").mkdir()
    (pairs / "lonely" / "original.txt").write_text("孤独。\n", encoding="utf-8")
    result = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", scheduler)
    assert result.exit_code == 1, result.output  # some pairs failed; the others are written
    assert "aligned 2 pairs" in result.stdout
    assert sorted(p.name for p in out.glob("*.align")) == ["first.align", "second.align"]
    assert parse_alignment((out / "first.align").read_text(encoding="utf-8")) == EXPECTED
    assert parse_alignment((out / "second.align").read_text(encoding="utf-8")) == EXPECTED[:2]
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert sorted(failed) == ["failed empty: the target file has no text",
                              "failed lonely: the folder has no translation.txt (or .md)"]


def test_align_batch_rerun_writes_nothing_new_and_resumes(tmp_path, scheduler):
    pairs, out = tmp_path / "pairs", tmp_path / "out"
    for name in ("a", "b", "c"):
        write_pair(pairs / name, ZH, EN)
    first = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", scheduler)
    assert first.exit_code == 0, first.output
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("*.align")}
    assert sorted(journal_names(out)) == ["a", "b", "c"]

    again = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", scheduler)
    assert again.exit_code == 0, again.output
    assert "aligned 0 pairs" in again.stdout and "3 already done" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.align")} == written
    assert len(journal_names(out)) == 3

    # A run stopped after "a": b's file never came, c's came but was never noted.
    journal = out / "bitext-batch.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    journal.write_text("".join(line + "\n" for line in lines
                               if json.loads(line)["name"] == "a"), encoding="utf-8")
    (out / "b.align").unlink()
    resumed = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", scheduler)
    assert resumed.exit_code == 0, resumed.output
    assert "aligned 2 pairs" in resumed.stdout and "1 already done" in resumed.stdout
    assert sorted(journal_names(out)) == ["a", "b", "c"]
    assert parse_alignment((out / "b.align").read_text(encoding="utf-8")) == EXPECTED

    # Changed content is a new hash: that pair alone is aligned again.
    (pairs / "c" / "translation.txt").write_text("\n".join(EN[:3]) + "\n", encoding="utf-8")
    changed = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", scheduler)
    assert "aligned 1 pair " in changed.stdout and "2 already done" in changed.stdout
    beads = parse_alignment((out / "c.align").read_text(encoding="utf-8"))
    assert sorted(j for _, target in beads for j in target) == [0, 1, 2]


def test_align_batch_reads_a_list_of_pairs(tmp_path, scheduler):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "zh.txt").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (tmp_path / "texts" / "en.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    listing = tmp_path / "pairs.tsv"
    listing.write_text("# source, target, name\n"
                       "texts/zh.txt\ttexts/en.txt\tnovel\n"
                       "texts/zh.txt\n"
                       "texts/zh.txt\ttexts/missing.txt\tgone\n"
                       "texts/zh.txt\ttexts/en.txt\tnovel\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("align", "--batch", listing, "--output-dir", out, "--format", "json",
                     "--scheduler", scheduler)
    assert result.exit_code == 1, result.output
    beads = json.loads((out / "novel.json").read_text(encoding="utf-8"))
    assert [(tuple(b["source"]), tuple(b["target"])) for b in beads] == EXPECTED
    failed = sorted(line for line in result.stderr.splitlines() if line.startswith("failed"))
    assert failed[0].startswith("failed gone: file not found")
    assert failed[1:] == ["failed line 3: expected SOURCE<TAB>TARGET[<TAB>NAME]",
                          "failed novel: another pair of the batch has this name"]


def test_a_bad_scheduler_address_is_one_line_and_writes_nothing(tmp_path):
    pairs, out = tmp_path / "pairs", tmp_path / "out"
    write_pair(pairs / "first", ZH, EN)
    address = f"tcp://127.0.0.1:{free_port()}"
    result = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", address)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: cannot reach the Dask scheduler at {address}: Timed out trying to connect "
        f"to {address} after 10 s"]
    assert not out.exists()
    malformed = run_cli("align", "--batch", pairs, "--output-dir", out, "--scheduler", "nohost")
    assert malformed.exit_code == 1
    assert malformed.stderr.splitlines() == [
        "error: cannot reach the Dask scheduler at nohost: missing port number in address "
        "'nohost'"]


def test_align_batch_needs_an_output_folder_and_either_files_or_a_batch(tmp_path):
    result = run_cli("align", "--batch", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: align --batch writes one file per pair: give "
                                     "--output-dir DIR")
    neither = run_cli("align")
    assert neither.stderr.strip() == "error: give SRC and TGT, or --batch LIST.tsv or DIR"


# ---- add --batch ------------------------------------------------------------------------


def stored(database):
    page = list_documents(database, DocumentFilters(), per_page=100, statuses=EVERY_STATUS)
    return sorted(d.slug for d in page.items)


def batch_rows(database):
    return [e for e in audit_entries(database, limit=500).entries
            if e.action == "document.batch-add"]


def test_add_batch_stores_every_document_as_add_would(tmp_path, library, scheduler):
    docs = tmp_path / "docs"
    for slug, (original, translation) in DOCUMENTS.items():
        write_document_folder(docs / slug, slug, original, translation)
    write_document_folder(docs / "bad-meta", "bad-meta", *DOCUMENTS["law"])
    (docs / "bad-meta" / "meta.json").write_text("{not json", encoding="utf-8")
    write_document_folder(docs / "empty", "empty", "", DOCUMENTS["law"][1])

    report = add_batch(library, docs, scheduler=scheduler)
    assert (report.aligned, report.already_done) == (2, 0)
    assert sorted(f.name for f in report.failures) == ["bad-meta", "empty"]
    assert [f.message for f in report.failures if f.name == "empty"] == [
        "the original text is empty"]
    assert stored(library) == ["law", "rain"]

    # The same beads as one `bitext add` of the same files, in a library of its own.
    alone = open_library(f"sqlite:///{tmp_path / 'alone.db'}")
    try:
        add_document(alone, json.loads((docs / "rain" / "meta.json").read_text("utf-8")),
                     *DOCUMENTS["rain"])
        single = get_document(alone, "rain", statuses=EVERY_STATUS)
    finally:
        alone.dispose()
    batched = get_document(library, "rain", statuses=EVERY_STATUS)
    assert bead_texts(batched) == bead_texts(single)
    assert len(bead_texts(batched)) == 4
    assert batched.method == single.method


def bead_texts(view):
    """Sentence beads as texts: segment ids differ from one library to another."""
    text = {s.id: s.text for p in [*view.original, *view.translation] for s in p.sentences}
    return [([text[i] for i in b.source], [text[j] for j in b.target])
            for b in view.sentence_beads]


def test_add_batch_rerun_adds_nothing_and_a_stopped_run_resumes(tmp_path, library, scheduler):
    docs = tmp_path / "docs"
    for slug, (original, translation) in DOCUMENTS.items():
        write_document_folder(docs / slug, slug, original, translation)

    def stop_after_one(done, total, sentences):
        if done == 1:
            raise KeyboardInterrupt  # as Ctrl+C would, between two pairs

    with pytest.raises(KeyboardInterrupt):
        add_batch(library, docs, scheduler=scheduler, progress=stop_after_one)
    assert len(stored(library)) == 1 and len(batch_rows(library)) == 1

    resumed = add_batch(library, docs, scheduler=scheduler)
    assert (resumed.aligned, resumed.already_done, resumed.failures) == (1, 1, [])
    assert stored(library) == ["law", "rain"]

    again = add_batch(library, docs, scheduler=scheduler)
    assert (again.aligned, again.already_done, again.failures) == (0, 2, [])
    assert stored(library) == ["law", "rain"] and len(batch_rows(library)) == 2


def test_add_batch_refuses_slugs_it_did_not_add_and_slugs_given_twice(tmp_path, library,
                                                                      scheduler):
    add_document(library, {"slug": "rain", "title_original": "雨", "title_translation": "Rain",
                           "language_original": "zh-Hans", "language_translation": "en"},
                 *DOCUMENTS["rain"])
    docs = tmp_path / "docs"
    write_document_folder(docs / "a-rain", "rain", *DOCUMENTS["rain"])
    write_document_folder(docs / "b-law", "law", *DOCUMENTS["law"])
    write_document_folder(docs / "c-law-again", "law", *DOCUMENTS["law"])
    report = add_batch(library, docs, scheduler=scheduler)
    assert report.aligned == 1
    assert sorted((f.name, f.message) for f in report.failures) == [
        ("a-rain", "a document with slug 'rain' is already in the library, not from these "
                   "files"),
        ("c-law-again", "another pair of the batch has the slug 'law'"),
    ]
    assert stored(library) == ["law", "rain"]


def test_add_batch_on_a_local_cluster_of_its_own(tmp_path, library):
    docs = tmp_path / "docs"
    write_document_folder(docs / "law", "law", *DOCUMENTS["law"])
    report = add_batch(library, docs, workers=1, processes=False)
    assert (report.aligned, report.failures) == (1, [])
    assert report.sentences == 4
    assert stored(library) == ["law"]


@pytest.mark.postgres
def test_add_batch_into_postgresql(tmp_path, postgres_url, scheduler):
    docs = tmp_path / "docs"
    for slug, (original, translation) in DOCUMENTS.items():
        write_document_folder(docs / slug, slug, original, translation)
    database = open_library(postgres_url)
    try:
        first = add_batch(database, docs, scheduler=scheduler)
        again = add_batch(database, docs, scheduler=scheduler)
        assert (first.aligned, again.aligned, again.already_done) == (2, 0, 2)
        assert stored(database) == ["law", "rain"]
    finally:
        database.dispose()


def test_add_batch_command_adds_reports_and_tells_progress(tmp_path, scheduler):
    docs, db = tmp_path / "docs", tmp_path / "library.db"
    for slug, (original, translation) in DOCUMENTS.items():
        write_document_folder(docs / slug, slug, original, translation)
    (docs / "no-meta").mkdir()
    result = run_cli("add", "--batch", docs, "--scheduler", scheduler, "--db", db)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("added 2 pairs (")
    assert result.stderr.splitlines() == [
        "failed no-meta: the folder has no original.txt (or .md), translation.txt (or .md), "
        "meta.json"]
    database = open_library(f"sqlite:///{db}")
    try:
        assert stored(database) == ["law", "rain"]
        heard = []
        report = add_batch(database, docs, scheduler=scheduler,
                           progress=lambda *told: heard.append(told))
    finally:
        database.dispose()
    assert report.already_done == 2 and heard == []  # nothing left to run: no cluster


def test_add_batch_command_with_a_bad_scheduler_is_one_line(tmp_path):
    docs = tmp_path / "docs"
    write_document_folder(docs / "law", "law", *DOCUMENTS["law"])
    result = run_cli("add", "--batch", docs, "--scheduler", "tcp://no-port",
                     "--db", tmp_path / "library.db")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: cannot reach the Dask scheduler at tcp://no-port: missing port number in "
        "address 'no-port'"]
    assert "error" not in result.stdout


def test_progress_counts_pairs_and_sentences(tmp_path, library, scheduler):
    docs = tmp_path / "docs"
    for slug, (original, translation) in DOCUMENTS.items():
        write_document_folder(docs / slug, slug, original, translation)
    heard = []
    report = add_batch(library, docs, scheduler=scheduler,
                       progress=lambda *told: heard.append(told))
    assert heard[0] == (0, 2, 0) and heard[-1] == (2, 2, report.sentences)
    assert [done for done, _, _ in heard] == sorted(done for done, _, _ in heard)
    assert report.sentences == 12  # rain: 4 + 4 sentences, law: 2 + 2
