#!/bin/bash
# tests/inputs.sh: every file the compiler reads by a path from the
# command line or a plan (a plan, an included plan, --values, import-oci's
# config.json, export-oci's --base, diff's two plans, verify's plan and
# mountinfo, plan-check's --config) is judged on the descriptor it
# opened without blocking (compiler/util.c, input_file_read): /dev/zero, a
# FIFO without a writer, /proc/kmsg, a directory must neither hang nor
# eat memory, but fail with a clear reason (an include: at the include
# item); a pipe with a writer (<(...)) and standard input still work.
# Every run is bounded by timeout (exit 124 = it hung).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plan 24
make_work
cd "$work" || exit 99

cat >good.yaml <<'PLAN'
mountplan: 2
name: inputs
mounts:
  - {target: /tmp, type: tmpfs}
PLAN
mkfifo fifo
mkdir dir

# run CMD...: CMD (mountplan's arguments) for at most 10 s; exit status
# in $rc, stderr and stdout in $work/out.
run() { timeout 10 "$MOUNTPLAN" "$@" >out 2>&1; rc=$?; }

# refused DESC REASON CMD...: exit 2 (an I/O error) naming REASON.
refused() {
	local desc=$1 reason=$2; shift 2
	run "$@"
	if [ "$rc" = 2 ] && grep -q -- "$reason" out; then
		ok "$desc: refused, exit 2 ($(head -1 out))"
	else
		not_ok "$desc: refused with '$reason', exit 2" "exit $rc" "$(head -c 400 out)"
	fi
}

refused "compile /dev/zero" "/dev/zero: a character device, not a file" compile /dev/zero -o x.mpb
refused "compile /proc/kmsg" "/proc/kmsg: a file of /proc or /sys" compile /proc/kmsg -o x.mpb
refused "compile a directory" "dir: a directory, not a file" compile dir -o x.mpb
refused "dump /dev/zero" "a character device" dump /dev/zero
refused "diff /dev/zero" "a character device" diff /dev/zero good.yaml
refused "import-oci /dev/zero" "a character device" import-oci /dev/zero
refused "export-oci --base /dev/zero" "a character device" export-oci good.yaml --base /dev/zero
refused "--values /dev/zero" "a character device" compile good.yaml --values /dev/zero -o x.mpb
refused "verify's mountinfo /dev/zero (main: 2.3 GB in 10 s, no end)" \
	"/dev/zero: a character device" verify good.yaml /dev/zero
refused "plan-check --config /dev/zero (main: 4.4 GB in 10 s, no end)" \
	"/dev/zero: a character device" check --config /dev/zero good.yaml

# a FIFO nobody writes: read at once (empty), not waited for
run compile fifo -o x.mpb
check "compile a FIFO without a writer: no hang, an empty plan (exit $rc)" \
	eval '[ $rc = 1 ] && grep -q "fifo:1:1: error: the file holds no YAML document" out'
run import-oci fifo
check "import-oci a FIFO without a writer: no hang (exit $rc)" [ "$rc" = 1 ]
run diff fifo good.yaml
check "diff a FIFO without a writer: no hang (exit $rc)" [ "$rc" = 1 -o "$rc" = 2 ]
run verify good.yaml fifo
check "verify's mountinfo a FIFO without a writer: no hang (exit $rc)" \
	eval '[ $rc = 2 ] && grep -q "no mounts in it" out'
run compile good.yaml --values fifo -o x.mpb
check "--values a FIFO without a writer: no hang (exit $rc)" [ "$rc" = 1 -o "$rc" = 2 ]

# what works: a pipe with a writer, standard input, a mountinfo of /proc
run compile <(cat good.yaml) -o x.mpb
check "compile <(cat plan): a pipe with a writer is read to its end (exit $rc)" [ "$rc" = 0 -a -s x.mpb ]
rm -f x.mpb
timeout 10 "$MOUNTPLAN" compile - -o x.mpb <good.yaml >out 2>&1
check "compile - <plan: standard input (exit $?)" [ -s x.mpb ]
run diff <(cat good.yaml) good.yaml
check "diff <(cat plan) plan: equal (exit $rc)" [ "$rc" = 0 ]
run verify good.yaml /proc/self/mountinfo
check "verify reads a mountinfo of /proc (exit $rc: a difference, not an I/O error)" \
	eval '[ $rc = 1 ] && grep -q "^verify: " out'

# include: of what is not a regular file: an error at the include item
for target in /dev/zero /proc/kmsg "$work/fifo" "$work/dir"; do
	cat >inc.yaml <<PLAN
mountplan: 2
name: inc
include:
  - $target
mounts:
  - {target: /tmp, type: tmpfs}
PLAN
	run compile inc.yaml -o x.mpb
	if [ "$rc" = 1 ] && grep -q "^inc.yaml:4:5: error: cannot include '$target': .* \[MP-INCLUDE\]$" out; then
		ok "include: $target: an error at the include item ($(grep -o "cannot include.*" out | cut -c1-100))"
	else
		not_ok "include: $target: an error at the include item" "exit $rc" "$(head -c 400 out)"
	fi
done
# a FIFO swapped in for a regular file is caught on the descriptor too:
# the include of a plan in a directory of its own, where the plan is a
# FIFO by the time it is read (a symlink to one)
ln -s "$work/fifo" link.yaml
sed "s|$work/dir|link.yaml|" inc.yaml >inc2.yaml
run compile inc2.yaml -o x.mpb
check "include: a symlink to a FIFO: an error at the include item (exit $rc)" \
	eval '[ $rc = 1 ] && grep -q "^inc2.yaml:4:5: error: cannot include .link.yaml.: .* \[MP-INCLUDE\]$" out'
done_testing
