#!/bin/bash
# tests/one_assert.sh: every `check DESC CMD...` in the shell tests runs
# one command, so the assertion fails when that command fails.  A
# `check "d" [ ... ] && grep ...` only asserts its first command (the &&
# and what follows run after check has already said ok); several
# conditions belong inside one `eval '... && ...'`.  The scanner is first
# shown to find that pattern in a sample, then run over tests/*.sh and
# tests/exec/*.sh.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
PY=${PYTHON3:-/usr/bin/python3}
make_work
plan 2

# scan FILE...: print FILE:LINE: for each check whose command list
# goes on after the command (&&, || or ; outside quotes).
scan() {
	"$PY" - "$@" <<'PYEOF'
import re, sys

def unquote(s):
    """s without its quoted parts; and the quote still open, if any."""
    q, out, k = '', '', 0
    while k < len(s):
        c = s[k]
        if q:
            if c == '\\' and q == '"':
                k += 2
                continue
            if c == q:
                q = ''
            k += 1
            continue
        if c == '\\' and k + 1 < len(s):
            out += ' '
            k += 2
            continue
        if c in '"\'':
            q = c
        else:
            out += c
        k += 1
    return out, q

start = re.compile(r'(^|[;&|{(]\s*|\bthen\s+|\belse\s+|\bdo\s+)check\s+["$]')
for path in sys.argv[1:]:
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        if not start.search(lines[i]) or lines[i].lstrip().startswith('#'):
            i += 1
            continue
        stmt, j = lines[i], i
        while True:
            _, q = unquote(stmt)
            if (q or stmt.endswith('\\')) and j + 1 < len(lines):
                j += 1
                stmt = (stmt[:-1] if stmt.endswith('\\') else stmt) + '\n' + lines[j]
            else:
                break
        body = unquote(stmt)[0].split('check', 1)[1].split('#')[0]
        if re.search(r'&&|\|\||;\s*\S', body):
            print('%s:%d: %s' % (path, i + 1, lines[i].strip()))
        i = j + 1
PYEOF
}

cat >"$work/sample.sh" <<'SAMPLE'
check "one line" [ "$rc" = 0 ] && grep -q x out
check "continued" \
	[ -s out ] && grep -q y out
check "fine: one eval" eval '[ -s out ] &&
	grep -q z out'
check "fine: one command" cmp -s a b   # a comment && more
SAMPLE
got=$(scan "$work/sample.sh")
want="$work/sample.sh:1: check \"one line\" [ \"\$rc\" = 0 ] && grep -q x out
$work/sample.sh:2: check \"continued\" \\"
if [ "$got" = "$want" ]; then
	ok "the scanner finds check CMD && CMD (one line and continued), not eval '... && ...'"
else
	not_ok "the scanner finds check CMD && CMD (one line and continued), not eval '... && ...'" \
		"got:" "$got" "want:" "$want"
fi

# (not this file: its sample holds the pattern on purpose)
found=$(cd "$top_srcdir" && scan $(ls tests/*.sh tests/exec/*.sh | grep -v '^tests/one_assert.sh$'))
if [ -z "$found" ]; then
	ok "every check in tests/*.sh and tests/exec/*.sh asserts one command"
else
	not_ok "every check in tests/*.sh and tests/exec/*.sh asserts one command" "$found"
fi
done_testing
