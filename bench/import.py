"""How fast and how faithfully does `bitext add` read real documents?

    python bench/import.py [--docs SLUG,SLUG]

Every document pair in shared/data/corpus/docs is made into the files people send: PDFs
printed by Debian's Chromium (Playwright, executable_path) with a running header and
"Page N of M" footers, Word files (python-docx), web pages inside a site's navigation and
footer, and two bilingual files (a two-column Word table; an HTML page alternating the
languages). Each format is then read by bitext's readers in a child process of its own:
its wall time gives pages/s (PDF) or paragraphs/s, its peak RSS (wait4) the memory.

Fidelity compares the paragraphs read with the corpus lines they were made from:
character-level similarity (matched characters over all characters, whitespace runs as
one space) and paragraphs wrongly split or merged (one source paragraph read as several,
or several as one). The reference, measured in the same run on the same PDFs and pages, is
naive extraction as other aligners do it: pdfplumber's page text one line per paragraph,
and a page's whole body text (lxml text_content) line by line.
"""

import argparse
import difflib
import html
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "data" / "corpus" / "docs"
_SPEC = importlib.util.spec_from_file_location(  # the tests' makers of these same files
    "import_documents", HERE.parent / "tests" / "import_documents.py")
assert _SPEC is not None and _SPEC.loader is not None
documents = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(documents)
TARGET_FIDELITY = 0.99
_SPACES = re.compile(r"\s+")


def corpus(slugs: list[str] | None) -> dict[str, dict[str, list[str]]]:
    names = slugs or sorted(p.name for p in CORPUS.iterdir() if (p / "zh.txt").exists())
    data = CORPUS.parent.parent
    return {slug: {side: documents.corpus_lines(data, slug, side) for side in ("zh", "en")}
            for slug in names}


def make_files(docs: dict[str, dict[str, list[str]]], folder: Path) -> None:
    make_docx, make_html = documents.make_docx, documents.make_html
    pages, names = [], []
    for slug, sides in docs.items():
        for side, lines in sides.items():
            (folder / f"{slug}.{side}.docx").write_bytes(make_docx(lines))
            (folder / f"{slug}.{side}.html").write_text(make_html(lines, lang=side), "utf-8")
            pages.append(make_html(lines, lang=side, site=False))
            names.append(f"{slug}.{side}.pdf")
        rows = list(zip(sides["zh"], sides["en"], strict=False))
        (folder / f"{slug}.both.docx").write_bytes(documents.make_docx_table(rows))
        interleaved = "".join(f"<p>{html.escape(zh)}</p><p>{html.escape(en)}</p>"
                              for zh, en in rows)
        (folder / f"{slug}.both.html").write_text(
            f"<!DOCTYPE html><html><body><main>{interleaved}</main></body></html>", "utf-8")
    pdfs = documents.render_pdfs(pages, title="A running title")
    for name, pdf in zip(names, pdfs, strict=True):
        (folder / name).write_bytes(pdf)


def child(kind: str, folder: Path) -> None:
    """Read every file of one kind; print what was read and how long it took, as JSON."""
    import lxml.html
    import pdfplumber

    from bitext.formats.readers.bilingual import split_bilingual
    from bitext.services.file_import import read_document

    suffix = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "table": ".both.docx",
              "interleaved": ".both.html", "naive-pdf": ".pdf", "naive-html": ".html"}[kind]
    files = sorted(p for p in folder.iterdir() if p.name.endswith(suffix)
                   and (".both." in p.name) == (kind in ("table", "interleaved")))
    out, pages = {}, 0
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        if kind == "naive-pdf":
            with pdfplumber.open(path) as pdf:
                pages += len(pdf.pages)
                out[path.name] = [line for page in pdf.pages
                                  for line in (page.extract_text() or "").splitlines()]
        elif kind == "naive-html":
            body = lxml.html.document_fromstring(data).find("body")
            out[path.name] = (body.text_content() if body is not None else "").splitlines()
        elif kind in ("table", "interleaved"):
            split = split_bilingual(read_document(data, path.name), "zh-Hant", "en")
            out[path.name] = [split.original, split.translation]
        else:
            document = read_document(data, path.name)
            pages += document.pages or 0
            out[path.name] = [b.text for b in document.blocks]
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "pages": pages, "read": out}, ensure_ascii=False))


def run_child(kind: str, folder: Path) -> tuple[dict, float]:
    """The child's JSON and its own peak RSS in MB."""
    command = [sys.executable, __file__, "--child", kind, str(folder)]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            stderr.seek(0)
            sys.exit(f"{kind} failed:\n{stderr.read()}")
        stdout.seek(0)
        return json.loads(stdout.read()), usage.ru_maxrss / 1024


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def compare(expected: list[str], got: list[str],
            examples: list[str] | None = None) -> tuple[int, int, int, int]:
    """(matched characters, all characters of both, wrong splits, wrong merges); the
    paragraphs read wrongly are added to ``examples``."""
    expected = [t for t in map(_tidy, expected) if t]
    got = [t for t in map(_tidy, got) if t]
    matched = splits = merges = 0
    lines = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            matched += 2 * sum(len(t) for t in expected[i1:i2])
            continue
        a, b = "\n".join(expected[i1:i2]), "\n".join(got[j1:j2])
        if a and b:
            chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
            matched += 2 * sum(block.size for block in chars.get_matching_blocks())
        splits += max(0, (j2 - j1) - (i2 - i1))  # more paragraphs read than written
        merges += max(0, (i2 - i1) - (j2 - j1))  # fewer
        if examples is not None and (i2 - i1) != (j2 - j1):
            examples.append(f"{i2 - i1} written as {j2 - j1} read: {b[:90]!r}")
    total = sum(map(len, expected)) + sum(map(len, got))
    return matched, total, splits, merges


def score(docs, read: dict[str, list], kind: str) -> dict:
    matched = total = splits = merges = paragraphs = 0
    examples: list[str] = []
    for slug, sides in docs.items():
        if kind in ("table", "interleaved"):
            suffix = ".both.docx" if kind == "table" else ".both.html"
            original, translation = read[f"{slug}{suffix}"]
            rows = list(zip(sides["zh"], sides["en"], strict=False))
            pairs = [([zh for zh, _ in rows], original), ([en for _, en in rows], translation)]
        else:
            extension = {"naive-pdf": "pdf", "naive-html": "html"}.get(kind, kind)
            pairs = [(sides[side], read[f"{slug}.{side}.{extension}"]) for side in ("zh", "en")]
        for expected, got in pairs:
            m, t, s, g = compare(expected, got, examples)
            matched, total, splits, merges = matched + m, total + t, splits + s, merges + g
            paragraphs += len(expected)
    return {"fidelity": matched / total if total else 1.0, "split": splits, "merged": merges,
            "paragraphs": paragraphs, "examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", help="comma-separated corpus slugs (default: all)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}")
    docs = corpus(args.docs.split(",") if args.docs else None)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared "
          "machine: times are upper bounds)")
    print(f"documents: {len(docs)} pairs, "
          f"{sum(len(s['zh']) + len(s['en']) for s in docs.values()):,} paragraphs")
    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        make_files(docs, folder)
        print(f"made the files in {time.perf_counter() - started:.0f} s (Chromium, python-docx)")
        print(f"{'reader':<12} {'files':>5} {'pages':>6} {'paras':>7} {'s':>6} {'rate':>14} "
              f"{'peak MB':>8} {'fidelity':>9} {'split':>6} {'merged':>6}")
        for kind in ("pdf", "naive-pdf", "docx", "html", "naive-html", "table", "interleaved"):
            output, peak = run_child(kind, folder)
            result = score(docs, output["read"], kind)
            seconds = max(output["seconds"], 1e-9)
            rate = (f"{output['pages'] / seconds:,.1f} pages/s" if kind.endswith("pdf")
                    else f"{result['paragraphs'] / seconds:,.0f} par/s")
            results[kind] = {**result, "seconds": seconds, "peak": peak,
                             "pages": output["pages"]}
            print(f"{kind:<12} {len(output['read']):>5} {output['pages'] or '':>6} "
                  f"{result['paragraphs']:>7,} {seconds:>6.2f} {rate:>14} {peak:>8.0f} "
                  f"{result['fidelity']:>9.5f} {result['split']:>6} {result['merged']:>6}")
            if not kind.startswith("naive"):
                for example in result["examples"][:4]:
                    print(f"    {example}")
    ours = ("pdf", "docx", "html", "table", "interleaved")
    worst = min(results[k]["fidelity"] for k in ours)
    verdict = "met" if worst >= TARGET_FIDELITY else "MISSED"
    print(f"target fidelity >= {TARGET_FIDELITY}: {verdict} (worst of bitext's readers "
          f"{worst:.5f}; naive PDF {results['naive-pdf']['fidelity']:.5f}, naive HTML "
          f"{results['naive-html']['fidelity']:.5f})")
    pdf = results["pdf"]
    print(f"pdf_pages_per_s={pdf['pages'] / pdf['seconds']:.1f} "
          f"docx_paragraphs_per_s={results['docx']['paragraphs'] / results['docx']['seconds']:.0f} "
          f"html_paragraphs_per_s={results['html']['paragraphs'] / results['html']['seconds']:.0f} "
          f"peak_mb={max(results[k]['peak'] for k in ours):.0f} "
          f"pdf_fidelity={pdf['fidelity']:.5f} docx_fidelity={results['docx']['fidelity']:.5f} "
          f"html_fidelity={results['html']['fidelity']:.5f} "
          f"table_fidelity={results['table']['fidelity']:.5f} "
          f"interleaved_fidelity={results['interleaved']['fidelity']:.5f} "
          f"naive_pdf_fidelity={results['naive-pdf']['fidelity']:.5f} "
          f"split={sum(results[k]['split'] for k in ours)} "
          f"merged={sum(results[k]['merged'] for k in ours)} load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
