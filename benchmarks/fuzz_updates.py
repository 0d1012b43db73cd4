"""10,000 fuzzed updates (hypothesis, random JSON shapes) through the Telegram channel, the Zalo
adapter and both webhooks with the durable inbox, on a migrated SQLite file with a case desk (as
production is wired) and the knowledge-base double. Counts what was fed in and every record
logged at ERROR or above (an unhandled error, or one a handler caught and apologised for).

    .venv/bin/python benchmarks/fuzz_updates.py [--telegram 3000] [--zalo 3000] [--webhooks 2000]
                                                [--seed 1]

``--webhooks`` is pairs (one Telegram, one Zalo update each). The suite runs the same strategies
(tests/fuzz_helpers.py) with fewer examples and a fixed derandomised set; ``--seed`` picks
others. Exit status 1 when any error was logged.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from bot_fixtures import FakeKnowledge  # noqa: E402
from cases_fixtures import desk_for  # noqa: E402
from fuzz_helpers import ErrorLog, fuzz_telegram, fuzz_webhooks, fuzz_zalo  # noqa: E402

from bot.core import DialogCore  # noqa: E402
from storage.db import Database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--telegram", type=int, default=3000)
    parser.add_argument("--zalo", type=int, default=3000)
    parser.add_argument("--webhooks", type=int, default=2000, help="pairs of updates")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the warnings of dropped updates: thousands

    total_fed, total_errors = 0, 0
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/fuzz.sqlite3")
        db.upgrade()
        core = DialogCore(db, FakeKnowledge(), cases=desk_for(db, Path(folder)))
        for name, run, examples in (("telegram", fuzz_telegram, args.telegram),
                                    ("zalo", fuzz_zalo, args.zalo),
                                    ("webhooks", fuzz_webhooks, args.webhooks)):
            started = time.perf_counter()
            with ErrorLog() as errors:
                try:
                    fed = run(core, examples, args.seed)
                    escaped = ""
                except Exception as error:  # hypothesis re-raises the first escaped exception
                    fed, escaped = 0, f"{type(error).__name__}: {error}"[:300]
            seconds = time.perf_counter() - started
            kinds = Counter(line.split(":")[0] for line in errors.lines())
            print(f"{name:9} fed {fed:6d} updates in {seconds:6.1f} s, errors logged {len(errors.records)}"
                  f"{' ' + dict(kinds).__repr__() if kinds else ''}"
                  f"{', escaped: ' + escaped if escaped else ''}", flush=True)
            for line in errors.lines()[:5]:
                print("    ", line)
            total_fed += fed
            total_errors += len(errors.records) + bool(escaped)
        db.dispose()
    print(f"total: {total_fed} fuzzed updates, {total_errors} unhandled or logged errors")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
