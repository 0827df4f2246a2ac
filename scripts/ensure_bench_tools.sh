#!/usr/bin/env bash
# `make bench` needs Postfix's smtp-sink and wrk (Debian packages postfix and wrk): installed when missing.
set -euo pipefail
[ "$#" -gt 0 ] || exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Run as root: apt-get update && apt-get install -y $*" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
