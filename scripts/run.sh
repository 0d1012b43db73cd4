#!/usr/bin/env bash
# One command on a fresh machine: install, migrate the database, build the index if it is not
# current (a few minutes the first time, seconds afterwards), then start the bot — on Telegram
# when TELEGRAM_BOT_TOKEN is set, otherwise the console chat. Extra arguments go to `cdcs run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/cdcs db upgrade
.venv/bin/cdcs index
exec .venv/bin/cdcs run "$@"
