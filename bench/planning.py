"""The planning cost of the page queries: CPU per query under alternatives, alternated in one process.

    python -m bench.planning --data-dir DIR [--pages trends,rankings,hotspots] [--rounds 5]
                             [--page-views N [--scoped] --variants base,cached]
                             [--queries kpis_by_month,rankings_by_org,...] [--variants base,noopt,...]
                             [--profile QUERY]

Captures every db.run call (query name, bound parameters) the page loaders make for the load test's kind of
filter sets (the default view, organisation x category, a scope), then replays each captured call under each
variant: a variant is a way to run the same statement (optimizer passes disabled, prepared once per
connection, another form of the SQL). Variants alternate inside each round; a round runs every call once per
variant; the figure is the median over rounds of each variant's CPU seconds (time.process_time: this process,
DuckDB's threads included) per query name, and their ratio to the first variant. Results are compared with
the first variant's, frame for frame: a variant that changes a result is reported as such.

--profile QUERY prints DuckDB's own profile (binding / planner / optimizer phases, the optimizer's passes
and the operators) of one captured call of QUERY.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Callable

HOT = ("kpis_by_month", "rankings_by_org", "outcomes_breakdown", "regulator_ratios")
MONTH = date(2026, 10, 1)


def filter_sets(con) -> list:
    """The default view, the load test's organisation x category (a tier-1 and a tier-2 branch), a scope."""
    from dashboard.filters import Filters

    tier1 = [
        r[0] for r in con.execute("select branch_code from branches where level = '一级分行' order by 1").fetchall()
    ]
    tier2 = [
        r[0] for r in con.execute("select branch_code from branches where level = '二级分行' order by 1").fetchall()
    ]
    one = dict(month_from=MONTH, month_to=MONTH)
    return [
        Filters(**one),
        Filters(**one, org=tier1[0], categories=("信用卡",)),
        Filters(**one, org=tier1[-1], categories=("个人贷款",)),
        Filters(**one, org=tier2[len(tier2) // 2], categories=("借记卡",)),
        Filters(**one, scope=tier1[1]),
        Filters(month_from=date(2025, 11, 1), month_to=MONTH, scope=tier2[0], basis="merged", age_group="elderly"),
    ]


def capture(con, pages: list[str], sets: list) -> list[tuple[str, dict]]:
    """[(query name, bound parameters)] of every db.run the pages' loaders make, in order."""
    from bench.side import page_loader
    from dashboard import db

    calls: list[tuple[str, dict]] = []
    original = db.run

    def recording(con_, name, **params):
        calls.append((name, db.bind(name, params)))
        return original(con_, name, **params)

    db.run = recording
    try:
        for f in sets:
            for page in pages:
                if page == "regulator":  # the 监管指标 page's loader: its own signature
                    from dashboard.analysis import regulator
                    from dashboard.analysis.source import Source

                    regulator.load(Source.of(con, f), f, MONTH)
                else:
                    page_loader(page)(con, f)
    finally:
        db.run = original
    return calls


Runner = Callable[[object, str, dict], object]


def plain(con, name: str, params: dict):
    from dashboard import db

    cursor = con.cursor()
    try:
        return cursor.execute(db.load_sql(name), params).df()
    finally:
        cursor.close()


def at_ref(ref: str, data_dir: Path) -> Runner:
    """The queries as they are at git ref REF (their text and the shared macros'), on a second read
    connection over the same snapshot: the before of a change to the SQL, alternated with the after."""
    import subprocess

    from dashboard import db
    from dashboard.ingest.store import current_snapshot

    root = Path(__file__).resolve().parent.parent

    def text(name: str) -> str | None:
        done = subprocess.run(["git", "show", f"{ref}:queries/{name}.sql"], cwd=root, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    other = db.open_snapshot(current_snapshot(data_dir))
    listed = subprocess.run(["git", "show", f"{ref}:dashboard/db.py"], cwd=root, capture_output=True, text=True).stdout
    block = listed.split("MACROS = (", 1)[1].split(")", 1)[0]
    for macro in (m.strip().strip('",') for m in block.split()):
        if macro:
            other.execute(text(macro))
    texts: dict[str, str] = {}

    def run(con, name, params):
        if name not in texts:
            texts[name] = text(name)
        named = set(db._PARAM.findall(db._COMMENT.sub("", texts[name])))  # a query's parameters then
        cursor = other.cursor()
        try:
            return cursor.execute(texts[name], {k: v for k, v in params.items() if k in named}).df()
        finally:
            cursor.close()

    return run


def same_connection(ref: str) -> Runner:
    """The queries as they are at git ref REF on the benchmark's own connection: the macros whose text differs at
    REF created beside today's under a suffixed name (headline_of -> headline_of_at_ref), and REF's text of a
    query that differs run with those names. Variants on different connections over one snapshot differed by
    10-18 % on unchanged queries in the twelfth session's runs; on one connection only the SQL differs."""
    import re
    import subprocess

    from dashboard import db

    root = Path(__file__).resolve().parent.parent

    def at(path: str) -> str | None:
        done = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=root, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    listed = at("dashboard/db.py") or ""
    block = listed.split("MACROS = (", 1)[1].split(")", 1)[0]
    macros = [m.strip().strip('",') for m in block.split() if m.strip().strip('",')]
    changed = {}  # macro name -> its text at REF, for the macros whose file differs
    for macro in macros:
        text = at(f"queries/{macro}.sql")
        if text is not None and text != db.load_sql(macro):
            for name in re.findall(r"create or replace macro (\w+)", text):
                changed[name] = text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, changed)) + r")\(") if changed else None

    def renamed(sql: str) -> str:
        return pattern.sub(r"\1_at_ref(", sql) if pattern else sql

    con = CON[0]
    for text in dict.fromkeys(changed.values()):
        con.execute(renamed(text))
    texts: dict[str, str] = {}

    def run(con_, name, params):
        if name not in texts:
            text = at(f"queries/{name}.sql")
            texts[name] = renamed(text if text is not None else db.load_sql(name))  # REF's macros throughout
        named = set(db._PARAM.findall(db._COMMENT.sub("", texts[name])))  # the query's parameters at REF
        cursor = con_.cursor()
        try:
            return cursor.execute(texts[name], {k: v for k, v in params.items() if k in named}).df()
        finally:
            cursor.close()

    return run


def two_statements(ref: str = "main") -> Runner:
    """The queries at REF (same_connection) with rankings.load_ranking as it was before the twelfth session: the
    period and the previous period as two statements of rankings_by_org (page_cpu applies `patches` for its
    rounds)."""
    from dashboard.analysis import rankings, repeats

    def load_ranking(run, month_from, month_to, level, settings=None, org=rankings.FILTERS_ORG, unknown=None):
        settings = settings or rankings.Settings()
        extra = {} if org is rankings.FILTERS_ORG else {"org": org}
        previous_from, previous_to = rankings.previous_period(month_from, month_to)
        current = run("rankings_by_org", month_from=month_from, month_to=month_to, level=level, **extra)
        previous = run("rankings_by_org", month_from=previous_from, month_to=previous_to, level=level, **extra)
        if repeats.unknowable(run) if unknown is None else unknown:
            current, previous = repeats.without_repeats(current), repeats.without_repeats(previous)
        table = rankings.rank(current, previous, settings)
        return rankings.Ranking(table, level, month_from, month_to, previous_from, previous_to, settings)

    runner = same_connection(ref)
    runner.patches = {(rankings, "load_ranking"): load_ranking}  # type: ignore[attr-defined]
    return runner


def without(passes: str) -> Runner:
    """The query with these optimizer passes disabled (disabled_optimizers is global to the database: set
    for the query and reset after, so the other variants run with every pass)."""

    def run(con, name, params):
        from dashboard import db

        cursor = con.cursor()
        try:
            cursor.execute("set disabled_optimizers = $p", {"p": passes})
            return cursor.execute(db.load_sql(name), params).df()
        finally:
            cursor.execute("reset disabled_optimizers")
            cursor.close()

    return run


def threads(n: int) -> Runner:
    """The query with DuckDB's worker threads set to n (a database setting: set for the query, reset after)."""

    def run(con, name, params):
        from dashboard import db

        cursor = con.cursor()
        try:
            cursor.execute(f"set threads = {int(n)}")
            return cursor.execute(db.load_sql(name), params).df()
        finally:
            cursor.execute("reset threads")
            cursor.close()

    return run


def connection_with(settings: str) -> Runner:
    """The query on a second read connection over the same snapshot with these settings (NAME=VALUE+...,
    empty: none, the control), set once when it opens."""
    from dashboard import db
    from dashboard.ingest.store import current_snapshot

    other = db.open_snapshot(current_snapshot(DATA_DIR[0]))
    for setting in filter(None, settings.split("+")):
        key, value = setting.split("=")
        other.execute(f"set {key} = '{value}'")

    def run(con, name, params):
        return plain(other, name, params)

    return run


def cached() -> Runner:
    """db.run itself, as the app runs it: a SNAPSHOT_ONLY query once per snapshot connection and parameters
    (base, plain, runs every statement). page_cpu forgets the kept results before each round: its first view
    pays them."""
    from dashboard import db

    run_ = db.run  # taken before page_cpu replaces db.run

    def run(con, name, params):
        return run_(con, name, **params)

    return run


def variant(spec: str) -> Runner:
    """base | cached | without:pass+pass+... | ref:GITREF | same:GITREF | two:GITREF | conn:SETTING=VALUE+... |
    threads:N | a name in VARIANTS"""
    if spec == "cached":
        return cached()
    if spec.startswith("two:"):
        return two_statements(spec.split(":", 1)[1])
    if spec.startswith("same:"):
        return same_connection(spec.split(":", 1)[1])
    if spec.startswith("ref:"):
        return at_ref(spec.split(":", 1)[1], DATA_DIR[0])
    if spec.startswith("conn:"):
        return connection_with(spec.split(":", 1)[1])
    if spec.startswith("threads:"):
        return threads(int(spec.split(":", 1)[1]))
    if spec.startswith("without:"):
        return without(spec.split(":", 1)[1].replace("+", ","))
    return VARIANTS[spec]


def profile(con, name: str, params: dict) -> dict:
    """DuckDB's JSON profile of one run: phases (planner, optimizer per pass, physical planner) and operators."""
    from dashboard import db

    path = Path("/tmp/planning_profile.json")
    cursor = con.cursor()
    try:
        cursor.execute("pragma enable_profiling = 'json'")
        cursor.execute(f"pragma profiling_output = '{path}'")
        cursor.execute(db.load_sql(name), params).fetchall()
        cursor.execute("pragma disable_profiling")
    finally:
        cursor.close()
    return json.loads(path.read_text())


def summary(prof: dict, top: int = 8) -> list[str]:
    """Lines: the query's total, the planner (binding), the optimizer and its slowest passes, the physical
    planner, and the operators' summed timing."""
    ms = lambda s: f"{s * 1000:8.2f} ms"  # noqa: E731
    opt = prof["optimizer"]
    passes = sorted(((k, v) for k, v in opt.items() if k not in ("total_time", "type")), key=lambda kv: -kv[1])
    lines = [
        f"total        {ms(prof['query']['total_time'])}  (cpu_time of operators {ms(prof['query']['cpu_time'])})",
        f"planner      {ms(prof['planner']['total_time'])}  (binding {ms(prof['planner']['binding_time'])})",
        f"optimizer    {ms(opt['total_time'])}",
    ]
    lines += [f"    {k:<28} {ms(v)}" for k, v in passes[:top]]
    lines.append(f"physical     {ms(prof['physical_planner']['total_time'])}")
    ops: list = []
    operators(prof["operator"][0], 0, ops)
    lines.append(f"operators    {ms(sum(t for _, _, t, _ in ops))} in {len(ops)} operators")
    return lines


def operators(node: dict, depth: int, out: list) -> list:
    out.append((depth, node.get("type"), node.get("timing", 0), node.get("intermediate_rows", 0)))
    for child in node.get("children", []):
        operators(child, depth + 1, out)
    return out


def replay(con, calls, variants: dict[str, Runner], rounds: int) -> dict:
    """{variant: {query: median CPU s per round}} and {variant: [names of calls whose result differed]}."""
    import pandas as pd

    reference = [plain(con, n, p) for n, p in calls]
    differs: dict[str, set] = defaultdict(set)
    cpu: dict[str, dict[str, list[float]]] = {v: defaultdict(list) for v in variants}
    names = list(variants)
    for r in range(rounds + 1):
        order = names if r % 2 == 0 else names[::-1]
        for v in order:
            spent: dict[str, float] = defaultdict(float)
            for i, (n, p) in enumerate(calls):
                start = time.process_time()
                got = variants[v](con, n, p)
                spent[n + (" [scope]" if p.get("scope") else "")] += time.process_time() - start
                if r == 0:
                    try:
                        pd.testing.assert_frame_equal(got, reference[i])
                    except AssertionError:
                        differs[v].add(n)
            if r == 0:
                continue  # warm-up
            for n, s in spent.items():
                cpu[v][n].append(s)
            cpu[v]["(all)"].append(sum(spent.values()))
    medians = {v: {n: statistics.median(s) for n, s in per.items()} for v, per in cpu.items()}
    return {"medians": medians, "differs": {v: sorted(s) for v, s in differs.items()}}


def load_plans(count: int, scoped: bool = False) -> list:
    """The load test's plans (bench/load.plans): an organisation and a category per session, the report month;
    scoped: the organisation as the signed-in user's scope (a branch user's view) instead of a filter."""
    from bench.load import plans
    from dashboard.filters import Filters

    return [
        Filters(month_from=MONTH, month_to=MONTH, categories=(p.category,), **{"scope" if scoped else "org": p.org})
        for p in plans(DATA_DIR[0], count)
    ]


def page_cpu(con, pages: list[str], plans: list, variants: dict[str, Runner], rounds: int) -> dict:
    """{variant: median over rounds of the CPU seconds of the pages' loaders over every plan} (cold: no page or
    loader cache; with the variant cached, the snapshot-only queries are kept from the round's first view on),
    db.run going through the variant; variants alternated per round."""
    from bench.side import page_loader
    from dashboard import db

    original = db.run
    cpu: dict[str, list[float]] = defaultdict(list)
    names = list(variants)
    try:
        for r in range(rounds + 1):
            for v in names if r % 2 == 0 else names[::-1]:
                runner = variants[v]
                db.run = lambda con_, name, _r=runner, **params: _r(con_, name, db.bind(name, params))
                db.forget_snapshot_results()  # cold: the round's first view runs every query (variant cached)
                patches = getattr(runner, "patches", {})  # code of a variant (two_statements), for its round
                kept = {key: getattr(*key) for key in patches}
                for (module, attr), value in patches.items():
                    setattr(module, attr, value)
                try:
                    start = time.process_time()
                    for f in plans:
                        for page in pages:
                            page_loader(page)(con, f)
                    spent = time.process_time() - start
                finally:
                    for (module, attr), value in kept.items():
                        setattr(module, attr, value)
                if r:
                    cpu[v].append(spent)
    finally:
        db.run = original
    return {v: statistics.median(s) for v, s in cpu.items()}


def main() -> None:
    from dashboard import db

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--pages", default="trends,rankings,hotspots")
    parser.add_argument("--queries", default=",".join(HOT))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--variants", default="base")
    parser.add_argument("--profile")
    parser.add_argument("--plans", type=int, help="the load test's first PLANS plans as the filter sets")
    parser.add_argument("--scoped", action="store_true", help="the plans' organisations as scopes")
    parser.add_argument("--page-views", type=int, help="CPU of whole page loads over this many load-test plans")
    args = parser.parse_args()
    DATA_DIR[0] = Path(args.data_dir)
    _, con = db.current(DATA_DIR[0])
    CON[0] = con
    if args.page_views:
        variants = {v: variant(v) for v in args.variants.split(",")}
        plans = load_plans(args.page_views, args.scoped)
        got = page_cpu(con, args.pages.split(","), plans, variants, args.rounds)
        first = args.variants.split(",")[0]
        for v, seconds in got.items():
            print(f"  {v:<16} {seconds / len(plans) * 1000:8.1f} CPU ms a view ({seconds / got[first]:.2f})")
        return
    sets = load_plans(args.plans, args.scoped) if args.plans else filter_sets(con)
    calls = capture(con, args.pages.split(","), sets)
    wanted = set(args.queries.split(",")) if args.queries != "all" else {n for n, _ in calls}
    calls = [(n, p) for n, p in calls if n in wanted]
    counts = defaultdict(int)
    for n, _ in calls:
        counts[n] += 1
    print("calls:", dict(counts))
    if args.profile:
        n, p = next((n, p) for n, p in calls if n == args.profile)
        for _ in range(2):  # the first run warms the caches
            prof = profile(con, n, p)
        print("\n".join(summary(prof)))
        return
    variants = {v: variant(v) for v in args.variants.split(",")}
    out = replay(con, calls, variants, args.rounds)
    first = args.variants.split(",")[0]
    base = out["medians"][first]
    print(f"CPU ms, median of {args.rounds} alternated rounds; ratio to {first}")
    for i, v in enumerate(variants):
        print(f"  v{i}: {v}")
    for n in sorted(base, key=lambda k: -base[k]):
        cells = "  ".join(
            f"v{i} {out['medians'][v].get(n, 0) * 1000:8.1f} ({out['medians'][v].get(n, 0) / base[n]:.2f})"
            for i, v in enumerate(variants)
        )
        print(f"  {n:<28} {cells}")
    print("results differ:", out["differs"] or "none")


VARIANTS: dict[str, Runner] = {"base": plain}
DATA_DIR: list[Path] = [Path(".")]
CON: list = [None]  # the benchmark's connection (main), for variants that add macros to it

if __name__ == "__main__":
    main()
