#!/usr/bin/env bash
# `make run`: install, migrate, load the demo content, then start web + worker + beat (honcho).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-website.settings.dev}"
export PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
mkdir -p var/mail
./scripts/ensure_pango.sh

REDIS_URL="$($PY scripts/ensure_redis.py)"
export REDIS_URL
if [ -f var/redis.pid ]; then
  trap 'kill "$(cat var/redis.pid)" 2>/dev/null || true; rm -f var/redis.pid' EXIT
fi

$PY manage.py migrate --noinput -v 0
$PY manage.py seed_demo
# The search index follows the code's search fields (a pull may add some): rebuilt, a few seconds.
$PY manage.py update_index >/dev/null
echo
echo "Maillon : ${SITE_URL}/   (administration : ${SITE_URL}/admin/)"
echo "Courriels de développement : var/mail/    Redis : ${REDIS_URL}"
echo
.venv/bin/honcho -f Procfile.dev start
