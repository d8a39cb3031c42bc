/*
 * check_emit.c: lower + serialize + mpb_open round trip (the decoder the
 * executor uses accepts what the compiler writes, op for op), determinism,
 * and emit_mpb's replace-or-nothing write.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_run.h"
#include "mpb.h"
#include "passes.h"
#include "plan_fixture.h"
#include "prog.h"

/* A plan using every op: dev standard, a bind with mixed recursive
 * attributes, cgroup, a read-only path with a hole, masks, ro root. */
static struct plan *full_plan(void)
{
	struct plan *plan = fx_plan();
	struct plan_entry *e;

	plan->dev_standard = true;
	plan->rootfs_readonly = true;
	plan->rootfs_path = fx_str("/srv/rootfs", 3, 9);
	plan->cwd = fx_str("/tmp", 8, 8);
	fx_mount(plan, "/proc", "proc", NULL, "nosuid,noexec,nodev");
	fx_mount(plan, "/data", "bind", "/srv/data", "rbind,ro,rnosuid");
	fx_mount(plan, "/sys/fs/cgroup", "cgroup2", NULL, "nosuid,rro");
	fx_mount(plan, "/sys", "sysfs", NULL, "ro");
	fx_mount(plan, "/tmp", "tmpfs", NULL, "tmpcopyup,size=1m,mode=1777");
	e = fx_mount(plan, "/home", "bind", "/srv/home", "idmap");
	plan_rare(e)->uidmap = fx_str("0:1000:1", FX_LINE(5), 60);
	plan_rare(e)->gidmap = fx_str("0:1000:1", FX_LINE(5), 70);
	fx_device(plan, "/dev/fuse", "c", 10, 229);
	fx_readonly(plan, "/proc", "/proc/1/attr", NULL);
	fx_mask(plan, "/proc/kcore");
	return plan;
}

/* Compile plan to bytes (normalize, validate, order, lower, serialize). */
static void compile_bytes(struct plan *plan, uint8_t **buf, size_t *len)
{
	struct diag_sink sink;
	struct prog *prog;

	fx_check(plan, &sink);
	ck_assert_msg(sink.n == 0, "%s", sink.n ? sink.items[0].message : "");
	order_plan(plan);
	prog = lower_plan(plan);
	ck_assert_int_eq(prog_serialize(prog, buf, len), 0);
	prog_free(prog);
	free(prog);
	diag_free(&sink);
}

START_TEST(round_trip)
{
	struct plan *plan = full_plan();
	uint8_t *buf;
	size_t len;
	struct mpb mpb;
	struct mpb_error err = { 0 };
	struct mp_op op;
	struct mp_srcpos pos;
	int seen[MP_OP_MAX] = { 0 };
	uint32_t pivot = 0;

	compile_bytes(plan, &buf, &len);
	ck_assert_msg(mpb_open(&mpb, buf, len, &err) == 0, "%s at op %ld", err.what, err.op);
	ck_assert_str_eq(mpb_str(&mpb, mpb.name), "test");
	mpb_op(&mpb, 0, &op);
	ck_assert_uint_eq(op.opcode, MP_OP_ROOTFS);
	ck_assert_str_eq(mpb_str(&mpb, op.source), "/srv/rootfs");
	for (uint32_t i = 0; i < mpb.op_count; i++) {
		mpb_op(&mpb, i, &op);
		mpb_srcpos(&mpb, i, &pos);
		ck_assert_str_eq(mpb_str(&mpb, pos.file), FX_FILE);
		seen[op.opcode]++;
		if (op.opcode == MP_OP_PIVOT)
			pivot = i;
		if (op.opcode == MP_OP_BIND && strcmp(mpb_str(&mpb, op.target), "/data") == 0) {
			ck_assert_uint_eq(op.flags, MP_F_MKDIR | MP_F_RECURSIVE);
			ck_assert_uint_eq(op.attr_set, MP_ATTR_RDONLY | MP_ATTR_NOSUID);
			ck_assert_uint_eq(pos.line, FX_LINE(1));
			mpb_op(&mpb, i + 1, &op); /* the recursive part */
			ck_assert_uint_eq(op.opcode, MP_OP_SETATTR);
			ck_assert_uint_eq(op.attr_set, MP_ATTR_NOSUID);
			ck_assert_uint_eq(op.flags, MP_F_ATTR_RECURSIVE);
		}
		if (op.opcode == MP_OP_MKNOD && strcmp(mpb_str(&mpb, op.target), "/dev/fuse") == 0) {
			ck_assert_uint_eq(op.mode, MP_IFCHR | 0666);
			ck_assert_uint_eq(op.major, 10);
			ck_assert_uint_eq(op.minor, 229);
			ck_assert_uint_eq(op.flags, MP_F_BIND_FALLBACK);
		}
	}
	ck_assert_int_eq(seen[MP_OP_ROOTFS], 1);
	ck_assert_int_eq(seen[MP_OP_PIVOT], 1);
	ck_assert_int_eq(seen[MP_OP_MOUNT], 6); /* proc sys tmp + dev pts shm */
	ck_assert_int_eq(seen[MP_OP_BIND], 2);
	ck_assert_int_eq(seen[MP_OP_CGROUP], 1);
	ck_assert_int_eq(seen[MP_OP_MKNOD], 7);
	ck_assert_int_eq(seen[MP_OP_SYMLINK], 5);
	ck_assert_int_eq(seen[MP_OP_HOLE_SAVE], 1);
	ck_assert_int_eq(seen[MP_OP_READONLY], 1);
	ck_assert_int_eq(seen[MP_OP_HOLE_RESTORE], 1);
	ck_assert_int_eq(seen[MP_OP_MASK], 1);
	ck_assert_int_eq(seen[MP_OP_SETATTR], 2); /* /data's recursive part, ro root */
	ck_assert_int_eq(seen[MP_OP_UMASK], 1);
	ck_assert_int_eq(seen[MP_OP_CHDIR], 1);
	/* after PIVOT: HOLE_SAVE READONLY HOLE_RESTORE MASK SETATTR UMASK CHDIR */
	ck_assert_uint_eq(mpb.op_count - pivot, 8);
	mpb_op(&mpb, mpb.op_count - 3, &op);
	ck_assert_uint_eq(op.opcode, MP_OP_SETATTR);
	ck_assert_str_eq(mpb_str(&mpb, op.target), "/");
	mpb_op(&mpb, mpb.op_count - 2, &op);
	ck_assert_uint_eq(op.mode, 022);
	free(buf);
	plan_free(plan);
}
END_TEST

/* The ops plan lowers to with target path and opcode: how many, and the
 * last one's attributes and flags in *last. */
static int ops_at(struct plan *plan, const char *path, unsigned opcode, struct mp_op *last)
{
	uint8_t *buf;
	size_t len;
	struct mpb mpb;
	struct mpb_error err = { 0 };
	int n = 0;

	compile_bytes(plan, &buf, &len);
	ck_assert_msg(mpb_open(&mpb, buf, len, &err) == 0, "%s at op %ld", err.what, err.op);
	for (uint32_t i = 0; i < mpb.op_count; i++) {
		struct mp_op op;

		mpb_op(&mpb, i, &op);
		if (op.opcode == opcode && strcmp(mpb_str(&mpb, op.target), path) == 0) {
			*last = op;
			n++;
		}
	}
	free(buf);
	return n;
}

/* A read-only path of exactly a bind's target is the bind's own
 * read-only attribute (one BIND op, no READONLY), on an rbind's whole
 * tree; where something needs the order between them it stays a
 * READONLY after PIVOT. */
START_TEST(readonly_folds_into_bind)
{
	struct plan *plan = fx_plan();
	struct plan_entry *e;
	struct mp_op op;
	size_t *fold;

	plan->rootfs_path = fx_str("/srv/rootfs", 3, 9);
	fx_mount(plan, "/a", "bind", "/srv/a", NULL);
	fx_mount(plan, "/r", "bind", "/srv/r", "rbind");
	fx_mount(plan, "/rr", "bind", "/srv/rr", "rbind,rnosuid");
	fx_mount(plan, "/rw", "bind", "/srv/rw", "rw,nodev");
	fx_mount(plan, "/top", "bind", "/srv/top", "rbind,nosuid"); /* top only: no */
	e = fx_mount(plan, "/opt", "bind", "/srv/opt", NULL);    /* optional: no */
	e->cold->optional = true;
	fx_mount(plan, "/dev2", "bind", "/srv/dev2", NULL);      /* a node beneath: no */
	fx_device(plan, "/dev2/null", "c", 1, 3);
	fx_mount(plan, "/holey", "bind", "/srv/holey", NULL);    /* a hole: no */
	fx_mount(plan, "/cond", "bind", "/srv/cond", NULL);      /* a conditional path: no */
	fx_mount(plan, "/sub", "bind", "/srv/sub", NULL);        /* beneath: folds */
	fx_readonly(plan, "/a", NULL);
	fx_readonly(plan, "/r", NULL);
	fx_readonly(plan, "/rr", NULL);
	fx_readonly(plan, "/rw", NULL);
	fx_readonly(plan, "/top", NULL);
	fx_readonly(plan, "/opt", NULL);
	fx_readonly(plan, "/dev2", NULL);
	fx_readonly(plan, "/holey", "/holey/w", NULL);
	e = fx_readonly(plan, "/cond", NULL);
	plan_rare(e)->when.path = fx_str("/srv", FX_LINE(20), 30);
	fx_readonly(plan, "/sub", NULL);
	fx_mask(plan, "/sub/secret");

	ck_assert_int_eq(ops_at(plan, "/a", MP_OP_BIND, &op), 1);
	ck_assert_uint_eq(op.attr_set, MP_ATTR_RDONLY);
	ck_assert_uint_eq(op.flags, MP_F_MKDIR);
	ck_assert_int_eq(ops_at(plan, "/a", MP_OP_READONLY, &op), 0);
	ck_assert_int_eq(ops_at(plan, "/r", MP_OP_BIND, &op), 1);
	ck_assert_uint_eq(op.attr_set, MP_ATTR_RDONLY);
	ck_assert_uint_eq(op.flags, MP_F_MKDIR | MP_F_RECURSIVE | MP_F_ATTR_RECURSIVE);
	ck_assert_int_eq(ops_at(plan, "/r", MP_OP_READONLY, &op), 0);
	ck_assert_int_eq(ops_at(plan, "/rr", MP_OP_BIND, &op), 1);
	ck_assert_uint_eq(op.attr_set, MP_ATTR_RDONLY | MP_ATTR_NOSUID);
	ck_assert_uint_eq(op.flags, MP_F_MKDIR | MP_F_RECURSIVE | MP_F_ATTR_RECURSIVE);
	ck_assert_int_eq(ops_at(plan, "/rw", MP_OP_BIND, &op), 1);
	ck_assert_uint_eq(op.attr_set, MP_ATTR_RDONLY | MP_ATTR_NODEV);
	ck_assert_uint_eq(op.attr_clr & MP_ATTR_RDONLY, 0);
	ck_assert_int_eq(ops_at(plan, "/rw", MP_OP_READONLY, &op), 0);
	ck_assert_int_eq(ops_at(plan, "/sub", MP_OP_READONLY, &op), 0);
	ck_assert_int_eq(ops_at(plan, "/sub/secret", MP_OP_MASK, &op), 1);
	for (const char *const *t = (const char *const[]){ "/top", "/opt", "/dev2", "/holey",
							     "/cond", NULL }; *t; t++) {
		ck_assert_msg(ops_at(plan, *t, MP_OP_READONLY, &op) == 1, "%s folded", *t);
		ck_assert_uint_eq(op.attr_set, 0);
		ck_assert_int_eq(ops_at(plan, *t, MP_OP_BIND, &op), 1);
		ck_assert_msg(!(op.attr_set & MP_ATTR_RDONLY), "%s read-only", *t);
	}
	/* lower_folds pairs them both ways */
	fold = lower_folds(plan);
	for (size_t i = 0; i < plan->n_entries; i++) {
		const struct plan_entry *x = &plan->entries[i];
		bool want = strcmp(x->target.text, "/a") == 0 || strcmp(x->target.text, "/r") == 0 ||
			    strcmp(x->target.text, "/rr") == 0 || strcmp(x->target.text, "/rw") == 0 ||
			    strcmp(x->target.text, "/sub") == 0;

		ck_assert_msg((fold[i] != 0) == (want && x->kind != PLAN_MASK), "%s", x->target.text);
		if (fold[i])
			ck_assert_uint_eq(fold[fold[i] - 1], i + 1);
	}
	free(fold);
	plan_free(plan);
}
END_TEST

START_TEST(same_plan_same_bytes)
{
	struct plan *a = full_plan(), *b = full_plan();
	uint8_t *x, *y;
	size_t nx, ny;

	compile_bytes(a, &x, &nx);
	compile_bytes(b, &y, &ny);
	ck_assert_uint_eq(nx, ny);
	ck_assert(memcmp(x, y, nx) == 0);
	free(x);
	free(y);
	plan_free(a);
	plan_free(b);
}
END_TEST

START_TEST(emit_replaces_whole)
{
	char dir[] = "/tmp/check_emit.XXXXXX";
	char *out;
	struct plan *plan = full_plan();
	struct diag_sink sink;
	struct prog *prog;
	struct stat st;
	uint8_t *buf;
	size_t len;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ne(asprintf(&out, "%s/plan.mpb", dir), -1);
	fd = open(out, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_eq(write(fd, "old", 3), 3);
	close(fd);
	fx_check(plan, &sink);
	order_plan(plan);
	prog = lower_plan(plan);
	ck_assert_int_eq(emit_mpb(prog, out), 0);
	ck_assert_int_eq(prog_serialize(prog, &buf, &len), 0);
	ck_assert_int_eq(stat(out, &st), 0);
	ck_assert_uint_eq((size_t)st.st_size, len);
	ck_assert_uint_eq(st.st_mode & 0022, 0); /* never writable by others */
	/* a directory that does not exist: nothing is created, -1 */
	{
		char *bad;
		ck_assert_int_ne(asprintf(&bad, "%s/no/such/dir/x.mpb", dir), -1);
		ck_assert_int_eq(emit_mpb(prog, bad), -1);
		free(bad);
	}
	unlink(out);
	ck_assert_int_eq(rmdir(dir), 0); /* no temporary left behind */
	free(buf);
	free(out);
	prog_free(prog);
	free(prog);
	plan_free(plan);
	diag_free(&sink);
}
END_TEST

/* A small deterministic PRNG (xorshift32). */
static uint32_t rnd(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* Random plans from a small vocabulary of paths, types and options: every
 * one that validates without error must lower to a program the executor's
 * decoder accepts, with parents before children in each phase. */
START_TEST(random_plans_decode)
{
	static const char *const paths[] = {
		"/", "/a", "/a/b", "/a/b/c", "/a/bc", "/d", "/d/e", "/proc",
		"/proc/sys", "/proc/meminfo", "/dev", "/dev/null", "/dev/shm", "/x-y",
	};
	static const char *const types[] = { "tmpfs", "proc", "bind", "cgroup2",
					     "sysfs", "overlay", "ext4", "devpts" };
	static const char *const opts[] = {
		NULL, "ro", "nosuid,nodev", "rbind,rro", "rbind,ro,rnosuid", "tmpcopyup",
		"noatime", "relatime", "rshared", "size=1m,mode=755", "bind,private",
		"strictatime,nodiratime", "sync", "rrw,rbind", "nosymfollow",
	};
	uint32_t state = 12345;
	size_t n_paths = sizeof paths / sizeof paths[0];
	int compiled = 0;

	for (int round = 0; round < 3000; round++) {
		struct plan *plan = fx_plan();
		struct diag_sink sink;
		int n = 1 + (int)(rnd(&state) % 12);

		plan->dev_standard = rnd(&state) % 4 == 0;
		plan->rootfs_readonly = rnd(&state) % 2;
		for (int k = 0; k < n; k++) {
			const char *path = paths[rnd(&state) % n_paths];
			const char *type = types[rnd(&state) % (sizeof types / sizeof types[0])];

			switch (rnd(&state) % 6) {
			case 0:
			case 1:
				fx_mount(plan, path, type,
					 strcmp(type, "bind") == 0 || rnd(&state) % 3 == 0 ? "/srv/x" : NULL,
					 opts[rnd(&state) % (sizeof opts / sizeof opts[0])]);
				break;
			case 2:
				fx_device(plan, path, rnd(&state) % 2 ? "c" : "b", 1, 3);
				break;
			case 3:
				fx_symlink(plan, path, "target");
				break;
			case 4:
				fx_mask(plan, path);
				break;
			default:
				fx_readonly(plan, path, rnd(&state) % 2 ? "/a/b" : NULL, NULL);
				break;
			}
		}
		fx_check(plan, &sink);
		order_plan(plan);
		if (diag_count_at_least(&sink, DIAG_ERROR) == 0) {
			struct prog *prog = lower_plan(plan);
			struct mpb mpb;
			struct mpb_error err = { 0 };
			uint8_t *buf;
			size_t len;

			ck_assert_int_eq(prog_serialize(prog, &buf, &len), 0);
			ck_assert_msg(mpb_open(&mpb, buf, len, &err) == 0,
				      "round %d: decoder refuses op %ld: %s", round, err.op, err.what);
			/* no mount comes before a mount it lies beneath */
			for (size_t i = 1; i < plan->n_entries; i++)
				for (size_t j = 0; j < i; j++) {
					const struct plan_entry *before = &plan->entries[j];
					const struct plan_entry *after = &plan->entries[i];
					const char *b = before->target.text, *a = after->target.text;
					size_t m = strlen(a);

					if (before->kind != PLAN_MOUNT || after->kind != PLAN_MOUNT)
						continue;
					ck_assert_msg(!(strncmp(b, a, m) == 0 && strcmp(a, b) != 0 &&
							(m == 1 || b[m] == '/')),
						      "round %d: %s before its parent %s", round, b, a);
				}
			free(buf);
			prog_free(prog);
			free(prog);
			compiled++;
		}
		plan_free(plan);
		diag_free(&sink);
	}
	ck_assert_int_gt(compiled, 300); /* the property was exercised */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("emit");
	TCase *tc = tcase_create("emit");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, readonly_folds_into_bind);
	tcase_add_test(tc, same_plan_same_bytes);
	tcase_add_test(tc, emit_replaces_whole);
	tcase_add_test(tc, random_plans_decode);
	suite_add_tcase(s, tc);
	return check_run(s);
}
