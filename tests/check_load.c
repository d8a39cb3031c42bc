/*
 * check_load.c: unit tests of the load pass (compiler/load.c): node
 * positions, UTF-8, BOM, line ends, duplicate keys, one document, empty
 * input, anchors and aliases, tags and keys, and every input limit.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "check_run.h"
#include "front_test.h"
#include "passes.h"
#include "util.h"

/* Each test's sink and tree (fresh for each test: front_tcase). */
static struct diag_sink sink;
static struct node *root;

/* Load len bytes of text into root, asserting that it gives a tree and
 * no diagnostic. */
static void load_clean(const char *text, size_t len)
{
	root = load_text(text, len, &sink, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(sink.n, 0);
}

/* load_clean of a NUL-terminated string. */
static void load_str_clean(const char *text)
{
	load_clean(text, strlen(text));
}

/* The value of key in a mapping node, or NULL. */
static const struct node *get(const struct node *map, const char *key)
{
	for (size_t i = 0; i < map->n_pairs; i++)
		if (strcmp(node_text(node_pairs(map)[i].key), key) == 0)
			return node_pairs(map)[i].value;
	return NULL;
}

/* The nodes of n's tree after alias expansion, n included (what the
 * loader counts against PLAN_MAX_NODES). */
static uint64_t expanded(const struct node *n)
{
	uint64_t count = 1;

	if (n->kind == NODE_SEQUENCE)
		for (size_t i = 0; i < n->n_items; i++)
			count += expanded(node_items(n)[i]);
	else if (n->kind == NODE_MAPPING)
		for (size_t i = 0; i < n->n_pairs; i++)
			count += 1 + expanded(node_pairs(n)[i].value);
	return count;
}

/* Seconds since an arbitrary point, monotonic. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Assert trees a and b alike: kinds, plainness, positions, texts. */
static void ck_same_tree(const struct node *a, const struct node *b, const char *what)
{
	ck_assert_msg(a->kind == b->kind && a->line == b->line && a->col == b->col &&
		      a->end_line == b->end_line && a->plain == b->plain,
		      "%s: node %u:%u (kind %d, plain %d, end %u) vs %u:%u (kind %d, plain %d, end %u)",
		      what, a->line, a->col, a->kind, a->plain, a->end_line, b->line, b->col,
		      b->kind, b->plain, b->end_line);
	if (a->kind == NODE_SCALAR) {
		ck_assert_msg(a->len == b->len && memcmp(node_text(a), node_text(b), a->len) == 0,
			      "%s: '%s' vs '%s'", what, node_text(a), node_text(b));
	} else if (a->kind == NODE_SEQUENCE) {
		ck_assert_uint_eq(a->n_items, b->n_items);
		for (size_t i = 0; i < a->n_items; i++)
			ck_same_tree(node_items(a)[i], node_items(b)[i], what);
	} else {
		ck_assert_uint_eq(a->n_pairs, b->n_pairs);
		for (size_t i = 0; i < a->n_pairs; i++) {
			const struct node_pair *p = &node_pairs(a)[i];

			ck_same_tree(p->key, node_pairs(b)[i].key, what);
			ck_same_tree(p->value, node_pairs(b)[i].value, what);
		}
	}
}

/* JSON that libyaml reads is read by json_read (compiler/json_read.c)
 * into the very tree libyaml gives, diagnostics at the same positions:
 * each text against itself made non-JSON by a trailing comment (which
 * sends it to libyaml). */
START_TEST(test_json_as_libyaml)
{
	static const char *const texts[] = {
		"{\"mountplan\":1,\"name\":\"x\",\"mounts\":[{\"target\":\"/tmp\",\"type\":\"tmpfs\"}]}",
		"{\n\t\"ociVersion\": \"1.0.2\",\n\t\"process\": {\n\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n\t\t\"cwd\": \"/\"\n\t}\n}\n",
		"{\r\n  \"a\": [1, -2.5e+3, 0, true, false, null, \"\"],\r\n  \"b\": {}\r\n}\r\n",
		"\xef\xbb\xbf{\"a\": \"\u00e9\\u00e9 \\/ \\\" \\\\ \\b\\f\\n\\r\\t \\u0041\"}",
		"[\n  {\"\u00e9\u00e9\": \"x\", \"k\": [[[]]]},\n  \"caf\u00e9\"\n]",
		"{\"a\": 1, \"a\": 2, \"b\": {\"c\": 1, \"c\": 1}}", /* MP-DUP-KEY twice */
		"  {\"a\"\t:\t[ 1 ,2 ] }  \n\n",
	};

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *yaml = xasprintf("%s\n# not JSON: libyaml's\n", texts[i]);
		struct diag_sink other;
		struct node *theirs;

		diag_init(&other);
		root = load_str(texts[i], &sink);
		theirs = load_str(yaml, &other);
		ck_assert_msg(root && theirs, "text %zu loads", i);
		ck_same_tree(root, theirs, texts[i]);
		ck_assert_uint_eq(sink.n, other.n);
		for (size_t k = 0; k < sink.n; k++) {
			ck_assert_str_eq(sink.items[k].id, other.items[k].id);
			ck_assert_uint_eq(sink.items[k].pos.line, other.items[k].pos.line);
			ck_assert_uint_eq(sink.items[k].pos.col, other.items[k].pos.col);
		}
		node_free(root);
		root = NULL;
		node_free(theirs);
		diag_free(&other);
		diag_free(&sink);
		diag_init(&sink);
		free(yaml);
	}
}
END_TEST

/* Valid JSON that libyaml refuses is read: a surrogate pair, a key and
 * its ':' on different lines, a key of 2000 characters; JSON libyaml
 * cannot have either (a lone surrogate) is libyaml's error, at its
 * position. */
START_TEST(test_json_libyaml_refuses)
{
	char *longkey = xcalloc(2001, 1);
	char *text;
	const struct node *v;

	load_str_clean("{\"s\": \"\\ud83d\\ude00 \\uD834\\uDD1E\", \"k\"\n  : 1}");
	ck_assert_str_eq(node_text(get(root, "s")), "\xf0\x9f\x98\x80 \xf0\x9d\x84\x9e");
	v = get(root, "k");
	ck_assert_uint_eq(v->line, 2);
	ck_assert_uint_eq(v->col, 5);
	node_free(root);
	memset(longkey, 'k', 2000);
	text = xasprintf("{\"a\": 1,\n\"%s\": [true]}", longkey);
	load_str_clean(text);
	v = get(root, longkey);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->line, 2);
	ck_assert_uint_eq(v->col, 2005);
	ck_assert(node_items(v)[0]->plain);
	free(text);
	free(longkey);
	node_free(root);
	root = load_str("{\"a\": 1,\n \"s\": \"x\\ud800\"}", &sink);
	ck_assert_ptr_null(root);
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_str_eq(sink.items[0].id, "MP-YAML");
	ck_assert_uint_eq(sink.items[0].pos.line, 2);
}
END_TEST

START_TEST(test_positions)
{
	const struct node *mounts, *m, *opts;

	load_str_clean("mountplan: 1\n"
		       "name:   spaced\n"
		       "mounts:\n"
		       "  - target: /proc\n"
		       "    options: [nosuid, \"nodev\"]\n"
		       "  - {target: /tmp}\n");
	ck_assert_int_eq(root->kind, NODE_MAPPING);
	ck_assert_at(*root, 1, 1);
	ck_assert_uint_eq(root->n_pairs, 3);
	ck_assert_at(*node_pairs(root)[1].key, 2, 1);
	ck_assert_str_eq(node_text(get(root, "name")), "spaced");
	ck_assert_uint_eq(get(root, "name")->col, 9);
	ck_assert(get(root, "name")->plain);
	mounts = get(root, "mounts");
	ck_assert_int_eq(mounts->kind, NODE_SEQUENCE);
	ck_assert_uint_eq(mounts->n_items, 2);
	m = node_items(mounts)[0];
	ck_assert_int_eq(m->kind, NODE_MAPPING);
	ck_assert_at(*m, 4, 5);
	ck_assert_at(*get(m, "target"), 4, 13);
	opts = get(m, "options");
	ck_assert_at(*opts, 5, 14);
	ck_assert_uint_eq(node_items(opts)[0]->col, 15);
	ck_assert_uint_eq(node_items(opts)[1]->col, 23);
	ck_assert(!node_items(opts)[1]->plain);
	m = node_items(mounts)[1];
	ck_assert_at(*m, 6, 5);
	ck_assert_uint_eq(get(m, "target")->col, 14);
	/* expanded: every node once (3 keys + 1 + 1, mounts: seq, 2 maps ...) */
	ck_assert_uint_eq(expanded(root), 17);
}
END_TEST

START_TEST(test_positions_crlf_and_utf8_columns)
{
	root = load_str("mountplan: 1\r\ndescription: \"\xc3\xa9t\xc3\xa9\"\r\nname: x\r\n", &sink);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(node_pairs(root)[2].key->line, 3);
	ck_assert_uint_eq(node_pairs(root)[2].value->col, 7);
	ck_assert_str_eq(node_text(node_pairs(root)[1].value), "\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(test_utf8_invalid)
{
	/* columns count characters: "é" is one */
	ck_assert_fails(load_str, "mountplan: 1\nname: \xc3\xa9\xff\n", "MP-UTF8", 2, 8);

	/* a surrogate, and a truncated sequence at the end of the file */
	ck_assert_ptr_null(load_str("a: \xed\xa0\x80\nb: \xe2\x82", &sink));
	ck_assert_uint_eq(sink.n, 2);
	ck_assert_int_ge(diag_find(&sink, "MP-UTF8", 1, 4), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-UTF8", 2, 4), 0);

	front_restart();
	/* UTF-16 with its BOM is not UTF-8 */
	ck_assert_ptr_null(load_text("\xff\xfe" "a\0:\0 \0" "1\0", 10, &sink, NULL));
	ck_assert_only(&sink, "MP-UTF8", 1, 1);
}
END_TEST

START_TEST(test_utf8_valid_four_bytes)
{
	load_str_clean("description: \"\xf0\x9f\x90\xa7 \xe2\x82\xac\"\n");
}
END_TEST

START_TEST(test_bom)
{
	load_str_clean("\xef\xbb\xbfmountplan: 1\nname: x\n");
	ck_assert_str_eq(node_text(node_pairs(root)[0].key), "mountplan");
	ck_assert_at(*node_pairs(root)[0].key, 1, 1);
}
END_TEST

START_TEST(test_syntax_error)
{
	ck_assert_fails(load_str, "a: b\n c: d\n", "MP-YAML", 2, 3);

	ck_assert_ptr_null(load_str("a: \"unterminated\n", &sink));
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_int_eq(diag_find(&sink, "MP-YAML", 0, 0), 0);
}
END_TEST

START_TEST(test_dup_keys)
{
	const struct node *m;

	root = load_str("mountplan: 1\n"
			"mounts:\n"
			"  - target: /a\n"
			"    type: tmpfs\n"
			"    target: /b\n"
			"    x: {k: 1, j: 2, k: 3}\n"
			"mountplan: 2\n", &sink);
	ck_assert_ptr_nonnull(root); /* the tree stays usable */
	ck_assert_uint_eq(sink.n, 3);
	ck_assert_int_ge(diag_find(&sink, "MP-DUP-KEY", 5, 5), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-DUP-KEY", 6, 21), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-DUP-KEY", 7, 1), 0);
	ck_assert_ptr_nonnull(strstr(sink.items[diag_find(&sink, "MP-DUP-KEY", 5, 5)].message,
				     "first at line 3"));
	ck_assert_ptr_nonnull(strstr(sink.items[diag_find(&sink, "MP-DUP-KEY", 7, 1)].message,
				     "first at line 1"));
	/* the later pair is dropped, the first kept */
	ck_assert_uint_eq(root->n_pairs, 2);
	ck_assert_str_eq(node_text(get(root, "mountplan")), "1");
	m = node_items(get(root, "mounts"))[0];
	ck_assert_uint_eq(m->n_pairs, 3);
	ck_assert_str_eq(node_text(get(m, "target")), "/a");
	ck_assert_uint_eq(get(m, "x")->n_pairs, 2);
}
END_TEST

START_TEST(test_dup_keys_quoted_equal)
{
	root = load_str("name: a\n\"name\": b\n", &sink);
	ck_assert_ptr_nonnull(root);
	ck_assert_only(&sink, "MP-DUP-KEY", 2, 1);
}
END_TEST

START_TEST(test_dup_keys_many)
{
	size_t n = 100000, len = 0;
	char *text = xmalloc(n * 16 + 32);

	/* a huge mapping costs n log n: 100000 keys, every one twice */
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "k%zu: 1\n", i % (n / 2));
	root = load_text(text, len, &sink, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(sink.n, n / 2);
	ck_assert_uint_eq(root->n_pairs, n / 2);
	ck_assert_int_ge(diag_find(&sink, "MP-DUP-KEY", (uint32_t)(n / 2 + 1), 1), 0);
	free(text);
}
END_TEST

START_TEST(test_multi_doc)
{
	ck_assert_fails(load_str, "a: 1\n---\nb: 2\n", "MP-MULTI-DOC", 2, 1);
	ck_assert_fails(load_str, "--- a\n...\n--- b\n", "MP-MULTI-DOC", 3, 1);
}
END_TEST

START_TEST(test_one_explicit_document)
{
	load_str_clean("%YAML 1.1\n---\na: 1\n...\n");
	ck_assert_uint_eq(root->line, 3);
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_fails(load_str, "", "MP-EMPTY", 1, 1);
	ck_assert_fails(load_str, "\n# comment\n\n", "MP-EMPTY", 1, 1);
	ck_assert_fails(load_str, "---\n...\n", "MP-EMPTY", 1, 1);
}
END_TEST

/* A collection that ends before any child (the first thing in the file,
 * or inside one): no items, no pairs, and no pointer arithmetic on the
 * still-empty pending stack (UBSan: NULL + 0, memcpy from NULL; the
 * sanitizer build of tests/run-all.sh runs this). */
START_TEST(test_empty_collections)
{
	static const char *const texts[] = { "[]", "{}", "[[]]", "{a: {}}", "[{}, []]",
					     "a: []\nb: {}\n", "--- []\n" };

	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		const struct node *n;

		load_str_clean(texts[i]);
		n = root;
		while (n->kind == NODE_SEQUENCE && n->n_items)
			n = node_items(n)[0];
		while (n->kind == NODE_MAPPING && n->n_pairs)
			n = node_pairs(n)[0].value;
		ck_assert(n->kind == NODE_SEQUENCE ? n->n_items == 0 : n->n_pairs == 0);
		node_free(root);
		root = NULL;
		diag_free(&sink);
		diag_init(&sink);
	}
}
END_TEST

START_TEST(test_aliases_shared)
{
	const struct node *a, *b;

	load_str_clean("a: &x [p, q, r]\nb: *x\nc: *x\n");
	a = get(root, "a");
	b = get(root, "b");
	ck_assert_ptr_eq(a, b); /* shared, not copied */
	ck_assert_uint_eq(expanded(a), 4);
	ck_assert_uint_eq(expanded(root), 1 + 3 + 3 * 4);
}
END_TEST

/* node_free_between frees the blocks that hold only a sequence's first
 * items (what lies before item i), and nothing of a document with an
 * alias; what it keeps stays readable and node_free frees the rest
 * (the sanitizer build sees a read of freed memory or a leak). */
START_TEST(test_free_between)
{
	size_t len = 0, cap = 3 + 3000 * 24;
	char *text = xmalloc(cap);
	const struct node *s;
	size_t freed;

	len += (size_t)snprintf(text, cap, "s:\n");
	for (int i = 0; i < 3000; i++)
		len += (size_t)snprintf(text + len, cap - len, "- {a: x%d, b: [y, z]}\n", i);
	load_clean(text, len);
	s = get(root, "s");
	ck_assert_uint_eq(s->n_items, 3000);
	freed = node_free_between(root, s, node_items(s)[2999]);
	ck_assert_uint_gt(freed, 100000); /* most of the 3,000 items' nodes */
	ck_assert_uint_eq(node_free_between(root, s, node_items(s)[2999]), 0); /* done */
	ck_assert_str_eq(node_text(get(node_items(s)[2999], "a")), "x2999");
	ck_assert_uint_eq(get(node_items(s)[2999], "b")->n_items, 2);
	ck_assert_uint_eq(root->n_pairs, 1);

	/* an alias at the end naming an anchor at the start: nothing freed */
	front_restart();
	len = (size_t)snprintf(text, cap, "s:\n- {a: &x [x]}\n");
	for (int i = 1; i < 3000; i++)
		len += (size_t)snprintf(text + len, cap - len, "- {a: x%d, b: [y, z]}\n", i);
	len += (size_t)snprintf(text + len, cap - len, "t: *x\n");
	load_clean(text, len);
	s = get(root, "s");
	ck_assert_uint_eq(node_free_between(root, s, node_items(s)[2999]), 0);
	ck_assert_str_eq(node_text(node_items(get(root, "t"))[0]), "x");
	free(text);
}
END_TEST

START_TEST(test_alias_errors)
{
	ck_assert_fails(load_str, "a: [*nope]\n", "MP-YAML", 1, 5);
	ck_assert_fails(load_str, "a: &s\n  b: *s\n", "MP-UNSUPPORTED", 2, 6);

	root = load_str("a: &k x\n*k : y\nz: 1\n", &sink);
	ck_assert_ptr_nonnull(root);
	ck_assert_only(&sink, "MP-UNSUPPORTED", 2, 1);
	ck_assert_uint_eq(root->n_pairs, 2); /* the pair is dropped */

	front_restart();
	root = load_str("&k a: 1\n", &sink);
	ck_assert_ptr_nonnull(root);
	ck_assert_only(&sink, "MP-UNSUPPORTED", 1, 1);
}
END_TEST

START_TEST(test_keys_and_tags)
{
	root = load_str("? {a: 1}\n: x\n[b]: y\nok: !custom z\n<<: {c: 1}\nlast: !!int 1\n", &sink);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(sink.n, 5);
	ck_assert_int_ge(diag_find(&sink, "MP-UNSUPPORTED", 1, 3), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-UNSUPPORTED", 3, 1), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-UNSUPPORTED", 4, 5), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-UNSUPPORTED", 5, 1), 0);
	ck_assert_int_ge(diag_find(&sink, "MP-UNSUPPORTED", 6, 7), 0);
	ck_assert_uint_eq(root->n_pairs, 2); /* ok and last */
}
END_TEST

/* n nested flow sequences as the value of a top-level key. */
static char *nested(size_t n)
{
	char *t = xmalloc(2 * n + 8);

	memcpy(t, "a: ", 3);
	memset(t + 3, '[', n);
	memset(t + 3 + n, ']', n);
	strcpy(t + 3 + 2 * n, "\n");
	return t;
}

START_TEST(test_depth)
{
	char *t;

	/* the top mapping and 63 sequences: 64 deep */
	t = nested(63);
	load_str_clean(t);
	free(t);

	/* 65 deep: refused at the 65th collection */
	front_restart();
	t = nested(64);
	ck_assert_ptr_null(load_str(t, &sink));
	ck_assert_only(&sink, "MP-LIMIT", 1, 67);
	free(t);

	/* a million deep is refused as quickly */
	front_restart();
	t = nested(1000000);
	ck_assert_ptr_null(load_str(t, &sink));
	ck_assert_only(&sink, "MP-LIMIT", 1, 67);
	free(t);
}
END_TEST

START_TEST(test_billion_laughs)
{
	char text[4096];
	size_t len;
	double t0, elapsed;

	len = (size_t)sprintf(text, "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
	for (char c = 'b'; c <= 'j'; c++)
		len += (size_t)sprintf(text + len,
				       "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
				       c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1,
				       c - 1, c - 1, c - 1, c - 1);
	t0 = now();
	ck_assert_ptr_null(load_text(text, len, &sink, NULL));
	elapsed = now() - t0;
	ck_assert_msg(elapsed < 1.0, "billion laughs took %.3f s", elapsed);
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_int_eq(diag_find(&sink, "MP-LIMIT", 0, 0), 0);
	ck_assert_ptr_nonnull(strstr(sink.items[0].message, "4000000 nodes"));
}
END_TEST

START_TEST(test_node_limit)
{
	size_t items = 3990, uses = 1000, len = 0;
	char *text = xmalloc(items * 3 + uses * 8 + 64);

	/* 3990 scalars + 1 sequence, used 1000 times: 3,991,000 + a few */
	len += (size_t)sprintf(text, "a: &a [");
	for (size_t i = 0; i < items; i++)
		len += (size_t)sprintf(text + len, "x,");
	len += (size_t)sprintf(text + len, "]\nb: [");
	for (size_t i = 0; i < uses - 1; i++)
		len += (size_t)sprintf(text + len, "*a,");
	len += (size_t)sprintf(text + len, "]\n");
	load_clean(text, len);
	ck_assert_uint_le(expanded(root), PLAN_MAX_NODES);

	/* 4010 scalars used 1000 times: past 4,000,000 */
	len = 0;
	len += (size_t)sprintf(text, "a: &a [");
	for (size_t i = 0; i < 4010; i++)
		len += (size_t)sprintf(text + len, "x,");
	len += (size_t)sprintf(text + len, "]\nb: [");
	for (size_t i = 0; i < uses - 1; i++)
		len += (size_t)sprintf(text + len, "*a,");
	len += (size_t)sprintf(text + len, "]\n");
	front_restart();
	ck_assert_ptr_null(load_text(text, len, &sink, NULL));
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_int_eq(diag_find(&sink, "MP-LIMIT", 0, 0), 0);
	free(text);
}
END_TEST

START_TEST(test_alias_limit)
{
	char *text = xmalloc(16 + 1001 * 6);
	size_t len;

	len = (size_t)sprintf(text, "a: &a x\nb: [");
	for (int i = 0; i < 1000; i++)
		len += (size_t)sprintf(text + len, "*a,");
	len += (size_t)sprintf(text + len, "]\n");
	load_clean(text, len);

	len = (size_t)sprintf(text, "a: &a x\nb: [");
	for (int i = 0; i < 1001; i++)
		len += (size_t)sprintf(text + len, "*a,");
	len += (size_t)sprintf(text + len, "]\n");
	front_restart();
	ck_assert_ptr_null(load_text(text, len, &sink, NULL));
	ck_assert_only(&sink, "MP-LIMIT", 2, 5 + 3 * 1000);
	free(text);
}
END_TEST

START_TEST(test_file_size)
{
	char path[] = "/tmp/check_load_big.XXXXXX";
	int fd = mkstemp(path), io_error = -1;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, PLAN_MAX_FILE_SIZE + 1), 0);
	close(fd);
	ck_assert_ptr_null(load_file(path, false, &sink, &io_error));
	unlink(path);
	ck_assert_int_eq(io_error, 0);
	ck_assert_uint_eq(sink.n, 1);
	ck_assert_str_eq(sink.items[0].id, "MP-LIMIT");
	ck_assert_uint_eq(sink.items[0].pos.line, 0);
}
END_TEST

START_TEST(test_io_error)
{
	int io_error = 0;

	ck_assert_ptr_null(load_file("/nonexistent/plan.yaml", false, &sink, &io_error));
	ck_assert_int_eq(io_error, 1);
	ck_assert_uint_eq(sink.n, 0);

	front_restart();
	ck_assert_ptr_null(load_file("/", false, &sink, &io_error));
	ck_assert_int_eq(io_error, 1);
}
END_TEST

START_TEST(test_stdin_and_source)
{
	char path[] = "/tmp/check_load_stdin.XXXXXX";
	int fd = mkstemp(path), io_error = -1;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "a: 1\n", 5), 5);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	unlink(path);
	root = load_file("-", false, &sink, &io_error);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(io_error, 0);
	/* the text is registered for excerpts, under a readable name */
	ck_assert_uint_eq(sink.n_sources, 1);
	ck_assert_str_eq(sink.sources[0].file, "<stdin>");
	ck_assert_str_eq(sink.sources[0].text, "a: 1\n");
}
END_TEST

START_TEST(test_positions_name_the_file)
{
	const char *file = NULL;

	root = load_text("a: 1\na: 2\n", 10, &sink, &file);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(sink.n, 1);
	/* positions carry the sink's own copy of the name */
	ck_assert_ptr_eq(sink.items[0].pos.file, sink.sources[0].file);
	ck_assert_ptr_eq(file, sink.sources[0].file);
}
END_TEST

START_TEST(test_many_anchors)
{
	size_t n = 200000, len = 0;
	char *text = xmalloc(n * 24 + 64);
	double t0, elapsed, limit;
	const char *stretch;

	/* 200000 anchors, then aliases to the first and the last: hashed,
	 * so this is linear (about 0.4 s here); a linear search per alias
	 * or anchor would take minutes, so the bound is generous enough for
	 * a loaded CI machine and still catches that; stretched by
	 * CK_TIMEOUT_MULTIPLIER like Check's own timeouts, which the
	 * sanitizer build sets (18 s there at load 15) */
	len += (size_t)sprintf(text, "a:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "- &n%zu v%zu\n", i, i);
	len += (size_t)sprintf(text + len, "b: [*n0, *n%zu]\n", n - 1);
	t0 = now();
	root = load_text(text, len, &sink, NULL);
	elapsed = now() - t0;
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(sink.n, 0);
	ck_assert_str_eq(node_text(node_items(node_pairs(root)[1].value)[0]), "v0");
	stretch = getenv("CK_TIMEOUT_MULTIPLIER");
	limit = 10.0 * (stretch && atof(stretch) > 1.0 ? atof(stretch) : 1.0);
	ck_assert_msg(elapsed < limit, "200000 anchors took %.3f s (limit %.0f s)", elapsed, limit);
	free(text);

	/* a later anchor of the same name replaces the earlier one */
	front_restart();
	root = load_str("a: &x one\nb: &x two\nc: *x\n", &sink);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(node_text(get(root, "c")), "two");
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = front_tcase(s, "load", &sink, &root, NULL);

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_json_as_libyaml);
	tcase_add_test(tc, test_json_libyaml_refuses);
	tcase_add_test(tc, test_positions_crlf_and_utf8_columns);
	tcase_add_test(tc, test_utf8_invalid);
	tcase_add_test(tc, test_utf8_valid_four_bytes);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_syntax_error);
	tcase_add_test(tc, test_dup_keys);
	tcase_add_test(tc, test_dup_keys_quoted_equal);
	tcase_add_test(tc, test_dup_keys_many);
	tcase_add_test(tc, test_multi_doc);
	tcase_add_test(tc, test_one_explicit_document);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_empty_collections);
	tcase_add_test(tc, test_aliases_shared);
	tcase_add_test(tc, test_free_between);
	tcase_add_test(tc, test_alias_errors);
	tcase_add_test(tc, test_many_anchors);
	tcase_add_test(tc, test_keys_and_tags);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_billion_laughs);
	tcase_add_test(tc, test_node_limit);
	tcase_add_test(tc, test_alias_limit);
	tcase_add_test(tc, test_file_size);
	tcase_add_test(tc, test_io_error);
	tcase_add_test(tc, test_stdin_and_source);
	tcase_add_test(tc, test_positions_name_the_file);
	return s;
}

int main(void)
{
	return check_run(load_suite());
}
