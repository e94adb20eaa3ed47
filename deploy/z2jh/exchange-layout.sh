#!/bin/sh
# The nbgrader exchange on the shared ReadWriteMany volume, with the owners and modes of one
# machine (docs/isolation.md, "Exchange"). Two calls, both idempotent:
#
#   exchange-layout.sh root            as root, once (Job academy-exchange-init): the exchange
#                                      root 1777 — everyone may create, nobody removes others'
#   exchange-layout.sh course COURSE   as the course's grader uid (init container of the course
#                                      pod): <course>/ and outbound/ 0755, inbound/ 3733
#                                      (setgid, sticky, -wx for others: trainees add a submission
#                                      but cannot list, rename or delete), feedback/ 0711
#
# Tested by tests/deploy/test_exchange_uids.py with the uids KubeSpawner renders for the pods.
set -eu
EXCHANGE="${ACADEMY_EXCHANGE:-/srv/academy/exchange}"
case "${1:-}" in
  root)
    mkdir -p "$EXCHANGE"
    chmod 1777 "$EXCHANGE"
    ;;
  course)
    course="${2:?course id missing}"
    case "$course" in *[!a-z0-9_-]*|'') echo "bad course id: $course" >&2; exit 2;; esac
    umask 022
    for d in "$EXCHANGE/$course" "$EXCHANGE/$course/outbound" "$EXCHANGE/$course/inbound" \
             "$EXCHANGE/$course/feedback"; do
      [ -d "$d" ] || mkdir "$d"
    done
    chmod 0755 "$EXCHANGE/$course" "$EXCHANGE/$course/outbound"
    chmod 3733 "$EXCHANGE/$course/inbound"
    chmod 0711 "$EXCHANGE/$course/feedback"
    ;;
  *)
    echo "usage: exchange-layout.sh root | course COURSE" >&2
    exit 2
    ;;
esac
