#!/usr/bin/env bash
# One command on a fresh machine: install, create the case-encryption key on first use, migrate
# the database, build the index if it is not current (a few minutes the first time, seconds
# afterwards), then start the bot — on Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the
# console chat. Extra arguments go to `cdcs run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${CASES_KEY:-}" ] && ! grep -qs '^CASES_KEY=' .env; then
  # Reports are encrypted at rest: a fresh install gets its own key, kept in .env (never in git).
  # For a real deployment move it to the server's secret store (README: "Case encryption key").
  echo "CASES_KEY=$(.venv/bin/cdcs cases new-key | tail -n 1)" >> .env
  chmod 600 .env
  echo "Đã tạo khoá mã hoá vụ việc trong .env — hãy sao lưu khoá này ở nơi an toàn."
fi
.venv/bin/cdcs db upgrade
.venv/bin/cdcs index
exec .venv/bin/cdcs run "$@"
