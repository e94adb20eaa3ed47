#!/bin/sh
# Entry of the user image. KubeSpawner starts each person's server with a uid of its own
# (custom.academy.uidBase + hub user id, deploy/z2jh/values.yaml) that has no /etc/passwd entry.
# Python's pwd lookup of that uid would fail, and nbgrader takes the student id of a submission
# from it: nbgrader.utils.get_username() is the account name, or $JUPYTERHUB_USER when that name
# is "jovyan" (its container convention). So, for this process tree only (nss_wrapper, no
# writable /etc/passwd, no root), the uid is named jovyan: submissions carry the person's hub name.
set -eu
if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
  dir="$(mktemp -d /tmp/academy-nss.XXXXXX)"
  grep -v '^jovyan:' /etc/passwd > "$dir/passwd" || true
  echo "jovyan:x:$(id -u):$(id -g):,,,:${HOME:-/home/jovyan}:/bin/bash" >> "$dir/passwd"
  cp /etc/group "$dir/group"
  getent group "$(id -g)" >/dev/null 2>&1 || echo "jovyan:x:$(id -g):" >> "$dir/group"
  lib="$(ls /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so 2>/dev/null | head -n 1)"
  export LD_PRELOAD="$lib" NSS_WRAPPER_PASSWD="$dir/passwd" NSS_WRAPPER_GROUP="$dir/group"
fi
exec "$@"
