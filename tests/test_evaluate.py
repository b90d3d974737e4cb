"""`events evaluate`: the coder against an ACLED-style gold file, as the project's scorer measures it."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest

from extraction.evaluate import EXAMPLE_FIELDS, FIELDS, evaluate, render
from tests.conftest import ROOT, SHARED
from tests.test_cli import events

# Invented reports in ACLED's note style; the last gold label is deliberately wrong, so it must show up as
# a confusion. Headers are mixed-case and there is no actor2 column (as in some ACLED exports).
GOLD = [
    ("3-Jun-24", "Protests", "Peaceful protest", "Protesters (Ghana)", "Ghana", "Greater Accra", "Accra",
     "5.556", "-0.1969", "0",
     "On 3 June 2024, about 300 nurses marched peacefully in Accra (Accra, Greater Accra) to demand unpaid wages."),
    ("4-Jun-24", "Violence against civilians", "Attack", "Unidentified Armed Group (Nigeria)", "Nigeria",
     "Zamfara", "Gusau", "12.1628", "6.6614", "4",
     "On 4 June 2024, gunmen shot dead four farmers near Gusau (Gusau, Zamfara). No arrests were made."),
    ("5-Jun-24", "Strategic developments", "Arrests", "Police Forces of Kenya (2022-)", "Kenya", "Nairobi",
     "Nairobi", "-1.2833", "36.8167", "0",
     "On 5 June 2024, police in Nairobi, Kenya arrested 12 activists outside parliament."),
    ("6-Jun-24", "Riots", "Looting/property destruction", "Rioters (Ghana)", "Ghana", "Ashanti", "Kumasi",
     "6.6885", "-1.6244", "0",
     "On 6 June 2024, traders held a peaceful sit-in at the market in Kumasi (Kumasi, Ashanti)."),
    ("7-Jun-24", "Protests", "Peaceful protest", "", "Ghana", "", "", "", "", "0", ""),  # no notes: skipped
    ("not a date", "Protests", "Peaceful protest", "", "Ghana", "", "", "", "", "0", "A rally in Tamale."),
]
HEADER = ["Event_Date", "EVENT_TYPE", "Sub_Event_Type", "Actor1", "Country", "Admin1", "Location", "Latitude",
          "Longitude", "Fatalities", "Notes"]


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "gold.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(GOLD)
    return path


def test_report_counts_fields_types_and_confusions(gold):
    report = evaluate(gold)
    result = report["result"]
    assert result["docs"] == 4  # the row without notes and the one without a date are not gold
    assert all(0.0 <= result[f] <= 1.0 for f in FIELDS) and result["detected"] >= 0.75
    assert sum(r["support"] for r in report["per_sub_event_type"]) == 4
    assert sum(c["n"] for c in report["top_confusions"]) == round(4 * (1 - result["sub_event_type"]))
    assert any(c["sub_event_type"] == "Looting/property destruction" for c in report["top_confusions"])
    worst = report["worst_examples"][0]
    assert worst["misses"] >= 1 and {"gold", "predicted"} <= set(worst["sub_event_type"])


def test_worst_examples_name_only_the_fields_the_scorer_missed(gold):
    report = evaluate(gold)
    lines = render(report).splitlines()
    shown = 0
    for ex in report["worst_examples"][:10]:
        (line,) = [ln for ln in lines if ln.strip().startswith(f"{ex['doc_id']} missed")]
        for field in EXAMPLE_FIELDS:
            assert (f" {field}: " in f" {line.split(': ', 1)[-1]}") == (not ex[field]["ok"]), (field, line)
        shown += 1
    # the gold dates are written "3-Jun-24", the predictions "2024-06-03": equal days must not show as misses
    assert shown and any(ex["event_date"]["ok"] and ex["event_date"]["gold"] != ex["event_date"]["predicted"]
                         for ex in report["worst_examples"])


def test_cli_prints_score_and_writes_report(gold, tmp_path):
    out = tmp_path / "report.json"
    proc = events("evaluate", gold, "--report", out)
    score = re.search(r"^SCORE (.*)$", proc.stdout, re.M)
    assert score and "sub_event_weighted_f1=" in score[1]
    report = json.loads(out.read_text())
    assert report["result"]["docs"] == 4 and "per_sub_event_type" in report


def test_cli_rejects_a_file_that_is_not_acled(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    proc = events("evaluate", bad, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "notes" in proc.stderr
    assert events("evaluate", tmp_path / "missing.csv", check=False).returncode == 1


def _shared_files():
    folder = SHARED / "data"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


@pytest.mark.skipif(not _shared_files(), reason="../shared/data is not beside the project (evaluation data)")
@pytest.mark.parametrize("path", _shared_files(), ids=lambda p: p.stem)
def test_every_shared_gold_file_evaluates(path):
    result = evaluate(path, limit=60)["result"]
    assert result["docs"] == 60 and result["detected"] > 0.5


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").is_file(), reason="../shared/eval/score.py is absent")
def test_numbers_match_the_project_scorer():
    gold = SHARED / "data" / "acled_bangladesh_2022_2024.csv"  # integer fatalities: the scorer reads no "4.0"
    proc = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "acled", str(gold), "--limit", "120",
                           "--cmd", f"{sys.executable} -m orchestration.cli extract"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    theirs = dict(kv.split("=") for kv in proc.stdout.strip().splitlines()[-1].split()[1:])
    ours = evaluate(gold, limit=120)["result"]
    for key in (*FIELDS, "sub_event_weighted_f1", "events_per_doc"):
        assert float(theirs[key]) == pytest.approx(ours[key]), key
