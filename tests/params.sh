#!/bin/bash
# tests/params.sh: plan parameters end to end, on the real kernel.
# plans/docker-default.yaml compiled with --set container_dir=DIR binds
# DIR's hosts, hostname and resolv.conf into the container (the payload
# reads them back; writes land in DIR, as docker's writable binds do); a
# values file gives the same bytes as --set; a missing or hostile value
# is refused at compile time with nothing written and the host unchanged.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
exec_test_start
plan 9
plan_yaml=$top_srcdir/plans/docker-default.yaml
dir=$work/containers/c1
mkdir -p "$dir"
for f in hosts hostname resolv.conf; do printf '%s of c1 %s\n' "$f" "$RANDOM$RANDOM" >"$dir/$f"; done

# 1-3: compile with --set, run, read the three files from inside.
if "$MOUNTPLAN" compile "$plan_yaml" --set container_dir="$dir" -o "$work/c1.mpb" 2>"$work/err"; then
	ok "docker-default compiles with --set container_dir=DIR"
else
	not_ok "docker-default compiles with --set container_dir=DIR" "$(cat "$work/err")"
fi
want=$(cat "$dir/hosts" "$dir/hostname" "$dir/resolv.conf")
unshare -m --propagation private "$MOUNTPLAN_EXEC" --rootfs "$work/rootfs" "$work/c1.mpb" -- \
	/bin/sh -c 'cat /etc/hosts /etc/hostname /etc/resolv.conf; echo written >/etc/hostname;
		    grep -E " /etc/(hosts|hostname|resolv.conf) " /proc/self/mountinfo' \
	>"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 0 ] && [ "$(head -3 "$work/out")" = "$want" ]; then
	ok "the container reads DIR's hosts, hostname and resolv.conf at /etc"
else
	not_ok "the container reads DIR's hosts, hostname and resolv.conf at /etc" "exit $rc" \
		"$(cat "$work/out" "$work/err")"
fi
n_binds=$(tail -n +4 "$work/out" | grep -c ' rw,')
if [ "$(cat "$dir/hostname")" = written ] && [ "$n_binds" = 3 ]; then
	ok "the three binds are writable and reach DIR (docker's writable binds)"
else
	not_ok "the three binds are writable and reach DIR" "hostname: $(cat "$dir/hostname")" \
		"$(cat "$work/out")"
fi

# 4: a values file gives the same compiled bytes.
printf 'container_dir: %s\nunrelated_parameter: 5\n' "$dir" >"$work/c1-values.yaml"
if "$MOUNTPLAN" compile "$plan_yaml" --values "$work/c1-values.yaml" -o "$work/c1v.mpb" 2>"$work/err" &&
   cmp -s "$work/c1.mpb" "$work/c1v.mpb"; then
	ok "--values FILE compiles to the same bytes as --set"
else
	not_ok "--values FILE compiles to the same bytes as --set" "$(cat "$work/err")"
fi

# refused NAME ID ARGS...: compile exits 1 with ID, writes nothing.
refused() {
	local name=$1 id=$2
	shift 2
	rm -f "$work/bad.mpb"
	"$MOUNTPLAN" compile "$plan_yaml" "$@" -o "$work/bad.mpb" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" = 1 ] && [ ! -e "$work/bad.mpb" ] && grep -q "\[$id\]" "$work/err"; then
		ok "$name: exit 1, $id, no output"
	else
		not_ok "$name: exit 1, $id, no output" "exit $rc" "$(cat "$work/err")"
	fi
}
# 5-8: no value, a value escaping with .., a relative one, a newline.
refused "no container_dir" MP-PARAM-UNSET
refused "container_dir with .." MP-PARAM-VALUE --set container_dir="$dir/../../../etc"
refused "a relative container_dir" MP-PARAM-VALUE --set container_dir=var/lib/c1
refused "a container_dir with a newline" MP-PARAM-VALUE --set "container_dir=$dir
/etc"
# 9: the host is as it was.
if [ "$host_before" = "$(host_mounts)" ]; then
	ok "the host's mount table is unchanged"
else
	not_ok "the host's mount table is unchanged" \
		"$(diff <(echo "$host_before") <(host_mounts))"
fi
done_testing
