#!/bin/bash
# tests/bench/commands.sh (make bench): every command that reads a plan,
# on generated plans of 20,000 and 200,000 entries (genplan.py): compile,
# table, check, diff (the plan against itself) and verify (against a
# mountinfo written from the plan's own predicted table, so every mount
# is compared).  Each sample is one run's CPU time (user + sys: steadier
# than wall time on a shared machine; cputime.py reads it to the
# microsecond); the samples are interleaved (every
# command at both sizes, then again) and the best of BENCH_REPEAT (3) is
# kept; the spread (worst/best) is printed too.  Prints per command
# t(20k), t(200k), t(200k)/t(20k) (linear: 10; goal <= 11) and
# t(200k)/compile's t(200k) (goal <= 1.5).  Figures, not a pass/fail test.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
REPEAT=${BENCH_REPEAT:-3}
make_work
sizes="20000 200000"
for n in $sizes; do
	"$PY" "$top_srcdir/tests/bench/genplan.py" $n >"$work/p$n.yaml"
	"$MOUNTPLAN" table --format=json "$work/p$n.yaml" >"$work/t$n.json"
	# the predicted table as a mountinfo (conditional mounts included)
	"$PY" - "$work/t$n.json" "$work/m$n.info" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
ids = {}
with open(sys.argv[2], "w") as out:
    for i, r in enumerate(rows):
        ids[r["target"]] = 100 + i
        parent = 99
        t = r["target"]
        while t != "/":
            t = t.rsplit("/", 1)[0] or "/"
            if t in ids:
                parent = ids[t]
                break
        opts = ",".join(o for o in r["options"] if o in ("ro", "rw", "nosuid", "nodev", "noexec", "relatime", "noatime", "strictatime", "nodiratime")) or "rw"
        if not opts.startswith("r"):
            opts = "rw," + opts
        prop = {"shared": "shared:1", "slave": "master:1"}.get(r["propagation"], "")
        fields = "%d %d 0:%d / %s %s%s - %s %s rw\n" % (
            100 + i, parent, 50 + i, r["target"].replace(" ", "\\040"), opts,
            " " + prop if prop else "", r["type"] or "ext4", r["source"] or "none")
        out.write(fields.replace("  ", " "))
EOF
done

# cmd_args CMD N: the arguments of command CMD at size N.
cmd_args() {
	local p="$work/p$2.yaml"
	case $1 in
	compile) echo "compile $p -o $work/out.mpb" ;;
	table) echo "table $p" ;;
	check) echo "check $p" ;;
	diff) echo "diff $p $p" ;;
	verify) echo "verify $p $work/m$2.info" ;;
	esac
}

cmds="compile table check diff verify"
declare -A best worst
for rep in $(seq "$REPEAT"); do
	for c in $cmds; do
		for n in $sizes; do
			# shellcheck disable=SC2046
			t=$("$PY" "$top_srcdir/tests/bench/cputime.py" "$MOUNTPLAN" $(cmd_args $c $n) || true)
			k=$c.$n
			if [ -z "${best[$k]:-}" ] || awk "BEGIN{exit !($t < ${best[$k]})}"; then best[$k]=$t; fi
			if [ -z "${worst[$k]:-}" ] || awk "BEGIN{exit !($t > ${worst[$k]})}"; then worst[$k]=$t; fi
		done
	done
done
echo "== CPU seconds (user+sys), best of $REPEAT interleaved; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %9s %9s %8s %10s %14s\n' command t20k t200k ratio vs_compile spread_200k
for c in $cmds; do
	a=${best[$c.20000]} b=${best[$c.200000]} w=${worst[$c.200000]}
	awk -v c=$c -v a="$a" -v b="$b" -v k="${best[compile.200000]}" -v w="$w" 'BEGIN{
		aa = a < 0.005 ? 0.005 : a
		printf "%-8s %9.4f %9.4f %8.2f %10.2f %13.2fx\n", c, a, b, b / aa, b / k, w / (b > 0 ? b : 1) }'
done
echo "goal: ratio <= 11 (compile's too), vs_compile <= 1.5 at 200k"
