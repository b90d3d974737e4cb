"""Progress of long steps: a bar on a terminal, a line per tenth of the work elsewhere, every update logged."""

from __future__ import annotations

import io

from assets.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_at_each_tenth_and_every_update_logged():
    out, logged = io.StringIO(), []
    progress = Progress("coding documents", 1000, logged.append, out)
    for done in range(50, 1001, 50):
        progress.update(done)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("coding documents: 1000/1000 (100%)")
    assert len(logged) == 20


def test_a_bar_on_a_terminal(monkeypatch):
    monkeypatch.delenv("EVENTS_PROGRESS", raising=False)
    out = Terminal()
    progress = Progress("coding documents", 4, stream=out)
    progress.update(2)
    progress.update(4)
    text = out.getvalue()
    assert "\r[###############...............] coding documents: 2/4 (50%)" in text
    assert text.endswith("\n") and "[##############################]" in text


def test_silenced(monkeypatch):
    monkeypatch.setenv("EVENTS_PROGRESS", "off")
    out = Terminal()
    Progress("x", 3, stream=out).update(3)
    assert out.getvalue() == ""
