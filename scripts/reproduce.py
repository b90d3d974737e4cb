"""What the training scripts' `--check` shares: does a fresh fit reproduce the committed model on any CPU?

Raw weights differ between BLAS kernels, so a check compares decisions (agreement on a fixed sample) and
held-out scores (within a tolerance of those recorded at training), never the weights themselves."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

AGREEMENT = 0.995
TOLERANCE = 0.005


def recorded(path: Path) -> dict[str, float]:
    """The held-out scores written beside a model when it was trained (none: every score differs)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def differences(agree: float, what: str, fresh: dict[str, float], before: dict[str, float],
                source: str = "recorded") -> list[str]:
    """The problems of a fresh fit: decisions agreeing on less than AGREEMENT of the sample, a held-out score
    further than TOLERANCE from the committed model's."""
    problems = [f"{what} agree on {agree:.4f} (< {AGREEMENT})"] if agree < AGREEMENT else []
    problems += [f"held-out {k}: fresh {v} vs {source} {before.get(k)}" for k, v in fresh.items()
                 if k not in before or abs(v - before[k]) > TOLERANCE]
    return problems


def verdict(problems: list[str], summary: str) -> bool:
    """Print whether the committed model was reproduced, and the figures; True when it was."""
    print("committed model reproduced" if not problems else "committed model differs: " + "; ".join(problems))
    print(summary)
    return not problems


def weights_problems(path: Path, version: str, features: tuple[str, ...]) -> tuple[dict, list[str]]:
    """A committed JSON weights model and what makes it another model than this script's: version, features."""
    committed = json.loads(path.read_text(encoding="utf-8"))
    problems = [f"version {committed.get('version')} != {version}"] if committed.get("version") != version else []
    if tuple(committed.get("features", ())) != features:
        problems.append("features differ")
    return committed, problems


def write_weights(path: Path, version: str, features: tuple[str, ...], weights: list[float]) -> None:
    """A JSON weights model: its version, its features by name and their weights (no pickle)."""
    path.write_text(json.dumps({"version": version, "features": list(features), "weights": weights}, indent=1)
                    + "\n")


def arguments(doc: str, data: Path, evaluate: str) -> argparse.Namespace:
    """The training scripts' command line: train and write, --check against the committed model, --eval."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="retrain and compare with the committed model")
    ap.add_argument("--eval", action="store_true", help=evaluate)
    ap.add_argument("--data", type=Path, default=data)
    return ap.parse_args()


def write_scores(path: Path, scores: dict[str, float]) -> None:
    """The held-out scores beside a model, which its --check compares a fresh fit with."""
    path.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n")
