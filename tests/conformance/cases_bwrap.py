"""tests/conformance/cases_bwrap.py: the mount, device, symlink, tmpfs
and overlay cases of bubblewrap's own suite, containers/bubblewrap
tests/test-run.sh, re-expressed (conformance.py says what a case is).
bwrap takes command-line options, not a config.json: each case gives
them (after the rootfs bound on /) and the plan that says the same for
mountplan; both get /proc and the standard /dev, which the checks use."""

from conformance import Case

B = "containers/bubblewrap"
F = "tests/test-run.sh"
BASE = ["--proc", "/proc", "--dev", "/dev"]


def plan(body=""):
    """A plan with /proc and the standard /dev, and body's YAML after."""
    return ("mountplan: 2\nname: bwrap-case\ndev: standard\nmounts:\n"
            "  - {target: /proc, type: proc}\n" + body)


def case(test, bwrap, plan_body, **kw):
    """A case of test-run.sh: bwrap's options after BASE, the plan's body."""
    return Case(B, F, test, bwrap=BASE + bwrap, plan=plan(plan_body), **kw)


OVERLAY_SETUP = ("mkdir -p src/lower1 src/lower2 src/upper src/work && printf 1 >src/lower1/a && "
                 "printf 2 >src/lower1/b && printf 3 >src/lower2/b && printf 4 >src/upper/a")
ESCAPED = 'lower ":,\\'  # bwrap's "--overlay path escaping" directory name

CASES = [
    # mountplan refuses a mount at a symlink the plan itself makes (two
    # entries for one path, MP-DUP-TARGET): the plan names the directory
    case("can bind a destination over a symlink", ["--dir", "/tmp/dir", "--symlink", "dir", "/tmp/link",
                                                   "--bind", "@/src/etc", "/tmp/link"],
         "  - {target: /tmp/link, type: bind, source: \"@/src/etc\"}\n"
         "symlinks:\n  - {path: /tmp/link, target: dir}\n",
         setup="mkdir -p src/etc && echo hosts >src/etc/hosts",
         check='[ "$(cat /tmp/dir/hosts)" = hosts ] || fail "$(ls -la /tmp/dir /tmp/link)"',
         differs="mountplan refuses a mount at a symlink the plan makes (MP-DUP-TARGET)"),
    case("--symlink works", ["--symlink", "/dev/null", "/tmp/symlink"],
         "symlinks:\n  - {path: /tmp/symlink, target: /dev/null}\n",
         check='[ "$(readlink /tmp/symlink)" = /dev/null ] || fail "$(readlink /tmp/symlink)"'),
    case("--symlink is idempotent", ["--symlink", "/dev/null", "/tmp/symlink"],
         "symlinks:\n  - {path: /tmp/symlink, target: /dev/null}\n", since="bubblewrap 0.10.0 (913f92b)",
         setup="ln -s /dev/null rootfs/tmp/symlink",
         check='[ "$(readlink /tmp/symlink)" = /dev/null ] || fail "$(readlink /tmp/symlink)"'),
    case("--symlink doesn't overwrite a conflicting symlink", ["--symlink", "/dev/full", "/tmp/symlink"],
         "symlinks:\n  - {path: /tmp/symlink, target: /dev/full}\n", refuse=True,
         setup="ln -s /dev/null rootfs/tmp/symlink",
         after='[ "$(readlink rootfs/tmp/symlink)" = /dev/null ]'),
    # bwrap adds /dev/core -> /proc/kcore always (this host has no
    # /proc/kcore; runc adds it only where the host has one)
    case("all expected devices were created", [], "",
         check="for d in stdin stdout stderr null random urandom fd core; do "
               "[ -e /dev/$d ] || [ -L /dev/$d ] || fail no /dev/$d; done",
         differs="dev: standard has no /dev/core (a link to the /proc/kcore every shipped plan masks)"),
    # mount points made for binds, seen under a bind of / without its
    # submounts: bwrap makes a file's 0444, mountplan-exec 0644 (runc
    # 1.1.5 here: 0755); directories 0755 in all three
    case("Files and directories created as mount points have expected permissions",
         ["--bind", "@/src/some-dir", "/new-dir-mountpoint", "--bind", "@/src/some-file", "/new-file-mountpoint"],
         "  - {target: /new-dir-mountpoint, type: bind, source: \"@/src/some-dir\"}\n"
         "  - {target: /new-file-mountpoint, type: bind, source: \"@/src/some-file\"}\n",
         setup="mkdir -p src/some-dir && touch src/some-file",
         check='mkdir -p /tmp/under && mount --bind / /tmp/under || fail cannot bind /; '
               'm=$(stat -c %a /tmp/under/new-dir-mountpoint):$(stat -c %a /tmp/under/new-file-mountpoint); '
               '[ "$m" = 755:444 ] || fail "modes $m"',
         differs="mountplan-exec makes a file mount point 0644"),
    case("tmpfs has expected size", ["--size", "1048576", "--tmpfs", "/tmp/t"],
         "  - {target: /tmp/t, type: tmpfs, options: [size=1m]}\n",
         check='[ "$(df -k /tmp/t | awk \'NR == 2 { print $2 }\')" = 1024 ] || fail "$(df -k /tmp/t)"'),
    case("tmpfs has expected size", ["--perms", "01777", "--size", "1048576", "--tmpfs", "/tmp/t"],
         "  - {target: /tmp/t, type: tmpfs, options: [size=1m, mode=1777]}\n",
         name="tmpfs has expected size (--perms 01777)",
         check='[ "$(stat -c %a /tmp/t)" = 1777 ] && [ "$(df -k /tmp/t | awk \'NR == 2 { print $2 }\')" = 1024 ] '
               '|| fail "$(stat -c %a /tmp/t) $(df -k /tmp/t)"'),
    # overlay: the last --overlay-src is the top lower layer (lowerdir
    # lists the top first); writes land in the upper directory
    case("--overlay", ["--overlay-src", "@/src/lower1", "--overlay-src", "@/src/lower2",
                       "--overlay", "@/src/upper", "@/src/work", "/tmp/x/y/z"],
         "  - {target: /tmp/x/y/z, type: overlay, options: [\"lowerdir=@/src/lower2:@/src/lower1\", "
         "\"upperdir=@/src/upper\", \"workdir=@/src/work\"]}\n",
         setup=OVERLAY_SETUP, since="bubblewrap 0.11.0 (--overlay, f371022)",
         check='[ "$(cat /tmp/x/y/z/a)$(cat /tmp/x/y/z/b)" = 43 ] || fail "$(cat /tmp/x/y/z/a /tmp/x/y/z/b)"; '
               'printf 5 >/tmp/x/y/z/b && [ "$(cat /tmp/x/y/z/b)" = 5 ]',
         after='[ "$(cat src/upper/b)" = 5 ] && [ "$(cat src/lower2/b)" = 3 ]'),
    case("--ro-overlay", ["--overlay-src", "@/src/lower1", "--overlay-src", "@/src/lower2", "--ro-overlay", "/tmp/x/y/z"],
         "  - {target: /tmp/x/y/z, type: overlay, options: [\"lowerdir=@/src/lower2:@/src/lower1\"]}\n",
         setup=OVERLAY_SETUP, since="bubblewrap 0.11.0 (--overlay, f371022)",
         check='[ "$(cat /tmp/x/y/z/a)$(cat /tmp/x/y/z/b)" = 13 ] || fail "$(cat /tmp/x/y/z/a /tmp/x/y/z/b)"; '
               '! (printf 4 >/tmp/x/y/z/b) 2>/dev/null && [ "$(cat /tmp/x/y/z/b)" = 3 ]'),
    # a layer whose name holds '"', ':', ',' and '\': bwrap escapes it for
    # overlayfs; a plan cannot write a comma in a layer path (options split
    # at commas; a double quote only around an SELinux context) and the
    # compile is refused at the option
    case("--overlay path escaping", ["--overlay-src", "@/src/" + ESCAPED, "--overlay", "@/src/upper",
                                     "@/src/work", "/tmp/x"],
         "  - {target: /tmp/x, type: overlay, options: ['lowerdir=@/src/lower \":\\\\,\\\\', "
         "\"upperdir=@/src/upper\", \"workdir=@/src/work\"]}\n",
         setup="mkdir -p src/upper src/work 'src/%s' && printf 1 >'src/%s/a'" % (ESCAPED, ESCAPED),
         check='[ "$(cat /tmp/x/a)" = 1 ] || fail "$(ls /tmp/x)"', since="bubblewrap 0.11.0 (--overlay, f371022)",
         differs="a layer path with a comma cannot be written in a plan (refused at compile)"),
]
