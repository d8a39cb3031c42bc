#!/bin/bash
# tests/exec/hostdev.sh: devices like the host's (plan format 2,
# `like-host:`; HOSTDEV in the .mpb), on the real kernel.
#
# docker-2014-namespaces copies null, zero, full, random, urandom, tty and
# every /dev/loop[0-9]* of this host: inside, each node's type, numbers
# and mode must be the host's (stat on the host against stat in the
# container).  Every op of that plan is fault-injected: a best-effort
# op's fault is reported and skipped (exit 0), any other fails with 125
# naming the op.  The host is semi-trusted: a glob over a host directory
# holding a symlink, a regular file and a setuid node named like the
# pattern makes only the real node (best-effort) or fails (without); a
# symlink in the host path is refused.  The rootfs is hostile: a /dev/null
# that is a symlink to a host file, a /dev that is a symlink to a host
# directory, change nothing on the host.  Each run is in a private mount
# namespace that must be unchanged afterwards, and so must the host's.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
exec_test_start
plan 20

# run PLAN.yaml ROOTFS EXEC CMD...: compile and run (env in $run_env);
# output in $work/out, stderr in $work/err, exit status in $rc ("compile"
# when it did not compile); $work/ns exists when the namespace it ran
# from is unchanged.
run() {
	local yaml=$1 rootfs=$2 exec=$3; shift 3
	if ! "$MOUNTPLAN" compile "$yaml" -o "$work/plan.mpb" 2>"$work/err"; then
		rc=compile; return
	fi
	ns_exec /dev/null env $run_env "$exec" --rootfs "$rootfs" "$work/plan.mpb" -- "$@"
}
run_env=MP_NO_FAULT=1

# stat's format for "PATH TYPE MAJOR MINOR MODE" per node (busybox and
# coreutils stat agree on it: numbers in hex, mode in octal).
stat_fmt='%n %F %t %T %a'

# 1. docker-2014-namespaces: the host's numbers and modes, inside
names="/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty"
loops=$(cd /dev && ls -d loop[0-9]* 2>/dev/null | sed 's|^|/dev/|' | tr '\n' ' ')
run "$top_srcdir/plans/docker-2014-namespaces.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" \
	/bin/stat -c "$stat_fmt" $names $loops
stat -c "$stat_fmt" $names $loops >"$work/host" 2>&1
if [ "$rc" = 0 ] && [ -f "$work/ns" ] && [ -s "$work/out" ] && cmp -s "$work/host" "$work/out"; then
	ok "docker-2014-namespaces: $(wc -l <"$work/out") nodes with the host's type, numbers and mode ($(echo $loops | wc -w) loop devices)"
else
	not_ok "docker-2014-namespaces: nodes as the host's" "exit $rc" \
		"host: $(cat "$work/host")" "inside: $(cat "$work/out")" "$(cat "$work/err")"
fi
# the container's nodes belong to root, as docker's mknod left them
run "$top_srcdir/plans/docker-2014-namespaces.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" \
	/bin/stat -c '%u:%g' $names
check "docker-2014-namespaces: every copied node is owned 0:0" \
	[ "$rc" = 0 -a "$(sort -u "$work/out")" = "0:0" ]

# 2. every op of docker-2014-namespaces fault-injected
"$MOUNTPLAN" dump "$top_srcdir/plans/docker-2014-namespaces.yaml" >"$work/dump"
n=$(awk '$1 ~ /^[0-9]+$/' "$work/dump" | wc -l)
bad=
while read -r i name; do
	run_env=MP_FAULT_OP=$i
	run "$top_srcdir/plans/docker-2014-namespaces.yaml" "$work/rootfs" "$EXEC_TEST" /bin/true
	line=$(grep -c "^mountplan-exec: op $i/$n (" "$work/err")
	if grep "^ *$i  " "$work/dump" | grep -q 'best-effort'; then
		# reported once, skipped, the container starts
		[ "$rc" = 0 ] && [ -f "$work/ns" ] && [ "$line" = 1 ] &&
			grep -q "^mountplan-exec: op $i/$n (.*(skipped: best-effort)$" "$work/err" ||
			bad="$bad op $i ($name, best-effort): exit $rc $(cat "$work/err");"
	else
		[ "$rc" = 125 ] && [ -f "$work/ns" ] && [ "$line" = 1 ] ||
			bad="$bad op $i ($name): exit $rc $(cat "$work/err");"
	fi
done < <(awk '$1 ~ /^[0-9]+$/ { print $1, $2 }' "$work/dump")
run_env=MP_NO_FAULT=1
hostdevs=$(grep -c ' HOSTDEV ' "$work/dump")
if [ -z "$bad" ] && [ "$hostdevs" = 7 ]; then
	ok "fault in each of the $n ops (7 HOSTDEV): 125 named, or best-effort reported and skipped; namespace unchanged"
else
	not_ok "fault in each op of docker-2014-namespaces" "$hostdevs HOSTDEV ops" "$bad"
fi

# 3. a semi-trusted host directory: a real node, a symlink, a regular file,
# a setuid node, a directory, all named loop*
h=$work/hostdev
mkdir -p "$h/loopdir"
mknod "$h/loop0" b 7 0 && chmod 0640 "$h/loop0"
ln -s /dev/loop1 "$h/loop1"
echo "a regular file" >"$h/loop2"
mknod "$h/loop3" c 1 3 && chmod 4666 "$h/loop3"
mknod "$h/.loop4" c 1 5
cat >"$work/glob.yaml" <<EOF
mountplan: 2
name: glob
mounts:
  - {target: "$h", type: tmpfs, options: [mode=755]}
devices:
  - {like-host: "$h/loop*", best-effort: true}
EOF
run "$work/glob.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/sh -c \
	"cd $h && for f in loop0 loop1 loop2 loop3 loopdir .loop4; do stat -c '$stat_fmt' \"\$f\" 2>/dev/null || echo \"\$f none\"; done"
skips=$(grep -c '(skipped: best-effort)$' "$work/err")
if [ "$rc" = 0 ] && [ -f "$work/ns" ] &&
   [ "$(cat "$work/out")" = "$(printf '%s\n' 'loop0 block special file 7 0 640' 'loop1 none' 'loop2 none' 'loop3 none' 'loopdir none' '.loop4 none')" ] &&
   [ "$skips" = 4 ] && grep -q "$h/loop1: the host's file is not a character or block device (refused) (skipped" "$work/err" &&
   grep -q "$h/loop3: the host's node is setuid or setgid (refused) (skipped" "$work/err"; then
	ok "best-effort glob: only the real node made (b 7:0, 0640); symlink, file, setuid node, directory reported and skipped; .loop4 not matched"
else
	not_ok "best-effort glob over a hostile host directory" "exit $rc" "$(cat "$work/out")" "$(cat "$work/err")"
fi
sed -i 's/, best-effort: true//' "$work/glob.yaml"
run "$work/glob.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/true
if [ "$rc" = 125 ] && [ -f "$work/ns" ] && [ "$(grep -c . "$work/err")" = 1 ] &&
   grep -q "^mountplan-exec: op [0-9]*/[0-9]* (.*glob.yaml:6:6): mknod .*like host $h/loop\*: $h/loop[1-3d]" "$work/err"; then
	ok "glob without best-effort: exit 125 at the first refused match: $(cut -d: -f4- "$work/err" | cut -c1-90)"
else
	not_ok "glob without best-effort fails at a refused match" "exit $rc" "$(cat "$work/err")"
fi
[ -L "$h/loop1" ] && [ "$(cat "$h/loop2")" = "a regular file" ] &&
	[ "$(stat -c %a "$h/loop3")" = 4666 ] && [ -z "$(ls -A "$work/rootfs$h")" ]
check "the host directory is unchanged, the rootfs directory got only the mount point" [ $? = 0 ]

# a symlink in the host path, the directory of a glob or a single node
ln -s "$h" "$work/hostlink"
for lh in "$work/hostlink/loop*" "$work/hostlink/loop0" "$h/loop1"; do
	cat >"$work/link.yaml" <<EOF
mountplan: 2
name: link
mounts:
  - {target: /dev, type: tmpfs}
devices:
  - {like-host: "$lh"$( [ "${lh%\*}" = "$lh" ] && echo ", path: /dev/x")}
EOF
	run "$work/link.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/true
	if [ "$rc" = 125 ] && [ -f "$work/ns" ] &&
	   grep -Eq "symbolic link \(refused\)|not a character or block device \(refused\)" "$work/err"; then
		ok "like-host $lh: refused ($(sed 's/.*: //' "$work/err"))"
	else
		not_ok "like-host $lh is refused" "exit $rc" "$(cat "$work/err")"
	fi
done

# a missing host node: an error, or with best-effort reported and skipped
cat >"$work/missing.yaml" <<EOF
mountplan: 2
name: missing
mounts:
  - {target: /dev, type: tmpfs}
devices:
  - {like-host: /dev/no-such-node-here}
  - {like-host: /dev/null}
EOF
run "$work/missing.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/true
check "a missing host node: exit 125 naming it ($(cut -d: -f4- "$work/err"))" \
	grep -q "op 2/7 (.*missing.yaml:6:6): mknod /dev/no-such-node-here like host /dev/no-such-node-here: No such file or directory$" "$work/err"
sed -i 's|no-such-node-here}|no-such-node-here, best-effort: true}|' "$work/missing.yaml"
run "$work/missing.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/stat -c "$stat_fmt" /dev/null
check "a missing host node with best-effort: reported, skipped, the next node made" \
	[ "$rc" = 0 -a "$(cat "$work/out")" = "/dev/null character special file 1 3 666" -a \
	"$(grep -c 'No such file or directory (skipped: best-effort)$' "$work/err")" = 1 ]

# best-effort on a device of fixed numbers (MKNOD) too: a node that
# cannot be made (its parent is a file in the rootfs) is reported, skipped
cat >"$work/mknod.yaml" <<EOF
mountplan: 2
name: mknod
mounts: [{target: /dev, type: tmpfs}]
devices:
  - like-host: /dev/null
  - {path: /etc/passwd/null, type: c, major: 1, minor: 3, best-effort: true}
EOF
run "$work/mknod.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/true
ok1=$rc err1=$(cat "$work/err")
sed -i 's/, best-effort: true//' "$work/mknod.yaml"
run "$work/mknod.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/true
if [ "$ok1" = 0 ] && grep -q "^mountplan-exec: op [0-9]*/[0-9]* (.*mknod.yaml:6:6): mknod /etc/passwd/null: Not a directory (skipped: best-effort)$" <<<"$err1" &&
   [ "$rc" = 125 ] && grep -q "^mountplan-exec: op [0-9]*/[0-9]* (.*mknod.yaml:6:6): mknod /etc/passwd/null: Not a directory$" "$work/err"; then
	ok "MKNOD best-effort: reported and skipped (exit 0); without it exit 125"
else
	not_ok "MKNOD best-effort" "with: exit $ok1 $err1" "without: exit $rc $(cat "$work/err")"
fi

# 4. a hostile rootfs: /dev/null a symlink to a host file (no /dev tmpfs)
cp -a "$work/rootfs" "$work/evil"
echo "host data" >"$work/victim"
rm -f "$work/evil/dev/null" && ln -s "$work/victim" "$work/evil/dev/null"
cat >"$work/evil.yaml" <<EOF
mountplan: 2
name: evil
devices:
  - like-host: /dev/null
EOF
run "$work/evil.yaml" "$work/evil" "$MOUNTPLAN_EXEC" /bin/true
if [ "$rc" = 125 ] && [ -f "$work/ns" ] && [ -f "$work/victim" ] &&
   [ "$(cat "$work/victim")" = "host data" ] && grep -q "a different file already exists" "$work/err"; then
	ok "rootfs /dev/null -> host file: refused, the host file untouched"
else
	not_ok "rootfs /dev/null -> host file" "exit $rc" "$(ls -l "$work/victim")" "$(cat "$work/err")"
fi
# /dev a symlink to a host directory: the nodes land inside the rootfs
mkdir "$work/hostdir"
rm -rf "$work/evil/dev" && ln -s "$work/hostdir" "$work/evil/dev"
printf '%s\n' "  - {like-host: \"/dev/loop[0-9]*\", best-effort: true}" >>"$work/evil.yaml"
run "$work/evil.yaml" "$work/evil" "$MOUNTPLAN_EXEC" /bin/stat -c "$stat_fmt" /dev/null
if [ "$rc" = 0 ] && [ -z "$(ls -A "$work/hostdir")" ] &&
   [ -c "$work/evil$work/hostdir/null" ] && [ "$(cat "$work/out")" = "/dev/null character special file 1 3 666" ]; then
	ok "rootfs /dev -> host directory: nodes made inside the rootfs, the host directory empty"
else
	not_ok "rootfs /dev -> host directory" "exit $rc" "host dir: $(ls -A "$work/hostdir")" "$(cat "$work/err")"
fi

# 5. policy bind: the host's node bound (the descriptor HOSTDEV opened);
# verify predicts the bind as a conditional row
cat >"$work/bind.yaml" <<EOF
mountplan: 2
name: bind
mounts:
  - {target: /dev, type: tmpfs}
  - {target: /proc, type: proc}
devices:
  - {like-host: /dev/zero, policy: bind}
  - {like-host: "/dev/loop[0-9]*", policy: bind, best-effort: true}
EOF
run "$work/bind.yaml" "$work/rootfs" "$MOUNTPLAN_EXEC" /bin/cat /proc/self/mountinfo
n_loops=$(echo $loops | wc -w)
if [ "$rc" = 0 ] && [ "$(grep -c ' /dev/zero ' "$work/out")" = 1 ] &&
   [ "$(grep -Ec ' /dev/loop[0-9]+ ' "$work/out")" = "$n_loops" ] &&
   "$MOUNTPLAN" verify "$work/bind.yaml" "$work/out" >"$work/verify" 2>&1; then
	ok "policy bind: /dev/zero and $n_loops loop devices bound from the host; verify: $(tail -1 "$work/verify")"
else
	not_ok "policy bind binds the host's nodes, as verify predicts" "exit $rc" \
		"$(grep ' /dev/' "$work/out")" "$(cat "$work/verify" "$work/err")"
fi
table=$("$MOUNTPLAN" table "$work/bind.yaml")
check "table: the like-host rows say so (host-derived, best-effort)" \
	grep -q '/dev/loop\[0-9\]\*.*(if the host has it; like host /dev/loop\[0-9\]\*, best-effort)' <<<"$table"

# many nodes in one glob, bound (policy bind leaves descriptors to the
# sweep): 300 of them under ulimit -n 64
mkdir "$work/many"
for k in $(seq -w 1 300); do mknod "$work/many/n$k" c 1 3; done
cat >"$work/many.yaml" <<EOF
mountplan: 2
name: many
mounts:
  - {target: "$work/many", type: tmpfs}
  - {target: /proc, type: proc}
  - {target: /dev, type: tmpfs}
devices:
  - {like-host: "$work/many/n*", policy: bind}
  - like-host: /dev/null
EOF
printf '#!/bin/bash\nulimit -n 64 && exec "%s" "$@"\n' "$MOUNTPLAN_EXEC" >"$work/lowfd"
chmod +x "$work/lowfd"
run "$work/many.yaml" "$work/rootfs" "$work/lowfd" /bin/sh -c "grep -c ' $work/many/n' /proc/self/mountinfo"
if [ "$rc" = 0 ] && [ "$(cat "$work/out")" = 300 ]; then
	ok "a glob of 300 nodes bound under ulimit -n 64: 300 binds"
else
	not_ok "a glob of 300 nodes bound under ulimit -n 64" "exit $rc" "$(cat "$work/out" "$work/err")"
fi

# 6. verify --nodes: the running container's nodes (/proc/PID/root) as
# the plan predicts, like-host ones against the host's nodes now; a node
# the command changed is a difference
"$MOUNTPLAN" compile "$top_srcdir/plans/docker-2014-namespaces.yaml" -o "$work/d14.mpb"
for tamper in none "chmod 600 /dev/zero"; do
	rm -f "$work/pid"
	unshare -m --propagation private bash -c '
		w=$1 exec=$2 tamper=$3
		"$exec" --rootfs "$w/rootfs" "$w/d14.mpb" -- /bin/sh -c \
			"[ \"\$1\" = none ] || \$1; cat /proc/self/mountinfo >/dev/shm/mi.tmp; mv /dev/shm/mi.tmp /dev/shm/mi; while [ ! -e /dev/shm/go ]; do sleep 0.1; done" - "$tamper" &
		echo $! >"$w/pid"
		wait' - "$work" "$MOUNTPLAN_EXEC" "$tamper" >/dev/null 2>"$work/err" &
	for _ in $(seq 100); do [ -s "$work/pid" ] && [ -e "/proc/$(cat "$work/pid")/root/dev/shm/mi" ] && break; sleep 0.1; done
	root=/proc/$(cat "$work/pid")/root
	"$MOUNTPLAN" verify "$top_srcdir/plans/docker-2014-namespaces.yaml" "$root/dev/shm/mi" \
		--nodes "$root" >"$work/verify" 2>&1
	vrc=$?
	touch "$root/dev/shm/go"
	wait
	n_nodes=$((6 + $(echo $loops | wc -w)))
	if [ "$tamper" = none ]; then
		check "verify --nodes: docker-2014-namespaces's $n_nodes nodes as the host has them ($(tail -1 "$work/verify"))" \
			grep -q "^verify: as predicted (.*, $n_nodes device nodes)$" "$work/verify"
	else
		check "verify --nodes: a node whose mode the command changed is a difference (exit $vrc: $(head -1 "$work/verify"))" \
			[ "$vrc" = 1 -a "$(head -1 "$work/verify")" = "/dev/zero: different node: predicted c 1:5 0666 0:0, found c 1:5 0600 0:0" ]
	fi
done

check_host_unchanged "$host_before"
done_testing
