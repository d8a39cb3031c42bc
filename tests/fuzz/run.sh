#!/bin/bash
# tests/fuzz/run.sh: build the libFuzzer harnesses of tests/fuzz/ with
# clang (-fsanitize=fuzzer,address,undefined), seed their corpora from
# plans/ and tests/, replay the regression inputs of tests/fuzz/regress/,
# then run each harness for FUZZ_SECONDS; fails on any crash, leak,
# sanitizer report or broken property.  FUZZ_SECONDS=0 fuzzes nothing:
# each harness runs each of its seeds (the regression inputs among them)
# once, as the suite's tests/fuzz_smoke.sh does, and fails a harness
# whose seeds cover fewer edges than its floor in tests/fuzz/cov-floor
# (its inputs stopped at the door).  Prints one line per
# harness, "PASS: fuzz_NAME: ..." or "FAIL: fuzz_NAME ..." and its
# detail; exits 2 when libplan does not build.  Run by `make fuzz`
# (doc/fuzzing.md), which passes: top_srcdir, top_builddir, FUZZ_SOURCES
# (libplan's sources), FUZZ_CPPFLAGS, FUZZ_LIBS.  Optional: FUZZ_SECONDS
# (default 10), FUZZ_TARGETS (default all), FUZZ_CC (default clang),
# FUZZ_JOBS.
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${FUZZ_SOURCES:?}"
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
FUZZ_CC=${FUZZ_CC:-clang}
TARGETS=${FUZZ_TARGETS:-pipeline mpb import_oci mountinfo check diff json fmt include}
src=$top_srcdir/tests/fuzz
out=$top_builddir/tests/fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-g -O1 -fno-omit-frame-pointer $san -DHAVE_CONFIG_H -I$top_builddir $FUZZ_CPPFLAGS"
mkdir -p "$out/obj" "$out/corpus" "$out/seeds" "$out/crashes" || exit 2

# Build: libplan's sources once into libplan-fuzz.a (coverage without
# libFuzzer's main), then one binary per harness; a harness that does not
# link has no binary (and fails alone).
build() {
	local stamp=$out/obj/stamp newer
	newer=$(find "$top_srcdir/compiler" "$top_srcdir/executor" "$src" \
		-name '*.[ch]' -newer "$stamp" 2>/dev/null | head -1)
	if [ ! -e "$stamp" ] || [ -n "$newer" ]; then
		echo "fuzz: compiling libplan with $FUZZ_CC (ASan+UBSan, coverage)"
		rm -f "$out"/obj/*.o "$out/libplan-fuzz.a"
		for f in $FUZZ_SOURCES; do
			case $f in *.c) ;; *) continue ;; esac
			o=$out/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
			c=$top_srcdir/$f
			[ -e "$c" ] || c=$top_builddir/$f # generated (rules_doc.c)
			$FUZZ_CC $cflags -fsanitize=fuzzer-no-link -c "$c" -o "$o" || return 1
		done
		ar rcs "$out/libplan-fuzz.a" "$out"/obj/*.o || return 1
		touch "$stamp"
	fi
	for t in $TARGETS; do
		if [ ! -x "$out/fuzz_$t" ] || [ -n "$(find "$src" "$out/libplan-fuzz.a" \
			-newer "$out/fuzz_$t" -name '*[ch.a]' | head -1)" ]; then
			echo "fuzz: linking fuzz_$t"
			$FUZZ_CC $cflags -fsanitize=fuzzer -I"$src" "$src/fuzz_$t.c" "$src/fuzz.c" \
				"$out/libplan-fuzz.a" $FUZZ_LIBS -o "$out/fuzz_$t" >"$out/$t.link.log" 2>&1 ||
				{ rm -f "$out/fuzz_$t"; cat "$out/$t.link.log"; }
		fi
	done
}

# Seeds, made fresh at each run from the tree (small; nothing committed
# but the regression inputs): plans and test plans, their .mpb files,
# OCI configs, mountinfo tables, plan-check configs, plan pairs.
seed() {
	local mp=$top_builddir/mountplan s=$out/seeds f i=0 prev=
	rm -rf "$s" && mkdir -p "$s"/{pipeline,mpb,import_oci,mountinfo,check,diff,json,fmt,include,plans}
	# plans with what no plan of the tree has: a user namespace, an
	# idmapped bind (and through export-oci, their OCI id mappings)
	printf '%s\n' 'mountplan: 2' 'name: userns' 'rootfs: {path: /var/lib/rootfs}' 'namespaces:' \
		'  pid: true' \
		'  user: {uidmap: "0:100000:65536", gidmap: "0:100000:65536 65536:1000:1"}' \
		'mounts:' '  - {target: /proc, type: proc}' \
		'  - {target: /data, type: bind, source: /srv, options: [idmap], uidmap: "0:1000:1", gidmap: "0:1000:1"}' \
		>"$s/plans/userns.yaml"
	for f in "$top_srcdir"/plans/*.yaml "$top_srcdir"/tests/valid/*.yaml \
		 "$top_srcdir"/tests/invalid/*.yaml "$top_srcdir"/tests/lint/*.yaml "$s"/plans/*.yaml; do
		[ -e "$f" ] || continue
		i=$((i + 1))
		cp "$f" "$s/pipeline/$i.yaml"
		cp "$f" "$s/check/$i.yaml"
		"$mp" compile "$f" -o "$s/mpb/$i.mpb" 2>/dev/null || rm -f "$s/mpb/$i.mpb"
		"$mp" export-oci "$f" -o "$s/import_oci/$i.json" 2>/dev/null ||
			rm -f "$s/import_oci/$i.json"
		if [ -n "$prev" ]; then
			{ cat "$prev"; printf '\n#8<\n'; cat "$f"; } >"$s/diff/$i.yaml"
		else
			cp "$f" "$s/diff/$i.yaml"
		fi
		prev=$f
	done
	# pipeline: plans with parameters, then a values file for them, or
	# the same values as --set lines.
	for f in $(grep -l '^parameters:' "$top_srcdir"/plans/*.yaml "$top_srcdir"/tests/lint/*.yaml); do
		i=$((i + 1))
		names=$(sed -n '/^parameters:/,/^[a-z]/s/^  \([a-z_][a-z_0-9]*\):.*/\1/p' "$f")
		{ cat "$f"; printf '\n#8<\n'; printf '%s: /var/lib/x\n' $names; } >"$s/pipeline/$i-values.yaml"
		{ cat "$f"; printf '\n#8<\n--set\n'; printf '%s=/var/lib/x\n' $names; } >"$s/pipeline/$i-set.yaml"
	done
	# diff: two plans whose only difference is the order of their mounts.
	printf '%s\n' 'mountplan: 1' 'name: o' 'mounts:' '  - {target: /a, type: tmpfs}' \
		'  - {target: /b, type: tmpfs}' '#8<' 'mountplan: 1' 'name: o' 'mounts:' \
		'  - {target: /b, type: tmpfs}' '  - {target: /a, type: tmpfs}' >"$s/diff/order.yaml"
	# plan-check: a plan with inline suppressions, then a config.
	{ cat "$top_srcdir/plans/minimal.yaml"
	  printf '# plan-check: disable=PC-ROOT-WRITABLE the reason\n#8<\n'
	  printf 'severity-threshold: note\ndisable:\n  - PC-TMPFS-NO-SIZE why\n  - {id: PC-WRITABLE-DEV, reason: x}\nenable: [PC-BIND-WRITABLE]\n'
	} >"$s/check/config.yaml"
	if command -v runc >/dev/null; then
		(cd "$s/import_oci" && runc spec && mv config.json runc-spec.json)
	fi
	# json: the OCI configs, and the plans as JSON (indented, compact,
	# every non-ASCII character and one emoji as \u escapes: a surrogate
	# pair), for the JSON reader (compiler/json_read.c) against libyaml.
	cp "$s"/import_oci/*.json "$s/json/" 2>/dev/null
	"${PYTHON3:-python3}" - "$s/json" "$top_srcdir"/plans/*.yaml "$top_srcdir"/tests/valid/*.yaml <<'PY' || true
import json, sys, yaml
out, n = sys.argv[1], 0
for f in sys.argv[2:]:
    try:
        doc = yaml.safe_load(open(f))
    except Exception:
        continue
    if not isinstance(doc, (dict, list)):
        continue
    if isinstance(doc, dict):
        doc.setdefault("description", "caf\u00e9 \U0001F600")
    for k, (indent, sep, ascii_) in enumerate([(2, None, False), (None, (",", ":"), True)]):
        n += 1
        with open("%s/%d-%d.json" % (out, n, k), "w") as o:
            json.dump(doc, o, indent=indent, separators=sep, ensure_ascii=ascii_, default=str)
PY
	# mountinfo: each plan after its own predicted table, as
	# tests/bench/commands.sh writes it (so verify pairs matching mounts
	# and compares them), and the table alone (against the harness's
	# fixed plan); this machine's tables; one with every optional field.
	for f in "$top_srcdir"/plans/*.yaml "$top_srcdir"/tests/valid/*.yaml \
		 "$top_srcdir"/tests/lint/*.yaml; do
		"$mp" table --format=json "$f" >"$s/table.json" 2>/dev/null || continue
		i=$((i + 1))
		"${PYTHON3:-python3}" "$top_srcdir/tests/bench/mountinfo.py" "$s/table.json" \
			"$s/mountinfo/$i-table" || continue
		{ cat "$s/mountinfo/$i-table"; printf '\n#8<\n'; cat "$f"; } >"$s/mountinfo/$i-plan"
	done
	rm -f "$s/table.json"
	cp /proc/self/mountinfo "$s/mountinfo/self"
	cp /proc/1/mountinfo "$s/mountinfo/init" 2>/dev/null
	printf '22 1 0:20 / / ro,relatime shared:1 - tmpfs tmpfs rw\n23 22 0:21 / /proc rw,nosuid,nodev,noexec - proc proc rw\n24 22 0:22 / /tmp rw,nosuid,nodev master:2 - tmpfs tmpfs rw,size=1024k\n25 22 8:1 /srv /data ro,relatime propagate_from:3 - ext4 /dev/sda1 rw\n26 23 0:1 /null /proc/kcore rw - devtmpfs udev rw\n' \
		>"$s/mountinfo/small"
	# include: each include-* plan of tests/invalid/ with every file of
	# tests/invalid/include/ (named as its items name them), a tree that
	# composes (overrides, settings, a parameter of another file, a
	# subdirectory), and items that leave the root (fuzz_include.c).
	for f in "$top_srcdir"/tests/invalid/include-*.yaml; do
		[ -e "$f" ] || continue
		{ cat "$f"
		  for g in "$top_srcdir"/tests/invalid/include/*.yaml; do
			printf '\n#8<\ninclude/%s\n' "${g##*/}"; cat "$g"
		  done
		} >"$s/include/${f##*/}"
	done
	printf '%s\n' 'mountplan: 2' 'name: top' 'include: [base.yaml, sub/params.yaml]' \
		'override: [device-policy]' 'device-policy: bind' 'mounts:' \
		'  - {target: /tmp, type: tmpfs, options: [size=1g], override: true}' \
		'  - {target: /data, type: bind, source: "${data}"}' \
		'masks: [{path: /proc/kcore, override: true}]' '#8<' 'base.yaml' \
		'mountplan: 2' 'name: base' 'device-policy: mknod' 'dev: standard' \
		'mounts: [{target: /tmp, type: tmpfs}, {target: /proc, type: proc}]' \
		'masks: [/proc/kcore]' '#8<' 'sub/params.yaml' 'mountplan: 2' 'name: params' \
		'parameters:' '  data: {type: path, default: /srv/data}' >"$s/include/tree.yaml"
	# every setting a file may change, changed across an include: each
	# refused (MP-INCLUDE-SETTING), then each overridden
	for o in '' 'override: [rootfs.path, rootfs.readonly, rootfs.propagation, rootfs.pivot, process.umask, process.cwd, process.init, dev, device-policy, mount-label, namespaces]'; do
		i=$((i + 1))
		printf '%s\n' 'mountplan: 2' 'name: settings-top' 'include: [base.yaml]' "$o" \
			'rootfs: {path: /srv/top, readonly: false, propagation: private, pivot: pivot_root}' \
			'process: {umask: 0022, cwd: /work, init: false}' 'dev: standard' \
			'device-policy: bind' 'mount-label: "system_u:object_r:other_t:s0"' \
			'namespaces: {ipc: true}' '#8<' 'base.yaml' 'mountplan: 2' 'name: settings-base' \
			'rootfs: {path: /srv/base, readonly: true, propagation: rslave, pivot: chroot}' \
			'process: {umask: 0077, cwd: /srv, init: true}' 'dev: none' 'device-policy: mknod' \
			'mount-label: "system_u:object_r:container_file_t:s0"' 'namespaces: {pid: true}' \
			>"$s/include/settings-$i.yaml"
	done
	for item in ../outside.yaml link.yaml /etc/passwd sub/../../outside.yaml; do
		i=$((i + 1))
		printf 'mountplan: 2\nname: escape\ninclude: [%s]\n' "$item" >"$s/include/escape-$i.yaml"
	done
	# fmt: file names with control bytes, escapes and long ones; numbers
	# as the executor reads them (fmt_decimal), at and past its bound.
	printf 'etc/passwd' >"$s/fmt/name"
	printf 'a\033[31mred\nforged line\x7f\x01' >"$s/fmt/control"
	printf 'back\\x41slash %%s %%q' >"$s/fmt/escape"
	printf '%0300d' 7 >"$s/fmt/long"
	printf '4096 rest' >"$s/fmt/decimal"
	printf '461168601842738790' >"$s/fmt/bound"
	printf '4611686018427387904' >"$s/fmt/past"
	printf '\x80\x00\x00\x00\x00\x00\x00\x00' >"$s/fmt/min"
	printf '\xff\xff\xff\xff\xff\xff\xff\xff' >"$s/fmt/max"
	for t in $TARGETS; do
		mkdir -p "$out/corpus/$t"
		[ -d "$src/regress/$t" ] && cp "$src/regress/$t"/* "$s/$t/" 2>/dev/null
	done
	return 0
}

status=0
build || { echo "fuzz: build failed"; exit 2; }
seed
for t in $TARGETS; do
	if [ ! -x "$out/fuzz_$t" ]; then
		echo "FAIL: fuzz_$t: does not link"; tail -30 "$out/$t.link.log"
		status=1; continue
	fi
	opts=(-close_fd_mask=2 -dict="$src/plan.dict" -max_len=65536 -timeout=25
	      -rss_limit_mb=2048 -artifact_prefix="$out/crashes/$t-" -print_final_stats=1)
	# The regression inputs first, each once.
	if [ -d "$src/regress/$t" ] && [ -n "$(ls "$src/regress/$t")" ]; then
		if ! "$out/fuzz_$t" "${opts[@]}" "$src/regress/$t"/* >"$out/$t.regress.log" 2>&1; then
			echo "FAIL: fuzz_$t: a regression input fails again"; tail -30 "$out/$t.regress.log"
			status=1
		fi
	fi
	if [ "$FUZZ_SECONDS" = 0 ]; then
		# The seeds only (not the corpus grown by earlier runs), each once.
		"$out/fuzz_$t" "${opts[@]}" -runs=0 "$out/seeds/$t" >"$out/$t.log" 2>&1
	else
		"$out/fuzz_$t" "${opts[@]}" -max_total_time="$FUZZ_SECONDS" ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS} \
			"$out/corpus/$t" "$out/seeds/$t" >"$out/$t.log" 2>&1
	fi
	rc=$?
	stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$out/$t.log" | tail -1)
	execs=$(grep -E '^stat::number_of_executed_units' "$out/$t.log" | awk '{print $2}')
	cov=$(echo "$stats" | sed -n 's/.* cov: \([0-9]*\) .*/\1/p')
	floor=$(awk -v t="$t" '$1 == t { print $2 }' "$src/cov-floor")
	if [ "$rc" = 0 ] && [ "$FUZZ_SECONDS" != 0 ]; then
		echo "PASS: fuzz_$t: ${FUZZ_SECONDS}s, ${execs:-?} runs, corpus $(ls "$out/corpus/$t" | wc -l): $stats"
	elif [ "$rc" = 0 ] && [ -z "$floor" ]; then
		echo "FAIL: fuzz_$t: no coverage floor in tests/fuzz/cov-floor (its seeds: cov ${cov:-?})"
		status=1
	elif [ "$rc" = 0 ] && [ "${cov:-0}" -lt "$floor" ]; then
		echo "FAIL: fuzz_$t: its seeds cover ${cov:-?} edges, under the floor $floor of tests/fuzz/cov-floor: do its inputs stop at the door (a refused option or plan)?"
		echo "$stats"
		status=1
	elif [ "$rc" = 0 ]; then
		echo "PASS: fuzz_$t: $(ls "$out/seeds/$t" | wc -l) seeds, ${execs:-?} runs, cov $cov (floor $floor): $stats"
	else
		echo "FAIL: fuzz_$t (exit $rc); inputs in $out/crashes/"
		grep -E 'ERROR|SUMMARY|property failed|runtime error|Test unit written' "$out/$t.log" | head -20
		status=1
	fi
done
exit $status
