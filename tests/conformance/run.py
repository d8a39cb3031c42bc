#!/usr/bin/env python3
"""tests/conformance/run.py: run the OCI conformance cases under runtimes.

    run.py [--runtime mountplan,runc,crun,bwrap] [--case SUBSTRING] [--tap] [-v]

Each case (cases_*.py) gets a fresh bundle: a busybox rootfs
(tests/mkrootfs.sh, built once and copied), config.json written by the
case, its process `/bin/sh -c CHECK`.  Every run happens in a private
mount namespace of its own (with "/" made rshared first when the case
asks for a shared host), so a case's host-side setup may mount and
nothing is left on the host:

- runc:  `runc run` on the host's cgroups;
- crun:  `crun run` with a pure cgroup2 mounted at /sys/fs/cgroup (crun
  1.8 needs one);
- bwrap (bubblewrap's cases only): `bwrap --bind rootfs /` and the case's
  options;
- mountplan: `mountplan import-oci config.json` (a bubblewrap case: its
  own plan, run with `--rootfs rootfs`), `compile`, then
  `mountplan-exec PLAN.mpb -- /bin/sh -c CHECK` in new net and uts
  namespaces (the config's: the caller's to make; the config's pid and
  ipc namespaces are the plan's, which mountplan-exec makes); then
  `mountplan verify --rootfs` of the plan against the mountinfo of a
  second run: verify must agree with the kernel.

Without --tap it prints a line per case and run.  With --tap (the test
suite, `make conformance`) every case is one TAP test: it holds when the
assertion holds for a peer on this host (runc or crun; the case is shown
to be right) and then for mountplan, or, for a case marked `differs`, when
mountplan gives the documented different answer.  The last lines give, per
peer repository, the cases, how many pass under mountplan, the asserted
differences, and each peer runtime's own result.
"""

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cases_bwrap  # noqa: E402
import cases_crun  # noqa: E402
import cases_runc  # noqa: E402
import cases_runtime_tools  # noqa: E402

CASES = cases_runc.CASES + cases_crun.CASES + cases_runtime_tools.CASES + cases_bwrap.CASES
TOP_SRCDIR = os.environ.get("top_srcdir", os.path.dirname(os.path.dirname(HERE)))
TOP_BUILDDIR = os.path.abspath(os.environ.get("top_builddir", TOP_SRCDIR))
MOUNTPLAN = os.path.abspath(os.environ.get("MOUNTPLAN", os.path.join(TOP_BUILDDIR, "mountplan")))
MOUNTPLAN_EXEC = os.path.abspath(os.environ.get("MOUNTPLAN_EXEC", os.path.join(TOP_BUILDDIR, "mountplan-exec")))
PEERS = ("runc", "crun", "bwrap")
TIMEOUT = 60

# Shell functions every check may use, inside the container (busybox sh).
PRELUDE = r"""
mnt() { awk -v p="$1" '$5 == p { l = $0 } END { if (l == "") exit 1; print l }' /proc/self/mountinfo; }
opts() { mnt "$1" | cut -d' ' -f6; }
has_opt() { opts "$1" | tr , '\n' | grep -qx "$2"; }
fs_opts() { mnt "$1" | sed 's/.* - [^ ]* [^ ]* //'; }
tags() { mnt "$1" | sed 's/ - .*//' | cut -d' ' -f7-; }
count_mounts() { awk -v p="$1" '$5 == p' /proc/self/mountinfo | wc -l; }
fail() { echo "FAIL: $*"; exit 1; }
"""

STARTED = "conformance: the container started"

# The container's mountinfo, for verify; without a /proc in the plan, from
# a proc mounted for the purpose (its own line left out).
MOUNTINFO = ("if [ -r /proc/self/mountinfo ]; then cat /proc/self/mountinfo; else "
             "mkdir -p /tmp/.mi && mount -t proc proc /tmp/.mi && "
             "grep -v \" /tmp/.mi \" /tmp/.mi/self/mountinfo; fi")


def sh(cmd, **kw):
    """Run cmd (a list), output captured as text; the CompletedProcess."""
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", timeout=TIMEOUT, **kw)


def quote(args):
    """args as one shell word each."""
    return " ".join("'" + a.replace("'", "'\\''") + "'" for a in args)


def runtime_command(runtime, state, cid, args, case):
    """The shell command (inside the run's namespace, cwd the bundle) that
    starts the container with process args."""
    quoted = quote(args)
    if runtime == "bwrap":
        return "bwrap --bind rootfs / %s -- %s" % (quote(case.bwrap), quoted)
    if case.plan is not None:
        return ("%s compile plan.yaml -o plan.mpb >import.out 2>&1 && "
                "unshare -f -n -u --kill-child %s --rootfs rootfs plan.mpb -- %s"
                % (MOUNTPLAN, MOUNTPLAN_EXEC, quoted))
    if runtime == "runc":
        return "runc --root %s run --bundle . %s" % (state, cid)
    if runtime == "crun":
        return ("umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup && "
                "crun --cgroup-manager=disabled --root %s run --bundle . %s" % (state, cid))
    return ("{ %s import-oci config.json -o plan.yaml && %s compile plan.yaml -o plan.mpb; } "
            ">import.out 2>&1 && unshare -f -n -u --kill-child %s plan.mpb -- %s"
            % (MOUNTPLAN, MOUNTPLAN, MOUNTPLAN_EXEC, quoted))


def userns_check(config):
    """A check that the process runs in the config's user namespace (its
    uid_map's first range), or "" without one."""
    if {"type": "user"} not in config["linux"]["namespaces"]:
        return ""
    m = config["linux"]["uidMappings"][0]
    want = "%d %d %d" % (m["containerID"], m["hostID"], m["size"])
    return ('[ "$(awk \'NR == 1 {print $1, $2, $3}\' /proc/self/uid_map)" = "%s" ] || '
            'fail "uid_map: $(cat /proc/self/uid_map)"\n' % want)


def run_case(case, runtime, work, template, seq):
    """Run case under runtime in a fresh bundle; (holds, detail lines)."""
    bundle = os.path.join(work, "b%d" % seq)
    os.makedirs(os.path.join(bundle, "src"))
    subprocess.run(["cp", "-a", template, os.path.join(bundle, "rootfs")], check=True)
    config = json.loads(json.dumps(case.make_config()).replace("@/", bundle + "/"))
    check = PRELUDE + "echo '%s'\n" % STARTED + userns_check(config) + case.check
    config["process"]["args"] = ["/bin/sh", "-c", check]
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(config, f, indent="\t")
    if case.bwrap is not None:
        case = copy.copy(case)
        case.bwrap = [a.replace("@/", bundle + "/") for a in case.bwrap]
        with open(os.path.join(bundle, "plan.yaml"), "w") as f:
            f.write(case.plan.replace("@/", bundle + "/"))
    detail = []
    script = ["set -u", "cd %s" % bundle]
    if case.host_propagation == "shared":
        script.append("mount --make-rshared /")
    script.append(case.setup or ":")
    script.append("%s >out 2>&1; echo $? >rc" % runtime_command(
        runtime, os.path.join(work, "state"), "conf%d-%d" % (os.getpid(), seq),
        config["process"]["args"], case))
    if runtime == "mountplan":
        script.append("[ -f plan.mpb ] && unshare -f -n -u --kill-child %s %splan.mpb -- /bin/sh -c "
                      "'%s' >mountinfo 2>mountinfo.err; "
                      "%s verify plan.yaml mountinfo --rootfs rootfs >verify 2>&1; echo $? >verify.rc"
                      % (MOUNTPLAN_EXEC, "--rootfs rootfs " if case.plan is not None else "",
                         MOUNTINFO, MOUNTPLAN))
    script.append("(%s) >after 2>&1; echo $? >after.rc" % (case.after or ":"))
    r = sh(["unshare", "-m", "--propagation", "private", "bash", "-c", "\n".join(script)])

    def read(name):
        try:
            with open(os.path.join(bundle, name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""
    out, rc = read("out"), read("rc").strip()
    if read("import.out").strip():
        detail.append("import-oci/compile: " + read("import.out").strip()[-800:])
    if r.returncode != 0 or not rc:
        detail.append("runner: " + r.stdout.strip())
        return False, detail, False
    started = STARTED in out
    after_ok = read("after.rc").strip() == "0"
    if not after_ok:
        detail.append("host check: " + read("after").strip()[-400:])
    if case.refuse:
        holds = not started and rc != "0" and after_ok
        detail.append("refused (exit %s): %s" % (rc, out.strip()[-400:]) if not started
                      else "started though it must be refused (exit %s)" % rc)
        return holds, detail, after_ok
    holds = rc == "0" and after_ok
    if not holds:
        detail.append("exit %s: %s" % (rc, out.strip()[-600:]))
    if runtime == "mountplan" and started and read("verify.rc").strip() != "0":
        detail.append("verify disagrees with the kernel: " + read("verify").strip()[-800:] +
                      read("mountinfo.err").strip()[-200:])
        holds = False
    return holds, detail, after_ok


def build_template(work):
    """A busybox rootfs to copy for each bundle; its path."""
    t = os.path.join(work, "template")
    r = sh(["bash", os.path.join(TOP_SRCDIR, "tests", "mkrootfs.sh"), t])
    if r.returncode != 0:
        sys.exit("conformance: cannot build the rootfs: " + r.stdout)
    return t


def main():
    ap = argparse.ArgumentParser(description="OCI conformance cases")
    ap.add_argument("--runtime", default="runc,crun,bwrap,mountplan")
    ap.add_argument("--case", default="")
    ap.add_argument("--tap", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    runtimes = [x for x in a.runtime.split(",") if x]
    cases = [c for c in CASES if a.case in c.origin() or a.case in c.name]
    if os.geteuid() != 0:
        print("1..0 # SKIP needs root" if a.tap else "conformance: needs root")
        return 0
    missing = [r for r in runtimes if r in PEERS and not shutil.which(r)]
    if missing:
        print("1..0 # SKIP not installed: %s" % " ".join(missing) if a.tap else
              "conformance: not installed: %s" % " ".join(missing))
        return 0 if a.tap else 2
    work = tempfile.mkdtemp(prefix="conformance.")
    os.chmod(work, 0o755)  # a container user namespace reaches its bundle
    tally = {}
    failed = 0
    try:
        template = build_template(work)
        if a.tap:
            print("1..%d" % len(cases))
        seq = 0
        for n, case in enumerate(cases, 1):
            results = {}
            for rt in runtimes:
                if rt not in case.runtimes():
                    continue
                seq += 1
                results[rt] = run_case(case, rt, work, template, seq)
            repo = case.repo
            t = tally.setdefault(repo, {"cases": 0, "mountplan": 0, "differs": 0,
                                        **{p: 0 for p in PEERS}})
            t["cases"] += 1
            for rt, (holds, _, _) in results.items():
                if holds and rt in t:
                    t[rt] += 1
            if not a.tap:
                for rt, (holds, detail, _) in results.items():
                    print("%s %s [%s] %s" % ("PASS" if holds else "FAIL", rt, case.name, case.origin()))
                    if a.verbose or not holds:
                        for d in detail:
                            print("    " + d.replace("\n", "\n    "))
                continue
            shown = [p for p in PEERS if p in results and results[p][0]]
            mp = results.get("mountplan", (True, [], True))
            if case.since and not shown:
                # The host's peers predate the behaviour: only mountplan runs.
                shown = ["(%s)" % case.since]
            if case.differs:
                # the difference as documented, and the host check
                # (what must not happen to the host) still holds
                good = bool(shown) and not mp[0] and mp[2]
                t["differs"] += 1
                what = "asserted difference: %s" % case.differs
            else:
                good = bool(shown) and mp[0]
                what = "holds"
            summary = ", ".join("%s %s" % (rt, "ok" if h else "fails") for rt, (h, _, _) in results.items())
            line = "%s %d - %s (%s; %s)" % ("ok" if good else "not ok", n, case.origin(), summary, what)
            if case.todo and shown:
                line += " # TODO " + case.todo
            print(line)
            if not good and not (case.todo and shown):
                failed += 1
            if not good:
                if not shown:
                    print("# no peer shows the assertion holding on this host")
                for rt, (holds, detail, _) in results.items():
                    for d in detail:
                        print("# %s: %s" % (rt, d.replace("\n", "\n#   ")))
        for repo, t in tally.items():
            print("# %s: %d cases, mountplan passes %d, asserted differences %d, %s"
                  % (repo, t["cases"], t["mountplan"], t["differs"],
                     ", ".join("%s %d" % (p, t[p]) for p in PEERS)))
    finally:
        subprocess.run(["rm", "-rf", work])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
