"""The `events` command: run the pipeline, code a JSONL file, query the warehouse."""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import os
import sys
from pathlib import Path


def fail(message: str, code: int = 1) -> int:
    print(f"events: error: {message}", file=sys.stderr)
    return code


def run_config(args) -> dict:
    """The job's configuration from the command line: resources, the recode switch, the log level."""
    return {
        "loggers": {"console": {"config": {"log_level": args.log_level}}},
        "resources": {
            "inbox": {"config": {"path": str(Path(args.inbox).resolve())}},
            "warehouse": {"config": {"path": str(Path(args.warehouse).resolve()), "lock_wait_s": args.wait,
                                     "partitions": os.environ.get("EVENTS_PARTITIONS", "")}},
            "reports": {"config": {"path": os.environ.get("EVENTS_REPORTS", "")}},
        },
        "ops": {"staging__documents": {"config": {"recode": args.recode}}},
    }


def cmd_run(args) -> int:
    """Materialize every asset once, in-process, through the same Definitions the Dagster UI loads."""
    if not Path(args.inbox).is_dir():
        return fail(f"inbox {args.inbox} is not a directory")
    if not args.recode and _nothing_new(args):
        print("nothing new since the last run: inbox unchanged, nothing to stage or code (no run started)")
        return _summary(args)

    from orchestration.definitions import defs

    if getattr(args, "own_process", False):
        settle_garbage_collector()
    job = defs.resolve_job_def("events_job")
    if args.log_level != "DEBUG":  # DEBUG keeps Dagster's own log, tracebacks included
        job = job.with_logger_defs({"console": _one_line_logger()})
    try:
        result = job.execute_in_process(instance=run_instance(), raise_on_error=False,
                                        run_config=run_config(args))
    except Exception as exc:  # a definitions or instance problem, before any step ran
        return fail(f"run failed: {exc}".splitlines()[0])
    if not result.success:
        failures = [e for e in result.all_events if e.is_step_failure]
        reason = _root_cause(failures[0].event_specific_data.error) if failures else "unknown"
        return fail(f"run failed: {reason}")
    return _summary(args)


def run_instance():
    """Dagster's ephemeral instance (in memory, gone when the command ends), made without stamping its two
    in-memory SQLite stores with their Alembic revision: stamping reads Dagster's 178 migration scripts, half a
    second of every run, for a version table no one reads (the stores are new, their tables made at head)."""
    import dagster as dg

    try:  # private modules: a Dagster without them gets the plain ephemeral instance
        from dagster._core.storage.event_log import in_memory as events
        from dagster._core.storage.runs import in_memory as runs

        stamps = runs.stamp_alembic_rev, events.stamp_alembic_rev
    except (ImportError, AttributeError):
        return dg.DagsterInstance.ephemeral()
    runs.stamp_alembic_rev = events.stamp_alembic_rev = lambda config, conn, rev="head": None
    try:
        return dg.DagsterInstance.ephemeral()
    finally:
        runs.stamp_alembic_rev, events.stamp_alembic_rev = stamps


def _summary(args) -> int:
    """What the warehouse holds after a run: receipts, documents, events by type, where to look."""
    from warehouse import db

    try:
        with db.reader(args.warehouse) as con:
            status = dict(con.execute("SELECT status, count(*) FROM raw.receipts GROUP BY ALL").fetchall())
            by_type = con.execute("SELECT event_type, count(*) FROM core.events GROUP BY ALL ORDER BY 2 DESC, 1"
                                  ).fetchall()
            n_docs = con.execute("SELECT count(*) FROM raw.documents").fetchall()[0][0]
    except db.WarehouseBusy as exc:  # somebody opened the snapshot for writing
        return fail(f"run succeeded, but no summary: {exc}")
    print(f"documents received: {sum(status.values())}  loaded: {status.get('loaded', 0)}  "
          f"duplicate: {status.get('duplicate', 0)}  rejected: {status.get('rejected', 0)}  "
          f"(distinct documents stored: {n_docs})")
    print(f"events: {sum(n for _, n in by_type)}")
    for event_type, n in by_type:
        print(f"  {event_type:<30} {n}")
    print(f"warehouse: {Path(args.warehouse).resolve()} (published snapshot: connect to this file)")
    reports = os.environ.get("EVENTS_REPORTS", "")  # as the Reports resource resolves it, without importing Dagster
    folder = Path(reports) if reports else Path(args.warehouse).resolve().parent / "reports"
    print(f"report: {folder / 'summary.md'}")
    print(f"try: events sql \"SELECT event_date, sub_event_type, location, fatalities FROM core.events LIMIT 5\" "
          f"--warehouse {args.warehouse}")
    return 0


def _nothing_new(args) -> bool:
    """A run would change nothing (warehouse.uptodate): checked without starting Dagster."""
    from extraction.ingest import Limits
    from warehouse.uptodate import nothing_new

    return nothing_new(Path(args.inbox), Path(args.warehouse), os.environ.get("EVENTS_PARTITIONS", ""), Limits())


def cmd_status(args) -> int:
    """Where the warehouse is, which schema and coder wrote it, what is pending, what the last run did."""
    from extraction.version import extractor_version
    from warehouse import db, snapshot, status

    path = Path(args.warehouse)
    version = extractor_version()
    try:
        with db.reader(path, wait_s=args.wait) as con:
            state = status.read_status(con, path, version)
    except (db.WarehouseBusy, db.WarehouseMissing, db.WarehouseIncompatible) as exc:
        return fail(str(exc))
    state.work = status.work_state(snapshot.work_path(path.resolve()), path)
    print(status.render(state, version))
    return 0


def cmd_backfill(args) -> int:
    """Code again the documents of some days (publication, else receipt), in one run of days_job."""
    import datetime as dt

    from orchestration.definitions import defs

    try:
        since, until = dt.date.fromisoformat(args.since), dt.date.fromisoformat(args.until or args.since)
    except ValueError as exc:
        return fail(f"--since/--until must be dates like 2024-05-03: {exc}")
    if until < since:
        return fail(f"--until {until} is before --since {since}")
    job = defs.resolve_job_def("days_job")
    if args.log_level != "DEBUG":
        job = job.with_logger_defs({"console": _one_line_logger()})
    config = run_config(args)
    config["ops"] = {}  # days_job has no staging step
    tags = {"dagster/asset_partition_range_start": since.isoformat(),
            "dagster/asset_partition_range_end": until.isoformat()}
    try:
        result = job.execute_in_process(instance=run_instance(), raise_on_error=False,
                                        run_config=config, tags=tags)
    except Exception as exc:
        return fail(f"backfill failed: {exc}".splitlines()[0])
    if not result.success:
        failures = [e for e in result.all_events if e.is_step_failure]
        return fail(f"backfill failed: {_root_cause(failures[0].event_specific_data.error) if failures else 'unknown'}")
    meta = next(m.metadata for e in result.get_asset_materialization_events()
                if (m := e.event_specific_data.materialization).asset_key.path == ["core", "event_mentions"])
    print(f"coded again: {meta['documents_coded'].value} documents of {since} to {until}, "
          f"{meta['new_mentions'].value} event mentions")
    print(f"warehouse: {Path(args.warehouse).resolve()} (published snapshot)")
    return 0


def dagster_home() -> Path:
    """The project's Dagster instance: $DAGSTER_HOME if set, else .dagster/ in the project, holding the
    project's settings, deploy/dagster.yaml (copied in when missing or changed; a DAGSTER_HOME of your own
    keeps its own file)."""
    from orchestration import settings

    if os.environ.get("DAGSTER_HOME"):
        home = Path(os.environ["DAGSTER_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        return home
    home = settings.PROJECT_ROOT / ".dagster"
    home.mkdir(exist_ok=True)
    project, local = settings.PROJECT_ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml"
    if not local.exists() or local.read_bytes() != project.read_bytes():
        local.write_bytes(project.read_bytes())
    return home


def cmd_dagster(args) -> int:
    """Dagster's own CLI (`dagster dev` for `events ui`) on the project's persistent instance. It runs in the
    project folder, so it loads the definitions from pyproject.toml under the code location name `events`
    (the name `dagster dev` shows, so backfills and launches reach it); the EVENTS_* paths are resolved from
    here first, so they mean what they mean for `events run`."""
    import subprocess

    from orchestration.settings import DEFAULTS, PROJECT_ROOT

    env = {**os.environ, "DAGSTER_HOME": str(dagster_home().resolve())}
    for name in ("EVENTS_INBOX", "EVENTS_WAREHOUSE", "EVENTS_REPORTS", "EVENTS_PARTITIONS"):
        value = os.environ.get(name) or DEFAULTS[name]
        if value:
            env[name] = str(Path(value).resolve())
    command = ["dev", *args.rest] if args.command == "ui" else args.rest
    try:
        return subprocess.call([sys.executable, "-m", "dagster", *command], env=env, cwd=PROJECT_ROOT)
    except KeyboardInterrupt:  # Ctrl-C reached Dagster too, which shuts down on its own
        return 130


def _one_line_logger():
    """Dagster's console logger, one line per message: the assets' own warnings (each rejected item, with its
    reason) and progress. Dagster's events and errors (step failures with tracebacks, skipped steps) are left
    out: the run's outcome is printed once, as one line, at the end."""
    import logging

    import dagster as dg

    class OneLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            meta = getattr(record, "dagster_meta", None) or {}
            if record.levelno < logging.ERROR and meta.get("dagster_event") is None:
                text = str(meta.get("orig_message", record.getMessage())).strip().splitlines() or [""]
                print(f"events: {record.levelname.lower()}: {text[0]}", file=sys.stderr)

    @dg.logger({"log_level": dg.Field(str, is_required=False, default_value="WARNING"),
                "name": dg.Field(str, is_required=False, default_value="events")})
    def one_line(context):
        log = logging.Logger(context.logger_config["name"], context.logger_config["log_level"])
        log.addHandler(OneLine())
        return log

    return one_line


# Our own errors explain themselves; their class name adds nothing to the one line.
_OWN_ERRORS = {"WarehouseBusy", "WarehouseMissing", "WarehouseIncompatible"}


def _root_cause(error) -> str:
    """The innermost error message of a Dagster step failure, on one line."""
    while error.cause is not None:
        error = error.cause
    line = error.message.strip().splitlines()[-1]
    return line.split(": ", 1)[1] if error.cls_name in _OWN_ERRORS and ": " in line else line


def _read_jsonl(path: Path):
    """Valid input lines as dicts; a bad line is reported on stderr and skipped."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError("needs an object with a string 'text'")
                yield number, obj
            except (ValueError, UnicodeDecodeError, RecursionError) as exc:
                reason = "JSON nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:120]
                print(f"events extract: {path}:{number}: skipped: {reason}", file=sys.stderr)


def cmd_extract(args) -> int:
    """The coder alone, the same functions the assets call: JSONL documents in, one JSON event per line out."""
    from extraction.records import Helper, event_dicts, stage_records

    src = Path(args.input)
    if not src.is_file():
        return fail(f"input {src} not found")
    jobs = args.jobs if args.jobs is not None else min(2, os.cpu_count() or 1)
    # the second process pays for itself on a few dozen documents or more (it loads spaCy and the gazetteer)
    helper = Helper() if jobs > 1 and src.stat().st_size > _HELPER_BYTES else None
    try:
        staged = stage_records(_read_jsonl(src), str(src))
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
        try:
            for event in event_dicts(staged, helper):
                out.write(json.dumps(event, ensure_ascii=False) + "\n")
        finally:
            if out is not sys.stdout:
                out.close()
    finally:
        if helper is not None:
            helper.close()
    return 0


_HELPER_BYTES = 200_000


def cmd_evaluate(args) -> int:
    """The coder against an ACLED export: per-field accuracy, sub-type confusions, worst examples."""
    from extraction.evaluate import GoldError, evaluate, render

    gold = Path(args.gold)
    if not gold.is_file():
        return fail(f"gold file {gold} not found")
    try:
        report = evaluate(gold, args.limit, args.seed)
    except GoldError as exc:
        return fail(str(exc))
    print(render(report))
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=1, default=str, ensure_ascii=False), encoding="utf-8")
        print(f"report: {Path(args.report).resolve()}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    """Events to a file: ACLED's CSV, Parquet or JSONL, filtered by flags and SQL with bound parameters."""
    import duckdb

    from warehouse import db
    from warehouse.export import export
    from warehouse.query import FilterError, combine, filters

    out = Path(args.output)
    if not out.parent.is_dir():  # a typo in the folder must not scatter files in a new one
        return fail(f"folder {out.parent} does not exist; create it first or choose another -o")
    try:
        where, params = combine(args.where, args.param, filters(
            args.country, args.iso, args.region, args.admin1, args.event_type, args.sub_event_type, args.actor,
            args.since, args.until, args.no_guesses))
    except FilterError as exc:
        return fail(str(exc))
    try:
        with db.reader(args.warehouse, wait_s=args.wait) as con:
            rows = export(con, args.format, out, where, params)
    except (db.WarehouseBusy, db.WarehouseMissing, db.WarehouseIncompatible) as exc:
        return fail(str(exc))
    except duckdb.Error as exc:
        return fail(f"export filter failed: {str(exc).splitlines()[0]}")
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote {rows} event{'' if rows == 1 else 's'} to {out} ({args.format})", file=sys.stderr)
    return 0


def cmd_sql(args) -> int:
    """Run the query's statements on a read-only connection; print each result as a table, CSV or JSON
    (several statements: one result after another; JSON: an array of their arrays)."""
    import duckdb

    from orchestration.shell import render, results
    from warehouse import db

    printed = 0
    try:
        with db.reader(args.warehouse, wait_s=args.wait) as con:
            several = len(con.extract_statements(args.query)) > 1
            frames = []
            for frame in results(con, args.query):
                if frame is None:
                    continue
                if args.format == "json" and several:
                    frames.append(frame)
                    continue
                print(("\n" if printed else "") + render(frame, args.format))
                printed += 1
            if frames:
                print("[\n" + ",\n".join(render(f, "json") for f in frames) + "\n]")
    except (db.WarehouseBusy, db.WarehouseMissing, db.WarehouseIncompatible, ValueError) as exc:
        return fail(str(exc))
    except duckdb.Error as exc:
        return fail(str(exc).splitlines()[0])
    return 0


def cmd_shell(args) -> int:
    """An interactive SQL prompt on the published snapshot, read-only; with --write, on the pipeline's own
    file as its one writer, published for readers when the shell ends."""
    from assets.resources import Warehouse
    from orchestration import shell
    from warehouse import db

    try:
        if not args.write:
            with db.reader(args.warehouse, wait_s=args.wait) as con:
                return shell.main(con, args.warehouse, read_only=True)
        warehouse = Warehouse(path=str(Path(args.warehouse).resolve()), lock_wait_s=args.wait)
        with warehouse.writer() as con:
            code = shell.main(con, str(warehouse.work_path), read_only=False)
            warehouse.publish(con)
        return code
    except (db.WarehouseBusy, db.WarehouseMissing, db.WarehouseIncompatible) as exc:
        return fail(str(exc))


def build_parser() -> argparse.ArgumentParser:
    from orchestration.settings import DEFAULTS

    inbox = os.environ.get("EVENTS_INBOX", DEFAULTS["EVENTS_INBOX"])
    warehouse = os.environ.get("EVENTS_WAREHOUSE", DEFAULTS["EVENTS_WAREHOUSE"])
    parser = argparse.ArgumentParser(prog="events", description="News text -> ACLED-style events -> DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialize every asset once (the main job)")
    run.add_argument("--inbox", default=inbox, help="folder of .txt/.md/.html/.jsonl files (env EVENTS_INBOX)")
    run.add_argument("--warehouse", default=warehouse, help="DuckDB file (env EVENTS_WAREHOUSE)")
    run.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                     help="Dagster log level on stderr (default: %(default)s)")
    run.add_argument("--wait", type=float, default=120.0,
                     help="seconds to wait while another writer holds the work file (default: %(default)s)")
    run.add_argument("--recode", action="store_true",
                     help="stage and code every document again, even those this coder version already coded")
    run.set_defaults(func=cmd_run)
    bf = sub.add_parser("backfill", help="code again the documents of some days (publication, else receipt)")
    bf.add_argument("--since", required=True, help="first day, e.g. 2024-05-01")
    bf.add_argument("--until", help="last day (default: --since)")
    bf.add_argument("--inbox", default=inbox, help=argparse.SUPPRESS)
    bf.add_argument("--warehouse", default=warehouse, help="DuckDB file (env EVENTS_WAREHOUSE)")
    bf.add_argument("--wait", type=float, default=120.0, help="seconds to wait while another writer holds it")
    bf.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    bf.set_defaults(func=cmd_backfill, recode=False)
    ui = sub.add_parser("ui", help="the Dagster UI and daemon (`dagster dev`) on the project's instance in "
                                   ".dagster/ (history, schedules and sensors kept)")
    ui.add_argument("rest", nargs=argparse.REMAINDER, help="more `dagster dev` options, e.g. -p 3001")
    ui.set_defaults(func=cmd_dagster)
    dag = sub.add_parser("dagster", help="any `dagster` command on the project's instance (.dagster/), e.g. "
                                         "`events dagster job execute -j receive_job`")
    dag.add_argument("rest", nargs=argparse.REMAINDER, help="the dagster command and its options")
    dag.set_defaults(func=cmd_dagster)
    st = sub.add_parser("status", help="the warehouse's path, schema and coder versions, pending documents, "
                                       "last run")
    st.add_argument("--warehouse", default=warehouse)
    st.add_argument("--wait", type=float, default=30.0, help="seconds to wait while the snapshot is locked")
    st.set_defaults(func=cmd_status)
    ext = sub.add_parser("extract", help="code events from a JSONL file of documents")
    ext.add_argument("input", help='JSONL: {"id", "text", "published"?, "title"?, "source"?} per line')
    ext.add_argument("-o", "--output", help="output JSONL (default: standard output)")
    ext.add_argument("--jobs", type=int, choices=(1, 2), help="coding processes (default: 2 on a machine with "
                     "two cores or more and an input over 200 kB, else 1)")
    ext.set_defaults(func=cmd_extract)
    ev = sub.add_parser("evaluate", help="measure the coder against an ACLED export (CSV with notes)")
    ev.add_argument("gold", help="ACLED CSV: notes, event_date, event_type, sub_event_type, actor1, ... columns")
    ev.add_argument("--limit", type=int, help="evaluate a seeded random sample of this many rows")
    ev.add_argument("--seed", type=int, default=13, help="sample seed (default: %(default)s, as the scorer)")
    ev.add_argument("--report", help="also write the full report (per type, confusions, examples) as JSON")
    ev.set_defaults(func=cmd_evaluate)
    exp = sub.add_parser("export", help="write the events as ACLED CSV, Parquet or JSONL")
    exp.add_argument("--format", required=True, choices=["acled-csv", "parquet", "jsonl"],
                     help="acled-csv: ACLED's 31 columns in ACLED's order; parquet/jsonl: every column")
    exp.add_argument("-o", "--output", required=True, help="file to write (replaced whole)")
    exp.add_argument("--where", help="SQL filter over the exported columns, with ? placeholders, e.g. "
                                     "\"country = ? AND event_date >= ?\"")
    exp.add_argument("--param", action="append", default=[], help="a value for the next ? (repeat in order)")
    many = "; repeat for several (any matches)"
    exp.add_argument("--country", action="append", help="country name, case-insensitive" + many)
    exp.add_argument("--iso", action="append", help="ACLED's numeric country code (404) or ISO3 (KEN)" + many)
    exp.add_argument("--region", action="append", help="ACLED region, e.g. 'Eastern Africa'" + many)
    exp.add_argument("--admin1", action="append", help="first-level region, e.g. 'Nairobi'" + many)
    exp.add_argument("--event-type", action="append", help="ACLED event type, e.g. Protests" + many)
    exp.add_argument("--sub-event-type", action="append", help="ACLED sub-event type, e.g. 'Peaceful protest'"
                     + many)
    exp.add_argument("--actor", action="append", help="part of actor1, actor2 or an associated actor, "
                                                      "case-insensitive" + many)
    exp.add_argument("--since", help="first event_date to include (YYYY-MM-DD)")
    exp.add_argument("--until", help="last event_date to include (YYYY-MM-DD)")
    exp.add_argument("--no-guesses", action="store_true", help="only events whose date and place were found in "
                     "their own text, not guessed from the publication date, file time, dateline or document")
    exp.add_argument("--warehouse", default=warehouse)
    exp.add_argument("--wait", type=float, default=30.0, help="seconds to wait while a run holds the lock")
    exp.set_defaults(func=cmd_export)
    sql = sub.add_parser("sql", help="run a read-only SQL query on the warehouse")
    sql.add_argument("query")
    sql.add_argument("--warehouse", default=warehouse)
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--wait", type=float, default=30.0, help="seconds to wait while a run holds the lock")
    sql.set_defaults(func=cmd_sql)
    sh = sub.add_parser("shell", help="interactive SQL prompt on the warehouse (read-only by default)")
    sh.add_argument("--warehouse", default=warehouse)
    sh.add_argument("--write", action="store_true", help="open the pipeline's own file read-write (takes the "
                                                         "writer lock; published when the shell ends)")
    sh.add_argument("--wait", type=float, default=30.0, help="seconds to wait while a run holds the lock")
    sh.set_defaults(func=cmd_shell)
    return parser


def settle_garbage_collector() -> None:
    """For a process that is this command: the objects imported so far (Dagster, Polars, the definitions) live
    until it ends, so full collections stop walking them (gc.freeze), and collections come less often. They
    cost a short run about a second (measured: 1.2 s of collections in a +1% `events run`, 0.3 s after)."""
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


_ENDING = {"code": 1}  # what the process exits with when main() did not return (an uncaught exception)


def _end_without_teardown() -> None:
    """The last exit handler of a process that is this command: the output flushed, it ends at once. Python's
    teardown after it (freeing every module and object, with full collections) costs an `events run` 1.5 s
    and nothing needs it: the other exit handlers have run, threads were joined, files and DuckDB are closed."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(_ENDING["code"])


def main(argv: list[str] | None = None) -> int:
    own_process = argv is None  # run as the `events` command (not called by a program that goes on)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["ui"], ["dagster"]) and not {"-h", "--help"} & set(argv[1:2]):  # everything after is Dagster's
        return cmd_dagster(argparse.Namespace(command=argv[0], rest=argv[1:]))
    args = build_parser().parse_args(argv)
    args.own_process = own_process
    if own_process:
        atexit.register(_end_without_teardown)  # before Dagster, spaCy, ... register theirs: so it runs last
    try:
        code = args.func(args)
    except KeyboardInterrupt:
        code = fail("interrupted", 130)
    except BrokenPipeError:  # `events sql ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except SystemExit as exc:
        _ENDING["code"] = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        raise
    _ENDING["code"] = code
    return code


if __name__ == "__main__":
    sys.exit(main())
