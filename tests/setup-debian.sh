#!/bin/bash
# tests/setup-debian.sh: install what building and testing need on Debian 12
# (run as root; does nothing when everything is there).
set -eu
pkgs="build-essential autoconf automake pkg-config libyaml-dev libmount-dev check
      musl-tools busybox-static python3 python3-yaml python3-jsonschema pre-commit strace time
      runc crun bubblewrap hyperfine util-linux clang-14 clang libclang-rt-14-dev"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
