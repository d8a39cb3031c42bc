/*
 * load.c: the load pass.  Read a plan file, check that it is UTF-8 and
 * within the size limit, and turn libyaml's event stream into a node tree
 * (node.h) that keeps every node's position.
 *
 * libyaml reports syntax errors but accepts things a plan must not hold,
 * so the composer here also refuses: a second document, duplicate keys,
 * non-scalar keys, tags, aliases used as keys or to an enclosing node, and
 * input beyond the limits of passes.h (nesting depth, alias uses, nodes
 * after alias expansion).  An alias shares the anchored node instead of
 * copying it, and counts the anchored node's weight (its nodes after
 * expansion, itself included), so a billion-laughs document is refused
 * after a few hundred events.  The weights are the loader's own, not the
 * tree's: a collection's grows in its frame as children are placed, and
 * an anchor keeps its node's for the aliases to it.
 *
 * Nodes and scalar texts are carved from an arena of large blocks; the
 * children of open collections wait on one shared stack and are copied
 * into the arena, exactly sized, when their collection ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "json_read.h"
#include "node.h"
#include "passes.h"
#include "util.h"

/* An anchor of the current document. */
struct anchor {
	char *name;
	struct node *node;
	uint32_t weight;   /* the node's (set when a collection ends) */
	bool open; /* the node is still being built (an alias would recurse) */
};

/* A collection being built; its children so far are pending[start..]. */
struct frame {
	struct node_collection *coll;
	uint32_t weight;   /* itself and the children placed so far */
	size_t start;
	bool want_value;   /* mapping: a key is waiting for its value */
	bool skip_value;   /* mapping: that key was refused, drop the value */
	size_t anchor;     /* index in anchors + 1, or 0 */
};

struct loader {
	yaml_parser_t parser;
	struct diag_sink *sink;
	const char *file;   /* the sink's name for positions */
	const char *text;
	size_t len;
	struct arena arena; /* the tree's: its first allocation is the root */
	struct node **pending;      /* children of the open collections */
	size_t n_pending, cap_pending;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t *anchor_slots;       /* hash index: anchors index + 1, 0 empty */
	size_t n_slots;             /* a power of two, or 0 */
	struct frame stack[PLAN_MAX_DEPTH];
	size_t depth;
	struct node *root;
	uint64_t n_nodes;   /* after expansion, so far */
	size_t n_aliases;
	unsigned n_docs;
	bool failed;        /* stop: no usable tree */
};

/* Free a tree: root is what load_file returned, the first allocation
 * of its arena. */
void node_free(struct node *root)
{
	arena_free_from(root);
}

/* A position in the file from a libyaml mark. */
static struct plan_pos mark_pos(const struct loader *ld, yaml_mark_t mark)
{
	return (struct plan_pos){ ld->file, (uint32_t)mark.line + 1,
				  (uint32_t)mark.column + 1 };
}

/* The position of byte offset in the text: lines end at \n, \r\n or \r;
 * columns count characters (UTF-8 lead bytes), as libyaml's marks do. */
static struct plan_pos offset_pos(const struct loader *ld, size_t offset)
{
	struct plan_pos pos = { ld->file, 1, 1 };

	for (size_t i = 0; i < offset && i < ld->len; i++) {
		unsigned char c = (unsigned char)ld->text[i];
		if (c == '\n' || (c == '\r' && (i + 1 >= ld->len || ld->text[i + 1] != '\n'))) {
			pos.line++;
			pos.col = 1;
		} else if (c != '\r' && (c & 0xc0) != 0x80) {
			pos.col++;
		}
	}
	return pos;
}

/* Report the first invalid UTF-8 sequence of every line (at most 20
 * lines); true when there is none. */
static bool check_utf8(struct loader *ld)
{
	const unsigned char *s = (const unsigned char *)ld->text;
	unsigned bad = 0;
	bool line_bad = false;

	for (size_t i = 0; i < ld->len;) {
		size_t n = utf8_sequence(s + i, ld->len - i);
		if (n) {
			if (s[i] == '\n')
				line_bad = false;
			i += n;
			continue;
		}
		if (!line_bad && bad++ < 20)
			diag_error(ld->sink, offset_pos(ld, i), "MP-UTF8",
				   "invalid UTF-8 (byte 0x%02x): a plan must be UTF-8 text",
				   s[i]);
		line_bad = true;
		i++;
	}
	return bad == 0;
}

/* Report libyaml's error and stop. */
static void report_parser_error(struct loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	struct plan_pos pos;

	if (p->error == YAML_MEMORY_ERROR) {
		fputs("mountplan: out of memory\n", stderr);
		exit(2);
	}
	if (p->error == YAML_READER_ERROR)
		pos = offset_pos(ld, p->problem_offset);
	else
		pos = mark_pos(ld, p->problem_mark);
	if (p->context)
		diag_error(ld->sink, pos, "MP-YAML", "YAML syntax error: %s %s",
			   p->problem ? p->problem : "error", p->context);
	else
		diag_error(ld->sink, pos, "MP-YAML", "YAML syntax error: %s",
			   p->problem ? p->problem : "error");
	ld->failed = true;
}

/* Refuse input beyond a limit and stop. */
static void limit(struct loader *ld, yaml_mark_t mark, const char *what)
{
	diag_error(ld->sink, mark_pos(ld, mark), "MP-LIMIT", "%s", what);
	ld->failed = true;
}

/* A new node of kind at the event's marks, its header in the first of
 * size bytes (zeroed; what follows is the caller's to fill). */
static struct node *new_node(struct loader *ld, enum node_kind kind,
			     const yaml_event_t *ev, size_t size)
{
	struct node *n = arena_alloc(&ld->arena, size);

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (uint32_t)ev->start_mark.line + 1;
	n->col = (uint32_t)ev->start_mark.column + 1;
	n->end_line = (uint32_t)ev->end_mark.line + 1;
	return n;
}

/* Refuse an explicit tag: a plan is plain YAML. */
static void refuse_tag(struct loader *ld, const yaml_event_t *ev,
		       const yaml_char_t *tag)
{
	if (tag)
		diag_error(ld->sink, mark_pos(ld, ev->start_mark), "MP-UNSUPPORTED",
			   "YAML tags are not supported ('%s')", (const char *)tag);
}

/* The hash of an anchor name. */
static size_t name_hash(const char *s)
{
	return (size_t)hash_bytes(0, s, strlen(s));
}

/* The slot of name in the anchor index: the one holding it, or the empty
 * one where it goes (the index is never more than half full). */
static size_t *anchor_slot(struct loader *ld, const char *name)
{
	size_t mask = ld->n_slots - 1;

	for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
		size_t *slot = &ld->anchor_slots[i];
		if (!*slot || strcmp(ld->anchors[*slot - 1].name, name) == 0)
			return slot;
	}
}

/* Double the anchor index and rehash every anchor. */
static void grow_anchor_index(struct loader *ld)
{
	free(ld->anchor_slots);
	ld->n_slots = ld->n_slots ? 2 * ld->n_slots : 64;
	ld->anchor_slots = xcalloc(ld->n_slots, sizeof(*ld->anchor_slots));
	for (size_t i = 0; i < ld->n_anchors; i++)
		*anchor_slot(ld, ld->anchors[i].name) = i + 1;
}

/* Remember an anchor of the current document (a later anchor of the same
 * name replaces it, as YAML says); returns its index + 1.  Hashed, so a
 * document of a million anchors costs no more than a million lookups. */
static size_t add_anchor(struct loader *ld, const yaml_char_t *name,
			 struct node *node, bool open)
{
	struct anchor *a;
	size_t *slot;

	if (2 * (ld->n_anchors + 1) > ld->n_slots)
		grow_anchor_index(ld);
	slot = anchor_slot(ld, (const char *)name);
	if (!*slot) {
		ld->anchors = xgrow(ld->anchors, ld->n_anchors, &ld->cap_anchors,
				    sizeof(*ld->anchors));
		ld->anchors[ld->n_anchors].name = xstrdup((const char *)name);
		*slot = ++ld->n_anchors;
	}
	a = &ld->anchors[*slot - 1];
	a->node = node;
	a->weight = 1; /* a collection's is set when it ends */
	a->open = open;
	return *slot;
}

/* The anchor called name, or NULL. */
static struct anchor *find_anchor(struct loader *ld, const yaml_char_t *name)
{
	size_t *slot;

	if (!ld->n_slots)
		return NULL;
	slot = anchor_slot(ld, (const char *)name);
	return *slot ? &ld->anchors[*slot - 1] : NULL;
}

/* Count n more nodes after expansion; false (and stop) past the limit. */
static bool count_nodes(struct loader *ld, uint64_t n, yaml_mark_t mark)
{
	ld->n_nodes += n;
	if (ld->n_nodes <= PLAN_MAX_NODES)
		return true;
	limit(ld, mark, "the document expands to more than 4000000 nodes (alias expansion)");
	return false;
}

/* True when two scalar keys are the same key. */
static bool same_key(const struct node *a, const struct node *b)
{
	return a->len == b->len && memcmp(node_text(a), node_text(b), a->len) == 0;
}

/* Order mapping pairs by key text, then by written order. */
static int pair_cmp(const void *a, const void *b)
{
	const struct node_pair *x = *(const struct node_pair *const *)a;
	const struct node_pair *y = *(const struct node_pair *const *)b;
	size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
	int c = memcmp(node_text(x->key), node_text(y->key), n);

	if (c)
		return c;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Report the key of pair as a repeat of first's. */
static void report_dup(struct loader *ld, const struct node *key,
		       const struct node *first)
{
	diag_error(ld->sink, (struct plan_pos){ ld->file, key->line, key->col },
		   "MP-DUP-KEY", "duplicate key '%s' (first at line %u)",
		   node_text(key), first->line);
}

/* Mark in dup every pair whose key repeats an earlier key: pairwise for
 * small mappings, by sorting for large ones (n log n, so a huge mapping
 * costs no more than sorting it). */
static void find_duplicate_keys(struct loader *ld, const struct node *map,
				bool *dup)
{
	const struct node_pair *p = node_pairs(map);
	size_t n = map->n_pairs;
	const struct node_pair **sorted;

	if (n <= 16) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i && !dup[i]; j++)
				if (!dup[j] && same_key(p[i].key, p[j].key)) {
					report_dup(ld, p[i].key, p[j].key);
					dup[i] = true;
				}
		return;
	}
	sorted = xreallocarray(NULL, n, sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = &p[i];
	qsort(sorted, n, sizeof(*sorted), pair_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (!same_key(sorted[i]->key, sorted[first]->key)) {
			first = i;
			continue;
		}
		report_dup(ld, sorted[i]->key, sorted[first]->key);
		dup[sorted[i] - p] = true;
	}
	free(sorted);
}

/* Report and drop every key that repeats an earlier key of the mapping. */
static void drop_duplicate_keys(struct loader *ld, struct node *map)
{
	struct node_pair *pairs = node_pairs(map);
	bool small[16] = { false }, *dup = small;
	size_t kept = 0;

	if (map->n_pairs < 2)
		return;
	if (map->n_pairs > 16)
		dup = xcalloc(map->n_pairs, sizeof(*dup));
	find_duplicate_keys(ld, map, dup);
	for (size_t i = 0; i < map->n_pairs; i++)
		if (!dup[i])
			pairs[kept++] = pairs[i];
	map->n_pairs = kept;
	if (dup != small)
		free(dup);
}

/* Refuse a mapping key that is not a plain or quoted scalar, or that
 * holds a NUL (every reader of keys compares C strings: "type\0x" would
 * be taken for "type"); alias: the mark of the alias it came from, or
 * NULL.  True when n may be a key. */
static bool check_key(struct loader *ld, const struct node *n,
		      const yaml_mark_t *alias, bool anchored)
{
	struct plan_pos pos = { ld->file, n->line, n->col };

	if (alias)
		pos = mark_pos(ld, *alias);
	if (n->kind != NODE_SCALAR)
		diag_error(ld->sink, pos, "MP-UNSUPPORTED",
			   "a mapping key must be a scalar, not a %s",
			   n->kind == NODE_SEQUENCE ? "sequence" : "mapping");
	else if (alias)
		diag_error(ld->sink, pos, "MP-UNSUPPORTED",
			   "an alias cannot be a mapping key");
	else if (anchored)
		diag_error(ld->sink, pos, "MP-UNSUPPORTED",
			   "a mapping key cannot have an anchor");
	else if (n->plain && strcmp(node_text(n), "<<") == 0)
		diag_error(ld->sink, pos, "MP-UNSUPPORTED",
			   "merge keys ('<<') are not supported");
	else if (strlen(node_text(n)) != n->len) /* "type\u0000x" would read as "type" */
		diag_error(ld->sink, pos, "MP-UNSUPPORTED",
			   "a mapping key holds a NUL character (after '%s'): no plan key does",
			   node_text(n));
	else
		return true;
	return false;
}

/* Place a finished node of weight nodes after expansion in the open
 * collection, or make it the document's root.  alias: the mark of the
 * alias it came from, or NULL. */
static void attach(struct loader *ld, struct node *n, uint32_t weight,
		   const yaml_mark_t *alias, bool anchored)
{
	struct frame *f;

	if (ld->depth == 0) {
		ld->root = n;
		return;
	}
	f = &ld->stack[ld->depth - 1];
	if (f->coll->node.kind == NODE_MAPPING) {
		if (!f->want_value) {
			f->want_value = true;
			f->skip_value = !check_key(ld, n, alias, anchored);
			if (f->skip_value)
				return;
		} else {
			f->want_value = false;
			if (f->skip_value)
				return;
		}
	}
	ld->pending = xgrow(ld->pending, ld->n_pending, &ld->cap_pending,
			    sizeof(*ld->pending));
	ld->pending[ld->n_pending++] = n;
	f->weight += weight; /* <= PLAN_MAX_NODES: count_nodes counted it */
}

/* A scalar event. */
static void on_scalar(struct loader *ld, const yaml_event_t *ev)
{
	size_t len = ev->data.scalar.length;
	struct node *n;

	refuse_tag(ld, ev, ev->data.scalar.tag);
	if (!count_nodes(ld, 1, ev->start_mark))
		return;
	n = new_node(ld, NODE_SCALAR, ev, sizeof(*n) + len + 1);
	n->len = (uint32_t)len; /* len <= PLAN_MAX_FILE_SIZE */
	memcpy(node_text(n), ev->data.scalar.value, len);
	node_text(n)[len] = 0;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (ev->data.scalar.anchor)
		add_anchor(ld, ev->data.scalar.anchor, n, false);
	attach(ld, n, 1, NULL, ev->data.scalar.anchor != NULL);
}

/* An alias event: share the anchored node. */
static void on_alias(struct loader *ld, const yaml_event_t *ev)
{
	struct anchor *a = find_anchor(ld, ev->data.alias.anchor);
	const char *name = (const char *)ev->data.alias.anchor;

	if (++ld->n_aliases > PLAN_MAX_ALIASES) {
		limit(ld, ev->start_mark, "more than 1000 alias uses in the document");
		return;
	}
	if (!a) {
		diag_error(ld->sink, mark_pos(ld, ev->start_mark), "MP-YAML",
			   "alias '*%s' names no earlier anchor", name);
		ld->failed = true;
		return;
	}
	if (a->open) {
		diag_error(ld->sink, mark_pos(ld, ev->start_mark), "MP-UNSUPPORTED",
			   "alias '*%s' refers to a collection that contains it", name);
		ld->failed = true;
		return;
	}
	if (!count_nodes(ld, a->weight, ev->start_mark))
		return;
	attach(ld, a->node, a->weight, &ev->start_mark, false);
}

/* The start of a sequence or mapping. */
static void on_collection_start(struct loader *ld, const yaml_event_t *ev,
				enum node_kind kind)
{
	const yaml_char_t *anchor, *tag;
	struct frame *f;

	if (ld->depth == PLAN_MAX_DEPTH) {
		limit(ld, ev->start_mark, "collections nest more than 64 deep");
		return;
	}
	if (kind == NODE_SEQUENCE) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	refuse_tag(ld, ev, tag);
	if (!count_nodes(ld, 1, ev->start_mark))
		return;
	f = &ld->stack[ld->depth++];
	*f = (struct frame){ .coll = (struct node_collection *)new_node(
				     ld, kind, ev, sizeof(struct node_collection)),
			     .weight = 1, .start = ld->n_pending };
	f->coll->items = NULL;
	if (anchor)
		f->anchor = add_anchor(ld, anchor, &f->coll->node, true);
}

/* The end of the innermost sequence or mapping: its children move from
 * the pending stack into the arena. */
static void on_collection_end(struct loader *ld, const yaml_event_t *ev)
{
	struct frame *f = &ld->stack[--ld->depth];
	struct node_collection *c = f->coll;
	struct node *n = &c->node;
	size_t count = ld->n_pending - f->start;
	/* no child yet: pending may still be NULL, and NULL + 0 is undefined */
	struct node **child = count ? ld->pending + f->start : NULL;

	n->end_line = (uint32_t)ev->end_mark.line + 1;
	if (n->kind == NODE_SEQUENCE) {
		c->items = count ? arena_alloc(&ld->arena, count * sizeof(*c->items)) : NULL;
		if (count)
			memcpy(c->items, child, count * sizeof(*c->items));
		n->n_items = (uint32_t)count;
	} else {
		n->n_pairs = (uint32_t)(count / 2); /* a key without value cannot end a mapping */
		c->pairs = n->n_pairs ? arena_alloc(&ld->arena, n->n_pairs * sizeof(*c->pairs)) : NULL;
		for (size_t i = 0; i < n->n_pairs; i++)
			c->pairs[i] = (struct node_pair){ child[2 * i], child[2 * i + 1] };
		drop_duplicate_keys(ld, n);
	}
	ld->n_pending = f->start;
	if (f->anchor && ld->anchors[f->anchor - 1].node == n) {
		ld->anchors[f->anchor - 1].weight = f->weight;
		ld->anchors[f->anchor - 1].open = false;
	}
	attach(ld, n, f->weight, NULL, f->anchor != 0);
}

/* Handle one event; false at the end of the stream. */
static bool on_event(struct loader *ld, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	case YAML_NO_EVENT:
		return true;
	case YAML_STREAM_END_EVENT:
		return false;
	case YAML_DOCUMENT_START_EVENT:
		if (++ld->n_docs > 1) {
			diag_error(ld->sink, mark_pos(ld, ev->start_mark), "MP-MULTI-DOC",
				   "a second YAML document: a plan file holds exactly one");
			ld->failed = true;
		}
		return true;
	case YAML_SCALAR_EVENT:
		on_scalar(ld, ev);
		return true;
	case YAML_ALIAS_EVENT:
		on_alias(ld, ev);
		return true;
	case YAML_SEQUENCE_START_EVENT:
		on_collection_start(ld, ev, NODE_SEQUENCE);
		return true;
	case YAML_MAPPING_START_EVENT:
		on_collection_start(ld, ev, NODE_MAPPING);
		return true;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_collection_end(ld, ev);
		return true;
	default:
		return true;
	}
}

/* json_read's event handler: one event of a JSON text; false to stop. */
static bool on_json_event(void *ctx, const yaml_event_t *ev)
{
	struct loader *ld = ctx;

	return on_event(ld, ev) && !ld->failed;
}

/* Parse the text into ld->root; NULL root when it is unusable.  Valid
 * JSON is read by json_read (libyaml refuses some of it), anything else
 * by libyaml; both give the same events. */
static void compose(struct loader *ld)
{
	yaml_event_t ev;
	bool more = true;

	if (!json_read(ld->text, ld->len, PLAN_MAX_DEPTH + 1, on_json_event, ld)) {
		if (!yaml_parser_initialize(&ld->parser)) {
			fputs("mountplan: out of memory\n", stderr);
			exit(2);
		}
		yaml_parser_set_input_string(&ld->parser, (const unsigned char *)ld->text,
					     ld->len);
		while (more && !ld->failed) {
			if (!yaml_parser_parse(&ld->parser, &ev)) {
				report_parser_error(ld);
				break;
			}
			more = on_event(ld, &ev);
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&ld->parser);
	}
	if (ld->root)
		ld->root->aliased = ld->n_aliases != 0;
	free(ld->pending);
	for (size_t i = 0; i < ld->n_anchors; i++)
		free(ld->anchors[i].name);
	free(ld->anchors);
	free(ld->anchor_slots);
	if (!ld->failed && ld->n_docs == 0)
		diag_error(ld->sink, (struct plan_pos){ ld->file, 1, 1 }, "MP-EMPTY",
			   "the file holds no YAML document: a plan is a mapping");
	else if (!ld->failed && ld->root && ld->root->kind == NODE_SCALAR &&
		 ld->root->plain && ld->root->len == 0)
		diag_error(ld->sink, (struct plan_pos){ ld->file, 1, 1 }, "MP-EMPTY",
			   "the document is empty: a plan is a mapping");
	else if (!ld->failed)
		return;
	arena_free(&ld->arena);
	ld->root = NULL;
}

/* Free the nodes of root's tree made after `after` and before `before`;
 * see passes.h. */
size_t node_free_between(const struct node *root, const struct node *after,
			 const struct node *before)
{
	return root->aliased ? 0 : arena_free_between((void *)root, after, before);
}

/* The sink's name for path: standard input is "<stdin>". */
static const char *source_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Report that path is beyond the size limit; NULL. */
static struct node *too_large(const char *path, struct diag_sink *sink)
{
	const char *file = diag_add_source(sink, source_name(path), NULL, 0);

	diag_error(sink, (struct plan_pos){ file, 0, 0 }, "MP-LIMIT",
		   "the file is larger than 64 MiB");
	return NULL;
}

/* Parse the text read from path into a node tree; see passes.h. */
struct node *load_buffer(const char *path, char *text, size_t len,
		       struct diag_sink *sink)
{
	struct loader ld = { .sink = sink };

	if (len > PLAN_MAX_FILE_SIZE) {
		free(text);
		return too_large(path, sink);
	}
	/* the sink keeps the text for quoting; parse it there */
	ld.file = diag_take_source(sink, source_name(path), text, len);
	ld.text = text;
	ld.len = len;
	if (check_utf8(&ld))
		compose(&ld);
	return ld.root;
}

/* Read path ("-": stdin) and parse it into a node tree; see passes.h. */
struct node *load_file(const char *path, bool only_regular, struct diag_sink *sink,
		       int *io_error)
{
	const char *why;
	char *text = NULL;
	size_t len = 0;

	*io_error = 0;
	if (input_file_read(path, only_regular ? 0 : INPUT_PIPES, PLAN_MAX_FILE_SIZE, &text, &len,
		       &why) == 0)
		return load_buffer(path, text, len, sink);
	diag_add_source(sink, source_name(path), NULL, 0);
	fprintf(stderr, "mountplan: %s: %s\n", source_name(path), why);
	*io_error = 1;
	return NULL;
}
