#!/usr/bin/env bash
# One command for the gateway benchmark: installs nginx with its Lua module and wrk from Debian when missing,
# builds the WAR, then measures direct vs via the gateway on both runtimes (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v nginx >/dev/null || missing+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_http_lua_module.so ] || missing+=(libnginx-mod-http-lua)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# the gateway runs its calls on virtual threads from Java 21 on: use such a JDK when the default java is older
java_major() { local v; v=$("$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); echo "${v:-0}"; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ]; then
  for jdk in /usr/lib/jvm/*; do
    if [ -x "$jdk/bin/java" ] && [ "$(java_major "$jdk/bin/java")" -ge 21 ]; then export JAVA_HOME="$jdk"; fi
  done
fi
if [ "${1:-}" = "--concurrency" ]; then
  shift
  command -v npm >/dev/null || { echo "the concurrency phase installs Portkey's gateway with npm: install Node.js" >&2; exit 1; }
  exec python3 bench/concurrency.py "$@"
fi
exec python3 bench/run.py "$@"
