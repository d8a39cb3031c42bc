/*
 * rules.c: plan-check's rules (doc/rules.md), one function each, over the
 * plan the compiler checked and ordered.  Each reports at the entry's
 * source position (an option's, or a top-level key's, where that is the
 * thing at fault).
 *
 * The rules that relate entries by path look their neighbours up in
 * sorted indexes (binary search over each path's ancestors), so a run is
 * O(n log n * depth) like the compiler's own validate pass.
 */
#include <stdlib.h>
#include <string.h>
#include "hostnode.h"
#include "mp_ops.h"
#include "options.h"
#include "paths.h"
#include "rules.h"
#include "simulate.h"
#include "util.h"

struct rule_ctx {
	const struct plan *plan;
	struct path_index mounts;   /* PLAN_MOUNT */
	struct path_index masks;    /* PLAN_MASK */
	struct path_index readonly; /* PLAN_READONLY */
	struct path_index nodes;    /* mounts, devices, symlinks: what puts a file there */
	uint8_t *writable;          /* per plan entry: 0 not yet known, else
				       1 + mount_writable's answer (a dozen
				       rules ask it of every mount) */
	struct mount_facts *facts;  /* per position in mounts (mount_facts) */
	uint8_t *kinds;             /* per plan entry: its kind, | ENTRY_DEAD
				       when not live: the walks over every
				       entry for one kind read these */
};

/* What the rules' walks over every mount test first, one per position
 * in ctx->mounts, packed: 16 bytes where an entry is 600, so that a walk
 * reads an array the caches hold (3.2 MB for 200,000 mounts) and the
 * entry only of a mount these leave a candidate.  Walking the entries
 * themselves (120 MB at 200,000), each of the two dozen walks went to
 * memory for every mount, which grew the rules' time 20x from 20,000
 * mounts to 200,000.  Each walk's test stays as it was: the facts only
 * skip mounts that test would refuse. */
struct mount_facts {
	const char *source; /* a bind's (FACT_BIND), else NULL */
	uint32_t attr_set;  /* the entry's */
	uint32_t is;        /* FACT_* */
};

enum {
	FACT_BIND = 1u << 0,      /* a bind with a source */
	FACT_PSEUDO = 1u << 1,    /* is_pseudo_fs */
	FACT_SHARED = 1u << 2,    /* propagation shared */
	FACT_RO_TOP = 1u << 3,    /* an rbind that is ro at its top only */
	FACT_KERNEL_FS = 1u << 4, /* a new mount of a kernel_fs type */
	FACT_TMPFS = 1u << 5,     /* a new mount of one of fact_types */
	FACT_RAMFS = 1u << 6,
	FACT_SYSFS = 1u << 7,
	FACT_CGROUP = 1u << 8,    /* cgroup or cgroup2 */
	FACT_PROC = 1u << 9,
	FACT_DEVPTS = 1u << 10,
	FACT_HOST = 1u << 11,     /* a bind whose source is not an absolute
				     path of a top directory that none of
				     the host paths the rules name has
				     (host_tops): only these can match one */
	FACT_CRED_NAME = 1u << 12, /* a bind whose source has a component
				      that may be a credential_dirs name */
};

/* In ctx->kinds: the entry is not live (an error found, or no target). */
#define ENTRY_DEAD 0x80

/* Is the mount of facts f a bind whose host source is dir or beneath
 * it? */
static bool facts_bind_from(const struct mount_facts *f, const char *dir)
{
	return f->source && path_at_or_beneath(f->source, dir);
}

/* Report a finding of rule at pos. */
#define finding(sink, rule, pos, ...) \
	diag_report((sink), (rule)->severity, (pos), (rule)->id, __VA_ARGS__)

/* ---- paths and indexes ------------------------------------------------ */

/* Is an entry one a rule should look at (the compiler found no error)? */
static bool live(const struct plan_entry *e)
{
	return !e->bad && e->target.text;
}

/* ---- facts about entries ------------------------------------------------ */

static bool in_list(const char *s, const char *const *list);
static uint32_t fs_fact(const char *fstype);

/* Type of a mount as written ("" when absent). */
static const char *mount_type(const struct plan_entry *e)
{
	return e->type.text ? e->type.text : "";
}

/* Is e a mount of fstype (not a bind)?  (The first bytes compared
 * inline: the rules ask it of every mount for a dozen types.) */
static bool is_fs(const struct plan_entry *e, const char *fstype)
{
	const char *type = mount_type(e);

	return e->kind == PLAN_MOUNT && !e->is_bind && type[0] == fstype[0] &&
	       strcmp(type, fstype) == 0;
}

/* Does the comma-separated list data hold key, alone or as key=...? */
static bool data_has(const char *data, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = data; p && *p;) {
		size_t w = options_word_len(p, NULL);

		if (w >= n && strncmp(p, key, n) == 0 && (w == n || p[n] == '='))
			return true;
		p += w + (p[w] == ',');
	}
	return false;
}

/* Is path read-only through a readonly entry at or above it (and not in
 * one of its writable holes)? */
static bool readonly_covers(const struct rule_ctx *ctx, const char *path)
{
	const struct plan_entry *r = path_index_cover(&ctx->readonly, path, true);

	if (!r)
		return false;
	for (size_t k = 0; k < r->n_holes; k++)
		if (r->cold->node->holes[k].path.text && path_at_or_beneath(path, r->cold->node->holes[k].path.text))
			return false;
	return true;
}

/* Does a mask hide path (at it or above it)? */
static bool masked(const struct rule_ctx *ctx, const char *path)
{
	return path_index_cover(&ctx->masks, path, true) != NULL;
}

/* Will the container be able to write to mount e (an entry of the
 * plan)?  Worked out once per entry. */
static bool mount_writable(const struct rule_ctx *ctx, const struct plan_entry *e)
{
	uint8_t *known = &ctx->writable[e - ctx->plan->entries];

	if (!*known)
		*known = 1 + (!(e->attr_set & MP_ATTR_RDONLY) &&
			      !readonly_covers(ctx, e->target.text));
	return *known == 2;
}

/* Filesystems in which the container cannot create files of its own
 * choosing (no setuid binaries, no device nodes). */
static bool is_pseudo_fs(const struct plan_entry *e)
{
	static const char *const pseudo[] = {
		"proc", "sysfs", "cgroup", "cgroup2", "mqueue", "devpts",
		"securityfs", "debugfs", "tracefs", "bpf", "configfs",
		"fusectl", "pstore", "nfsd", "rpc_pipefs", NULL
	};

	if (e->is_bind)
		return false;
	return in_list(mount_type(e), pseudo);
}

/* Call fn for each option word of mount e (an option value may hold
 * several, comma-separated) with the position of its value. */
static void each_option(const struct rule_ctx *ctx, const struct rule *rule,
			struct diag_sink *sink, const struct plan_entry *e,
			void (*fn)(const struct rule_ctx *, const struct rule *,
				   struct diag_sink *, const struct plan_entry *,
				   const char *, struct plan_pos))
{
	for (size_t i = 0; i < e->cold->n_options; i++) {
		const char *p = e->cold->options[i].text;

		while (p && *p) { /* as next_word, in a buffer on the stack */
			size_t w = options_word_len(p, NULL);
			char small[64], *word = w < sizeof small ? small : xmalloc(w + 1);

			memcpy(word, p, w);
			word[w] = 0;
			fn(ctx, rule, sink, e, word, e->cold->options[i].pos);
			if (word != small)
				free(word);
			p += w + (p[w] == ',');
		}
	}
}

/* Is s one of the NULL-terminated list?  (The first byte compared
 * inline.) */
static bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (s[0] == list[i][0] && strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Append ", item" (or "item" first) to the list being built in *acc. */
static void list_add(char **acc, const char *item)
{
	char *s = xasprintf("%s%s%s", *acc ? *acc : "", *acc ? ", " : "", item);

	free(*acc);
	*acc = s;
}

/* ---- host paths --------------------------------------------------------- */

struct host_path;
static const struct host_path *host_match(const char *source,
					  const struct host_path *list);
static bool judged_elsewhere(const char *source);

enum host_match {
	MATCH_EXACT = 1,    /* the path itself */
	MATCH_BENEATH = 2,  /* anything beneath it */
	MATCH_ANCESTOR = 4, /* a directory holding it (not "/") */
};

struct host_path {
	const char *path;
	unsigned match;   /* enum host_match bits */
	const char *what; /* what a bind of it hands over */
};

/* Container runtimes' control sockets and state: a bind is root on the host. */
static const struct host_path runtime_paths[] = {
	{ "/var/run/docker.sock", 7, "the Docker API (root on the host)" },
	{ "/run/docker.sock", 7, "the Docker API (root on the host)" },
	{ "/run/containerd", 7, "containerd's API socket (root on the host)" },
	{ "/var/run/containerd", 7, "containerd's API socket (root on the host)" },
	{ "/run/crio", 7, "CRI-O's API socket (root on the host)" },
	{ "/var/run/crio", 7, "CRI-O's API socket (root on the host)" },
	{ "/run/podman", 7, "the Podman API socket (root on the host)" },
	{ "/var/lib/docker", 7, "every container's filesystem and Docker's state" },
	{ "/var/lib/containerd", 7, "every container's filesystem and containerd's state" },
	{ "/var/lib/kubelet/pki", 3, "the kubelet's client certificate and key (the node's credentials to the API server)" },
	{ "/var/lib/kubelet", 7, "every pod's volumes and service-account tokens" },
	{ "/run/k3s", 7, "k3s's containerd socket (root on the host)" },
	{ "/run/buildkit", 7, "BuildKit's API socket (root on the host)" },
	{ "/var/run/buildkit", 7, "BuildKit's API socket (root on the host)" },
	{ "/run/cri-dockerd.sock", 7, "cri-dockerd's API socket (root on the host)" },
	{ "/var/run/cri-dockerd.sock", 7, "cri-dockerd's API socket (root on the host)" },
	{ "/run/libvirt", 7, "libvirt's API socket (virtual machines with host disks: root on the host)" },
	{ "/var/run/libvirt", 7, "libvirt's API socket (virtual machines with host disks: root on the host)" },
	{ "/run/snapd.socket", 7, "snapd's API socket (installs privileged snaps: root on the host)" },
	{ "/etc/cni", 3, "the CNI configuration (plugins the runtime runs as root for every pod)" },
	{ "/opt/cni", 3, "the CNI plugins (run as root on the host for every pod)" },
	{ "/etc/containerd", 3, "containerd's configuration (the runtimes it starts as root)" },
	{ NULL, 0, NULL }
};

/* A container runtime's API socket by its name, anywhere beneath /run,
 * /var/run or /tmp (a rootless daemon's is /run/user/UID/docker.sock);
 * elsewhere the name alone says little. */
static const char *const runtime_socket_names[] = {
	"docker.sock", "containerd.sock", "crio.sock", "podman.sock", "buildkitd.sock",
	"cri-dockerd.sock", NULL
};
static const char *const runtime_socket_dirs[] = { "/run", "/var/run", "/tmp", NULL };

/* Host system trees: a bind hands over configuration, kernel interfaces,
 * devices or users' secrets. */
static const struct host_path system_paths[] = {
	{ "/etc", 5, "the host's configuration (passwd, shadow, sudoers, cron)" },
	{ "/etc/shadow", 3, "the host's password hashes" },
	{ "/etc/gshadow", 3, "the host's group password hashes" },
	{ "/etc/sudoers", 3, "the host's sudo policy" },
	{ "/etc/sudoers.d", 3, "the host's sudo policy" },
	{ "/etc/ssh", 3, "the host's SSH keys and configuration" },
	{ "/proc", 7, "the host's processes and kernel settings (/proc/1/root is the host's root)" },
	{ "/sys", 7, "the host's kernel and device settings (uevent_helper, firmware)" },
	{ "/dev", 7, "the host's devices (disks, memory)" },
	{ "/root", 7, "root's home on the host (SSH keys, shell profile)" },
	{ "/home", 5, "every user's home on the host" },
	{ "/boot", 7, "the host's kernel and boot loader" },
	{ "/lib/modules", 3, "the host's kernel modules" },
	{ "/run/systemd", 7, "systemd's private socket (control of the host's services)" },
	{ "/run/dbus", 7, "the system D-Bus (control of the host's services)" },
	{ "/var/run/dbus", 7, "the system D-Bus (control of the host's services)" },
	{ NULL, 0, NULL }
};

/* Host paths holding credentials: a bind of one, or of anything beneath
 * it, hands over keys and tokens (cluster-wide for the Kubernetes ones);
 * a bind of a directory above one (/etc) is PC-BIND-HOST-SYSTEM's. */
static const struct host_path credential_paths[] = {
	{ "/etc/kubernetes", 3, "the cluster's kubeconfigs and PKI (cluster admin)" },
	{ "/var/lib/etcd", 3, "etcd's data: every Secret of the cluster" },
	{ "/etc/rancher", 3, "k3s/RKE2 kubeconfigs and tokens (cluster admin)" },
	{ "/var/lib/rancher", 3, "k3s/RKE2 state and server tokens" },
	{ "/var/run/secrets", 3, "service-account tokens and mounted secrets" },
	{ "/run/secrets", 3, "service-account tokens and mounted secrets" },
	{ "/etc/ssl/private", 3, "the host's TLS private keys" },
	{ "/etc/pki", 3, "the host's certificates and private keys" },
	{ "/var/lib/cloud", 3, "cloud-init's instance data (user data, often secrets)" },
	{ "/etc/docker", 3, "Docker's daemon configuration and TLS keys" },
	{ NULL, 0, NULL }
};

/* Directory names that hold credentials wherever they are (a home
 * directory's): a bind of one, or of anything beneath one. */
static const struct {
	const char *name;
	const char *what;
} credential_dirs[] = {
	{ ".ssh", "SSH private keys" },
	{ ".kube", "a kubeconfig" },
	{ ".aws", "AWS credentials" },
	{ ".azure", "Azure credentials" },
	{ "gcloud", "Google Cloud credentials" },
	{ ".docker", "registry credentials (config.json)" },
	{ ".gnupg", "GnuPG private keys" },
	{ ".netrc", "saved passwords" },
	{ ".git-credentials", "saved Git passwords" },
};

/* Host logs: a writable bind lets the container plant symlinks the
 * host's log readers follow as root (the kubelet's /var/log escape). */
static const struct host_path log_paths[] = {
	{ "/var/log", 7, "the host's logs" },
	{ "/run/log", 7, "the host's journal" },
	{ NULL, 0, NULL }
};

/* Can source have a component that is one of credential_dirs?  Every
 * name starts with '.' or 'g': a source with no component that does
 * holds none of them. */
static bool credential_name_possible(const char *source)
{
	for (const char *c = strchr(source, '/'); c; c = strchr(c + 1, '/'))
		if (c[1] == '.' || c[1] == 'g')
			return true;
	return false;
}

/* What a credential bind of source hands over, or NULL. */
static const char *credential_match(const char *source)
{
	const struct host_path *h = host_match(source, credential_paths);

	if (h)
		return h->what;
	if (!credential_name_possible(source))
		return NULL;
	for (size_t k = 0; k < sizeof credential_dirs / sizeof credential_dirs[0]; k++) {
		const char *n = credential_dirs[k].name;
		size_t len = strlen(n);

		for (const char *p = strstr(source, n); p; p = strstr(p + 1, n))
			if (p > source && p[-1] == '/' && (p[len] == '/' || !p[len]))
				return credential_dirs[k].what;
	}
	return NULL;
}

/* Host device nodes a container may have bound (runc does in a user
 * namespace): harmless. */
static const char *const harmless_dev[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty", NULL
};

/* Host device nodes whose binds the device rules judge (PC-DEVICE-KVM,
 * PC-DEVICE-MEMORY), as they judge the same nodes made with mknod. */
static const char *const judged_dev[] = {
	"/dev/kvm", "/dev/mem", "/dev/kmem", "/dev/port", NULL
};

/* Do absolute paths a and b start with the same component ("/var/run"
 * and "/var": yes)?  Two paths one of which is at or beneath the other
 * do (unless one is "/"). */
static bool same_top(const char *a, const char *b)
{
	size_t i = 1;

	while (a[i] && a[i] != '/' && a[i] == b[i])
		i++;
	return (!a[i] || a[i] == '/') && (!b[i] || b[i] == '/');
}

/* The entry of list that source matches, or NULL. */
static const struct host_path *host_match(const char *source,
					  const struct host_path *list)
{
	for (const struct host_path *h = list; h->path; h++) {
		/* nothing of another top directory matches (the list's
		 * paths and a bind's source are absolute, "/" matches
		 * nothing): one compare of its first bytes rules it out */
		if (source[0] == '/' && !same_top(source, h->path))
			continue;
		if ((h->match & MATCH_EXACT) && strcmp(source, h->path) == 0)
			return h;
		if ((h->match & MATCH_BENEATH) && path_beneath(source, h->path))
			return h;
		if ((h->match & MATCH_ANCESTOR) && strcmp(source, "/") != 0 &&
		    path_beneath(h->path, source))
			return h;
	}
	return NULL;
}

/* ---- the rules ---------------------------------------------------------- */

/* PC-BIND-HOST-ROOT: a bind of the host's "/". */
static void rule_bind_host_root(const struct rule_ctx *ctx, const struct rule *rule,
				struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;

		if (!(ctx->facts[i].is & FACT_BIND))
			continue;
		if (strcmp(src, "/") == 0)
			finding(sink, rule, e->cold->pos,
				"bind of the host's / on %s hands the container the whole host filesystem",
				e->target.text);
	}
}

/* PC-BIND-RUNTIME-SOCKET and PC-BIND-HOST-SYSTEM: binds of a host path
 * in list, but not of one in except (NULL: none; with except, not of a
 * credential path, a kernel filesystem's or a host interface's either:
 * their rules' own), a harmless_dev or a judged_dev (the device rules'). */
static void host_binds(const struct rule_ctx *ctx, const struct rule *rule,
		       struct diag_sink *sink, const struct host_path *list,
		       const struct host_path *except)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;
		const struct host_path *h;

		if (!(ctx->facts[i].is & FACT_HOST)) /* h would be NULL */
			continue;
		if ((same_top(src, "/dev") && /* where both lists are */
		     (in_list(src, harmless_dev) || in_list(src, judged_dev))) ||
		    (except && host_match(src, except)) ||
		    (except && credential_match(src)) ||
		    (except && judged_elsewhere(src)))
			continue;
		h = host_match(src, list);
		if (h)
			finding(sink, rule, e->cold->pos, "bind of host path %s on %s exposes %s",
				src, e->target.text, h->what);
	}
}

/* PC-BIND-RUNTIME-SOCKET: the runtimes' paths, and their sockets by
 * name anywhere else. */
static void rule_bind_runtime(const struct rule_ctx *ctx, const struct rule *rule,
			      struct diag_sink *sink)
{
	host_binds(ctx, rule, sink, runtime_paths, NULL);
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;
		const char *base;
		bool beneath = false;

		if (!(ctx->facts[i].is & FACT_HOST))
			continue;
		for (size_t k = 0; runtime_socket_dirs[k]; k++)
			beneath = beneath || path_beneath(src, runtime_socket_dirs[k]);
		if (host_match(src, runtime_paths) || !beneath)
			continue;
		base = strrchr(src, '/') + 1;
		for (size_t k = 0; runtime_socket_names[k]; k++)
			if (strcmp(base, runtime_socket_names[k]) == 0)
				finding(sink, rule, e->cold->pos,
					"bind of host path %s on %s exposes a container runtime's API socket (root on the host)",
					src, e->target.text);
	}
}

/* PC-BIND-HOST-SYSTEM (a runtime path is PC-BIND-RUNTIME-SOCKET's). */
static void rule_bind_host_system(const struct rule_ctx *ctx, const struct rule *rule,
				  struct diag_sink *sink)
{
	host_binds(ctx, rule, sink, system_paths, runtime_paths);
}

/* PC-BIND-INSIDE-ROOTFS: a bind source within the plan's own rootfs. */
static void rule_bind_inside_rootfs(const struct rule_ctx *ctx, const struct rule *rule,
				    struct diag_sink *sink)
{
	const char *root = ctx->plan->rootfs_path.text;

	for (size_t i = 0; root && i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;

		if (!(ctx->facts[i].is & FACT_BIND))
			continue;
		if (strcmp(root, "/") != 0 &&
		    path_at_or_beneath(src, root))
			finding(sink, rule, e->cold->pos,
				"bind source %s is inside the rootfs %s, which the container can change under it",
				src, root);
	}
}

/* PC-BIND-WRITABLE (opt-in): a host path bound writable. */
static void rule_bind_writable(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;

		if (!(ctx->facts[i].is & FACT_BIND) || (ctx->facts[i].attr_set & MP_ATTR_RDONLY))
			continue;
		if (mount_writable(ctx, e) &&
		    !in_list(src, harmless_dev))
			finding(sink, rule, e->cold->pos, "host path %s is bound writable on %s",
				src, e->target.text);
	}
}

/* PC-BIND-HOST-CREDENTIALS: a bind of a host path holding credentials
 * (a runtime's is PC-BIND-RUNTIME-SOCKET's). */
static void rule_bind_credentials(const struct rule_ctx *ctx, const struct rule *rule,
				  struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;
		const char *what;

		if (!(ctx->facts[i].is & (FACT_HOST | FACT_CRED_NAME)))
			continue;
		if (!host_match(src, runtime_paths) &&
		    (what = credential_match(src)))
			finding(sink, rule, e->cold->pos, "bind of host path %s on %s exposes %s",
				src, e->target.text, what);
	}
}

/* PC-BIND-HOST-LOG: a bind of the host's logs. */
static void rule_bind_host_log(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;
		const struct host_path *h;

		if (!(ctx->facts[i].is & FACT_HOST))
			continue;
		if (!(h = host_match(src, log_paths)))
			continue;
		if (mount_writable(ctx, e))
			finding(sink, rule, e->cold->pos,
				"bind of host path %s on %s exposes %s, writable: the container can plant symlinks that the host's log readers (the kubelet, log shippers) follow as root",
				src, e->target.text, h->what);
		else
			finding(sink, rule, e->cold->pos,
				"bind of host path %s on %s exposes %s (other workloads' output, tokens in logs)",
				src, e->target.text, h->what);
	}
}

/* The protective attributes (ro, nosuid, nodev, noexec) of bits, as
 * recursive option words ("rro, rnosuid"). */
static char *recursive_words(uint32_t bits)
{
	static const struct {
		uint32_t bit;
		const char *word;
	} words[] = { { MP_ATTR_RDONLY, "rro" }, { MP_ATTR_NOSUID, "rnosuid" },
		      { MP_ATTR_NODEV, "rnodev" }, { MP_ATTR_NOEXEC, "rnoexec" } };
	char *acc = NULL;

	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
		if (bits & words[k].bit)
			list_add(&acc, words[k].word);
	return acc;
}

/* PC-BIND-RO-NOT-RECURSIVE: an rbind whose ro reaches its top mount
 * only (the fix names every protective option given top-level only). */
static void rule_bind_ro_not_recursive(const struct rule_ctx *ctx, const struct rule *rule,
				       struct diag_sink *sink)
{
	const uint32_t protect = MP_ATTR_RDONLY | MP_ATTR_NOSUID | MP_ATTR_NODEV | MP_ATTR_NOEXEC;

	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		uint32_t top_only;
		char *fix;

		if (!(ctx->facts[i].is & FACT_RO_TOP)) /* an rbind, ro at its top only */
			continue;
		top_only = e->attr_set & ~e->rattr_set & protect;
		fix = recursive_words(top_only);
		finding(sink, rule, e->cold->pos,
			"rbind of %s on %s is ro at its top mount only: the host's mounts beneath %s stay writable%s (use %s)",
			e->source.text, e->target.text, e->source.text,
			top_only & ~MP_ATTR_RDONLY ? ", and without the other options" : "", fix);
		free(fix);
	}
}

/* Kernel pseudo filesystems with a large attack surface, and where the
 * host has each (a bind of that path hands over the same; NULL: the
 * host's /dev, which PC-BIND-HOST-SYSTEM judges). */
static const struct {
	const char *type, *host, *what;
} kernel_fs[] = {
	{ "debugfs", "/sys/kernel/debug", "kernel internals (memory layout, driver state, writable knobs)" },
	{ "tracefs", "/sys/kernel/tracing", "the kernel tracer (kprobes read kernel memory)" },
	{ "securityfs", "/sys/kernel/security", "the LSM policy interfaces (AppArmor, IMA)" },
	{ "bpf", "/sys/fs/bpf", "pinned BPF programs and maps" },
	{ "configfs", "/sys/kernel/config", "kernel object configuration (USB gadgets, iSCSI and NVMe targets)" },
	{ "efivarfs", "/sys/firmware/efi/efivars", "UEFI variables (a bad write can brick the machine)" },
	{ "pstore", "/sys/fs/pstore", "persistent kernel crash logs" },
	{ "fusectl", "/sys/fs/fuse/connections", "FUSE connection control" },
	{ "selinuxfs", "/sys/fs/selinux", "the SELinux policy" },
	{ "binfmt_misc", "/proc/sys/fs/binfmt_misc", "binfmt_misc (an interpreter registered there runs for host programs)" },
	{ "devtmpfs", NULL, "every host device node (disks, /dev/mem, /dev/kmsg: the host itself unless nodev)" },
	{ "nfsd", "/proc/fs/nfsd", "the kernel NFS server's control files (exports, threads)" },
	{ "rpc_pipefs", "/run/rpc_pipefs", "the kernel's RPC upcall pipes (NFS idmapping, Kerberos)" },
};

/* The kernel_fs entry the mount is (a mount of that type, or a bind of
 * its host directory, such as /sys/kernel/debug), or -1. */
static int kernel_fs_of(const struct mount_facts *f, const struct plan_entry *e)
{
	if (!(f->is & (FACT_KERNEL_FS | FACT_HOST)))
		return -1;
	for (size_t k = 0; k < sizeof kernel_fs / sizeof kernel_fs[0]; k++)
		if (((f->is & FACT_KERNEL_FS) && is_fs(e, kernel_fs[k].type)) ||
		    (kernel_fs[k].host && facts_bind_from(f, kernel_fs[k].host)))
			return (int)k;
	return -1;
}

/* PC-KERNEL-FS (read-only) and PC-KERNEL-FS-WRITABLE: a kernel pseudo
 * filesystem mounted, or its host directory bound. */
static void kernel_fs_mounts(const struct rule_ctx *ctx, const struct rule *rule,
			     struct diag_sink *sink, bool writable)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		int k = kernel_fs_of(&ctx->facts[i], e);

		if (k >= 0 && mount_writable(ctx, e) == writable)
			finding(sink, rule, e->cold->pos, "%s on %s%s exposes %s%s", kernel_fs[k].type,
				e->target.text, e->is_bind ? " (a bind of the host's)" : "",
				kernel_fs[k].what, writable ? ", writable" : "");
	}
}

/* PC-KERNEL-FS. */
static void rule_kernel_fs(const struct rule_ctx *ctx, const struct rule *rule,
			   struct diag_sink *sink)
{
	kernel_fs_mounts(ctx, rule, sink, false);
}

/* PC-KERNEL-FS-WRITABLE. */
static void rule_kernel_fs_writable(const struct rule_ctx *ctx, const struct rule *rule,
				    struct diag_sink *sink)
{
	kernel_fs_mounts(ctx, rule, sink, true);
}

/* PC-TMPFS-EXEC: a writable tmpfs (or ramfs) that every user shares
 * (world-writable mode, or /tmp, /dev/shm, /var/tmp) without noexec. */
static void rule_tmpfs_exec(const struct rule_ctx *ctx, const struct rule *rule,
			    struct diag_sink *sink)
{
	static const char *const shared[] = { "/tmp", "/dev/shm", "/var/tmp", "/run/shm",
					      "/run/lock", NULL };

	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *mode;
		bool world;

		/* a tmpfs or ramfs, without noexec, not ro */
		if (!(ctx->facts[i].is & (FACT_TMPFS | FACT_RAMFS)) ||
		    (ctx->facts[i].attr_set & (MP_ATTR_NOEXEC | MP_ATTR_RDONLY)))
			continue;
		mode = e->fs_data ? strstr(e->fs_data, "mode=") : NULL;
		world = mode && (mode == e->fs_data || mode[-1] == ',') &&
			(strtoul(mode + 5, NULL, 8) & 02);
		if (mount_writable(ctx, e) && (world || in_list(e->target.text, shared)))
			finding(sink, rule, e->cold->pos,
				"%s on %s is writable by every user and allows exec: a place to drop and run a payload (add noexec)",
				mount_type(e), e->target.text);
	}
}

/* Does link contents lead into another process's root, cwd, executable,
 * files, memory, environment or namespaces: /proc/PID/root ... or
 * /proc/PID/task/TID/root ... (PID digits: not self), absolute, or
 * relative through ../ only (which reaches / from anywhere)? */
static bool into_process_root(const char *contents)
{
	static const char *const tails[] = { "root", "cwd", "exe", "fd", "map_files", "mem",
					     "environ", "ns", NULL };

	const char *p = contents, *q;
	size_t n;

	for (;;) { /* "/", "./" and "../" lead to / from any directory */
		if (*p == '/')
			p++;
		else if (strncmp(p, "./", 2) == 0)
			p += 2;
		else if (strncmp(p, "../", 3) == 0)
			p += 3;
		else
			break;
	}
	if (strncmp(p, "proc/", 5) != 0)
		return false;
	q = p + 5;
	n = strspn(q, "0123456789");
	if (!n || q[n] != '/')
		return false;
	if (strncmp(q + n + 1, "task/", 5) == 0) { /* proc/PID/task/TID/... */
		size_t t = strspn(q + n + 6, "0123456789");

		if (!t || q[n + 6 + t] != '/')
			return false;
		q += n + 6;
		n = t;
	}
	for (size_t k = 0; tails[k]; k++) {
		size_t len = strlen(tails[k]);
		if (strncmp(q + n + 1, tails[k], len) == 0 &&
		    (q[n + 1 + len] == '/' || !q[n + 1 + len]))
			return true;
	}
	return false;
}

/* PC-SYMLINK-PROC-ROOT: a link into another process's root. */
static void rule_symlink_proc_root(const struct rule_ctx *ctx, const struct rule *rule,
				   struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->plan->n_entries; i++) {
		const struct plan_entry *e = &ctx->plan->entries[i];

		if (ctx->kinds[i] == PLAN_SYMLINK && e->cold->node->link.text &&
		    into_process_root(e->cold->node->link.text))
			finding(sink, rule, e->cold->pos,
				"symlink %s points to %s: into another process's root, files, memory or namespaces (with a shared PID namespace, PID 1's are the host's)",
				e->target.text, e->cold->node->link.text);
	}
}

/* PC-SYSFS-WRITABLE: sysfs (or a bind of the host's /sys) writable; a
 * bind of a kernel filesystem under /sys (debugfs, bpf ...) is not sysfs:
 * PC-KERNEL-FS-WRITABLE names it. */
static void rule_sysfs_writable(const struct rule_ctx *ctx, const struct rule *rule,
				struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct mount_facts *f = &ctx->facts[i];
		const struct plan_entry *e = ctx->mounts.v[i];

		if (!(ctx->facts[i].is & (FACT_SYSFS | FACT_BIND)) ||
		    (ctx->facts[i].attr_set & MP_ATTR_RDONLY))
			continue;
		if (((f->is & FACT_SYSFS) || facts_bind_from(f, "/sys")) &&
		    !facts_bind_from(f, "/sys/fs/cgroup") && kernel_fs_of(f, e) < 0 &&
		    mount_writable(ctx, e))
			finding(sink, rule, e->cold->pos,
				"sysfs on %s is writable (add ro, or a readonly entry for it)",
				e->target.text);
	}
}

/* PC-CGROUP-WRITABLE: a cgroup hierarchy writable. */
static void rule_cgroup_writable(const struct rule_ctx *ctx, const struct rule *rule,
				 struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct mount_facts *f = &ctx->facts[i];
		const struct plan_entry *e = ctx->mounts.v[i];

		if (!(ctx->facts[i].is & (FACT_CGROUP | FACT_BIND)) ||
		    (ctx->facts[i].attr_set & MP_ATTR_RDONLY))
			continue;
		if (((f->is & FACT_CGROUP) || facts_bind_from(f, "/sys/fs/cgroup")) &&
		    mount_writable(ctx, e))
			finding(sink, rule, e->cold->pos,
				"cgroup hierarchy on %s is writable (add ro)", e->target.text);
	}
}

/* Names under a proc or sysfs mount that must be hidden (masked) or made
 * read-only; the missing ones as a list, or NULL. */
static char *missing_under(const struct rule_ctx *ctx, const struct plan_entry *m,
			   const char *const *names, bool need_mask)
{
	char *missing = NULL;

	for (size_t k = 0; names[k]; k++) {
		char *path = xasprintf("%s/%s", strcmp(m->target.text, "/") ? m->target.text : "",
				       names[k]);
		bool ok = masked(ctx, path) ||
			  (!need_mask && ((m->attr_set & MP_ATTR_RDONLY) ||
					  readonly_covers(ctx, path)));
		if (!ok)
			list_add(&missing, names[k]);
		free(path);
	}
	return missing;
}

/* PC-PROC-UNMASKED, PC-PROC-WRITABLE and PC-SYSFS-UNMASKED: each mount
 * of fstype that leaves some of names unmasked (need_mask) or writable. */
static void unguarded(const struct rule_ctx *ctx, const struct rule *rule,
		      struct diag_sink *sink, const char *fstype,
		      const char *const *names, bool need_mask)
{
	uint32_t fact = fs_fact(fstype);

	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		char *missing;
		bool usual;

		if (fact && !(ctx->facts[i].is & fact))
			continue;
		if (!is_fs(e, fstype) || !(missing = missing_under(ctx, e, names, need_mask)))
			continue;
		usual = strcmp(e->target.text, "/proc") == 0 || strcmp(e->target.text, "/sys") == 0;
		/* at the usual place, the standard word (v2) covers them all */
		finding(sink, rule, e->cold->pos, "%s on %s leaves %s: %s%s", fstype,
			e->target.text, need_mask ? "unmasked" : "writable", missing,
			!usual ? "" : need_mask ?
			"; help: masks: [standard, ...] (mountplan: 2) hides them all" :
			"; help: readonly: [standard, ...] (mountplan: 2) covers them all");
		free(missing);
	}
}

/* PC-PROC-UNMASKED: proc without the usual masks. */
static void rule_proc_unmasked(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	static const char *const names[] = {
		"kcore", "keys", "timer_list", "sched_debug", "acpi", "scsi",
		"asound", "latency_stats", "timer_stats", NULL
	};

	unguarded(ctx, rule, sink, "proc", names, true);
}

/* PC-PROC-WRITABLE: proc without read-only sys, sysrq-trigger, irq, bus, fs. */
static void rule_proc_writable(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	static const char *const names[] = {
		"sys", "sysrq-trigger", "irq", "bus", "fs", NULL
	};

	unguarded(ctx, rule, sink, "proc", names, false);
}

/* PC-SYSFS-UNMASKED: sysfs without masks on firmware and powercap. */
static void rule_sysfs_unmasked(const struct rule_ctx *ctx, const struct rule *rule,
				struct diag_sink *sink)
{
	static const char *const names[] = { "firmware", "devices/virtual/powercap", NULL };

	unguarded(ctx, rule, sink, "sysfs", names, true);
}

/* PC-WRITABLE-SUID and PC-WRITABLE-DEV: each writable mount that can
 * hold files (not a pseudo filesystem, not a bind from the host's /dev,
 * not target skip), without the attribute bit, named word. */
static void writable_without(const struct rule_ctx *ctx, const struct rule *rule,
			     struct diag_sink *sink, uint32_t bit, const char *word,
			     const char *skip)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];

		/* not a pseudo filesystem, without bit, not ro */
		if ((ctx->facts[i].is & FACT_PSEUDO) ||
		    (ctx->facts[i].attr_set & (bit | MP_ATTR_RDONLY)))
			continue;
		if (!(skip && strcmp(ctx->mounts.t[i], skip) == 0) &&
		    !facts_bind_from(&ctx->facts[i], "/dev") && mount_writable(ctx, e))
			finding(sink, rule, e->cold->pos, "writable %s on %s without %s",
				e->is_bind ? "bind" : mount_type(e), e->target.text, word);
	}
}

/* PC-WRITABLE-SUID: a writable mount that can hold files, without nosuid. */
static void rule_writable_suid(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	writable_without(ctx, rule, sink, MP_ATTR_NOSUID, "nosuid", NULL);
}

/* PC-WRITABLE-DEV: a writable mount that can hold files, without nodev
 * (/dev itself and binds of device nodes excepted). */
static void rule_writable_dev(const struct rule_ctx *ctx, const struct rule *rule,
			      struct diag_sink *sink)
{
	writable_without(ctx, rule, sink, MP_ATTR_NODEV, "nodev", "/dev");
}

/* PC-SHARED-ROOT: the root propagation is shared. */
static void rule_shared_root(const struct rule_ctx *ctx, const struct rule *rule,
			     struct diag_sink *sink)
{
	const struct plan *plan = ctx->plan;

	if (plan->root_prop & MP_PROP_SHARED)
		finding(sink, rule, plan->root_propagation.pos,
			"root propagation '%s' lets mounts made in the container reach the host",
			plan->root_propagation.text ? plan->root_propagation.text : "shared");
}

/* The position of the option word of e that contains needle, or e's. */
static struct plan_pos option_pos(const struct plan_entry *e, const char *needle)
{
	for (size_t i = 0; i < e->cold->n_options; i++)
		if (e->cold->options[i].text && strstr(e->cold->options[i].text, needle))
			return e->cold->options[i].pos;
	return e->cold->pos;
}

/* PC-SHARED-MOUNT: a mount with shared propagation. */
static void rule_shared_mount(const struct rule_ctx *ctx, const struct rule *rule,
			      struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];

		if (!(ctx->facts[i].is & FACT_SHARED))
			continue;
		finding(sink, rule,
			e->cold->propagation.text ? e->cold->propagation.pos : option_pos(e, "shared"),
			"%s on %s is shared: mounts made beneath it propagate to its peers%s",
			e->is_bind ? "bind" : mount_type(e), e->target.text,
			e->is_bind ? " on the host" : "");
	}
}

/* Is device e a character device major:minor? */
static bool char_dev(const struct plan_entry *e, uint32_t major, uint32_t minor)
{
	const char *t = e->cold->node->dev_type.text ? e->cold->node->dev_type.text : "";

	return (strcmp(t, "c") == 0 || strcmp(t, "u") == 0) && e->cold->node->major == major &&
	       (minor == UINT32_MAX || e->cold->node->minor == minor);
}

/* (v2) Can like-host device e (a host path or glob) be the host's node
 * path, or a node beneath path (a directory of such nodes)?  Names are
 * all a plan says of such a device: its numbers are the host's at run
 * time, so the device rules judge the names it may copy (matched as the
 * executor matches them). */
static bool like_host_hits(const struct plan_entry *e, const char *path)
{
	return e->cold->node->like_host.text &&
	       (host_glob_names(e->cold->node->like_host.text, path) ||
		path_at_or_beneath(e->cold->node->like_host.text, path));
}

/* Report like-host device e under rule when it can copy one of the host
 * nodes in paths (NULL-ended), naming the first and what it is. */
static void like_host_finding(const struct rule *rule, struct diag_sink *sink,
			      const struct plan_entry *e, const char *const *paths,
			      const char *what)
{
	for (size_t k = 0; paths[k]; k++)
		if (like_host_hits(e, paths[k])) {
			finding(sink, rule, e->cold->node->like_host.pos,
				"like-host device %s can copy the host's %s: %s",
				e->cold->node->like_host.text, paths[k], what);
			return;
		}
}

/* The devices of the plan, one at a time: calls fn on each live device. */
static void each_device(const struct rule_ctx *ctx, const struct rule *rule,
			struct diag_sink *sink,
			void (*fn)(const struct rule *, struct diag_sink *,
				   const struct plan_entry *))
{
	for (size_t i = 0; i < ctx->plan->n_entries; i++)
		if (ctx->kinds[i] == PLAN_DEVICE)
			fn(rule, sink, &ctx->plan->entries[i]);
}

/* PC-DEVICE-MEMORY on one device: mem, kmem, port. */
static void device_memory(const struct rule *rule, struct diag_sink *sink,
			  const struct plan_entry *e)
{
	static const char *const names[] = { NULL, "mem", "kmem", NULL, "port" };

	static const char *const paths[] = { "/dev/mem", "/dev/kmem", "/dev/port", NULL };

	if (char_dev(e, 1, 1) || char_dev(e, 1, 2) || char_dev(e, 1, 4))
		finding(sink, rule, e->cold->pos,
			"device %s is /dev/%s (1:%u): the host's physical memory or I/O ports",
			e->target.text, names[e->cold->node->minor], e->cold->node->minor);
	like_host_finding(rule, sink, e, paths, "the host's physical memory or I/O ports");
}

/* Report each bind of the host's device node path (a judged_dev) as
 * what. */
static void device_binds(const struct rule_ctx *ctx, const struct rule *rule,
			 struct diag_sink *sink, const char *path, const char *what)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;

		if (!(ctx->facts[i].is & FACT_BIND))
			continue;
		if (strcmp(src, path) == 0)
			finding(sink, rule, e->cold->pos, "bind of the host's %s on %s: %s",
				path, e->target.text, what);
	}
}

/* PC-DEVICE-MEMORY. */
static void rule_device_memory(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	each_device(ctx, rule, sink, device_memory);
	device_binds(ctx, rule, sink, "/dev/mem", "the host's physical memory");
	device_binds(ctx, rule, sink, "/dev/kmem", "the host's kernel memory");
	device_binds(ctx, rule, sink, "/dev/port", "the host's I/O ports");
}

/* PC-DEVICE-BLOCK on one device. */
static void device_block(const struct rule *rule, struct diag_sink *sink,
			 const struct plan_entry *e)
{
	/* the usual names of block devices, for like-host names and globs */
	static const char *const paths[] = { "/dev/loop0", "/dev/sda", "/dev/sda1",
		"/dev/vda", "/dev/xvda", "/dev/hda", "/dev/nvme0n1", "/dev/nvme0n1p1",
		"/dev/mmcblk0", "/dev/dm-0", "/dev/md0", "/dev/nbd0", "/dev/sr0",
		"/dev/ram0", "/dev/zram0", "/dev/rbd0", "/dev/mapper/root", NULL };

	if (e->cold->node->dev_type.text && strcmp(e->cold->node->dev_type.text, "b") == 0)
		finding(sink, rule, e->cold->pos,
			"block device %s (%u:%u) gives raw access to a host disk",
			e->target.text, e->cold->node->major, e->cold->node->minor);
	like_host_finding(rule, sink, e, paths, "a block device, raw access to a host disk");
}

/* PC-DEVICE-BLOCK. */
static void rule_device_block(const struct rule_ctx *ctx, const struct rule *rule,
			      struct diag_sink *sink)
{
	each_device(ctx, rule, sink, device_block);
}

/* PC-DEVICE-KVM on one device. */
static void device_kvm(const struct rule *rule, struct diag_sink *sink,
		       const struct plan_entry *e)
{
	static const char *const paths[] = { "/dev/kvm", NULL };

	if (char_dev(e, 10, 232))
		finding(sink, rule, e->cold->pos,
			"device %s is /dev/kvm (10:232): the host's hypervisor interface",
			e->target.text);
	like_host_finding(rule, sink, e, paths, "the host's hypervisor interface");
}

/* PC-DEVICE-KVM. */
static void rule_device_kvm(const struct rule_ctx *ctx, const struct rule *rule,
			    struct diag_sink *sink)
{
	each_device(ctx, rule, sink, device_kvm);
	device_binds(ctx, rule, sink, "/dev/kvm", "the host's hypervisor interface");
}

/* PC-DEVICE-PRIVILEGED on one device. */
static void device_privileged(const struct rule *rule, struct diag_sink *sink,
			      const struct plan_entry *e)
{
	static const struct {
		uint32_t major, minor;
		const char *name;
	} devs[] = {
		{ 10, 184, "cpu/microcode (loads CPU microcode)" },
		{ 202, UINT32_MAX, "cpu/N/msr (CPU model-specific registers)" },
		{ 203, UINT32_MAX, "cpu/N/cpuid" },
		{ 10, 236, "mapper/control (device-mapper: any host disk)" },
		{ 10, 237, "loop-control (loop devices over any file)" },
		{ 21, UINT32_MAX, "sg (raw SCSI commands to host disks)" },
		{ 10, 227, "mcelog (machine-check log)" },
	};

	static const char *const paths[] = { "/dev/cpu/microcode", "/dev/cpu/0/msr",
		"/dev/cpu/0/cpuid", "/dev/mapper/control", "/dev/loop-control", "/dev/sg0",
		"/dev/mcelog", NULL };

	for (size_t k = 0; k < sizeof devs / sizeof devs[0]; k++)
		if (char_dev(e, devs[k].major, devs[k].minor))
			finding(sink, rule, e->cold->pos, "device %s (%u:%u) is %s",
				e->target.text, e->cold->node->major, e->cold->node->minor, devs[k].name);
	like_host_finding(rule, sink, e, paths, "a privileged host interface");
}

/* PC-DEVICE-PRIVILEGED. */
static void rule_device_privileged(const struct rule_ctx *ctx, const struct rule *rule,
				   struct diag_sink *sink)
{
	each_device(ctx, rule, sink, device_privileged);
}

/* The standard nodes every container has (null zero full random urandom
 * tty ptmx): world-writable by design. */
static bool standard_node(const struct plan_entry *e)
{
	return char_dev(e, 1, 3) || char_dev(e, 1, 5) || char_dev(e, 1, 7) ||
	       char_dev(e, 1, 8) || char_dev(e, 1, 9) || char_dev(e, 5, 0) ||
	       char_dev(e, 5, 2);
}

/* Character devices that hand a host interface to the container. */
static const struct {
	uint32_t major, minor;
	const char *path, *what;
} host_interfaces[] = {
	{ 1, 11, "/dev/kmsg", "the host's kernel log (read kernel addresses, forge entries)" },
	{ 10, 229, "/dev/fuse", "FUSE (filesystems served by the container, which can hang host tools walking them)" },
	{ 10, 200, "/dev/net/tun", "tun/tap (network interfaces that bypass the container's network policy)" },
	{ 10, 223, "/dev/uinput", "uinput (keystrokes and mouse events injected into the host's session)" },
	{ 10, 239, "/dev/uhid", "uhid (fake keyboards and mice for the host)" },
	{ 10, 130, "/dev/watchdog", "the hardware watchdog (stop it and the host reboots)" },
	{ 10, 238, "/dev/vhost-net", "vhost-net (the kernel's in-kernel virtio backend)" },
	{ 10, 241, "/dev/vhost-vsock", "vhost-vsock (host-guest sockets)" },
	{ 10, 234, "/dev/btrfs-control", "btrfs-control (scan and register host disks)" },
	{ 10, 235, "/dev/autofs", "autofs (the host's automounter)" },
	{ 10, 203, "/dev/cuse", "CUSE (character devices served by the container)" },
	{ 10, 144, "/dev/nvram", "the host's CMOS NVRAM" },
	{ 5, 1, "/dev/console", "the host's console" },
	{ 4, UINT32_MAX, "/dev/tty0", "a host virtual console or serial line (what is typed there)" },
	{ 7, UINT32_MAX, "/dev/vcs", "the screen contents of the host's consoles" },
	{ 13, UINT32_MAX, "/dev/input", "the host's keyboards and mice (a keylogger)" },
	{ 89, UINT32_MAX, "/dev/i2c-0", "the host's I2C/SMBus devices (sensors, fans, DIMM SPD)" },
	{ 189, UINT32_MAX, "/dev/bus/usb", "raw access to the host's USB devices" },
	{ 10, 126, "/dev/userfaultfd", "userfaultfd (stalls kernel page faults: the usual kernel-exploit race widener)" },
	{ 10, 196, "/dev/vfio/vfio", "VFIO (a host PCI device, with DMA into host memory)" },
	{ 10, 224, "/dev/tpm0", "the host's TPM (sealed secrets, measured boot)" },
	{ 10, 242, "/dev/rfkill", "rfkill (switches the host's radios off)" },
	{ 108, 0, "/dev/ppp", "PPP (network interfaces that bypass the container's network policy)" },
	{ 116, UINT32_MAX, "/dev/snd", "the host's sound devices (its microphone)" },
	{ 21, UINT32_MAX, "/dev/sg0", "SCSI generic (raw commands to the host's disks)" },
};

/* Is a bind of source judged by PC-KERNEL-FS or PC-DEVICE-HOST-INTERFACE
 * (so PC-BIND-HOST-SYSTEM need not name it too)? */
static bool judged_elsewhere(const char *source)
{
	for (size_t k = 0; k < sizeof kernel_fs / sizeof kernel_fs[0]; k++)
		if (kernel_fs[k].host && path_at_or_beneath(source, kernel_fs[k].host))
			return true;
	for (size_t k = 0; k < sizeof host_interfaces / sizeof host_interfaces[0]; k++)
		if (path_at_or_beneath(source, host_interfaces[k].path))
			return true;
	return false;
}

/* PC-DEVICE-HOST-INTERFACE on one device. */
static void device_host_interface(const struct rule *rule, struct diag_sink *sink,
				  const struct plan_entry *e)
{
	for (size_t k = 0; k < sizeof host_interfaces / sizeof host_interfaces[0]; k++) {
		const char *path[] = { host_interfaces[k].path, NULL };

		if (char_dev(e, host_interfaces[k].major, host_interfaces[k].minor)) {
			finding(sink, rule, e->cold->pos, "device %s (%u:%u) hands the container %s",
				e->target.text, e->cold->node->major, e->cold->node->minor, host_interfaces[k].what);
			return;
		}
		if (like_host_hits(e, path[0])) {
			like_host_finding(rule, sink, e, path, host_interfaces[k].what);
			return;
		}
	}
}

/* PC-DEVICE-HOST-INTERFACE: those devices, made or bound from the host. */
static void rule_device_host_interface(const struct rule_ctx *ctx, const struct rule *rule,
				       struct diag_sink *sink)
{
	each_device(ctx, rule, sink, device_host_interface);
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const char *src = ctx->facts[i].source;

		if (!(ctx->facts[i].is & FACT_HOST))
			continue;
		for (size_t k = 0; src &&
				   k < sizeof host_interfaces / sizeof host_interfaces[0]; k++)
			if (path_at_or_beneath(src, host_interfaces[k].path)) {
				finding(sink, rule, e->cold->pos, "bind of the host's %s on %s hands the container %s",
					src, e->target.text, host_interfaces[k].what);
				break;
			}
	}
}

/* PC-DEVICE-WORLD-WRITABLE on one device. */
static void device_world_writable(const struct rule *rule, struct diag_sink *sink,
				  const struct plan_entry *e)
{
	uint32_t mode = e->cold->node->has_mode ? e->cold->node->mode : 0666;
	const char *t = e->cold->node->dev_type.text ? e->cold->node->dev_type.text : "c";

	if (e->cold->node->like_host.text) { /* (v2) the host's mode unless it says one */
		if (e->cold->node->has_mode && (mode & 02))
			finding(sink, rule, e->cold->node->mode_pos,
				"like-host device %s is world-writable (mode %04o): every user in the container can use it",
				e->cold->node->like_host.text, mode & 07777);
		return;
	}
	if ((mode & 02) && strcmp(t, "p") != 0 && !standard_node(e))
		finding(sink, rule, e->cold->node->has_mode ? e->cold->node->mode_pos : e->cold->pos,
			"device %s (%s %u:%u) is world-writable (mode %04o%s): every user in the container can use it",
			e->target.text, t, e->cold->node->major, e->cold->node->minor, mode & 07777,
			e->cold->node->has_mode ? "" : ", the default");
}

/* PC-DEVICE-WORLD-WRITABLE. */
static void rule_device_world_writable(const struct rule_ctx *ctx, const struct rule *rule,
				       struct diag_sink *sink)
{
	each_device(ctx, rule, sink, device_world_writable);
}

/* PC-ROOT-WRITABLE: the root stays writable. */
static void rule_root_writable(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	if (!ctx->plan->rootfs_readonly)
		finding(sink, rule, ctx->plan->rootfs_pos,
			"the root filesystem stays writable (rootfs: readonly: true, or say why)");
}

/* PC-PIVOT-CHROOT: pivot: chroot leaves the host's root in the namespace. */
static void rule_pivot_chroot(const struct rule_ctx *ctx, const struct rule *rule,
			      struct diag_sink *sink)
{
	if (ctx->plan->pivot == PLAN_PIVOT_CHROOT)
		finding(sink, rule, ctx->plan->pivot_pos,
			"pivot: chroot keeps the host's root mounted in the container's namespace");
}

/* PC-UMASK-PERMISSIVE: a umask that lets the command create
 * world-writable files. */
static void rule_umask(const struct rule_ctx *ctx, const struct rule *rule,
		       struct diag_sink *sink)
{
	const struct plan *plan = ctx->plan;

	if (plan->has_umask && !(plan->umask & 02))
		finding(sink, rule, plan->umask_pos,
			"umask %04o lets the command create world-writable files", plan->umask);
}

/* PC-DEV-INCOMPLETE: /dev as tmpfs without the standard nodes and links. */
static void rule_dev_incomplete(const struct rule_ctx *ctx, const struct rule *rule,
				struct diag_sink *sink)
{
	static const char *const std[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
		"/dev/tty", "/dev/pts", "/dev/ptmx", "/dev/shm", "/dev/fd",
		"/dev/stdin", "/dev/stdout", "/dev/stderr", NULL
	};
	const struct plan_entry *dev = path_index_find(&ctx->mounts, "/dev", 4);
	char *missing = NULL;

	if (!dev || !is_fs(dev, "tmpfs"))
		return;
	for (size_t k = 0; std[k]; k++)
		if (!path_index_find(&ctx->nodes, std[k], strlen(std[k])))
			list_add(&missing, std[k] + 5);
	if (missing)
		finding(sink, rule, dev->cold->pos, "tmpfs on /dev lacks %s (or write dev: standard)",
			missing);
	free(missing);
}

/* PC-DEVPTS-OPTIONS: devpts without newinstance, or without ptmxmode
 * where /dev/ptmx is the pts/ptmx link. */
static void rule_devpts_options(const struct rule_ctx *ctx, const struct rule *rule,
				struct diag_sink *sink)
{
	const struct plan_entry *link = path_index_find(&ctx->nodes, "/dev/ptmx", 9);
	bool ptmx_link = link && link->kind == PLAN_SYMLINK;

	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		bool no_new, no_mode;

		if (!(ctx->facts[i].is & FACT_DEVPTS))
			continue;
		no_new = !data_has(e->fs_data, "newinstance");
		no_mode = ptmx_link && strcmp(e->target.text, "/dev/pts") == 0 &&
			  !data_has(e->fs_data, "ptmxmode");
		if (no_new || no_mode)
			finding(sink, rule, e->cold->pos, "devpts on %s without %s%s%s",
				e->target.text, no_new ? "newinstance" : "",
				no_new && no_mode ? " and " : "",
				no_mode ? "ptmxmode=0666 (/dev/ptmx links to pts/ptmx)" : "");
	}
}

/* What a mask or read-only path is, for messages. */
static const char *path_entry_word(const struct plan_entry *e)
{
	return e->kind == PLAN_MASK ? "mask" : "read-only path";
}

/* Calls fn on each live mask and read-only path. */
static void each_path_entry(const struct rule_ctx *ctx, const struct rule *rule,
			    struct diag_sink *sink,
			    void (*fn)(const struct rule_ctx *, const struct rule *,
				       struct diag_sink *, const struct plan_entry *))
{
	for (size_t i = 0; i < ctx->plan->n_entries; i++)
		if (ctx->kinds[i] == PLAN_MASK || ctx->kinds[i] == PLAN_READONLY)
			fn(ctx, rule, sink, &ctx->plan->entries[i]);
}

/* PC-MASK-NO-MOUNT on one entry (not one of the standard word's: it
 * covers /proc and /sys whether or not the plan mounts both). */
static void mask_no_mount(const struct rule_ctx *ctx, const struct rule *rule,
			  struct diag_sink *sink, const struct plan_entry *e)
{
	static const char *const pseudo_dirs[] = { "/proc", "/sys", "/dev", NULL };
	const char *p = e->target.text;

	if (e->cold->standard_word)
		return;

	for (size_t k = 0; pseudo_dirs[k]; k++) {
		if (!path_at_or_beneath(p, pseudo_dirs[k]) ||
		    path_index_cover(&ctx->mounts, p, true) ||
		    path_index_has_under(&ctx->nodes, p, false))
			continue;
		finding(sink, rule, e->cold->pos,
			"%s %s never applies: no mount of this plan provides %s (the rootfs's own directory is empty)",
			path_entry_word(e), p, pseudo_dirs[k]);
	}
}

/* PC-MASK-NO-MOUNT. */
static void rule_mask_no_mount(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	each_path_entry(ctx, rule, sink, mask_no_mount);
}

/* PC-MASK-EMPTY-FS on one entry. */
static void mask_empty_fs(const struct rule_ctx *ctx, const struct rule *rule,
			  struct diag_sink *sink, const struct plan_entry *e)
{
	const char *p = e->target.text;
	const struct plan_entry *m = path_index_cover(&ctx->mounts, p, false);
	char *ptmx;
	bool empty;

	if (!m)
		return;
	empty = (is_fs(m, "tmpfs") && !m->cold->tmpcopyup) || is_fs(m, "mqueue") ||
		is_fs(m, "devpts");
	/* (the search for what lies beneath last: the other tests are cheap) */
	if (!empty || path_index_has_under(&ctx->nodes, p, false))
		return;
	ptmx = xasprintf("%s/ptmx", m->target.text);
	if (!is_fs(m, "devpts") || strcmp(p, ptmx) != 0)
		finding(sink, rule, e->cold->pos,
			"%s %s never applies: it is inside the new, empty %s on %s and nothing in this plan creates it",
			path_entry_word(e), p, mount_type(m), m->target.text);
	free(ptmx);
}

/* PC-MASK-EMPTY-FS. */
static void rule_mask_empty_fs(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	each_path_entry(ctx, rule, sink, mask_empty_fs);
}

/* Does a writable hole of read-only entry r lie at, above or beneath
 * path?  (Then a read-only path there is not redundant: above, it is
 * writable; beneath, it makes the hole read-only again.) */
static bool hole_related(const struct plan_entry *r, const char *path)
{
	for (size_t k = 0; k < r->n_holes; k++) {
		const char *h = r->cold->node->holes[k].path.text;

		if (h && (path_at_or_beneath(path, h) || path_at_or_beneath(h, path)))
			return true;
	}
	return false;
}

/* PC-READONLY-REDUNDANT: a read-only path already read-only. */
static void rule_readonly_redundant(const struct rule_ctx *ctx, const struct rule *rule,
				    struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->readonly.n; i++) {
		const struct plan_entry *e = ctx->readonly.v[i];
		const char *p = e->target.text;
		const struct plan_entry *up = path_index_cover(&ctx->readonly, p, false);
		const struct plan_entry *m = path_index_cover(&ctx->mounts, p, true);

		char *at = NULL;

		if (e->n_holes)
			continue;
		if (up && !hole_related(up, p)) {
			at = plan_pos_ref(up->cold->pos, e->cold->pos);
			finding(sink, rule, e->cold->pos,
				"read-only path %s is already read-only through %s (at %s)",
				p, up->target.text, at);
		} else if (m && (m->attr_set & MP_ATTR_RDONLY) &&
			   !path_index_has_under(&ctx->mounts, p, true)) {
			at = plan_pos_ref(m->cold->pos, e->cold->pos);
			finding(sink, rule, e->cold->pos,
				"read-only path %s is on %s, which is already mounted ro (at %s)",
				p, m->target.text, at);
		}
		free(at);
	}
}

/* PC-PROTECTION-CONDITIONAL: a mask or read-only path whose (v2) when:
 * is anything but "the path itself exists" (runc's /dev/core pattern):
 * on a host where the condition fails, the path stays exposed. */
static void rule_protection_conditional(const struct rule_ctx *ctx, const struct rule *rule,
					struct diag_sink *sink)
{
	const struct plan *plan = ctx->plan;

	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *e = &plan->entries[i];
		const struct plan_when *w = &e->cold->rare->when;
		uint8_t kind = ctx->kinds[i] & ~ENTRY_DEAD;
		char *words;

		if (kind != PLAN_MASK && kind != PLAN_READONLY)
			continue;
		if (e->bad || (e->kind != PLAN_MASK && e->kind != PLAN_READONLY) ||
		    !w->path.text ||
		    (!w->negate && !w->type && strcmp(w->path.text, e->target.text) == 0))
			continue;
		words = sim_when_words(w->path.text, w->type, w->negate);
		finding(sink, rule, w->pos,
			"%s %s is conditional (%s): on a host where the condition fails, %s stays %s; help: write when: {path: %s} (it exists), or no when:",
			e->kind == PLAN_MASK ? "mask" : "read-only path", e->target.text, words,
			e->target.text, e->kind == PLAN_MASK ? "visible" : "writable",
			e->target.text);
		free(words);
	}
}

/* PC-MOUNT-UNDER-READONLY: a writable mount beneath a read-only path,
 * which the recursive READONLY makes read-only too. */
static void rule_mount_under_readonly(const struct rule_ctx *ctx, const struct rule *rule,
				      struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];
		const struct plan_entry *r;
		char *at;

		if (ctx->facts[i].attr_set & MP_ATTR_RDONLY)
			continue;
		r = path_index_cover(&ctx->readonly, ctx->mounts.t[i], false);
		if (!r || hole_related(r, e->target.text))
			continue;
		at = plan_pos_ref(r->cold->pos, e->cold->pos);
		finding(sink, rule, e->cold->pos,
			"%s on %s is beneath the read-only path %s (at %s), which makes it read-only too; help: if it must stay writable, list it there: {path: %s, writable: [%s]}; if read-only is meant, add ro to the mount",
			e->is_bind ? "bind" : mount_type(e), e->target.text, r->target.text, at,
			r->target.text, e->target.text);
		free(at);
	}
}

/* What the default an option word restates leaves open on mount e (the
 * real risk, which a finding of no effect must not hide), or "". */
static const char *default_risk(const struct plan_entry *e, const char *word)
{
	const char *w = word[0] == 'r' && word[1] != 'w' ? word + 1 : word;

	if (strcmp(word, "rrw") == 0)
		w = "rw";
	if (is_pseudo_fs(e) && strcmp(w, "rw") != 0)
		return "";
	if (strcmp(w, "rw") == 0 && !(e->attr_set & MP_ATTR_RDONLY))
		return ", and that default is the risk: the container can write here (add ro if it need not)";
	if (strcmp(w, "suid") == 0 && !(e->attr_set & MP_ATTR_NOSUID))
		return ", and that default is the risk: setuid binaries written here run as their owner (add nosuid)";
	if (strcmp(w, "dev") == 0 && !(e->attr_set & MP_ATTR_NODEV))
		return ", and that default is the risk: device nodes made here open host devices (add nodev)";
	if (strcmp(w, "exec") == 0 && !(e->attr_set & MP_ATTR_NOEXEC))
		return ", and that default is the risk: programs dropped here can run (add noexec)";
	return "";
}

/* PC-OPTION-NO-EFFECT on one option word of mount e. */
static void option_no_effect(const struct rule_ctx *ctx, const struct rule *rule,
			     struct diag_sink *sink, const struct plan_entry *e,
			     const char *word, struct plan_pos pos)
{
	static const char *const defaults[] = {
		"rw", "suid", "dev", "exec", "relatime", "rrw", "rsuid", "rdev",
		"rexec", "rrelatime", NULL
	};
	static const char *const recursive[] = {
		"rro", "rnosuid", "rnodev", "rnoexec", "rnoatime", "rstrictatime",
		"rnodiratime", "rnosymfollow", NULL
	};
	static const char *const atime[] = {
		"noatime", "strictatime", "nodiratime", "relatime", "rnoatime",
		"rstrictatime", "rnodiratime", "rrelatime", "lazytime", NULL
	};

	(void)ctx;
	if (!e->is_bind && in_list(word, defaults))
		finding(sink, rule, pos,
			"option '%s' on %s does nothing: it is the default for a new mount%s",
			word, e->target.text, default_risk(e, word));
	else if (!e->is_bind && in_list(word, recursive))
		finding(sink, rule, pos,
			"option '%s' on %s does nothing more than '%s': a new %s has no submounts",
			word, e->target.text, word + 1, mount_type(e));
	else if ((e->attr_set & MP_ATTR_RDONLY) && in_list(word, atime))
		finding(sink, rule, pos,
			"option '%s' on %s does nothing: a read-only mount never updates access times",
			word, e->target.text);
	else if ((e->attr_set & MP_ATTR__ATIME) == MP_ATTR_NOATIME &&
		 (strcmp(word, "nodiratime") == 0 || strcmp(word, "rnodiratime") == 0))
		finding(sink, rule, pos,
			"option '%s' on %s does nothing: noatime already covers directories",
			word, e->target.text);
}

/* PC-OPTION-NO-EFFECT. */
static void rule_option_no_effect(const struct rule_ctx *ctx, const struct rule *rule,
				  struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->plan->n_entries; i++) {
		const struct plan_entry *e = &ctx->plan->entries[i];

		if (ctx->kinds[i] != PLAN_MOUNT)
			continue;
		each_option(ctx, rule, sink, e, option_no_effect);
		if (e->cold->optional && !e->is_bind)
			finding(sink, rule, e->cold->rare->optional_pos.line ? e->cold->rare->optional_pos : e->cold->pos,
				"optional on %s does nothing: only a bind has a source that can be missing",
				e->target.text);
	}
}

/* PC-TMPFS-NO-SIZE: a writable tmpfs without a size limit. */
static void rule_tmpfs_no_size(const struct rule_ctx *ctx, const struct rule *rule,
			       struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->mounts.n; i++) {
		const struct plan_entry *e = ctx->mounts.v[i];

		if (!(ctx->facts[i].is & FACT_TMPFS) || (ctx->facts[i].attr_set & MP_ATTR_RDONLY))
			continue;
		if (!data_has(e->fs_data, "size") &&
		    !data_has(e->fs_data, "nr_blocks") && mount_writable(ctx, e))
			finding(sink, rule, e->cold->pos,
				"tmpfs on %s has no size= (it may grow to half of the host's memory)",
				e->target.text);
	}
}

/* PC-PARAM-UNUSED: a declared parameter no ${name} uses. */
static void rule_param_unused(const struct rule_ctx *ctx, const struct rule *rule,
			      struct diag_sink *sink)
{
	for (size_t i = 0; i < ctx->plan->n_params; i++) {
		const struct plan_param *p = &ctx->plan->params[i];

		if (!p->uses && !p->bad)
			finding(sink, rule, p->name.pos,
				"parameter '%s' is declared but no ${%s} uses it%s", p->name.text,
				p->name.text, p->given ? " (its value is ignored)" : "");
	}
}

/* ---- the catalogue ------------------------------------------------------ */

const struct rule rules[] = {
	{ "PC-BIND-HOST-ROOT", DIAG_ERROR, true,
	  "a bind of the host's root directory",
	  "Binding the host's / hands the container every file of the host, "
	  "including the runtime's sockets, /etc and the kernel's interfaces. "
	  "Bind only the directories the workload needs, read-only.",
	  rule_bind_host_root },
	{ "PC-BIND-RUNTIME-SOCKET", DIAG_ERROR, true,
	  "a bind of a container runtime's socket or state directory",
	  "The Docker, containerd, CRI-O and Podman sockets accept requests to "
	  "start a privileged container with the host's / mounted; the runtimes' "
	  "state directories and /var/lib/kubelet hold every container's files "
	  "and tokens. A bind of any of them is root on the host.",
	  rule_bind_runtime },
	{ "PC-BIND-HOST-SYSTEM", DIAG_WARNING, true,
	  "a bind of a host system tree (/etc, /proc, /sys, /dev, /root, /home, /boot ...)",
	  "These trees hold the host's configuration, kernel interfaces, devices "
	  "and users' secrets; a bind hands them over (/proc/1/root is the "
	  "host's root, /sys/kernel/uevent_helper runs a program as host root). "
	  "Bind a narrower path, read-only, or use the container's own proc and sysfs.",
	  rule_bind_host_system },
	{ "PC-BIND-HOST-CREDENTIALS", DIAG_ERROR, true,
	  "a bind of a host path holding credentials (Kubernetes config and PKI, etcd, SSH, cloud keys ...)",
	  "/etc/kubernetes holds the cluster's admin kubeconfig and CA keys, "
	  "/var/lib/etcd every Secret, ~/.ssh, ~/.aws, ~/.kube and ~/.docker "
	  "their owner's keys and tokens. A bind hands them to the container. "
	  "Give the workload its own narrowly scoped credential instead.",
	  rule_bind_credentials },
	{ "PC-BIND-HOST-LOG", DIAG_WARNING, true,
	  "a bind of the host's logs (/var/log, the journal)",
	  "Host logs hold other workloads' output and often tokens; written by "
	  "the container, a symlink planted there is followed as root by the "
	  "kubelet's log API or a log shipper (the /var/log pod escape). Ship "
	  "logs through the runtime instead, or bind a container-owned directory.",
	  rule_bind_host_log },
	{ "PC-BIND-INSIDE-ROOTFS", DIAG_WARNING, true,
	  "a bind whose source lies inside the plan's own rootfs",
	  "The container can write its rootfs, so it can replace the source with "
	  "a symlink to a host path before the bind is made (the race behind "
	  "CVE-2021-30465). Create the directory in the image instead, or bind "
	  "from a host path outside the rootfs.",
	  rule_bind_inside_rootfs },
	{ "PC-BIND-WRITABLE", DIAG_NOTE, false,
	  "a host path bound writable (opt-in: --enable PC-BIND-WRITABLE)",
	  "What the container writes there, the host sees. Add ro unless the "
	  "workload must write to the host.",
	  rule_bind_writable },
	{ "PC-BIND-RO-NOT-RECURSIVE", DIAG_WARNING, true,
	  "an rbind whose ro reaches its top mount only (use rro)",
	  "ro on an rbind makes only the top mount read-only: every host mount "
	  "beneath the source comes along writable and with setuid and devices "
	  "allowed. Use the recursive options (rro, rnosuid, rnodev, rnoexec), "
	  "which apply to the whole tree (mount_setattr AT_RECURSIVE).",
	  rule_bind_ro_not_recursive },
	{ "PC-SYSFS-WRITABLE", DIAG_WARNING, true,
	  "sysfs mounted or bound writable",
	  "A writable sysfs lets root in the container set "
	  "/sys/kernel/uevent_helper or reconfigure host devices. Mount sysfs "
	  "with ro (runc and Docker do).",
	  rule_sysfs_writable },
	{ "PC-CGROUP-WRITABLE", DIAG_WARNING, true,
	  "a cgroup hierarchy mounted writable",
	  "A writable cgroup v1 hierarchy allows the release_agent escape "
	  "(CVE-2022-0492) and lets the container raise its own limits. Mount "
	  "cgroups with ro.",
	  rule_cgroup_writable },
	{ "PC-KERNEL-FS", DIAG_WARNING, true,
	  "a kernel pseudo filesystem (debugfs, tracefs, securityfs, bpf, configfs, efivarfs, pstore, devtmpfs ...)",
	  "These filesystems are kernel interfaces no container needs: debugfs "
	  "and tracefs expose kernel memory layout and state, bpf pinned "
	  "programs, securityfs the LSM policy, efivarfs firmware variables. "
	  "Remove the mount (runc and Docker never make one).",
	  rule_kernel_fs },
	{ "PC-KERNEL-FS-WRITABLE", DIAG_ERROR, true,
	  "a kernel pseudo filesystem mounted writable",
	  "Writable, these interfaces change the kernel: kprobes and debugfs "
	  "knobs, LSM policy, UEFI variables (deleting some bricks the "
	  "machine), binfmt_misc interpreters the host runs. Remove the mount; never "
	  "make it writable.",
	  rule_kernel_fs_writable },
	{ "PC-PROC-UNMASKED", DIAG_WARNING, true,
	  "proc without the usual masks (kcore, keys, timer_list, sched_debug, acpi, scsi ...)",
	  "These files leak host memory, kernel addresses and keys, or drive host "
	  "hardware. Mask /proc/kcore, keys, timer_list, sched_debug, acpi, scsi, "
	  "asound, latency_stats and timer_stats, as runc does.",
	  rule_proc_unmasked },
	{ "PC-PROC-WRITABLE", DIAG_WARNING, true,
	  "proc without read-only sys, sysrq-trigger, irq, bus, fs",
	  "Writable /proc/sys and /proc/sysrq-trigger let root in the container "
	  "change host kernel settings or reboot the host (core_pattern runs a "
	  "program as host root). Make them read-only, as runc does.",
	  rule_proc_writable },
	{ "PC-SYSFS-UNMASKED", DIAG_WARNING, true,
	  "sysfs without masks on firmware and devices/virtual/powercap",
	  "powercap's energy counters leak secrets through power side channels "
	  "(Platypus, CVE-2020-8694) and /sys/firmware exposes firmware tables. "
	  "Mask both, as runc does.",
	  rule_sysfs_unmasked },
	{ "PC-WRITABLE-SUID", DIAG_WARNING, true,
	  "a writable mount without nosuid",
	  "Root in the container can create a setuid binary there; if the host "
	  "or another container can reach it, it runs as that root. Add nosuid.",
	  rule_writable_suid },
	{ "PC-WRITABLE-DEV", DIAG_WARNING, true,
	  "a writable mount without nodev",
	  "Root in the container can mknod a host disk or /dev/mem there and use "
	  "it. Add nodev (every mount but /dev itself).",
	  rule_writable_dev },
	{ "PC-TMPFS-EXEC", DIAG_WARNING, true,
	  "a tmpfs every user can write (/tmp, /dev/shm, mode 1777) without noexec",
	  "A shared writable tmpfs that allows exec is where an attacker drops "
	  "and runs a payload (CIS Docker and Linux benchmarks ask for noexec on "
	  "/tmp and /dev/shm; runc mounts /dev/shm noexec). Add noexec.",
	  rule_tmpfs_exec },
	{ "PC-SHARED-ROOT", DIAG_ERROR, true,
	  "shared root propagation",
	  "With a shared root, mounts made in the container appear on the host "
	  "(and the host's in the container). Use the default rslave, or rprivate.",
	  rule_shared_root },
	{ "PC-SHARED-MOUNT", DIAG_WARNING, true,
	  "a mount with shared propagation",
	  "A shared (rshared) bind propagates the container's mounts back to the "
	  "host's peer group, which Kubernetes allows only to privileged pods "
	  "(Bidirectional). Use rslave unless the workload must mount for the host.",
	  rule_shared_mount },
	{ "PC-DEVICE-MEMORY", DIAG_ERROR, true,
	  "a device node for host memory or I/O ports (mem, kmem, port)",
	  "/dev/mem, /dev/kmem and /dev/port read and write the host's physical "
	  "memory and I/O ports: a kernel compromise. Remove the node.",
	  rule_device_memory },
	{ "PC-DEVICE-BLOCK", DIAG_WARNING, true,
	  "a block device node",
	  "A block device gives raw access to a host disk, past every file "
	  "permission (mount it, or debugfs it, and read /etc/shadow). Bind the "
	  "directory the workload needs instead.",
	  rule_device_block },
	{ "PC-DEVICE-KVM", DIAG_NOTE, true,
	  "/dev/kvm in the container",
	  "/dev/kvm exposes the host's hypervisor interface, a large kernel attack "
	  "surface. Keep it only for workloads that run virtual machines.",
	  rule_device_kvm },
	{ "PC-DEVICE-PRIVILEGED", DIAG_WARNING, true,
	  "a device node with host-wide power (msr, microcode, mapper/control, loop-control, sg ...)",
	  "These devices change CPU registers or microcode, or reach any host "
	  "disk through device-mapper, loop devices or raw SCSI. Remove the node.",
	  rule_device_privileged },
	{ "PC-DEVICE-HOST-INTERFACE", DIAG_WARNING, true,
	  "a character device that hands over a host interface (kmsg, fuse, tun, uinput, consoles, input ...)",
	  "These nodes reach beyond the container: the kernel log, FUSE, "
	  "network interfaces, the host's consoles, keyboards and USB devices. "
	  "Remove the node unless the workload needs exactly that interface.",
	  rule_device_host_interface },
	{ "PC-DEVICE-WORLD-WRITABLE", DIAG_WARNING, true,
	  "a world-writable device node outside the standard set",
	  "Only null, zero, full, random, urandom, tty and ptmx are meant for "
	  "every user; any other node with mode o+w (0666 is the default) lets "
	  "every user in the container drive the device. Give it mode 0660 and "
	  "an owner or group.",
	  rule_device_world_writable },
	{ "PC-ROOT-WRITABLE", DIAG_WARNING, true,
	  "a writable root filesystem without a stated reason",
	  "A read-only root stops a compromised process from changing the "
	  "image's binaries and libraries. Set rootfs: readonly: true and give "
	  "writable paths their own mounts, or suppress with a reason.",
	  rule_root_writable },
	{ "PC-PIVOT-CHROOT", DIAG_WARNING, true,
	  "pivot: chroot",
	  "chroot leaves the host's root mounted in the container's namespace; a "
	  "process with CAP_SYS_CHROOT can walk out of it. Use pivot_root, or move.",
	  rule_pivot_chroot },
	{ "PC-UMASK-PERMISSIVE", DIAG_NOTE, true,
	  "a umask that allows world-writable files",
	  "Files the command creates become writable by every user. Use 022 or 027.",
	  rule_umask },
	{ "PC-DEV-INCOMPLETE", DIAG_WARNING, true,
	  "/dev as tmpfs without the standard nodes and links",
	  "Programs expect /dev/null, zero, full, random, urandom, tty, pts, ptmx, "
	  "shm and the fd, stdin, stdout, stderr links; without them they fail at "
	  "run time. Write dev: standard, or add what is missing.",
	  rule_dev_incomplete },
	{ "PC-DEVPTS-OPTIONS", DIAG_WARNING, true,
	  "devpts without newinstance, or without ptmxmode where /dev/ptmx links to pts/ptmx",
	  "Without newinstance an older kernel shares the host's pseudo-terminals; "
	  "without ptmxmode=0666 the instance's ptmx has mode 0, and opening a "
	  "terminal fails. Use newinstance,ptmxmode=0666.",
	  rule_devpts_options },
	{ "PC-SYMLINK-PROC-ROOT", DIAG_WARNING, true,
	  "a symlink into another process's root (/proc/PID/root, cwd, exe, fd)",
	  "/proc/PID/root is that process's whole filesystem and /proc/PID/exe "
	  "its binary; with a shared PID namespace /proc/1/root is the host's "
	  "(CVE-2019-5736 overwrote runc through /proc/PID/exe). Link to the "
	  "container's own files, or /proc/self.",
	  rule_symlink_proc_root },
	{ "PC-MASK-NO-MOUNT", DIAG_WARNING, true,
	  "a mask or read-only path under /proc, /sys or /dev that no mount provides",
	  "The executor skips a missing path, so the mask silently does nothing; "
	  "when the mount is added later, the path is exposed. Add the mount or "
	  "drop the entry.",
	  rule_mask_no_mount },
	{ "PC-MASK-EMPTY-FS", DIAG_WARNING, true,
	  "a mask or read-only path inside a new, empty filesystem",
	  "A path inside a fresh tmpfs, mqueue or devpts does not exist when "
	  "masks apply, so the entry is skipped; whatever the container creates "
	  "there later is not covered. Fix the path, or drop the entry.",
	  rule_mask_empty_fs },
	{ "PC-READONLY-REDUNDANT", DIAG_NOTE, true,
	  "a read-only path that is read-only already",
	  "The path is inside another read-only path or on a mount already ro; "
	  "the entry costs ops and misleads readers. Drop it.",
	  rule_readonly_redundant },
	{ "PC-PROTECTION-CONDITIONAL", DIAG_WARNING, true,
	  "a mask or read-only path that a when: condition may skip",
	  "A condition other than the path's own existence (another path, a "
	  "file type, not:) leaves the path exposed on every host where it "
	  "fails. runc makes /dev/core only where /proc/kcore exists, and masks "
	  "/proc/kcore unconditionally. Condition it on the path itself, or "
	  "drop the when:.",
	  rule_protection_conditional },
	{ "PC-MOUNT-UNDER-READONLY", DIAG_WARNING, true,
	  "a writable mount beneath a read-only path, made read-only by it",
	  "A read-only path is recursive: every mount beneath it becomes "
	  "read-only too, so a tmpfs or bind written without ro there is not "
	  "writable in the container. Say so with ro, or list it as a writable "
	  "hole of the read-only path.",
	  rule_mount_under_readonly },
	{ "PC-OPTION-NO-EFFECT", DIAG_NOTE, true,
	  "an option that does nothing for that mount",
	  "Defaults written out (rw, suid, dev, exec, relatime on a new mount), "
	  "recursive variants on a new filesystem, atime options on a read-only "
	  "mount, nodiratime with noatime, optional on a non-bind. Drop them, "
	  "or fix the one that was meant.",
	  rule_option_no_effect },
	{ "PC-TMPFS-NO-SIZE", DIAG_NOTE, true,
	  "a writable tmpfs without size=",
	  "A tmpfs without a limit may grow to half of the host's memory; a "
	  "container can exhaust it. Give size=.",
	  rule_tmpfs_no_size },
	{ "PC-PARAM-UNUSED", DIAG_NOTE, true,
	  "a declared parameter that nothing uses",
	  "A value given for it changes nothing in the compiled plan: the "
	  "reference was removed or misspelt. Use ${name} or drop the declaration.",
	  rule_param_unused },
	{ "PC-SUPPRESS-NO-REASON", DIAG_NOTE, true,
	  "a suppression without a reason",
	  "Write why the finding is accepted after the IDs "
	  "(# plan-check: disable=ID reason), so a reviewer can judge it.",
	  NULL },
	{ "PC-SUPPRESS-UNUSED", DIAG_NOTE, true,
	  "an inline suppression that matches no finding",
	  "The finding it was written for is gone (the plan or the rule "
	  "changed) or it sits on the wrong line; a stale suppression would "
	  "silently hide the next finding there. Remove it or move it.",
	  NULL },
	{ "PC-SUPPRESS-UNKNOWN", DIAG_WARNING, true,
	  "a suppression naming an unknown or unsuppressible rule",
	  "The ID is not a plan-check rule (compiler errors cannot be "
	  "suppressed); the suppression does nothing. Fix the ID.",
	  NULL },
};

const size_t n_rules = sizeof rules / sizeof rules[0];

/* The rule with id, or NULL. */
const struct rule *rule_find(const char *id)
{
	for (size_t i = 0; id && i < n_rules; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

/* The rules `mountplan compile` runs too: what compiles but does not do
 * what the plan seems to say (doc/rules.md, "At compile time"). */
static const char *const compile_rules[] = {
	"PC-MOUNT-UNDER-READONLY",   /* a writable mount made read-only */
	"PC-BIND-RO-NOT-RECURSIVE",  /* ro that leaves the submounts writable */
	"PC-MASK-NO-MOUNT",          /* a mask or read-only path that does nothing */
	"PC-MASK-EMPTY-FS",          /* one that never applies */
	"PC-PROTECTION-CONDITIONAL", /* one that a condition may skip */
	NULL
};

/* Does compile run rule r too?  See rules.h. */
bool rule_at_compile(const struct rule *r)
{
	for (size_t i = 0; compile_rules[i]; i++)
		if (strcmp(compile_rules[i], r->id) == 0)
			return true;
	return false;
}

/* New mounts of the types the walks look for, and their facts. */
static const struct {
	const char *type;
	uint32_t fact;
} fact_types[] = {
	{ "tmpfs", FACT_TMPFS }, { "ramfs", FACT_RAMFS }, { "sysfs", FACT_SYSFS },
	{ "cgroup", FACT_CGROUP }, { "cgroup2", FACT_CGROUP }, { "proc", FACT_PROC },
	{ "devpts", FACT_DEVPTS },
};

/* The fact of a new mount of fstype (one of fact_types), or 0. */
static uint32_t fs_fact(const char *fstype)
{
	for (size_t k = 0; k < sizeof fact_types / sizeof fact_types[0]; k++)
		if (strcmp(fstype, fact_types[k].type) == 0)
			return fact_types[k].fact;
	return 0;
}

/* The top directories of the host paths the rules compare a bind's
 * source with: host_match's lists, kernel_fs's hosts, host_interfaces
 * and runtime_socket_dirs, one path of each top ("/var/run" stands for
 * /var); a source under none of them matches none of those paths
 * (FACT_HOST).  So the rules that look a source up in those tables
 * test each bind's top directory once, not every table entry's in
 * every rule. */
struct host_tops {
	const char *path[32];
	size_t n;
	bool all; /* more tops than path holds: every source may match */
};

/* Add path's top directory to t, unless it has it. */
static void host_top_add(struct host_tops *t, const char *path)
{
	for (size_t k = 0; k < t->n; k++)
		if (same_top(path, t->path[k]))
			return;
	if (t->n < sizeof t->path / sizeof t->path[0])
		t->path[t->n++] = path;
	else
		t->all = true;
}

/* Fill t (struct host_tops). */
static void host_tops_of(struct host_tops *t)
{
	static const struct host_path *const lists[] = { runtime_paths, system_paths,
							  credential_paths, log_paths };

	t->n = 0;
	t->all = false;
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (const struct host_path *h = lists[l]; h->path; h++)
			host_top_add(t, h->path);
	for (size_t k = 0; k < sizeof kernel_fs / sizeof kernel_fs[0]; k++)
		if (kernel_fs[k].host)
			host_top_add(t, kernel_fs[k].host);
	for (size_t k = 0; k < sizeof host_interfaces / sizeof host_interfaces[0]; k++)
		host_top_add(t, host_interfaces[k].path);
	for (size_t k = 0; runtime_socket_dirs[k]; k++)
		host_top_add(t, runtime_socket_dirs[k]);
}

/* May source (a bind's) be at, beneath or above a path under one of
 * t's top directories?  (A relative source may: host_match compares it
 * whole.) */
static bool host_top(const struct host_tops *t, const char *source)
{
	if (source[0] != '/' || t->all)
		return true;
	for (size_t k = 0; k < t->n; k++)
		if (same_top(source, t->path[k]))
			return true;
	return false;
}

/* The facts of mount e (struct mount_facts), t the host paths' tops. */
static struct mount_facts mount_facts_of(const struct plan_entry *e, const struct host_tops *t)
{
	struct mount_facts f = { NULL, e->attr_set, 0 };

	if (e->is_bind && e->source.text) {
		f.is |= FACT_BIND;
		f.source = e->source.text;
		if (host_top(t, f.source))
			f.is |= FACT_HOST;
		if (credential_name_possible(f.source))
			f.is |= FACT_CRED_NAME;
	}
	if (is_pseudo_fs(e))
		f.is |= FACT_PSEUDO;
	if (e->cold->prop & MP_PROP_SHARED)
		f.is |= FACT_SHARED;
	if (e->is_bind && e->recursive && (e->attr_set & ~e->rattr_set & MP_ATTR_RDONLY))
		f.is |= FACT_RO_TOP;
	for (size_t k = 0; k < sizeof kernel_fs / sizeof kernel_fs[0]; k++)
		if (is_fs(e, kernel_fs[k].type))
			f.is |= FACT_KERNEL_FS;
	if (!e->is_bind)
		f.is |= fs_fact(mount_type(e));
	return f;
}

/* Run the enabled rules over plan; see rules.h. */
void rules_run(const struct plan *plan, const bool *enabled,
	       struct diag_sink *sink)
{
	struct rule_ctx ctx = {
		.plan = plan,
		.masks = path_index_of(plan, 1u << PLAN_MASK),
		.readonly = path_index_of(plan, 1u << PLAN_READONLY),
		.nodes = path_index_of(plan, (1u << PLAN_MOUNT) | (1u << PLAN_DEVICE) |
						(1u << PLAN_SYMLINK)),
	};
	struct host_tops tops;

	host_tops_of(&tops);
	ctx.mounts = path_index_filter(&ctx.nodes, 1u << PLAN_MOUNT); /* one sort */
	ctx.writable = xcalloc(plan->n_entries + 1, 1);
	ctx.facts = xcalloc(ctx.mounts.n + 1, sizeof(*ctx.facts));
	for (size_t i = 0; i < ctx.mounts.n; i++)
		ctx.facts[i] = mount_facts_of(ctx.mounts.v[i], &tops);
	ctx.kinds = xcalloc(plan->n_entries + 1, 1);
	for (size_t i = 0; i < plan->n_entries; i++)
		ctx.kinds[i] = (uint8_t)(plan->entries[i].kind |
					 (live(&plan->entries[i]) ? 0 : ENTRY_DEAD));

	for (size_t i = 0; i < n_rules; i++)
		if (enabled[i] && rules[i].check)
			rules[i].check(&ctx, &rules[i], sink);
	free(ctx.mounts.v);
	free(ctx.masks.v);
	free(ctx.readonly.v);
	free(ctx.nodes.v);
	free(ctx.writable);
	free(ctx.facts);
	free(ctx.kinds);
}

/* The section of doc that starts with the line "<marks> id" (exactly),
 * up to the next heading of that level or above; malloc'd, or NULL. */
static char *doc_section(const char *doc, const char *marks, const char *id)
{
	size_t nm = strlen(marks), ni = strlen(id);
	const char *start = NULL, *p;

	for (p = doc; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		bool heading = p[0] == '#';

		if (start && heading) {
			size_t level = strspn(p, "#");
			if (level <= nm && p[level] == ' ')
				break;
		}
		if (!start && strncmp(p, marks, nm) == 0 && p[nm] == ' ' &&
		    strncmp(p + nm + 1, id, ni) == 0 &&
		    (p[nm + 1 + ni] == '\n' || p[nm + 1 + ni] == 0))
			start = p;
	}
	if (!start)
		return NULL;
	while (p - start > 1 && p[-1] == '\n' && p[-2] == '\n')
		p--; /* drop trailing blank lines, keep one newline */
	return xstrndup(start, (size_t)(p - start));
}

/* The documentation page of id; see rules.h. */
char *rule_doc_page(const char *id)
{
	char *page = doc_section(doc_rules_md, "##", id);

	return page ? page : doc_section(doc_diagnostics_md, "###", id);
}
