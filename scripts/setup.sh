#!/usr/bin/env bash
# Creates .venv and installs the project into it (idempotent). Sourced by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}" 2>&1 \
    | grep -v -e "^WARNING: Location" -e "^ " -e "^$" || true  # pip's indented build chatter
  .venv/bin/python -c "import bot, knowledge, storage, scheduler, cdcs" # the install must import
  touch "$stamp"
fi
