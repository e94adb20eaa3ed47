#!/usr/bin/env bash
# The fresh-machine proof (not part of `make test`; CPU-heavy, 30-60 min on 2 cores):
# a clean Debian 12 root (debootstrap --variant=minbase, from Debian's mirror), a clean `git clone` of
# this checkout's HEAD in it, and there, as root, the README's two commands: `make up` (until the hub
# answers, then Ctrl-C) and `make test`. Only `make` is installed beforehand — everything else must
# come from the two commands. Writes WORK/summary.txt (install time, suite result and time, slowest
# tests) and the full logs beside it.
#
#   sudo scripts/fresh-debian-check.sh [WORK]        # WORK defaults to /var/tmp/academy-fresh
#   FRESH_PYTEST_ARGS="tests/courses" scripts/fresh-debian-check.sh   # a part of the suite only
#
# Needs root, debootstrap (apt-get install debootstrap) and Debian's mirror (deb.debian.org), PyPI
# and the npm registry. The Debian base is kept in WORK/base and reused; each run copies it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(realpath -m "${1:-/var/tmp/academy-fresh}")"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[[ "$(id -u)" == 0 ]] || { echo "needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "apt-get install debootstrap" >&2; exit 2; }

mkdir -p "$work"
base="$work/base"
root="$work/root"
if [[ ! -x "$base/bin/bash" ]]; then
  echo "debootstrap bookworm → $base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"$work/debootstrap.log" 2>&1
fi

# Never delete a root that has something mounted in it (the host's /dev …).
if findmnt -rn -o TARGET | grep -q "^$root/"; then echo "mounts left under $root" >&2; exit 1; fi
rm -rf "$root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The host's CA bundle, for machines that reach PyPI/npm through a TLS-inspecting proxy (like the
# one this was first run on); apart from this file and the network nothing of the host is used.
mkdir -p "$root/etc/ssl" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/host-ca.crt"
ca=/etc/ssl/host-ca.crt
git clone -q --no-local "$repo" "$root/root/academy"
git -C "$root/root/academy" log -1 --format='checkout: %h %s' | tee "$work/commit.txt"

# The port of `make up` inside must be free on the host (a chroot shares the network).
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$root/root/fresh-run.sh" <<EOF
#!/bin/bash
set -uo pipefail
cd /root/academy
t0=\$SECONDS
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make >/dev/null
echo "prerequisite make installed in \$((SECONDS - t0)) s"
t0=\$SECONDS
ACADEMY_PORT=$port make up >/root/up.log 2>&1 &
make_pid=\$!
until grep -q "hub ready" /root/up.log 2>/dev/null; do
  if ! kill -0 \$make_pid 2>/dev/null; then echo "make up exited before the hub answered"; tail -40 /root/up.log; exit 1; fi
  if (( SECONDS - t0 > 3600 )); then echo "make up: no hub after 60 min"; tail -40 /root/up.log; exit 1; fi
  sleep 5
done
echo "make up: hub ready \$((SECONDS - t0)) s after start (system packages, venv, proxy, state, roster)"
up_pid=\$(python3 -c 'import json; print(json.load(open("/srv/academy/hub/running.json"))["pid"])')
curl_ok=\$(python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:$port/hub/login").status)' 2>&1)
echo "make up: GET /hub/login → \$curl_ok"
kill -INT "\$up_pid"
wait \$make_pid; echo "make up: stopped with Ctrl-C (exit \$?)"
t0=\$SECONDS
make test PYTEST_ARGS="${FRESH_PYTEST_ARGS:-}" >/root/test.log 2>&1
rc=\$?
echo "make test: exit \$rc in \$((SECONDS - t0)) s"
exit \$rc
EOF
chmod +x "$root/root/fresh-run.sh"

started=$SECONDS
set +e
# Own mount and pid namespaces: /proc shows only the machine inside, the mounts vanish with it and
# no process outlives the run (pid 1 inside ends them all). The network is the host's.
# The root is bound onto itself first: a chroot whose / is not a mount point makes every
# `unshare --mount` inside fail ("cannot change root filesystem propagation"), as the grading jail
# does on every real machine, where / is one.
unshare --mount --pid --fork --propagation private /bin/bash -c '
  set -e
  mount --bind "$0" "$0"
  mount -t proc proc "$0/proc"
  mount --rbind /sys "$0/sys"
  mount --rbind /dev "$0/dev"
  exec chroot "$0" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    SSL_CERT_FILE='"$ca"' PIP_CERT='"$ca"' REQUESTS_CA_BUNDLE='"$ca"' NODE_EXTRA_CA_CERTS='"$ca"' \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /root/fresh-run.sh' "$root" \
  2>&1 | tee "$work/run.log"
rc=${PIPESTATUS[0]}
set -e
cp "$root/root/up.log" "$root/root/test.log" "$work/" 2>/dev/null || true
{
  cat "$work/commit.txt"
  echo "fresh Debian $(cat "$root/etc/debian_version") root (debootstrap minbase), total $((SECONDS - started)) s"
  cat "$work/run.log"
  grep -E "^(安装系统软件包|installing)" "$work/up.log" "$work/test.log" 2>/dev/null || true
  echo "--- suite"
  grep -E "^=+ .*(passed|failed|error).* =+$" "$work/test.log" | tail -1 || true
  grep -E "^(FAILED|ERROR|SKIPPED) " "$work/test.log" || true
  echo "--- slowest tests"
  sed -n '/slowest .*durations/,/^$/p' "$work/test.log" | sed -n '2,16p'
} >"$work/summary.txt"
cat "$work/summary.txt"
exit "$rc"
