#!/usr/bin/env bash
# One command: install with the test extras, make sure PostgreSQL is up, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/start-postgres.sh || echo "PostgreSQL could not be started here: its tests will say why they skip."
exec .venv/bin/python -m pytest "$@"
