#!/usr/bin/env bash
# Install the Debian packages that `make up` / `make test` need, from the one list in
# scripts/system-packages.txt. Idempotent: does nothing (and prints nothing) when all are present.
#   scripts/system-packages.sh up     packages of the academy itself
#   scripts/system-packages.sh test   those plus the test suite's tools
# As root: installs what is missing with apt-get, in one line of output.
# Not root: names what is missing and the exact command, then returns 0 so that `make` goes on
# with what can run without them (tests that need them skip or fail with their own message).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="$here/system-packages.txt"
target="${1:-}"
case "$target" in
  up) wanted=" up " ;;
  test) wanted=" up test " ;;
  *) echo "usage: $0 up|test" >&2; exit 2 ;;
esac
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# One token of the provides column: a command, font:FILE, lib:FILE or py:MODULE.
provided() {
  case "$1" in
    font:*) [[ -n "$(find /usr/share/fonts /usr/local/share/fonts -name "${1#font:}" -print -quit 2>/dev/null)" ]] ;;
    lib:*) [[ -n "$(find /usr/lib -name "${1#lib:}" -print -quit 2>/dev/null)" ]] ;;
    py:*) [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c "import ${1#py:}" >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# Installed by dpkg, or everything it provides is there anyway (e.g. npm bundled with another Node).
present() {
  local pkg="$1"; shift
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" == installed ]] && return 0
  local token
  for token in "$@"; do provided "$token" || return 1; done
  return 0
}

missing=()
while read -r pkg for provides; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ "$wanted" == *" $for "* ]] || continue
  # shellcheck disable=SC2086  # provides is a list of tokens
  present "$pkg" $provides || missing+=("$pkg")
done <"$list"
((${#missing[@]})) || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包（Debian 名称）/ missing system packages (Debian names): ${missing[*]}" >&2
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  {
    echo "缺少系统软件包 / missing Debian packages: ${missing[*]}"
    echo "请以 root 运行 / run as root:"
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    echo "继续运行不需要它们的部分 / going on with what runs without them"
  } >&2
  exit 0
fi

log="$(mktemp -t academy-apt.XXXXXX.log)"
started=$SECONDS
printf '安装系统软件包 / installing Debian packages for make %s: %s ... ' "$target" "${missing[*]}"
if { apt-get update -qq &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "done in $((SECONDS - started)) s"
  rm -f "$log"
else
  echo "FAILED"
  tail -n 30 "$log" >&2
  echo "apt-get failed; full log: $log" >&2
  exit 1
fi
