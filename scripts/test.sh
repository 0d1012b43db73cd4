#!/usr/bin/env bash
# One command: install with the test extras, make sure PostgreSQL is up, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/start-postgres.sh || echo "PostgreSQL could not be started here: its tests will say why they skip."
# The staff web page's browser test drives Debian's Chromium (never a downloaded browser).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq chromium) \
    || { [ "${CI:-}" = true ] && exit 1; echo "Chromium could not be installed: the browser test will say why it skips."; }
fi
exec .venv/bin/python -m pytest "$@"
