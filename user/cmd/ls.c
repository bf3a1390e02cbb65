// SPDX-License-Identifier: GPL-2.0
/*
 * nslife ls: every namespace on the host, process-less ones included,
 * lsns-style (a column enum plus an info table, all output through
 * libsmartcols, so -J, -r, -l, -n, -o and -T behave as in lsns).
 * NPROCS counts processes by their leader's /proc/PID/ns links, as lsns
 * 2.38 does, so the two agree on every namespace lsns can see.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols/libsmartcols.h>
#include "client.h"
#include "commands.h"
#include "excl.h"
#include "history.h"
#include "json.h"
#include "logstate.h"
#include "histscan.h"
#include "nsspec.h"
#include "owners.h"
#include "scan.h"

enum {
	COL_NS, COL_TYPE, COL_INUM, COL_ID, COL_NPROCS, COL_NTASKS,
	COL_HOLDERS, COL_TASKS, COL_FDS, COL_MOUNTS, COL_SOCKETS,
	COL_CHILDREN, COL_OTHER, COL_STATE, COL_PID, COL_COMMAND,
	COL_OWNER, COL_PARENT, COL_CREATOR, COL_AGE, COL_UNIT, COL_CONTAINER,
	COL_RUNTIME, COL_POD, COL_MAX,
};

static const struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json;
	const char *help;
} infos[COL_MAX] = {
	[COL_NS]	= { "NS", 19, 0, SCOLS_JSON_STRING, "namespace: type:[inum]" },
	[COL_TYPE]	= { "TYPE", 5, 0, SCOLS_JSON_STRING, "namespace type" },
	[COL_INUM]	= { "INUM", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "nsfs inode number (lsns NS)" },
	[COL_ID]	= { "ID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "namespace id (NS_GET_ID), 0 if none" },
	[COL_NPROCS]	= { "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "processes in it (as lsns counts)" },
	[COL_NTASKS]	= { "NTASKS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "threads in it, *_for_children included" },
	[COL_HOLDERS]	= { "HOLDERS", 14, 0, SCOLS_JSON_STRING, "tasks/fds/mounts/sockets/children/other" },
	[COL_TASKS]	= { "TASKS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "task (and cred) holders" },
	[COL_FDS]	= { "FDS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "open fds that pin it: nsfs, procfs net/mount/pid files, tun, pidfds, io_uring slots" },
	[COL_MOUNTS]	= { "MOUNTS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "nsfs mount holders, any mount ns" },
	[COL_SOCKETS]	= { "SOCKETS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "socket holders (net)" },
	[COL_CHILDREN]	= { "CHILDREN", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "owned or child namespaces" },
	[COL_OTHER]	= { "OTHER", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "procfs mounts, open files' creds, kernel holders" },
	[COL_STATE]	= { "STATE", 5, 0, SCOLS_JSON_STRING, "alive, inactive (allocated, no active reference), lingering" },
	[COL_PID]	= { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "lowest PID in it (lsns PID)" },
	[COL_COMMAND]	= { "COMMAND", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "command of PID, or what holds it" },
	[COL_OWNER]	= { "OWNER", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "inum of the owning user namespace" },
	[COL_PARENT]	= { "PARENT", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "inum of the parent (pid, user)" },
	[COL_CREATOR]	= { "CREATOR", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "creating pid (needs the tracer)" },
	[COL_AGE]	= { "AGE", 5, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "age (needs the tracer)" },
	[COL_UNIT]	= { "UNIT", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "systemd unit or scope of PID (or of the holder)" },
	[COL_CONTAINER]	= { "CONTAINER", 12, 0, SCOLS_JSON_STRING, "container name (or short id) of PID, or whose runtime made its nsfs file, else that its history names" },
	[COL_RUNTIME]	= { "RUNTIME", 6, 0, SCOLS_JSON_STRING, "that container's runtime (podman, docker, containerd, ...)" },
	[COL_POD]	= { "POD", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "Kubernetes pod: namespace/name, or its uid" },
};

enum { TREE_NONE, TREE_OWNER, TREE_PARENT };

struct ls_opts {
	int cols[COL_MAX * 2];
	int ncols;
	int type;		/* NSL_T_NONE: all */
	int leaked, json, raw, list, noheadings, notrunc, tree;
	struct owner_filter of;
};

static int column_id(const char *name, size_t len)
{
	for (int i = 0; i < COL_MAX; i++)
		if (strlen(infos[i].name) == len && !strncasecmp(infos[i].name, name, len))
			return i;
	return -1;
}

static int parse_columns(const char *arg, struct ls_opts *o)
{
	if (*arg == '+')
		arg++;
	else
		o->ncols = 0;
	while (*arg) {
		size_t len = strcspn(arg, ",");
		int id = column_id(arg, len);

		if (id < 0 || o->ncols >= (int)(sizeof(o->cols) / sizeof(o->cols[0]))) {
			fprintf(stderr, "nslife: ls: unknown column '%.*s'\n", (int)len, arg);
			return -EINVAL;
		}
		o->cols[o->ncols++] = id;
		arg += len + (arg[len] == ',');
	}
	return 0;
}

static unsigned int other(const struct snap_ns *n)
{
	return n->nhold[SNAP_H_PROC_MOUNT] + n->nhold[SNAP_H_KERNEL] +
	       n->nhold[SNAP_H_FCRED];
}

/* no member task (or cred) but alive: what lingering will refine */
static bool leaked(const struct snap_ns *n)
{
	return !n->ntasks && !n->nhold[SNAP_H_CRED];
}

/* what to show for COMMAND when no process is in it */
static void holder_hint(const struct snap *s, int i, char *buf, size_t size)
{
	for (size_t k = 0; k < s->nr_h; k++) {
		const struct snap_holder *h = &s->h[k];

		if (h->ns != i || h->kind == SNAP_H_NOPIN)
			continue;
		switch (h->kind) {
		case SNAP_H_TASK:
		case SNAP_H_CRED:
			snprintf(buf, size, "%s (tid %d)", h->comm, h->tid);
			return;
		case SNAP_H_FD:
		case SNAP_H_SOCKET:
		case SNAP_H_FCRED:
		case SNAP_H_FILE:
			snprintf(buf, size, "%s %d of %s (pid %d)",
				 snap_hkind_name(h->kind), h->fd, h->comm, h->pid);
			return;
		case SNAP_H_MOUNT:
		case SNAP_H_PROC_MOUNT:
			snprintf(buf, size, "%s %s in mnt:[%u]",
				 snap_hkind_name(h->kind), h->path,
				 s->ns[h->mntns].key.inum);
			return;
		case SNAP_H_CHILD:
			snprintf(buf, size, "child %s:[%u]",
				 nsl_type_name(s->ns[h->child].key.type),
				 s->ns[h->child].key.inum);
			return;
		default:
			snprintf(buf, size, "kernel (no visible holder)");
			return;
		}
	}
	buf[0] = '\0';
}

/*
 * Its members' or holders' owner; with none of those (a log records no
 * cgroups; a leaked namespace has no member), whose its history says it was
 */
static const struct nsl_owner *ns_owner(const struct snap *s, int i)
{
	const struct nsl_owner *o = snap_ns_owner(s, i);

	return o ? o : nsl_history_owner(nsl_history_find(&s->ns[i].key));
}

static char *cell(const struct snap *s, int i, int col, const struct ls_opts *o)
{
	const struct snap_ns *n = &s->ns[i];
	const struct nsm_ns *hn = col == COL_STATE || col == COL_CREATOR || col == COL_AGE ?
		nsl_history_find(&n->key) : NULL;
	const struct nsl_owner *ow = col >= COL_UNIT ? ns_owner(s, i) : NULL;
	char buf[512] = "";
	char *str = NULL;

	switch (col) {
	case COL_NS:
		/* JSON as lsns -J: "ns" is the inum, "type" rides along */
		if (o->json)
			snprintf(buf, sizeof(buf), "%u", n->key.inum);
		else
			snprintf(buf, sizeof(buf), "%s:[%u]", nsl_type_name(n->key.type),
				 n->key.inum);
		break;
	case COL_TYPE:
		snprintf(buf, sizeof(buf), "%s", nsl_type_name(n->key.type));
		break;
	case COL_INUM:
		snprintf(buf, sizeof(buf), "%u", n->key.inum);
		break;
	case COL_ID:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n->key.id);
		break;
	case COL_NPROCS:
		snprintf(buf, sizeof(buf), "%d", n->nprocs);
		break;
	case COL_NTASKS:
		snprintf(buf, sizeof(buf), "%d", n->ntasks);
		break;
	case COL_HOLDERS:
		snprintf(buf, sizeof(buf), "%u/%u/%u/%u/%u/%u",
			 n->nhold[SNAP_H_TASK] + n->nhold[SNAP_H_CRED],
			 n->nhold[SNAP_H_FD] + n->nhold[SNAP_H_FILE], n->nhold[SNAP_H_MOUNT],
			 n->nhold[SNAP_H_SOCKET], n->nhold[SNAP_H_CHILD], other(n));
		break;
	case COL_TASKS:
		snprintf(buf, sizeof(buf), "%u", n->nhold[SNAP_H_TASK] + n->nhold[SNAP_H_CRED]);
		break;
	case COL_FDS:
		snprintf(buf, sizeof(buf), "%u", n->nhold[SNAP_H_FD] + n->nhold[SNAP_H_FILE]);
		break;
	case COL_MOUNTS:
		snprintf(buf, sizeof(buf), "%u", n->nhold[SNAP_H_MOUNT]);
		break;
	case COL_SOCKETS:
		snprintf(buf, sizeof(buf), "%u", n->nhold[SNAP_H_SOCKET]);
		break;
	case COL_CHILDREN:
		snprintf(buf, sizeof(buf), "%u", n->nhold[SNAP_H_CHILD]);
		break;
	case COL_OTHER:
		snprintf(buf, sizeof(buf), "%u", other(n));
		break;
	case COL_STATE:
		snprintf(buf, sizeof(buf), "%s", n->state == SNAP_S_INACTIVE ? "inactive" :
			 hn && hn->state == NSM_LINGERING ? "lingering" : "alive");
		break;
	case COL_PID:
		if (n->pid)
			snprintf(buf, sizeof(buf), "%d", n->pid);
		break;
	case COL_COMMAND:
		if (n->pid)
			snprintf(buf, sizeof(buf), "%s", n->comm);
		else
			holder_hint(s, i, buf, sizeof(buf));
		break;
	case COL_OWNER:
		if (n->owner >= 0)
			snprintf(buf, sizeof(buf), "%u", s->ns[n->owner].key.inum);
		break;
	case COL_PARENT:
		if (n->parent >= 0)
			snprintf(buf, sizeof(buf), "%u", s->ns[n->parent].key.inum);
		break;
	case COL_CREATOR:
		if (hn && hn->creator)
			snprintf(buf, sizeof(buf), "%u", hn->creator);
		break;
	case COL_AGE:
		/* the history provider (a daemon) knows; a one-shot scan does not */
		if (hn)
			nsl_history_age(buf, sizeof(buf), hn->created);
		break;
	case COL_UNIT:
		if (ow)
			snprintf(buf, sizeof(buf), "%s", ow->unit);
		break;
	case COL_CONTAINER:
		if (ow && ow->runtime && ow->name[0])
			snprintf(buf, sizeof(buf), "%s", ow->name);
		else if (ow && ow->runtime)
			owner_short_id(ow, buf, sizeof(buf));
		break;
	case COL_RUNTIME:
		if (ow && ow->runtime)
			snprintf(buf, sizeof(buf), "%s", owner_runtime_name(ow->runtime));
		break;
	case COL_POD:
		if (ow && ow->pod[0])
			snprintf(buf, sizeof(buf), "%s/%s", ow->pod_ns, ow->pod);
		else if (ow)
			snprintf(buf, sizeof(buf), "%s", ow->pod_uid);
		break;
	default:
		break;
	}
	if (buf[0])
		str = strdup(buf);
	return str;
}

static bool shown(const struct snap *s, int i, const struct ls_opts *o)
{
	const struct snap_ns *n = &s->ns[i];

	if (o->type != NSL_T_NONE && n->key.type != o->type)
		return false;
	if (o->leaked && !leaked(n))
		return false;
	if (owner_filter_set(&o->of) && !owner_filter_match(&o->of, ns_owner(s, i)))
		return false;
	return true;
}

static int tree_parent(const struct snap *s, int i, const struct ls_opts *o)
{
	int p = o->tree == TREE_OWNER ? s->ns[i].owner : s->ns[i].parent;

	return p >= 0 && shown(s, p, o) ? p : -1;
}

static void add_line(struct libscols_table *tb, const struct snap *s, int i,
		     struct libscols_line *parent, const struct ls_opts *o)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);

	if (!ln)
		return;
	for (int c = 0; c < o->ncols; c++) {
		char *str = cell(s, i, o->cols[c], o);

		/* comm and paths may be any bytes; JSON wants UTF-8 */
		if (str && o->json) {
			char *u = json_utf8_dup(str);

			free(str);
			str = u;
		}
		if (str)
			scols_line_refer_data(ln, c, str);
	}
	if (o->tree == TREE_NONE)
		return;
	/* children follow their parent: smartcols draws the tree */
	for (size_t j = 0; j < s->nr_ns; j++)
		if ((int)j != i && shown(s, j, o) && tree_parent(s, j, o) == i)
			add_line(tb, s, j, ln, o);
}

static int *sorted(const struct snap *s)
{
	int *ord = malloc((s->nr_ns + 1) * sizeof(int));

	for (size_t i = 0; ord && i < s->nr_ns; i++) {
		size_t j = i;

		/* insertion sort by inum, as lsns orders its rows */
		while (j > 0 && s->ns[ord[j - 1]].key.inum > s->ns[i].key.inum) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = i;
	}
	return ord;
}

static struct libscols_table *new_table(const struct ls_opts *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, o->json);
	scols_table_set_name(tb, "namespaces");
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	for (int c = 0; c < o->ncols; c++) {
		const struct colinfo *ci = &infos[o->cols[c]];
		int flags = ci->flags;
		struct libscols_column *cl;

		if (o->notrunc)
			flags &= ~SCOLS_FL_TRUNC;
		if (o->tree != TREE_NONE && c == 0)
			flags |= SCOLS_FL_TREE;
		cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
		if (!cl) {
			scols_unref_table(tb);
			return NULL;
		}
		scols_column_set_json_type(cl, o->json && o->cols[c] == COL_NS ?
					   SCOLS_JSON_NUMBER : ci->json);
	}
	return tb;
}

static int show(const struct snap *s, const struct ls_opts *o)
{
	struct libscols_table *tb = new_table(o);
	int *ord = sorted(s);

	if (!tb || !ord) {
		free(ord);
		scols_unref_table(tb);
		fprintf(stderr, "nslife: ls: out of memory\n");
		return 1;
	}
	for (size_t k = 0; k < s->nr_ns; k++) {
		int i = ord[k];

		if (!shown(s, i, o))
			continue;
		if (o->tree != TREE_NONE && tree_parent(s, i, o) >= 0)
			continue;
		add_line(tb, s, i, NULL, o);
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	free(ord);
	return 0;
}

static int usage(FILE *f)
{
	fprintf(f,
"usage: nslife ls [options]\n\n"
"Every namespace on the host, process-less ones included.\n\n"
"  -t, --type TYPE      only this type (mnt net uts ipc pid user cgroup time)\n"
"      --leaked         only namespaces with no member task that are alive\n"
"      --container NAME|ID  only the namespaces of this container (as CONTAINER\n"
"                       shows; an id prefix does)\n"
"      --unit UNIT      only the namespaces of this systemd unit (as UNIT shows)\n"
"  -J, --json           JSON output\n"
"  -r, --raw            raw output\n"
"  -l, --list           list output (no tree)\n"
"  -n, --noheadings     no headings\n"
"  -u, --notruncate     do not truncate columns\n"
"  -o, --output LIST    columns to show (+LIST adds to the default)\n"
"  -T, --tree[=owner|parent]  tree by owning user ns (default) or parent\n"
"      --log FILE       the namespaces alive in a recorded log (FILE.1 ...\n"
"                       beside it too), holders as the log recorded them\n"
"      --at TIME        as of TIME (see 'nslife why --help'; default: the end)\n\n"
"columns:\n");
	for (int i = 0; i < COL_MAX; i++)
		fprintf(f, "  %9s  %s\n", infos[i].name, infos[i].help);
	return f == stdout ? 0 : 2;
}

/* lsns -J always pairs "ns" (a number) with "type": so do we */
static void json_type_column(struct ls_opts *o)
{
	int k, ns = -1;

	for (k = 0; k < o->ncols; k++) {
		if (o->cols[k] == COL_TYPE)
			return;
		if (o->cols[k] == COL_NS && ns < 0)
			ns = k;
	}
	if (ns < 0 || o->ncols == (int)(sizeof(o->cols) / sizeof(o->cols[0])))
		return;
	memmove(&o->cols[ns + 2], &o->cols[ns + 1], (o->ncols - ns - 1) * sizeof(o->cols[0]));
	o->cols[ns + 1] = COL_TYPE;
	o->ncols++;
}

static int parse_args(int argc, char **argv, struct ls_opts *o, struct logargs *la)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "leaked", no_argument, NULL, 'L' },
		{ "container", required_argument, NULL, 'C' },
		{ "unit", required_argument, NULL, 'U' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "output", required_argument, NULL, 'o' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		LOGARGS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const int defaults[] = {
		COL_NS, COL_ID, COL_NPROCS, COL_HOLDERS, COL_STATE, COL_PID, COL_COMMAND,
	};
	/* as lsns's table */
	static const struct nsl_excl excl[] = {
		{ { 'J', 'r' } },
		{ { 'T', 'l' } },
		{ {} },
	};
	struct nsl_excl_state st = {};
	int c, fc;

	memset(o, 0, sizeof(*o));
	optind = 0;	/* glibc: a full reset, argv may be a new one */
	opterr = 0;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		o->cols[o->ncols++] = defaults[i];
	while ((c = getopt_long(argc, argv, "t:Jrlnuo:T::h", opts, NULL)) != -1) {
		if (nsl_excl_check(excl, &st, c, opts, "ls"))
			return -EINVAL;
		switch (c) {
		case 't':
			o->type = nsspec_parse_type(optarg, &fc);
			if (o->type < 0 || fc) {
				fprintf(stderr, "nslife: ls: unknown namespace type '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'L': o->leaked = 1; break;
		case 'C': o->of.container = optarg; break;
		case 'U': o->of.unit = optarg; break;
		case 'J': o->json = 1; break;
		case 'r': o->raw = 1; break;
		case 'l': o->list = 1; break;
		case 'n': o->noheadings = 1; break;
		case 'u': o->notrunc = 1; break;
		case 'o':
			if (!optarg || parse_columns(optarg, o))
				return -EINVAL;
			break;
		case 'T':
			if (!optarg && optind < argc &&
			    (!strcmp(argv[optind], "owner") || !strcmp(argv[optind], "parent")))
				optarg = argv[optind++];
			o->tree = optarg && !strcmp(optarg, "parent") ? TREE_PARENT : TREE_OWNER;
			if (optarg && strcmp(optarg, "parent") && strcmp(optarg, "owner")) {
				fprintf(stderr, "nslife: ls: --tree takes owner or parent\n");
				return -EINVAL;
			}
			break;
		case 'h': exit(usage(stdout));
		default:
			if (logargs_opt(la, c, optarg, "ls", opts, argv[optind - 1]))
				return -EINVAL;
		}
	}
	if (logargs_check(la, "ls"))
		return -EINVAL;
	if (o->list)
		o->tree = TREE_NONE;
	if (o->json)
		json_type_column(o);
	if (optind != argc) {
		fprintf(stderr, "nslife: ls: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int cmd_ls(int argc, char **argv)
{
	struct ls_opts o;
	struct logargs la = {};
	struct logstate ls = {};
	struct snap s;
	int err, rc;

	client_opts(&argc, argv);
	if (parse_args(argc, argv, &o, &la))
		return 2;
	rc = client_query(argc, argv);
	if (rc >= 0)
		return rc;
	if (la.n) {
		/* the namespaces alive at --at, as the log recorded them */
		rc = logstate_open(&ls, &la, "ls");
		if (!rc)
			rc = show(&ls.snap, &o);
		nsl_history_set(NULL, 0);
		logstate_free(&ls);
		return rc;
	}
	err = snap_scan(&s, SNAP_MOUNT_COUNTS);
	if (err) {
		fprintf(stderr, "nslife: scan failed: %s\n", strerror(-err));
		snap_release(&s);
		return 1;
	}
	nsl_history_fill_snap(&s);
	if (snap_fd_gap(&s))
		fprintf(stderr, "nslife: note: %s\n", snap_fd_gap(&s));
	if (snap_enum_gap(&s))
		fprintf(stderr, "nslife: note: %s\n", snap_enum_gap(&s));
	rc = show(&s, &o);
	snap_release(&s);
	return rc;
}
