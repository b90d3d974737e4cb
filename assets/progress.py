"""Progress of a long step: a bar on a terminal, plain lines otherwise (logs, CI, the Dagster daemon)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Call `update(done)` as work completes. On a terminal, one self-rewriting bar with rate and ETA;
    elsewhere a line at every tenth of the work. `log` (e.g. Dagster's context.log.info) gets every update,
    so the UI's event log shows progress too. EVENTS_PROGRESS=off silences the terminal output."""

    def __init__(self, label: str, total: int, log: Callable[[str], object] | None = None,
                 stream: TextIO | None = None):
        self.label, self.total, self.log = label, total, log
        self.stream = stream or sys.stderr
        self.quiet = os.environ.get("EVENTS_PROGRESS", "").lower() in ("off", "0", "no")
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started, self.next_line = time.monotonic(), 0.1

    def text(self, done: int) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate else 0.0
        pct = 100.0 * done / self.total if self.total else 100.0
        return f"{self.label}: {done}/{self.total} ({pct:.0f}%), {rate:.1f}/s, about {eta:.0f}s left"

    def update(self, done: int, note: str = "") -> None:
        line = self.text(done) + (f"; {note}" if note else "")
        if self.log:
            self.log(line)
        if self.quiet or not self.total:
            return
        if self.tty:
            width = 30
            filled = int(width * done / self.total)
            end = "\n" if done >= self.total else ""
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {line}\033[K{end}")
            self.stream.flush()
        elif done / self.total >= self.next_line or done >= self.total:
            self.stream.write(line + "\n")
            self.next_line = (int(10 * done / self.total) + 1) / 10
