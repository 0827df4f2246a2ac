#!/usr/bin/env bash
# The impact page's PDF (WeasyPrint) needs Pango; install Debian's when it is missing and we may.
set -euo pipefail
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && exit 0
echo "Pango is missing: installing Debian's libpango-1.0-0 and libpangoft2-1.0-0 for WeasyPrint."
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Run as root: apt-get update && apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
