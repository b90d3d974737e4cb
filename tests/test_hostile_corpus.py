"""A generated corpus of 1,000 hostile items through `events run`: the run succeeds, and every item is
accounted for by exactly one receipt (loaded, duplicate, or rejected with a reason); every loaded document is
staged and coded."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from warehouse import db

N = 1000
EVENTS_WORDS = [
    "Police arrested",
    "Gunmen killed",
    "Protesters marched in",
    "Soldiers clashed with militants near",
    "A bomb exploded in",
    "Rioters burned shops in",
]
PLACES = ["Lagos, Nigeria", "Kabul", "LIMA", "nairobi", "Dhaka, Bangladesh", "Xyzzyville", "São Paulo"]
MESS = [
    "\x00",
    "\u202e",
    "\u200b",
    "\ufeff",
    "Ã©",
    "\ufffd",
    "<script>alert(1)</script>",
    "&#0;",
    "'); DROP TABLE x; --",
    "\r",
    "\t" * 50,
    "9" * 40,
    "1,000,000,000,000",
    "ID 48213907",
    "+234 803 555 0199",
    "31 February 2024",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(EVENTS_WORDS), rng.choice(PLACES), rng.choice(MESS)] + [
        rng.choice(MESS) for _ in range(rng.randrange(3))
    ]
    if rng.random() < 0.3:
        rng.shuffle(words)
    return " ".join(words) + rng.choice([".", "", "!!!", "...\n\n"])


def item(rng: random.Random, i: int) -> tuple[str, bytes]:
    """One hostile item: a file name and its bytes (a .jsonl item is a single line)."""
    kind = rng.randrange(12)
    text = " ".join(sentence(rng) for _ in range(rng.randrange(1, 5)))
    if kind == 0:
        return f"{i}.txt", rng.randbytes(rng.randrange(0, 400))  # binary or empty
    if kind == 1:
        return f"{i}.txt", text.encode("utf-16")
    if kind == 2:
        return f"{i}.txt", text.encode("latin-1", errors="replace")
    if kind == 3:
        return f"{i}.html", f"<html><title>{text[:20]}</title><body><p>{text}<p><b>unclosed".encode()
    if kind == 4:
        return f"{i}.jsonl", json.dumps(
            {"text": text, "published": rng.choice(["2024-02-30", "yesterday", 5, None, "2024-05-01"])}
        ).encode()
    if kind == 5:
        return f"{i}.jsonl", rng.choice(
            [
                b"{not json",
                b"[1, 2]",
                b'{"text": 5}',
                b'"just a string"',
                b'{"text": "\xff\xfe"}',
                b"[" * 5000 + b"]" * 5000,
            ]
        )
    if kind == 6:
        return f"{i}.md", ("# " + text + "\n\n" + "| a | b |\n|---|---|\n" + "- " + text).encode()
    if kind == 7:
        return f"{i}.txt", (text + " " + "x" * rng.randrange(10_000, 60_000)).encode()  # one very long line
    if kind == 8:
        return f"{i}.{rng.choice(['pdf', 'docx', 'exe', ''])}", text.encode()
    if kind == 9:
        return f"{i}.txt", b"   \n\n\t  "
    if kind == 10:
        return f"{i}.txt", EVENTS_WORDS[0].encode() + f" {i % 7} students in Lagos, Nigeria on 2 May 2024.".encode()
    return f"{i}.txt", text.encode()


def write_corpus(inbox: Path, seed: int = 7) -> int:
    """Write N hostile items (single files, and .jsonl items gathered in a few feeds); return the count."""
    rng = random.Random(seed)
    feeds: dict[str, list[bytes]] = {}
    for i in range(N):
        name, data = item(rng, i)
        folder = inbox / f"batch{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        if name.endswith(".jsonl"):
            feeds.setdefault(f"batch{i % 10}/feed.jsonl", []).append(data.replace(b"\n", b" "))
        else:
            (folder / name).write_bytes(data)
    for name, lines in feeds.items():
        (inbox / name).write_bytes(b"\n".join(lines) + b"\n")
    return N


def test_a_thousand_hostile_items_are_each_accounted_for(tmp_path):
    inbox = tmp_path / "inbox"
    n = write_corpus(inbox)
    warehouse = tmp_path / "w.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    with db.reader(warehouse) as con:
        ((receipts, unexplained, bad_status),) = con.execute(
            "SELECT count(*), count(*) FILTER (status <> 'loaded' AND coalesce(reason, '') = ''), "
            "count(*) FILTER (status NOT IN ('loaded', 'duplicate', 'rejected')) FROM raw.receipts"
        ).fetchall()
        loaded = con.execute("SELECT count(DISTINCT doc_id) FROM raw.receipts WHERE status = 'loaded'").fetchone()[0]
        staged, coded, raw = (
            con.execute(f"SELECT count(DISTINCT doc_id) FROM {t}").fetchone()[0]
            for t in ("staging.documents", "core.coding_runs", "raw.documents")
        )
        kinds = dict(con.execute("SELECT status, count(*) FROM raw.receipts GROUP BY 1").fetchall())
    assert receipts == n and unexplained == 0 and bad_status == 0, (receipts, kinds)
    assert loaded == raw == staged == coded
    assert kinds.get("rejected", 0) > 100 and kinds.get("loaded", 0) > 100 and kinds.get("duplicate", 0) > 10
    assert f"documents received: {n}" in run.stdout
