/*
 * check_simulate.c: the predicted mount table (simulate.c) on op programs
 * built op by op, one test per rule of the model: new filesystems and
 * binds (known and inherited attributes), propagation (root, shared
 * parents, recursive), READONLY clones (the tree beneath, hidden mounts,
 * conditional paths), holes, masks (the two cases), SETATTR (recursive,
 * not into hidden mounts), the mount that shows a path (stacked mounts),
 * devices bound from the host.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "check_run.h"
#include "mpb.h"
#include "paths.h"
#include "prog.h"
#include "simulate.h"

/* A program being built and its simulation. */
struct sim_case {
	struct prog prog;
	uint8_t *buf;
	struct mpb mpb;
	struct sim_table t;
};

/* Each test's program and simulation (freed after each test). */
static struct sim_case c;

/* Start a program with ROOTFS (propagation prop) as op 0. */
static void start(struct sim_case *sc, uint32_t prop)
{
	struct mp_op op = { .opcode = MP_OP_ROOTFS, .propagation = prop };

	memset(sc, 0, sizeof(*sc));
	prog_init(&sc->prog);
	prog_add(&sc->prog, &op, "t.yaml", 1, 1);
}

/* Append op with its strings interned. */
static void add(struct sim_case *sc, uint16_t opcode, uint16_t flags, const char *target,
		const char *source, const char *fstype, uint32_t set, uint32_t clr,
		uint32_t prop, uint32_t aux)
{
	struct mp_op op = { .opcode = opcode, .flags = flags };

	op.target = prog_str(&sc->prog, target);
	op.source = prog_str(&sc->prog, source);
	op.fstype = prog_str(&sc->prog, fstype);
	op.attr_set = set;
	op.attr_clr = clr;
	op.propagation = prop;
	op.aux = aux;
	prog_add(&sc->prog, &op, "t.yaml", (uint32_t)sc->prog.n_ops + 1, 1);
}

/* A new filesystem at target. */
static void fs(struct sim_case *sc, const char *target, const char *type, uint32_t set,
	       uint32_t prop)
{
	add(sc, MP_OP_MOUNT, MP_F_MKDIR, target, type, type, set, 0, prop, 0);
}

/* A character device node at target (1:3) with flags. */
static void node(struct sim_case *sc, const char *target, uint16_t flags)
{
	struct mp_op op = { .opcode = MP_OP_MKNOD, .flags = flags };

	op.target = prog_str(&sc->prog, target);
	op.mode = MP_IFCHR | 0666;
	op.major = 1;
	op.minor = 3;
	prog_add(&sc->prog, &op, "t.yaml", (uint32_t)sc->prog.n_ops + 1, 1);
}

/* Serialize, check with the executor's decoder, simulate (a PIVOT is
 * added when the program has none). */
static void run(struct sim_case *sc)
{
	struct mpb_error err;
	bool pivot = false;
	size_t len;

	for (size_t i = 0; i < sc->prog.n_ops; i++)
		pivot |= sc->prog.ops[i].opcode == MP_OP_PIVOT;
	if (!pivot)
		add(sc, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, 0, 0, 0, 0);

	ck_assert_int_eq(prog_serialize(&sc->prog, &sc->buf, &len), 0);
	ck_assert_msg(mpb_open(&sc->mpb, sc->buf, len, &err) == 0, "mpb_open: %s (op %ld)",
		      err.what, err.op);
	simulate_mpb(&sc->mpb, &sc->t);
}

/* After each test: free everything c holds. */
static void teardown(void)
{
	sim_table_free(&c.t);
	prog_free(&c.prog);
	free(c.buf);
	memset(&c, 0, sizeof(c));
}

/* The option words of mount i. */
static const char *words(const struct sim_case *sc, size_t i)
{
	static char buf[256];

	sim_option_words(&sc->t.mounts[i], buf, sizeof buf);
	return buf;
}

START_TEST(new_fs_knows_every_attribute)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	fs(&c, "/proc", "proc", MP_ATTR_NOSUID | MP_ATTR_NODEV | MP_ATTR_NOEXEC, 0);
	fs(&c, "/dev", "tmpfs", MP_ATTR_NOSUID | MP_ATTR_STRICTATIME, 0);
	run(&c);
	ck_assert_uint_eq(c.t.n, 3);
	ck_assert_str_eq(c.t.mounts[0].target, "/");
	ck_assert_uint_eq(c.t.mounts[0].known, 0); /* the host decides */
	ck_assert_uint_eq(c.t.mounts[0].propagation, MP_PROP_SLAVE);
	ck_assert_str_eq(c.t.mounts[1].fstype, "proc");
	ck_assert_str_eq(words(&c, 1), "rw,nosuid,nodev,noexec,relatime");
	ck_assert_str_eq(words(&c, 2), "rw,nosuid,strictatime");
	ck_assert_uint_eq(c.t.mounts[1].propagation, MP_PROP_PRIVATE);
	ck_assert_int_eq(c.t.mounts[1].parent, 0);
}
END_TEST

START_TEST(bind_inherits_what_it_does_not_set)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	add(&c, MP_OP_BIND, MP_F_MKDIR | MP_F_RECURSIVE, "/data", "/srv", NULL,
	    MP_ATTR_RDONLY, MP_ATTR_NOSUID, 0, 0);
	add(&c, MP_OP_BIND, MP_F_MKDIR | MP_F_OPTIONAL, "/etc/hosts", "/etc/hosts", NULL, 0, 0,
	    0, 0);
	run(&c);
	ck_assert_ptr_null(c.t.mounts[1].fstype);
	ck_assert_str_eq(words(&c, 1), "ro"); /* nosuid cleared: shown as nothing */
	ck_assert(!(c.t.mounts[1].attrs & MP_ATTR_NOSUID));
	ck_assert(c.t.mounts[1].known & MP_ATTR_NOSUID);
	ck_assert(!(c.t.mounts[1].known & MP_ATTR_NODEV));
	ck_assert(c.t.mounts[1].open_below);
	ck_assert_uint_eq(c.t.mounts[1].propagation, MP_PROP_SLAVE); /* a host mount's */
	ck_assert_int_eq(c.t.mounts[2].cond, SIM_IF_SOURCE);
	ck_assert(!c.t.mounts[2].open_below);
}
END_TEST

START_TEST(shared_parent_shares_children)
{
	start(&c, MP_PROP_PRIVATE | MP_PROP_REC);
	fs(&c, "/mnt", "tmpfs", 0, MP_PROP_SHARED);
	fs(&c, "/mnt/a", "tmpfs", 0, 0);
	fs(&c, "/other", "tmpfs", 0, 0);
	add(&c, MP_OP_SETATTR, MP_F_ATTR_RECURSIVE, "/mnt", NULL, NULL, 0, 0,
	    MP_PROP_UNBINDABLE | MP_PROP_REC, 0);
	run(&c);
	ck_assert_uint_eq(c.t.mounts[0].propagation, MP_PROP_PRIVATE);
	ck_assert_uint_eq(c.t.mounts[3].propagation, MP_PROP_PRIVATE);
	/* /mnt/a was shared when attached, then the recursive change reached it */
	ck_assert_uint_eq(c.t.mounts[1].propagation, MP_PROP_UNBINDABLE);
	ck_assert_uint_eq(c.t.mounts[2].propagation, MP_PROP_UNBINDABLE);
}
END_TEST

START_TEST(shared_parent_at_attach)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	fs(&c, "/mnt", "tmpfs", 0, MP_PROP_SHARED);
	fs(&c, "/mnt/a", "tmpfs", 0, 0);
	run(&c);
	ck_assert_uint_eq(c.t.mounts[2].propagation, MP_PROP_SHARED);
}
END_TEST

START_TEST(readonly_clones_the_tree_beneath)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	fs(&c, "/proc", "proc", MP_ATTR_NOSUID, 0);
	add(&c, MP_OP_BIND, MP_F_MKDIR, "/proc/sys/fs/binfmt_misc", "/x", NULL, 0, 0, 0, 0);
	fs(&c, "/tmp", "tmpfs", 0, 0);
	add(&c, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_READONLY, 0, "/proc", NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_READONLY, 0, "/proc/sys/kernel", NULL, NULL, 0, 0, 0, 0);
	run(&c);
	ck_assert_uint_eq(c.t.n, 7);
	/* the originals stay, writable, under the clones */
	ck_assert_str_eq(words(&c, 1), "rw,nosuid,relatime");
	ck_assert_str_eq(c.t.mounts[4].target, "/proc");
	ck_assert_str_eq(words(&c, 4), "ro,nosuid,relatime");
	ck_assert_int_eq(c.t.mounts[4].parent, 1);
	ck_assert_int_eq(c.t.mounts[4].cond, SIM_ALWAYS); /* a mount point exists */
	ck_assert_str_eq(c.t.mounts[5].target, "/proc/sys/fs/binfmt_misc");
	ck_assert_int_eq(c.t.mounts[5].kind, SIM_READONLY);
	ck_assert_int_eq(c.t.mounts[5].parent, 4);
	ck_assert(c.t.mounts[5].attrs & MP_ATTR_RDONLY);
	/* a path that is no mount point: a bind of the clone's subdirectory */
	ck_assert_str_eq(c.t.mounts[6].target, "/proc/sys/kernel");
	ck_assert_str_eq(c.t.mounts[6].fstype, "proc");
	ck_assert_int_eq(c.t.mounts[6].parent, 4);
	ck_assert_int_eq(c.t.mounts[6].cond, SIM_IF_PATH);
}
END_TEST

START_TEST(hole_stays_writable)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	fs(&c, "/proc", "proc", 0, 0);
	add(&c, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_HOLE_SAVE, 0, "/proc/1/attr", NULL, NULL, 0, 0, 0, 3);
	add(&c, MP_OP_READONLY, 0, "/proc", NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_HOLE_RESTORE, 0, "/proc/1/attr", NULL, NULL, 0, 0, 0, 3);
	run(&c);
	ck_assert_uint_eq(c.t.n, 4);
	ck_assert_str_eq(c.t.mounts[3].target, "/proc/1/attr");
	ck_assert_int_eq(c.t.mounts[3].kind, SIM_HOLE);
	ck_assert_str_eq(words(&c, 3), "rw,relatime");
	ck_assert_int_eq(c.t.mounts[3].parent, 2); /* on the read-only clone */
}
END_TEST

START_TEST(mask_file_or_directory)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	fs(&c, "/proc", "proc", 0, 0);
	fs(&c, "/dev", "tmpfs", MP_ATTR_NOSUID | MP_ATTR_STRICTATIME, 0);
	node(&c, "/dev/null", MP_F_BIND_FALLBACK);
	add(&c, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_MASK, 0, "/proc/kcore", NULL, NULL, 0, 0, 0, 0);
	run(&c);
	ck_assert_uint_eq(c.t.n, 5);
	ck_assert_int_eq(c.t.mounts[3].cond, SIM_IF_NO_MKNOD);
	ck_assert_int_eq(c.t.mounts[4].kind, SIM_MASK);
	ck_assert_int_eq(c.t.mounts[4].cond, SIM_IF_PATH);
	ck_assert_str_eq(c.t.mounts[4].fstype, "tmpfs");
	ck_assert_str_eq(words(&c, 4), "ro");
	/* a file: the container's /dev/null, made by mknod on /dev's tmpfs */
	ck_assert(c.t.mounts[4].has_alt);
	ck_assert_str_eq(c.t.mounts[4].alt_fstype, "tmpfs");
	ck_assert_uint_eq(c.t.mounts[4].alt_attrs & MP_ATTR_NOSUID, MP_ATTR_NOSUID);
}
END_TEST

START_TEST(stacked_mount_hides_the_tree_beneath)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	fs(&c, "/a", "tmpfs", 0, 0);
	fs(&c, "/a/b", "proc", 0, 0);
	fs(&c, "/a", "sysfs", 0, 0); /* over /a: /a/b is hidden */
	add(&c, MP_OP_SETATTR, MP_F_ATTR_RECURSIVE, "/a", NULL, NULL, MP_ATTR_NOEXEC, 0, 0, 0);
	add(&c, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_READONLY, 0, "/a/b", NULL, NULL, 0, 0, 0, 0);
	run(&c);
	ck_assert_int_eq(c.t.mounts[3].parent, 1);
	ck_assert(c.t.mounts[3].attrs & MP_ATTR_NOEXEC);
	ck_assert(!(c.t.mounts[2].attrs & MP_ATTR_NOEXEC)); /* hidden: not reached */
	ck_assert(!(c.t.mounts[1].attrs & MP_ATTR_NOEXEC));
	/* /a/b shows sysfs now: the read-only bind clones that */
	ck_assert_str_eq(c.t.mounts[4].target, "/a/b");
	ck_assert_str_eq(c.t.mounts[4].fstype, "sysfs");
	ck_assert_int_eq(c.t.mounts[4].parent, 3);
}
END_TEST

START_TEST(devices_and_cgroups)
{
	start(&c, MP_PROP_SLAVE | MP_PROP_REC);
	node(&c, "/dev/fuse", MP_F_BIND_ONLY);
	node(&c, "/dev/zero", 0);
	add(&c, MP_OP_SYMLINK, 0, "/dev/fd", "/proc/self/fd", NULL, 0, 0, 0, 0);
	add(&c, MP_OP_CGROUP, MP_F_MKDIR, "/sys/fs/cgroup", NULL, "cgroup2", MP_ATTR_RDONLY, 0, 0,
	    0);
	add(&c, MP_OP_PIVOT, MP_F_PIVOT_ROOT, NULL, NULL, NULL, 0, 0, 0, 0);
	add(&c, MP_OP_SETATTR, 0, "/", NULL, NULL, MP_ATTR_RDONLY, 0, 0, 0);
	run(&c);
	ck_assert_uint_eq(c.t.n, 3);
	ck_assert_int_eq(c.t.mounts[1].kind, SIM_DEVICE);
	ck_assert_int_eq(c.t.mounts[1].cond, SIM_ALWAYS);
	ck_assert_str_eq(c.t.mounts[1].source, "/dev/fuse");
	ck_assert_int_eq(c.t.mounts[2].kind, SIM_CGROUP);
	ck_assert_str_eq(c.t.mounts[2].fstype, "cgroup2");
	ck_assert_str_eq(c.t.mounts[2].alt_fstype, "tmpfs");
	ck_assert(c.t.mounts[2].open_below);
	ck_assert_str_eq(words(&c, 0), "ro"); /* the read-only root */
}
END_TEST

START_TEST(path_under)
{
	ck_assert(path_at_or_beneath("/a/b", "/a"));
	ck_assert(path_at_or_beneath("/a", "/a"));
	ck_assert(!path_at_or_beneath("/ab", "/a"));
	ck_assert(path_at_or_beneath("/x", "/"));
	ck_assert(!path_at_or_beneath("/a", "/a/b"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("simulate");
	TCase *tc = tcase_create("simulate");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, new_fs_knows_every_attribute);
	tcase_add_test(tc, bind_inherits_what_it_does_not_set);
	tcase_add_test(tc, shared_parent_shares_children);
	tcase_add_test(tc, shared_parent_at_attach);
	tcase_add_test(tc, readonly_clones_the_tree_beneath);
	tcase_add_test(tc, hole_stays_writable);
	tcase_add_test(tc, mask_file_or_directory);
	tcase_add_test(tc, stacked_mount_hides_the_tree_beneath);
	tcase_add_test(tc, devices_and_cgroups);
	tcase_add_test(tc, path_under);
	suite_add_tcase(s, tc);
	return check_run(s);
}
