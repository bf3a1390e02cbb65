// SPDX-License-Identifier: GPL-2.0
/*
 * nslife why NS: the namespace, its state, every holder with how to
 * release it, and chains (a mount lives in a mount ns, which something
 * else holds) drawn as a tree.  --json is a contract for scripts (see
 * docs/json.md); --dot draws the holder graph.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client.h"
#include "commands.h"
#include "excl.h"
#include "history.h"
#include "inspect.h"
#include "logstate.h"
#include "histscan.h"
#include "netlink.h"
#include "nsspec.h"
#include "owners.h"
#include "parse.h"
#include "refs.h"
#include "scan.h"
#include "why.h"
#include "why_hint.h"
#include "why_out.h"

#define MAX_MATCH	16

enum { OUT_TEXT, OUT_JSON, OUT_DOT };

/* ---- reference accounting ---- */

/* what no holder explains becomes a kernel holder, where counting is exact */
void why_account(struct snap *s, int i)
{
	struct nsl_refacct a;
	struct snap_holder *h = NULL;
	char *d;

	why_set_refs(NULL);
	if (snap_refacct(s, i, &a))
		return;
	why_set_refs(&a);
	if (!a.exact || !a.unexplained)
		return;
	for (size_t k = 0; k < s->nr_h; k++)
		if (s->h[k].ns == i && s->h[k].kind == SNAP_H_KERNEL)
			h = &s->h[k];
	if (!h) {
		h = snap_add_holder(s, SNAP_H_KERNEL, i);
		if (!h)
			return;
		s->ns[i].nhold[SNAP_H_KERNEL]++;
	}
	h->unexplained = a.unexplained;
	if (asprintf(&d, "%u reference%s no holder explains: %s", a.unexplained,
		     a.unexplained == 1 ? "" : "s", nsl_refacct_candidates(a.type)) < 0)
		return;
	free(h->detail);
	h->detail = d;
}

static void text_refs(void)
{
	const struct nsl_refacct *a = why_refs();
	char by[512];

	if (!a) {
		printf("references: unknown (needs BPF: root and kernel BTF)\n");
		return;
	}
	nsl_refacct_str(a, by, sizeof(by));
	printf("references: %u counted by the kernel, %u explained (%s)", a->count,
	       a->explained, by);
	if (!a->exact)
		printf(", a lower bound: %s", nsl_refacct_inexact(a));
	else if (a->unexplained)
		printf(", %u unexplained (the kernel holder above)", a->unexplained);
	else if (a->excess)
		printf(", %u more than counted: tasks forked or files closed while nslife read",
		       a->excess);
	printf("\n");
}

/* ---- text ---- */

static void text_ns_line(const struct snap *s, int i)
{
	const struct snap_ns *n = &s->ns[i];

	printf("%s:[%u]", nsl_type_name(n->key.type), n->key.inum);
	if (n->key.id)
		printf(" id %llu", (unsigned long long)n->key.id);
}

static void text_owner(const struct nsl_owner *o, const char *pre, const char *post)
{
	char buf[512];

	if (o && owner_describe(o, buf, sizeof(buf)) > 0)
		printf("%s%s%s", pre, buf, post);
}

static void text_holder(const struct snap *s, const struct snap_holder *h)
{
	const struct snap_ns *c;

	switch (h->kind) {
	case SNAP_H_TASK:
	case SNAP_H_CRED:
		printf("%s pid %d", snap_hkind_name(h->kind), h->pid);
		if (h->tid != h->pid)
			printf(" tid %d", h->tid);
		printf(" (%s)%s%s", h->comm,
		       strcmp(h->link, "pid_for_children") &&
		       strcmp(h->link, "time_for_children") ? "" : " as ",
		       strcmp(h->link, "pid_for_children") &&
		       strcmp(h->link, "time_for_children") ? "" : h->link);
		if (h->flags & SNAP_HF_ZOMBIE)
			printf(" zombie");
		break;
	case SNAP_H_FD:
	case SNAP_H_SOCKET:
		printf("%s %d in pid %d (%s)", snap_hkind_name(h->kind), h->fd,
		       h->pid, h->comm);
		break;
	case SNAP_H_FCRED:
		printf("cred of fd %d in pid %d (%s): the file was opened in this user ns",
		       h->fd, h->pid, h->comm);
		break;
	case SNAP_H_FILE:
		if (h->flags & SNAP_HF_INFLIGHT) {
			printf("file in flight (SCM_RIGHTS) in the queue of unix socket socket:[%llu]",
			       (unsigned long long)h->sock_ino);
			if (h->pid)
				printf(", fd %d in pid %d (%s)", h->fd, h->pid, h->comm);
			else
				printf(", which no process has open");
			printf(": %s", snap_file_what_name(h->what));
		} else if (h->flags & SNAP_HF_RING)
			printf("file in slot %u of io_uring fd %d in pid %d (%s): %s",
			       h->slot, h->fd, h->pid, h->comm, snap_file_what_name(h->what));
		else
			printf("file fd %d in pid %d (%s): %s %s", h->fd, h->pid, h->comm,
			       snap_file_what_name(h->what), h->path ? h->path : "(path unknown)");
		break;
	case SNAP_H_MOUNT:
	case SNAP_H_PROC_MOUNT:
		printf("%s %s in mnt:[%u]%s%s", h->kind == SNAP_H_MOUNT ?
		       "nsfs mount" : "procfs mount", h->path,
		       s->ns[h->mntns].key.inum,
		       h->flags & SNAP_HF_COVERED ? " (covered)" : "",
		       h->flags & SNAP_HF_ELIMINATION ? " (attributed by elimination)" : "");
		break;
	case SNAP_H_CHILD:
		c = &s->ns[h->child];
		printf("child %s:[%u]", nsl_type_name(c->key.type), c->key.inum);
		break;
	default:
		printf("kernel: %s", h->detail ? h->detail : "?");
		break;
	}
	text_owner(snap_holder_owner(s, h), h->kind == SNAP_H_MOUNT ?
		   " [the netns file its runtime made for " : " [", "]");
	putchar('\n');
}

static void text_holders(const struct snap *s, int ns, const char *prefix,
			 int depth)
{
	size_t last = s->nr_h, k;
	unsigned int shown[SNAP_H_MAX] = { 0 }, hidden = 0;
	char rel[2048], sub[256], own[512], left[700] = "";

	for (k = 0; k < s->nr_h; k++)
		if (why_pins(&s->h[k], ns))
			last = k;
	if (!depth)
		why_left_by(s, ns, nsl_history_find(&s->ns[ns].key), left, sizeof(left));
	for (k = 0; k < s->nr_h; k++) {
		const struct snap_holder *h = &s->h[k];
		bool end = k == last;

		if (!why_pins(h, ns))
			continue;
		if (depth && why_capped(h->kind) && shown[h->kind]++ >= WHY_NESTED_CAP) {
			hidden++;
			continue;
		}
		printf("%s%s ", prefix, end ? "`-" : "|-");
		text_holder(s, h);
		snprintf(sub, sizeof(sub), "%s%s", prefix, end ? "   " : "|  ");
		if (h->kind != SNAP_H_KERNEL) {
			why_release(s, h, rel, sizeof(rel));
			why_release_owner(s, h, own, sizeof(own));
			if (own[0])
				printf("%srelease: %s (kernel level: %s)\n", sub, own, rel);
			else
				printf("%srelease: %s%s\n", sub, rel, left);
		}
		if ((h->kind == SNAP_H_MOUNT || h->kind == SNAP_H_PROC_MOUNT) &&
		    depth < WHY_MAX_DEPTH && !snap_is_self_mnt(s, h->mntns)) {
			printf("%smnt:[%u] is held by:\n", sub, s->ns[h->mntns].key.inum);
			text_holders(s, h->mntns, sub, depth + 1);
		}
	}
	if (hidden)
		printf("%s   ... %u more (nslife why %s:[%u])\n", prefix, hidden,
		       nsl_type_name(s->ns[ns].key.type), s->ns[ns].key.inum);
}

static void text_why(const struct snap *s, int i)
{
	const struct snap_ns *n = &s->ns[i];
	const struct nsm_ns *hn = nsl_history_find(&n->key);
	unsigned int total = 0;

	for (int k = 0; k < SNAP_H_MAX; k++)
		if (k != SNAP_H_NOPIN)
			total += n->nhold[k];
	text_ns_line(s, i);
	printf(": %s, %d processes, %d tasks", n->state == SNAP_S_INACTIVE ? "inactive" :
	       hn && hn->state == NSM_LINGERING ? "lingering" : "alive", n->nprocs, n->ntasks);
	if (n->owner >= 0)
		printf(", owner user:[%u]", s->ns[n->owner].key.inum);
	if (n->parent >= 0 && n->parent != n->owner)
		printf(", parent %s:[%u]", nsl_type_name(s->ns[n->parent].key.type),
		       s->ns[n->parent].key.inum);
	putchar('\n');
	text_owner(snap_ns_owner(s, i), "owned by: ", "\n");
	if (n->state == SNAP_S_INACTIVE)
		printf("inactive: still allocated (on the kernel's namespace list), but no task, fd or mount holds it, so nsfs will not open it; what keeps it may still pin other namespaces\n");
	if (hn)
		nsl_history_why_text(stdout, hn);
	if (why_log_at())
		printf("recorded holders as of %s (from the log; closes of fds are not "
		       "recorded) %u:\n", why_log_at(), total);
	else
		printf("held by %u:\n", total);
	text_holders(s, i, "", 0);
	if (!why_log_at())
		text_refs();
	if (n->key.type == NSL_T_NET)
		printf("note: sysfs mounts never pin a net namespace (passive reference)\n");
	if (n->key.type == NSL_T_IPC)
		printf("note: mqueue mounts never pin an ipc namespace (passive reference)\n");
}

static void text_dead(const struct nsl_ns *key)
{
	const struct nsm_ns *hn = nsl_history_lookup(key);

	if (key->type != NSL_T_NONE)
		printf("%s:[%u]", nsl_type_name(key->type), key->inum);
	else if (key->inum)
		printf("[%u]", key->inum);
	if (key->id)
		printf("%sid %llu", key->inum ? " " : "", (unsigned long long)key->id);
	printf(": dead (freed: the kernel has no namespace with this id)\n");
	if (hn)
		nsl_history_why_text(stdout, hn);
}

static int usage(FILE *f)
{
	fprintf(f,
"usage: nslife why [--json|--dot] NS\n"
"       nslife why [--json|--dot] --container NAME|ID | --unit UNIT\n"
"       nslife why [--json|--dot] -p PID -t TYPE\n"
"       nslife why [--json|--dot] --addr IP | --ifname NAME\n\n"
"NS: net:[4026532279], net:4026532279, 4026532279, an id (id:4100),\n"
"    or a path to an nsfs file (/proc/PID/ns/net, /run/netns/x, or a\n"
"    bind mount that exists only in another mount namespace)\n\n"
"  -p, --pid PID      a process's namespace of type -t\n"
"  -t, --type TYPE    mnt net uts ipc pid user cgroup time,\n"
"                     pid_for_children, time_for_children\n"
"      --addr IP      the net namespace(s) that have this address\n"
"      --ifname NAME  the net namespace(s) that have this interface\n"
"      --container NAME|ID  every namespace of this container (its first\n"
"                     process is in it, or its runtime made its nsfs file)\n"
"      --unit UNIT    every namespace of this systemd unit\n"
"  -J, --json         one JSON object (schema: docs/json.md)\n"
"      --dot          graphviz digraph of the holders\n"
"      --log FILE     answer from a recorded log (FILE.1 ... beside it too);\n"
"                     NS is then type:[inum], an inum or id:N\n"
"      --at TIME      as of TIME: 2026-11-23T12:00:00[Z], 12:00:00, @EPOCH,\n"
"                     or -5m before the end of the log (default: its end)\n");
	return f == stdout ? 0 : 2;
}

/* -p PID -t TYPE: each wrong part named */
static int parse_pid_type(const char *pid, const char *type, struct nsspec *sp,
			  const char *cmd)
{
	int p, fc, err;

	if (!pid || !type) {
		fprintf(stderr, "nslife: %s: %s needs %s\n", cmd, pid ? "-p PID" : "-t TYPE",
			pid ? "-t TYPE" : "-p PID");
		return -EINVAL;
	}
	err = nsl_parse_pid(pid, &p);
	if (err) {
		fprintf(stderr, "nslife: %s: invalid pid '%s': %s\n", cmd, pid,
			nsl_parse_why(err));
		return -EINVAL;
	}
	if (nsspec_parse_type(type, &fc) < 0) {
		fprintf(stderr, "nslife: %s: unknown namespace type '%s'\n", cmd, type);
		return -EINVAL;
	}
	return nsspec_parse_pid(pid, type, sp);
}

int why_parse_ns(int argc, char **argv, const char *pid, const char *type,
		 struct nsspec *sp, const char *cmd)
{
	if (pid || type) {
		if (optind < argc) {
			fprintf(stderr, "nslife: %s: -p PID -t TYPE and NS '%s' are mutually "
				"exclusive\n", cmd, argv[optind]);
			return -EINVAL;
		}
		return parse_pid_type(pid, type, sp, cmd);
	}
	if (optind == argc) {
		fprintf(stderr, "nslife: %s: which namespace? (try 'nslife %s --help')\n",
			cmd, cmd);
		return -EINVAL;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "nslife: %s: unexpected argument '%s'\n", cmd, argv[optind + 1]);
		return -EINVAL;
	}
	if (nsspec_parse(argv[optind], sp)) {
		fprintf(stderr, "nslife: %s: '%s' is not a namespace, id or path\n", cmd,
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* --addr IP or --ifname NAME: checked here, not when nothing matches */
static int parse_net(int argc, char **argv, const char *addr, const char *ifname,
		     struct nsspec *sp)
{
	struct nl_query q;

	if (optind < argc) {
		fprintf(stderr, "nslife: why: %s and NS '%s' are mutually exclusive\n",
			addr ? "--addr" : "--ifname", argv[optind]);
		return -EINVAL;
	}
	if (addr && nl_query_addr(addr, &q)) {
		fprintf(stderr, "nslife: why: '%s' is not an IP address\n", addr);
		return -EINVAL;
	}
	if (ifname && nl_query_ifname(ifname, &q)) {
		fprintf(stderr, "nslife: why: '%s' is not an interface name\n", ifname);
		return -EINVAL;
	}
	memset(sp, 0, sizeof(*sp));
	sp->kind = addr ? NSSPEC_ADDR : NSSPEC_IFNAME;
	sp->str = addr ? addr : ifname;
	return 0;
}

static int parse_args(int argc, char **argv, struct nsspec *sp, int *out,
		      struct logargs *la, struct owner_filter *of)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "dot", no_argument, NULL, 'D' },
		{ "pid", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "addr", required_argument, NULL, 'A' },
		{ "ifname", required_argument, NULL, 'I' },
		{ "container", required_argument, NULL, 'C' },
		{ "unit", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		LOGARGS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	/* lsns-style: at most one of each group */
	static const struct nsl_excl excl[] = {
		{ { 'D', 'J' } },
		{ { 'A', 'I', 'p' } },
		{ { 'A', 'I', 't' } },
		{ { 'A', 'I', OPT_LOG } },
		{ {} },
	};
	struct nsl_excl_state st = {};
	const char *pid = NULL, *type = NULL, *addr = NULL, *ifname = NULL;
	int c;

	*out = OUT_TEXT;
	optind = 0;	/* glibc: a full reset, argv may be a new one */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "Jp:t:h", opts, NULL)) != -1) {
		if (nsl_excl_check(excl, &st, c, opts, "why"))
			return -EINVAL;
		switch (c) {
		case 'J': *out = OUT_JSON; break;
		case 'D': *out = OUT_DOT; break;
		case 'p': pid = optarg; break;
		case 't': type = optarg; break;
		case 'A': addr = optarg; break;
		case 'I': ifname = optarg; break;
		case 'C': of->container = optarg; break;
		case 'U': of->unit = optarg; break;
		case 'h': exit(usage(stdout));
		default:
			if (logargs_opt(la, c, optarg, "why", opts, argv[optind - 1]))
				return -EINVAL;
		}
	}
	if (logargs_check(la, "why"))
		return -EINVAL;
	if (owner_filter_set(of)) {
		if (pid || type || addr || ifname || la->n || optind != argc) {
			fprintf(stderr, "nslife: why: --container and --unit take no NS (and no --log)\n");
			return -EINVAL;
		}
		return 0;
	}
	if (addr || ifname)
		return parse_net(argc, argv, addr, ifname, sp);
	return why_parse_ns(argc, argv, pid, type, sp, "why");
}

static const char *spec_str(const struct nsspec *sp, const char *arg)
{
	return sp->str ? sp->str : arg;
}

/* the same answer, from the state a recorded log rebuilds at --at */
static int why_log(const struct nsspec *sp, int out, const struct logargs *la,
		   const char *arg)
{
	struct logstate ls = {};
	const struct nsm_ns *old;
	struct nsl_ns key;
	int i, rc;

	if (sp->kind != NSSPEC_INUM && sp->kind != NSSPEC_ID) {
		fprintf(stderr, "nslife: why: with --log, NS is type:[inum], an inum or id:N\n");
		return 2;
	}
	/* its events, in case the map has forgotten it (long dead) */
	ls.collect = true;
	ls.c_type = sp->type;
	ls.c_inum = sp->inum;
	ls.c_id = sp->kind == NSSPEC_ID ? sp->id : 0;
	rc = logstate_open(&ls, la, "why");
	if (rc)
		goto cleanup;
	why_set_log(ls.at_wall, ls.at_boot);
	i = logstate_find(&ls, sp->type, sp->inum, sp->id, &key);
	if (i == -ENOENT && (old = logstate_forgotten(&ls, ls.c_id))) {
		key = old->key;
		i = -ESTALE;
	}
	if (i == -ENOENT) {
		key.type = sp->type;
		key.inum = sp->inum;
		key.id = sp->id;
		if (out == OUT_JSON)
			why_json_unknown(&key);
		fprintf(stderr, "nslife: why: %s: the log never saw it (up to %s)\n",
			arg, why_log_at());
		rc = 1;
	} else if (i < 0) {
		if (out == OUT_JSON)
			why_json_dead(&key);
		else
			text_dead(&key);
	} else if (out == OUT_JSON) {
		why_json(&ls.snap, i);
	} else if (out == OUT_DOT) {
		why_dot(&ls.snap, i);
	} else {
		text_why(&ls.snap, i);
	}
cleanup:
	nsl_history_set(NULL, 0);
	logstate_free(&ls);
	return rc;
}

static void why_one(const struct snap *s, int i, int out)
{
	if (out == OUT_JSON)
		why_json(s, i);
	else if (out == OUT_DOT)
		why_dot(s, i);
	else
		text_why(s, i);
}

/* every namespace the filter's container or unit owns */
static int why_owned(const struct snap *s, const struct owner_filter *of, int out)
{
	int n = 0;

	for (size_t i = 0; i < s->nr_ns; i++) {
		if (!owner_filter_match(of, snap_ns_owner(s, i)))
			continue;
		if (n++ && out == OUT_TEXT)
			putchar('\n');
		why_one(s, i, out);
	}
	if (!n)
		fprintf(stderr, "nslife: why: no namespace of %s %s\n",
			of->container ? "container" : "unit",
			of->container ? of->container : of->unit);
	return n ? 0 : 1;
}

int cmd_why(int argc, char **argv)
{
	struct owner_filter of = {};
	struct snap s;
	struct nsspec sp;
	struct nsl_ns key;
	struct logargs la = {};
	int idx[MAX_MATCH], n, out, err;

	client_opts(&argc, argv);
	if (parse_args(argc, argv, &sp, &out, &la, &of))
		return 2;
	err = client_query(argc, argv);
	if (err >= 0)
		return err;
	if (la.n)
		return why_log(&sp, out, &la, argv[argc - 1]);
	nsl_inspect_want_refs();
	err = snap_scan(&s, 0);
	if (err) {
		fprintf(stderr, "nslife: scan failed: %s\n", strerror(-err));
		snap_release(&s);
		return 1;
	}
	nsl_history_fill_snap(&s);
	if (snap_fd_gap(&s))
		fprintf(stderr, "nslife: note: %s\n", snap_fd_gap(&s));
	if (owner_filter_set(&of)) {
		err = why_owned(&s, &of, out);
		snap_release(&s);
		return err;
	}
	n = nsspec_resolve(&sp, &s, idx, MAX_MATCH, &key);
	if (n == -ESRCH) {
		fprintf(stderr, "nslife: why: no process %d\n", sp.pid);
		snap_release(&s);
		return 1;
	}
	/* history would have said more about this one */
	if (n > 0 || n == -ESTALE)
		client_note_no_history();
	if (n == -ESTALE) {
		if (out == OUT_JSON)
			why_json_dead(&key);
		else
			text_dead(&key);
		snap_release(&s);
		return 0;
	}
	if (n <= 0) {
		fprintf(stderr, "nslife: why: %s names no namespace\n",
			spec_str(&sp, argv[argc - 1]));
		snap_release(&s);
		return 1;
	}
	if (n > 1 && out != OUT_TEXT)
		fprintf(stderr, "nslife: why: %s is in %d namespaces; showing the first\n",
			spec_str(&sp, argv[argc - 1]), n);
	for (int k = 0; k < n; k++) {
		why_account(&s, idx[k]);
		if (out == OUT_JSON)
			why_json(&s, idx[k]);
		else if (out == OUT_DOT)
			why_dot(&s, idx[k]);
		else
			text_why(&s, idx[k]);
		if (out != OUT_TEXT)
			break;
	}
	snap_release(&s);
	return 0;
}
