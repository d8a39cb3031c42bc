#!/bin/bash
# tests/fuzz/coverage.sh (make fuzz-coverage): how much of each parser the
# libFuzzer harnesses reach.  Builds them as tests/fuzz/run.sh does but
# with clang's source-based coverage instead of the sanitizers
# (-fprofile-instr-generate -fcoverage-mapping), in the scratch directory
# tests/fuzz-cov/ of the build tree; runs each harness once over its seeds
# (run.sh, FUZZ_SECONDS=0) and over the corpora grown by make fuzz
# (tests/fuzz/corpus/HARNESS, or those of the directories in
# FUZZ_COV_CORPUS); prints, for the files that parse untrusted or operator
# input, the lines and functions covered by all the harnesses together,
# then the functions of those files no harness reaches.  Figures, not a
# test (doc/fuzzing.md, "Coverage").  Environment as run.sh's, and
# LLVM_PROFDATA, LLVM_COV (default: llvm-profdata-14, llvm-cov-14 when
# installed, else without the suffix).
set -u
: "${top_srcdir:?}" "${top_builddir:?}" "${FUZZ_SOURCES:?}"
FUZZ_CC=${FUZZ_CC:-clang}
v=$(command -v llvm-cov-14 >/dev/null && echo -14)
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata$v}
LLVM_COV=${LLVM_COV:-llvm-cov$v}
d=$top_builddir/tests/fuzz-cov
files='compiler/load.c compiler/json_read.c compiler/shape.c compiler/params.c
compiler/include.c compiler/suppress.c compiler/oci_import.c compiler/verify.c
compiler/diff.c executor/mpb.c executor/fmt.c'
mkdir -p "$d/compiler" || exit 2
# run.sh's tree: the build's config.h, mountplan (for the seeds) and
# generated source, and a compiler that swaps the sanitizers for coverage
ln -sf "$top_builddir/config.h" "$d/config.h"
ln -sf "$top_builddir/mountplan" "$d/mountplan"
ln -sf "$top_builddir/compiler/rules_doc.c" "$d/compiler/rules_doc.c"
cat >"$d/cc" <<CC
#!/bin/bash
args=()
for a in "\$@"; do
	case \$a in -fsanitize=address,undefined|-fno-sanitize-recover=all) ;; *) args+=("\$a") ;; esac
done
exec $FUZZ_CC -fprofile-instr-generate -fcoverage-mapping "\${args[@]}"
CC
chmod +x "$d/cc"
rm -rf "$d/prof" && mkdir -p "$d/prof"
export LLVM_PROFILE_FILE=$d/prof/%m.profraw
env top_builddir="$d" FUZZ_SECONDS=0 FUZZ_CC="$d/cc" bash "$top_srcdir/tests/fuzz/run.sh" >"$d/run.log" 2>&1
grep -E '^(PASS|FAIL)' "$d/run.log" | sed 's/ lim:.*//'
for t in $(cd "$top_srcdir/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//'); do
	[ -x "$d/tests/fuzz/fuzz_$t" ] || continue
	dirs=()
	for c in ${FUZZ_COV_CORPUS:-$top_builddir/tests/fuzz/corpus}; do
		[ -n "$(ls "$c/$t" 2>/dev/null)" ] && dirs+=("$c/$t")
	done
	[ ${#dirs[@]} -gt 0 ] || continue
	"$d/tests/fuzz/fuzz_$t" -close_fd_mask=2 -runs=0 -timeout=25 -rss_limit_mb=2048 \
		"${dirs[@]}" >"$d/$t.corpus.log" 2>&1
	echo "corpus: fuzz_$t: $(grep -E 'DONE' "$d/$t.corpus.log" | sed 's/ lim:.*//')"
done
"$LLVM_PROFDATA" merge -o "$d/all.profdata" "$d"/prof/*.profraw || exit 2
bins=()
for b in "$d"/tests/fuzz/fuzz_*; do
	[ -x "$b" ] && bins+=(${bins:+-object} "$b")
done
paths=$(for f in $files; do echo "$top_srcdir/$f"; done)
echo "lines and functions covered by all harnesses:"
"$LLVM_COV" report "${bins[@]}" -instr-profile "$d/all.profdata" $paths 2>/dev/null |
	awk 'NF >= 13 && $1 != "Filename" && $1 != "TOTAL" {
		n = split($1, p, "/"); printf "  %-22s lines %5d/%5d %7s   functions %3d/%3d %7s\n",
		p[n - 1] "/" p[n], $8 - $9, $8, $10, $5 - $6, $5, $7 }'
echo "functions no harness reaches:"
for f in $paths; do
	"$LLVM_COV" report "${bins[@]}" -instr-profile "$d/all.profdata" -show-functions "$f" 2>/dev/null |
		awk -v f="${f#"$top_srcdir"/}" '$7 == "0.00%" { sub(/^.*:/, "", $1); printf "  %s: %s (%d lines)\n", f, $1, $5 }'
done
