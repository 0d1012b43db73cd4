#!/usr/bin/env bash
# Starts the local PostgreSQL cluster when it is installed but not running (Debian's tooling).
set -uo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
command -v pg_ctlcluster >/dev/null || exit 1
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
[ -n "$version" ] || exit 1
pg_ctlcluster --skip-systemctl-redirect "$version" main start || exit 1
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
exit 1
