"""`events extract` on two cores: a spawned helper codes chunks from the end, the output is the serial one."""

from __future__ import annotations

import random

from extraction import records

TOWNS = ["Nairobi", "Kisumu", "Lahore", "Multan", "Kano", "Jos", "Lima", "Cusco"]
TEMPLATES = [
    "On {d} March 2024, police in {town} fired tear gas at {n} students protesting fee increases and arrested "
    "{m} of them.",
    "Gunmen attacked a bus near {town} on {d} March 2024, killing {n} passengers; police said {m} were wounded.",
    "The council of {town} will meet next week to discuss the budget for roads and schools.",
    "Hundreds of traders marched peacefully through {town} on {d} March 2024 against a new market tax.",
]


def _documents(n: int) -> list[dict]:
    rng = random.Random(3)
    docs = []
    for i in range(n):
        body = [rng.choice(TEMPLATES).format(town=rng.choice(TOWNS), d=rng.randint(1, 28), n=rng.randint(2, 90),
                                             m=rng.randint(2, 30)) for _ in range(rng.randint(1, 3))]
        # ids out of order: the serial output is sorted by document within a batch, the helper's must be too
        docs.append({"id": f"doc-{rng.randint(0, 10**6):07d}-{i}", "published": "2024-03-30",
                     "text": "\n\n".join(body)})
    return docs


def test_helper_output_equals_the_serial_output():
    staged = records.stage_records(enumerate(_documents(3 * records.CHUNK + 7), 1), "test")
    serial = list(records.event_dicts(staged))
    with records.Helper() as helper:
        parallel = list(records.event_dicts(staged, helper))
    assert len(serial) > records.CHUNK  # enough events that chunks cross
    assert parallel == serial


def test_few_documents_stay_in_one_process():
    staged = records.stage_records(enumerate(_documents(records.CHUNK), 1), "test")

    class Unused:
        def event_dicts(self, staged):
            raise AssertionError("a helper for fewer than two chunks")

    assert list(records.event_dicts(staged, Unused())) == list(records.event_dicts(staged))
