"""ACLED's filters (country, iso, region, admin1, event and sub-event type, actor, date range) on `events export`
and in `warehouse.query.events`, the helper a notebook imports: the same rows as the same SQL would give."""

from __future__ import annotations

import datetime as dt
import re
import shlex

import polars as pl
import pytest

from schemas.acled import ACLED_COLUMNS
from tests.conftest import ROOT
from tests.test_cli import events as cli
from warehouse import db
from warehouse.query import FilterError, events, filters


@pytest.fixture(scope="module")
def stored(demo_warehouse) -> pl.DataFrame:
    with db.reader(demo_warehouse) as con:
        return db.read(con, "SELECT * FROM core.events ORDER BY event_date, event_id_cnty")


def _busiest(stored: pl.DataFrame, column: str) -> str:
    return stored.group_by(column).len().sort("len", column, descending=[True, False])[column][0]


def test_helper_reads_the_snapshot_with_every_column_or_acleds(demo_warehouse, stored):
    assert events(demo_warehouse).equals(stored)
    acled = events(demo_warehouse, columns="acled")
    assert acled.columns == list(ACLED_COLUMNS) and acled.height == stored.height


def test_each_filter_selects_what_its_sql_would(demo_warehouse, stored):
    country, region = _busiest(stored, "country"), _busiest(stored, "region")
    middle = sorted(stored["event_date"])[stored.height // 2]
    cases = [
        (dict(country=country.upper()), pl.col("country") == country),
        (dict(iso=int(stored.filter(pl.col("country") == country)["iso"][0])), pl.col("country") == country),
        (dict(iso=stored.filter(pl.col("country") == country)["event_id_cnty"][0][:3].lower()),
         pl.col("country") == country),
        (dict(region=region.lower()), pl.col("region") == region),
        (dict(event_type="protests"), pl.col("event_type") == "Protests"),
        (dict(sub_event_type=["Peaceful protest", "Arrests"]), pl.col("sub_event_type").is_in(["Peaceful protest",
                                                                                              "Arrests"])),
        (dict(since=middle), pl.col("event_date") >= middle),
        (dict(until=middle.isoformat()), pl.col("event_date") <= middle),
        (dict(since=middle, until=middle), pl.col("event_date") == middle),
    ]
    for kwargs, expected in cases:
        got = events(demo_warehouse, **kwargs)
        want = stored.filter(expected)
        assert got["event_id_cnty"].to_list() == want["event_id_cnty"].to_list(), kwargs
        assert 0 < got.height, kwargs


def test_actor_matches_any_side_case_insensitively(demo_warehouse, stored):
    actor = stored.filter(pl.col("actor2").is_not_null())["actor2"][0]
    part = actor.split()[0].lower()
    got = events(demo_warehouse, actor=part)
    sides = pl.any_horizontal(pl.col(c).fill_null("").str.to_lowercase().str.contains(part, literal=True)
                              for c in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"))
    assert got["event_id_cnty"].to_list() == stored.filter(sides)["event_id_cnty"].to_list()
    assert actor in got["actor2"].to_list()


def test_filters_combine_and_several_values_are_alternatives(demo_warehouse, stored):
    two = stored["country"].unique().sort().head(2).to_list()
    either = events(demo_warehouse, country=two)
    assert either.height == stored.filter(pl.col("country").is_in(two)).height
    both = events(demo_warehouse, country=two, event_type="Protests", where="fatalities >= ?", params=[0])
    assert both.height == stored.filter(pl.col("country").is_in(two) & (pl.col("event_type") == "Protests")).height


def test_values_are_bound_never_pasted():
    where, params = filters(country="x') OR 1=1 --", actor="%", since=dt.date(2024, 1, 1))
    assert "x')" not in where and "%" not in where and params[0] == "x') OR 1=1 --"


def test_bad_values_are_refused_in_one_line():
    for kwargs in (dict(event_type="Protest"), dict(sub_event_type="Riot"), dict(since="2024-13-01"),
                   dict(iso="Kenya")):
        with pytest.raises(FilterError):
            filters(**kwargs)


def test_export_flags_as_a_user_types_them(demo_warehouse, stored, tmp_path):
    out = tmp_path / "kenya.csv"
    country = _busiest(stored, "country")
    first, last = stored["event_date"].min(), stored["event_date"].max()
    cli("export", "--format", "acled-csv", "-o", out, "--warehouse", demo_warehouse, "--country", country.lower(),
        "--country", "Atlantis", "--since", first.isoformat(), "--until", last.isoformat(),
        "--where", "fatalities >= ?", "--param", "0")
    frame = pl.read_csv(out, infer_schema_length=0)
    assert frame.columns == list(ACLED_COLUMNS)
    assert frame["event_id_cnty"].to_list() == stored.filter(pl.col("country") == country)["event_id_cnty"].to_list()
    jsonl = tmp_path / "protests.jsonl"
    cli("export", "--format", "jsonl", "-o", jsonl, "--warehouse", demo_warehouse, "--event-type", "Protests",
        "--event-type", "Riots")
    assert pl.read_ndjson(jsonl).height == stored.filter(pl.col("event_type").is_in(["Protests", "Riots"])).height
    bad = cli("export", "--format", "acled-csv", "-o", tmp_path / "x.csv", "--warehouse", demo_warehouse,
              "--event-type", "Protest", check=False)
    assert bad.returncode == 1 and "Protests" in bad.stderr and bad.stderr.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_readmes_notebook_lines_and_export_commands_run(demo_warehouse, tmp_path, monkeypatch):
    code = re.search(r"```python\n(.*?)```", _readme_section("ACLED's columns and filters"), re.S)[1]
    monkeypatch.chdir(demo_warehouse.parent)
    monkeypatch.setenv("EVENTS_WAREHOUSE", str(demo_warehouse))
    names: dict = {}
    exec(compile(code, "README.md", "exec"), names)  # noqa: S102 (the README's own lines)
    frames = [v for v in names.values() if isinstance(v, pl.DataFrame)]
    assert len(frames) == 3 and all(f.height > 0 for f in frames)
    commands = re.findall(r"`events (export [^`]+)`", _readme_section("Commands"))
    assert len(commands) >= 2
    for command in commands:
        if "-o FILE" in command:
            continue  # the synopsis
        args = shlex.split(command)
        out = args.index("-o") + 1
        args[out] = str(tmp_path / args[out])  # the README writes beside the user; the test into tmp_path
        cli(*args, "--warehouse", demo_warehouse)
    assert (tmp_path / "kenya.csv").read_text().count("\n") >= 2
