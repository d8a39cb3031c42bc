#!/bin/bash
# tests/cli.sh: `mountplan compile`, `dump` and `table` from the command
# line: help, version, usage errors (exit 2), compile and dump of a .yaml
# and of its .mpb giving the same ops, byte-for-byte determinism, and a
# failed compile leaving an existing output untouched with no temporary
# files left behind; include: positions in dump and table; --set and
# --values usage errors.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
plan 40
make_work
cd "$work" || exit 99

cat >good.yaml <<'PLAN'
mountplan: 1
name: cli-test
rootfs:
  readonly: true
dev: standard
mounts:
  - target: /proc
    type: proc
    options: [nosuid, noexec, nodev]
  - target: /data/cache
    type: tmpfs
    options: [tmpcopyup, size=1m]
  - target: /data
    type: bind
    source: /srv/data
    options: [rbind, rro, rnosuid]
readonly:
  - path: /proc
    writable: [/proc/1/attr]
masks:
  - /proc/kcore
PLAN
sed 's/nosuid, noexec/nosiud, noexec/' good.yaml >bad.yaml

# status CMD...: run CMD, print its exit status (output discarded).
status() { "$@" >/dev/null 2>&1; echo $?; }

"$MOUNTPLAN" --help >help.out 2>&1
rc=$?
check "--help exits 0 and lists compile and dump" \
	eval '[ $rc = 0 ] && grep -q compile help.out && grep -q dump help.out'
check "--version exits 0 and names the formats" \
	eval '"$MOUNTPLAN" --version | grep -q "mountplan .*format 1"'
check "no command: exit 2" [ "$(status "$MOUNTPLAN")" = 2 ]
check "unknown command: exit 2" [ "$(status "$MOUNTPLAN" frobnicate)" = 2 ]
check "compile without a plan: exit 2" [ "$(status "$MOUNTPLAN" compile)" = 2 ]
check "compile with an unknown option: exit 2" \
	[ "$(status "$MOUNTPLAN" compile --bogus good.yaml)" = 2 ]
check "compile with two plans: exit 2" \
	[ "$(status "$MOUNTPLAN" compile good.yaml good.yaml)" = 2 ]
check "compile --format=xml: exit 2" \
	[ "$(status "$MOUNTPLAN" compile --format=xml good.yaml)" = 2 ]
check "dump without a plan: exit 2" [ "$(status "$MOUNTPLAN" dump)" = 2 ]
check "compile of a missing file: exit 2" \
	[ "$(status "$MOUNTPLAN" compile nosuch.yaml -o x.mpb)" = 2 ]
check "compile --help exits 0" eval '"$MOUNTPLAN" compile --help | grep -q Usage'

"$MOUNTPLAN" compile good.yaml 2>compile.err
rc=$?
check "compile writes PLAN.mpb beside the plan (exit 0, no diagnostics)" \
	eval '[ $rc = 0 ] && [ -s good.mpb ] && [ ! -s compile.err ]'
"$MOUNTPLAN" dump good.yaml >yaml.dump 2>&1
"$MOUNTPLAN" dump good.mpb >mpb.dump 2>&1
if [ -s yaml.dump ] && cmp -s yaml.dump mpb.dump; then
	ok "dump of the .yaml and of its .mpb are the same"
else
	not_ok "dump of the .yaml and of its .mpb are the same" "$(diff yaml.dump mpb.dump | head)"
fi
check "dump: a header line and one line per op with its position" \
	eval 'head -1 mpb.dump | grep -q "^plan \"cli-test\", .mpb version 1, [0-9]* ops$" &&
	      [ $(($(wc -l <mpb.dump) - 1)) = "$(head -1 mpb.dump | sed "s/.* \([0-9]*\) ops/\1/")" ] &&
	      grep -q "^   0  ROOTFS .*propagation=rslave  good.yaml:" mpb.dump &&
	      grep -q "MOUNT .*target=\"/proc\" .*attr_set=nosuid,nodev,noexec .*good.yaml:7:5$" mpb.dump'

"$MOUNTPLAN" dump - <good.mpb >stdin-mpb.dump 2>&1
check "dump - reads a .mpb from standard input" cmp -s stdin-mpb.dump mpb.dump
"$MOUNTPLAN" dump - <good.yaml >stdin-yaml.dump 2>&1
check "dump - compiles a .yaml from standard input (same ops)" \
	eval 'diff <(sed "s/  [^ ]*:[0-9]*:[0-9]*$//" stdin-yaml.dump) <(sed "s/  [^ ]*:[0-9]*:[0-9]*$//" mpb.dump) >/dev/null'

"$MOUNTPLAN" compile good.yaml -o again.mpb
check "same plan, same bytes" cmp -s good.mpb again.mpb
"$MOUNTPLAN" compile good.yaml -o - >stdout.mpb
check "-o - writes the same bytes to standard output" cmp -s good.mpb stdout.mpb

cp good.mpb before.mpb
"$MOUNTPLAN" compile bad.yaml -o good.mpb 2>bad.err
rc=$?
check "a failed compile exits 1" [ "$rc" = 1 ]
check "a failed compile leaves the existing output untouched" cmp -s good.mpb before.mpb
check "the error names file, line, column and ID, with a caret" \
	eval 'grep -q "^bad.yaml:9:15: error: .*nosiud.*\[MP-OPTION\]$" bad.err && grep -q "^ *| *\^$" bad.err'
check "no output and no temporary file for a failed compile" \
	eval '[ ! -e bad.mpb ] && [ -z "$(ls -A | grep "^\.")" ]'

"$MOUNTPLAN" compile --format=json bad.yaml -o x.mpb 2>bad.json
check "--format=json: a JSON array with the ID and position" \
	"$PYTHON3" -c 'import json,sys; d=json.load(open("bad.json")); sys.exit(not any(x["id"]=="MP-OPTION" and x["line"]==9 and x["column"]==15 for x in d))'

valid_failed=
for v in "$top_srcdir"/tests/valid/*.yaml; do
	[ -e "$v" ] || continue
	"$MOUNTPLAN" compile "$v" -o valid.mpb 2>valid.err &&
		"$MOUNTPLAN" dump valid.mpb >/dev/null 2>>valid.err ||
		valid_failed="$valid_failed $(basename "$v")"
done
check "every plan of tests/valid compiles and its .mpb dumps" \
	eval '[ -z "$valid_failed" ] || { echo "# failed:$valid_failed"; cat valid.err; false; }'

# -o a FIFO or a device (-o /dev/null): written into, never replaced by a
# regular file (a rename over /dev/null as root breaks the host).
mkfifo out.fifo
timeout 20 cat out.fifo >from.fifo &
reader=$!
"$MOUNTPLAN" compile good.yaml -o out.fifo 2>fifo.err
rc=$?
wait "$reader"
check "-o a FIFO: the .mpb goes through it and the FIFO stays a FIFO" \
	eval '[ $rc = 0 ] && [ -p out.fifo ] && cmp -s from.fifo good.mpb'
mkdir out.dir
"$MOUNTPLAN" compile good.yaml -o out.dir 2>dir.err
rc=$?
check "-o a directory: exit 2, the directory untouched" \
	eval '[ $rc = 2 ] && [ -d out.dir ] && [ -z "$(ls -A out.dir)" ]'

printf 'MPB\0\r\n\032\n garbage' >corrupt.mpb
"$MOUNTPLAN" dump corrupt.mpb >/dev/null 2>corrupt.err
rc=$?
check "dump of a corrupt .mpb exits 1 with the decoder's reason" \
	eval '[ $rc = 1 ] && grep -q "MP-MPB" corrupt.err'

# include: dump and table name the file each entry came from; a bad
# --set or --values argument is a usage error (exit 2)
mkdir inc
cat >inc/base.yaml <<'PLAN'
mountplan: 2
name: base
parameters: {dir: {type: path}}
mounts:
  - {target: /proc, type: proc}
  - {target: /tmp, type: tmpfs, options: [size=1m]}
PLAN
cat >app.yaml <<'PLAN'
mountplan: 2
name: app
include: [inc/base.yaml]
mounts:
  - {target: /tmp, type: tmpfs, options: [size=2m], override: true}
  - {target: /srv, type: bind, source: "${dir}/srv", options: [rbind]}
PLAN
"$MOUNTPLAN" dump app.yaml --set dir=/var/c1 >inc.dump 2>inc.err
check "dump: an included entry names its file, the override the including one" \
	eval 'grep -q "target=\"/proc\".*inc/base.yaml:5:6$" inc.dump &&
	      grep -q "target=\"/tmp\".*data=\"size=2m\".*  app.yaml:5:6$" inc.dump &&
	      grep -q "source=\"/var/c1/srv\".*app.yaml:6:6$" inc.dump'
"$MOUNTPLAN" table app.yaml --set dir=/var/c1 >inc.table 2>>inc.err
check "table: a FROM column with each mount's file:line:col" \
	eval 'grep -q "^MOUNT POINT .*PROPAGATION  FROM$" inc.table &&
	      grep -q "^/proc .* inc/base.yaml:5:6$" inc.table && grep -q "^/tmp .* app.yaml:5:6$" inc.table'
"$MOUNTPLAN" table --format=json app.yaml --set dir=/var/c1 >inc.json 2>>inc.err
check "table --format=json: \"from\" per mount" grep -q '"target": "/proc".*"from": "inc/base.yaml:5:6"' inc.json
"$MOUNTPLAN" compile app.yaml --set nodir -o x.mpb 2>set.err
rc=$?
check "--set without = : exit 2, nothing written" eval '[ $rc = 2 ] && [ ! -e x.mpb ] && grep -q "needs NAME=VALUE" set.err'
printf -- '- a\n' >bad-values.yaml
"$MOUNTPLAN" compile app.yaml --values bad-values.yaml -o x.mpb 2>set.err
rc=$?
check "--values FILE that is not a mapping: exit 2 at its position, nothing written" \
	eval '[ $rc = 2 ] && [ ! -e x.mpb ] && grep -q "^bad-values.yaml:1:1: error: .*\[MP-TYPE\]" set.err'

# The common mistakes of tests/invalid/help-hints.yaml (and the habits
# from other tools of help-hints-more.yaml) each get a help: with the fix
# in the error message.  says_all PLAN PATTERN...: compiling
# tests/invalid/PLAN fails without output and its diagnostics hold every
# PATTERN (grep).
says_all() {
	local plan=$1 pattern; shift
	"$MOUNTPLAN" compile "$top_srcdir/tests/invalid/$plan" -o help.mpb >help.out 2>&1
	for pattern; do grep -q "$pattern" help.out || return 1; done
	[ ! -e help.mpb ]
}
check "common mistakes: each error says how to fix it (help:)" says_all help-hints.yaml \
	"4:6: error: dev takes a word, not a boolean; help: dev: standard" \
	"6:49: error: unknown key .nodev. in a mount; help: this is an option after an unquoted comma" \
	"7:41: error: unknown option .nosuid nodev. for tmpfs; help: options are separated by commas, not spaces" \
	"8:44: error: unknown key .ro. in a mount; help: read-only is an option: options: \[ro\]" \
	"9:44: error: unknown key .read_only. in a mount; help: read-only is an option" \
	"10:5: error: a mount must be a mapping, not ./srv/data:/data:ro.; help: Docker.s SRC:DST\[:ro\] is" \
	"12:16: error: unknown key .source. in a symlink; help: a symlink is {path: THE-LINK, target: WHAT-IT-POINTS-TO}"

check "more habits from other tools: each error says how to fix it" says_all help-hints-more.yaml \
	"5:54: error: unknown option .readonly. for bind; help: read-only is ro" \
	"6:40: error: .options. must be .*not a mapping; help: a filesystem parameter is one word KEY=VALUE" \
	"7:38: error: bind source .~/data. is relative .*~ is not expanded" \
	"8:31: error: unknown key .tmpfs-size. in a mount; help: a tmpfs size is an option: options: \[size=64m\]" \
	"9:54: error: unknown option .Z. for bind; help: docker.s :z/:Z relabels" \
	"10:24: error: filesystem type .rbind. does not exist; help: a recursive bind is type: bind with the option rbind" \
	"11:24: error: filesystem type .Tmpfs. is not .* (did you mean .tmpfs.?)"

# masks: standard and readonly: standard are docker's lists: docker-default
# with its two lists replaced by the words compiles to the same ops.
sed '/^masks:$/,$d' "$top_srcdir/plans/docker-default.yaml" >std.yaml
printf 'masks: standard\nreadonly: standard\n' >>std.yaml
"$MOUNTPLAN" diff "$top_srcdir/plans/docker-default.yaml" std.yaml --set container_dir=/c >std.diff 2>&1
rc=$?
check "masks/readonly: standard give docker-default's ops (diff: equal, exit 0)" \
	eval '[ $rc = 0 ] && [ ! -s std.diff ] && ! grep -q "^/proc" std.yaml'
# A mount beneath a readonly: path is made read-only by it: compile says
# so (the plan-check rule's warning, position and help:), still writes
# the plan and exits 0; an inline suppression silences it, at compile as
# in plan-check.
cat >under-ro.yaml <<'PLAN'
mountplan: 1
name: under-ro
mounts:
  - {target: /srv/cache, type: tmpfs, options: [nosuid, nodev, noexec, size=1m]}
  - {target: /srv/ro, type: tmpfs, options: [ro, nosuid, nodev, noexec, size=1m]}
  # plan-check: disable=PC-MOUNT-UNDER-READONLY read-only scratch on purpose
  - {target: /srv/quiet, type: tmpfs, options: [nosuid, nodev, noexec, size=1m]}
readonly: [/srv]
PLAN
"$MOUNTPLAN" compile under-ro.yaml -o under-ro.mpb 2>under-ro.err
rc=$?
check "compile warns of a mount beneath a readonly: path, with help: writable:, exit 0, output written" \
	eval '[ $rc = 0 ] && [ -s under-ro.mpb ] && [ "$(grep -c "warning:" under-ro.err)" = 1 ] &&
	grep -q "^under-ro.yaml:4:6: warning: tmpfs on /srv/cache is beneath the read-only path /srv (at 8:12), which makes it read-only too; help: .*{path: /srv, writable: \[/srv/cache\]}.* \[PC-MOUNT-UNDER-READONLY\]$" under-ro.err'
"$MOUNTPLAN" check under-ro.yaml >under-ro.check 2>&1
check "plan-check reports the same finding once, the same way" \
	eval '[ "$(grep -c "warning: tmpfs on /srv" under-ro.check)" = 1 ] &&
	[ "$(grep "PC-MOUNT-UNDER-READONLY" under-ro.check | head -1)" = "$(grep "PC-MOUNT-UNDER-READONLY" under-ro.err)" ]'
# A readonly: path of exactly a bind's target folds into the bind (its
# own read-only attribute, no READONLY op): dump of the .yaml names the
# read-only path and its position under the bind's op, the .mpb's dump
# has the same op lines; the plan and one with the bind's own ro option
# are the same ops (diff: equal) and predict the same table.
cat >fold.yaml <<'PLAN'
mountplan: 1
name: fold
mounts:
  - {target: /hostetc, type: bind, source: /etc}
  - {target: /vol, type: bind, source: /srv, options: [rbind]}
readonly:
  - /hostetc
  - /vol
  - {path: /hostetc/x, writable: [/hostetc/x/w]}
masks: [/hostetc/shadow]
PLAN
sed -e 's|source: /etc}|source: /etc, options: [ro]}|' -e 's|\[rbind\]|[rbind, rro]|' \
	-e '/^  - \/hostetc$/d' -e '/^  - \/vol$/d' fold.yaml >fold-ro.yaml
"$MOUNTPLAN" dump fold.yaml >fold.dump 2>&1
"$MOUNTPLAN" compile fold.yaml -o fold.mpb && "$MOUNTPLAN" dump fold.mpb >fold-mpb.dump 2>&1
check "dump: a read-only path folded into its bind: no READONLY of it, the bind read-only (the rbind recursively), each fold named with its position" \
	eval 'grep -q "^   1  BIND .*target=\"/hostetc\" .*attr_set=ro flags=mkdir  fold.yaml:4:6$" fold.dump &&
	      grep -q "^   2  BIND .*target=\"/vol\" .*attr_set=ro flags=mkdir,recursive,attr-recursive  fold.yaml:5:6$" fold.dump &&
	      [ "$(grep -c "^      folded in: readonly" fold.dump)" = 2 ] &&
	      grep -A1 "target=\"/hostetc\" source" fold.dump | grep -q "^      folded in: readonly \"/hostetc\"  fold.yaml:7:5$" &&
	      grep -A1 "target=\"/vol\" source" fold.dump | grep -q "^      folded in: readonly \"/vol\"  fold.yaml:8:5$" &&
	      ! grep -q "READONLY .*target=\"/hostetc\" \|READONLY .*target=\"/vol\" " fold.dump &&
	      grep -q "READONLY .*target=\"/hostetc/x\"" fold.dump'
check "dump of the .mpb: the same op lines, no fold line (a .mpb keeps the bind's position only)" \
	eval '[ -s fold-mpb.dump ] && diff <(grep -v "^      folded in:" fold.dump) fold-mpb.dump >/dev/null &&
	      ! grep -q "folded in" fold-mpb.dump'
"$MOUNTPLAN" diff fold.yaml fold-ro.yaml >fold.diff 2>&1
rc=$?
"$MOUNTPLAN" table fold.yaml >fold.table 2>&1
"$MOUNTPLAN" table fold-ro.yaml >fold-ro.table 2>&1
check "a bind with readonly: of its target and the bind with ro: the same ops (diff: equal) and table" \
	eval '[ $rc = 0 ] && [ ! -s fold.diff ] && [ -s fold.table ] &&
	      diff <(sed "s/fold[-a-z]*\.yaml:[0-9:]*//g" fold.table) <(sed "s/fold[-a-z]*\.yaml:[0-9:]*//g" fold-ro.table) >/dev/null'
done_testing
