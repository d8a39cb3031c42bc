#!/bin/bash
# tests/mkrootfs.sh DIR: a minimal container rootfs from Debian's
# busybox-static: /bin/busybox and a link per applet (sh cat ls mount stat
# true ...), the directories a plan mounts on (dev proc sys tmp run etc,
# plus usr/bin sbin var root), and /etc/passwd and /etc/group.  Used by
# tests/run-plans.sh, tests/demo.sh and the executor's tests.  DIR must not
# exist or be empty.
set -eu
dir=${1:?usage: mkrootfs.sh DIR}
bb=${BUSYBOX:-/bin/busybox}
if [ ! -x "$bb" ]; then
	echo "mkrootfs.sh: $bb not found: install Debian's busybox-static" >&2
	exit 1
fi
case $(LC_ALL=C file -L "$bb" 2>/dev/null || echo static) in
*"dynamically linked"*)
	echo "mkrootfs.sh: $bb is not static: install busybox-static, not busybox" >&2
	exit 1 ;;
esac
mkdir -p "$dir"
if [ -n "$(ls -A "$dir")" ]; then
	echo "mkrootfs.sh: $dir is not empty" >&2
	exit 1
fi
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,etc,var,root,home}
chmod 1777 "$dir/tmp"
chmod 0700 "$dir/root"
cp "$bb" "$dir/bin/busybox"
chmod 0755 "$dir/bin/busybox"
for applet in $("$bb" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
for needed in sh cat ls mount stat true; do
	if [ ! -e "$dir/bin/$needed" ]; then
		echo "mkrootfs.sh: busybox lacks the applet $needed" >&2
		exit 1
	fi
done
cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$dir/etc/group" <<'GROUP'
root:x:0:
tty:x:5:
nogroup:x:65534:
GROUP
echo "mkrootfs.sh: busybox rootfs in $dir ($("$bb" --list | wc -l) applets)"
