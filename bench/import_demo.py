"""More generated demo data into a store holding the demo bank, as the load tests import it while sessions
run (bench/load.py --import-during, bench/replicas.py):

    python -m bench.import_demo FILE... --data-dir DIR

`python -m dashboard ingest` with demo mode asked for (its audit key: dashboard/auth/audit.py), and the
demo marker (dashboard/auth/demo_mode.py) kept on the demo bank across the publish: before the import it
names the published version and the one the import will publish, after it only the new one. A plain
ingest publishes an unmarked version, which demo mode rightly refuses (a real import ends demo mode), so
every session after it would see the sign-in configuration page; marking it only afterwards would leave
a moment in which a session could. The bench's stores are generated demo banks; this is not for real data.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from dashboard import cli
    from dashboard.auth import demo_mode
    from dashboard.ingest import store

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    if not demo_mode.holds_demo_bank(data_dir):
        print(f"{data_dir} does not hold the generated demo bank: use `python -m dashboard ingest`", file=sys.stderr)
        return 2
    published = store.current_snapshot(data_dir)
    assert published is not None  # holds_demo_bank said so
    # The bench's store has one writer (this import), so the next version is the one it will publish.
    demo_mode.mark(data_dir, published.version, store._next_version(store.store_dir(data_dir)))
    os.environ[demo_mode.ENV] = "1"
    try:
        return cli.main(["ingest", *args.files, "--data-dir", str(data_dir)])
    finally:
        now = store.current_snapshot(data_dir)
        demo_mode.mark(data_dir, now.version if now is not None else published.version)


if __name__ == "__main__":
    sys.exit(main())
