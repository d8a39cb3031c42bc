"""tests/conformance/conformance.py: the model of a conformance case and
the helpers the case files use to write their config.json.

A case is one test of a peer's own suite (runc's tests/integration/*.bats,
crun's tests/test_mounts.py and test_devices.py, runtime-tools'
validation/*), re-expressed here: a `setup` shell snippet run on the host
(in the bundle directory, inside the run's private mount namespace, so it
may mount), a `config` function that edits the OCI config of the bundle,
and a `check` shell snippet that the container runs (busybox sh; exit 0:
the assertion holds).  `refuse` cases hold when the runtime refuses to
start the container.  `after` is a host-side check run after the
container exits (same namespace, cwd the bundle).  The runner (run.py)
runs each case under runc, crun or mountplan.  A source "@/x" in a
config is the bundle's x, made absolute by the runner.

bubblewrap takes no config.json: a case of its suite (tests/test-run.sh)
gives `bwrap`, its options (after the rootfs bound on /), and `plan`, the
same as a mountplan plan (YAML; "@/" as in a config); it runs under bwrap
and mountplan only.
"""

import copy

# The default config.json of `runc spec` (runc 1.1), with a process that
# does not need a terminal: the base every case edits.
BASE_CONFIG = {
    "ociVersion": "1.0.2-dev",
    "process": {
        "terminal": False,
        "user": {"uid": 0, "gid": 0},
        "args": ["/bin/true"],
        "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "cwd": "/",
        "capabilities": {k: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                         for k in ("bounding", "effective", "permitted", "ambient")},
        "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
        "noNewPrivileges": True,
    },
    "root": {"path": "rootfs", "readonly": False},
    "hostname": "conformance",
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]},
        {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
         "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
    ],
    "linux": {
        "resources": {"devices": [{"allow": False, "access": "rwm"}]},
        "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
        "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                        "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
        "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                          "/proc/sysrq-trigger"],
    },
}


class Case:
    """One peer test case, re-expressed (see the module comment)."""

    def __init__(self, repo, file, test, check="true", config=None, setup="",
                 after="", refuse=False, host_propagation="private", differs=None,
                 since=None, todo=None, name=None, bwrap=None, plan=None):
        self.repo = repo            # the peer's repository, owner/name
        self.file = file            # the test file in it
        self.test = test            # the test's own name there
        self.check = check          # shell run in the container; 0 = holds
        self.config = config        # function(config) editing the config
        self.setup = setup          # shell run on the host before the run
        self.after = after          # shell run on the host after the run
        self.refuse = refuse        # holds when the runtime refuses to start
        self.host_propagation = host_propagation  # "/" of the run's namespace
        self.differs = differs      # why mountplan deliberately differs
        self.since = since          # the peer versions that have it, when
                                    # the ones on this host predate it
        self.todo = todo            # why mountplan does not pass it yet (TAP TODO)
        self.name = name or test    # unique name when a test gives several cases
        self.bwrap = bwrap          # bubblewrap's options, for a case of its suite
        self.plan = plan            # with bwrap: the plan mountplan runs instead

    def runtimes(self):
        """The runtimes the case is written for."""
        return ("bwrap", "mountplan") if self.bwrap is not None else ("runc", "crun", "mountplan")

    def origin(self):
        """The case's origin as 'repo file: test'."""
        return "%s %s: %s" % (self.repo, self.file, self.test)

    def make_config(self):
        """The case's config.json as a dict."""
        c = copy.deepcopy(BASE_CONFIG)
        if self.config:
            self.config(c)
        return c


def add_mount(c, destination, type=None, source=None, options=None, **extra):
    """Append a mount to config c (None fields are left out)."""
    m = {"destination": destination}
    if type is not None:
        m["type"] = type
    if source is not None:
        m["source"] = source
    if options is not None:
        m["options"] = list(options)
    m.update(extra)
    c["mounts"].append(m)
    return m


def mount_of(c, destination):
    """The config's mount at destination."""
    return next(m for m in c["mounts"] if m["destination"] == destination)


def drop_mounts(c, *destinations):
    """Remove the config's mounts at destinations."""
    c["mounts"] = [m for m in c["mounts"] if m["destination"] not in destinations]


def add_caps(c, *caps):
    """Give the process the capabilities caps (every set)."""
    for k in ("bounding", "effective", "permitted", "ambient"):
        c["process"]["capabilities"][k] += [x for x in caps
                                            if x not in c["process"]["capabilities"][k]]


def add_namespace(c, ns):
    """Add namespace type ns to the config (once)."""
    if {"type": ns} not in c["linux"]["namespaces"]:
        c["linux"]["namespaces"].append({"type": ns})


def drop_namespace(c, ns):
    """Remove namespace type ns from the config."""
    c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != ns]


def mapping(container, host, size):
    """One OCI id mapping list."""
    return [{"containerID": container, "hostID": host, "size": size}]


def userns(c, host, size):
    """A user namespace mapping container 0..size-1 to host..host+size-1."""
    add_namespace(c, "user")
    c["linux"]["uidMappings"] = mapping(0, host, size)
    c["linux"]["gidMappings"] = mapping(0, host, size)


def edit(*fns):
    """One config function doing each of fns in order."""
    def run(c):
        for f in fns:
            f(c)
    return run
