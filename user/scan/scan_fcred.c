// SPDX-License-Identifier: GPL-2.0
/*
 * What the BPF file iterator finds (through the inspector): open files'
 * credentials and the files that pin namespaces, and the kernel's
 * namespace list; a thread runs it beside the /proc scan, and its records
 * are applied after.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scan_fcred.h"
#include "vec.h"

struct fcred_ctx {
	struct snap *s;
	pid_t pid;		/* whose comm is in comm */
	char comm[NSL_COMM_LEN];
};

static void read_comm(pid_t pid, char *buf, size_t size)
{
	char path[40];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n <= 0)
		n = 0;
	else if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

static void fcred_comm(struct fcred_ctx *c, pid_t pid, char *comm)
{
	if (c->pid != pid) {
		c->pid = pid;
		read_comm(pid, c->comm, sizeof(c->comm));
	}
	memcpy(comm, c->comm, NSL_COMM_LEN);
}

/* the ns a file record names, added if only files hold it */
static int fileref_ns(struct snap *s, const struct snap_fileref *r)
{
	int i = snap_find(s, r->ns.type, r->ns.inum, 0);

	if (i >= 0 || r->ns.type == NSL_T_NONE)
		return i;
	/* a namespace only files hold: no fd of ours can name it */
	i = snap_add_ns(s, r->ns.type, r->ns.inum, -1);
	if (i >= 0 && !s->ns[i].key.id)
		s->ns[i].key.id = r->ns.id;
	return i;
}

static void add_ref(struct snap *s, int ns, int what, __u64 obj, unsigned int refs)
{
	if (s->nr_refs == s->cap_refs) {
		size_t cap = s->cap_refs ? s->cap_refs * 2 : 64;
		void *p = realloc(s->refs, cap * sizeof(*s->refs));

		if (!p)
			return;
		s->refs = p;
		s->cap_refs = cap;
	}
	s->refs[s->nr_refs++] = (struct snap_ref){ .ns = ns, .what = what, .obj = obj,
						   .refs = refs };
}

static void file_path(pid_t pid, int fd, char **out)
{
	char link[64], buf[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	*out = strdup(buf);
}

/*
 * The process holding a unix socket with files in flight: the first one
 * names the in-flight holders (the in-flight records came first).
 */
static void on_queue(struct fcred_ctx *c, const struct snap_fileref *r)
{
	for (size_t k = 0; k < c->s->nr_h; k++) {
		struct snap_holder *h = &c->s->h[k];

		if (h->kind != SNAP_H_FILE || !(h->flags & SNAP_HF_INFLIGHT) ||
		    h->sock_ino != r->sock_ino || h->pid)
			continue;
		h->pid = h->tid = r->pid;
		h->fd = r->fd;
		fcred_comm(c, r->pid, h->comm);
	}
}

static void on_fileref(struct fcred_ctx *c, const struct snap_fileref *r)
{
	int what = r->what & ~(NSL_FILE_IN_RING | NSL_FILE_IN_FLIGHT);
	struct snap_holder *h;
	int i;

	if (what == NSL_FILE_QUEUE) {
		on_queue(c, r);
		return;
	}
	i = fileref_ns(c->s, r);
	if (i < 0)
		return;
	/* sockets: scan_proc names them; here they only count references */
	/* nsfs: no object of its own (the inode's one reference), but the count */
	add_ref(c->s, i, what, r->obj, r->refs);
	/* sockets in flight no process shows, so here they are holders */
	if (what == NSL_FILE_SOCKET && !(r->what & NSL_FILE_IN_FLIGHT))
		return;
	/* nsfs fds are scan_proc's; only those in rings or in flight are new */
	if (what == NSL_FILE_NSFS && !(r->what & (NSL_FILE_IN_RING | NSL_FILE_IN_FLIGHT)))
		return;
	h = snap_add_holder(c->s, what == NSL_FILE_CRED ? SNAP_H_FCRED : SNAP_H_FILE, i);
	if (!h)
		return;
	h->what = what;
	if (r->what & NSL_FILE_IN_FLIGHT) {
		/* no fd: on_queue names who holds the socket, if anyone */
		h->flags |= SNAP_HF_INFLIGHT;
		h->sock_ino = r->sock_ino;
		h->slot = r->slot;
		return;
	}
	h->pid = h->tid = r->pid;
	h->fd = r->fd;
	fcred_comm(c, r->pid, h->comm);
	if (r->what & NSL_FILE_IN_RING) {
		h->flags |= SNAP_HF_RING;
		h->slot = r->slot;
	} else if (what != NSL_FILE_CRED) {
		file_path(r->pid, r->fd, &h->path);
	}
}

static void collect_fcred(void *ctx, const struct snap_fileref *r)
{
	struct snap_fcred *j = ctx;
	struct snap_fileref *slot = nsl_vec_push(j->r, j->n, j->cap, 256);

	if (slot)
		*slot = *r;
	else
		j->nomem = true;
}

static void collect_tree(void *ctx, const struct snap_tree_rec *r)
{
	struct snap_tree *t = ctx;
	struct snap_tree_rec *slot = nsl_vec_push(t->r, t->n, t->cap, 256);

	if (slot)
		*slot = *r;
	else
		t->nomem = true;
}

/* the BPF side: file creds, and the kernel's namespace list (6.18+) */
static void *fcred_thread(void *arg)
{
	struct snap_fcred *j = arg;

	/* a list cut short by want of memory is no list: the fallbacks run */
	if (j->creds && snap_inspector()->files)
		j->ran = snap_inspector()->files(collect_fcred, j) == 0 && !j->nomem;
	if (j->tree)
		j->tr.err = snap_inspector()->ns_tree ? snap_inspector()->ns_tree(collect_tree, &j->tr) :
			    -EOPNOTSUPP;
	if (j->tree && !j->tr.err && j->tr.nomem)
		j->tr.err = -ENOMEM;
	return NULL;
}

void snap_fcred_start(struct snap *s, struct snap_fcred *j)
{
	j->tr.err = -EOPNOTSUPP;
	if (!snap_inspector() || (!j->creds && !j->tree))
		return;
	s->fcred = j;
	j->running = pthread_create(&j->th, NULL, fcred_thread, j) == 0;
	if (!j->running)
		fcred_thread(j);
}

void snap_inspector_idle(struct snap *s)
{
	if (s->fcred && s->fcred->running) {
		pthread_join(s->fcred->th, NULL);
		s->fcred->running = false;
	}
}

void snap_fcred_finish(struct snap *s, struct snap_fcred *j, bool apply)
{
	struct fcred_ctx c = { .s = s };

	snap_inspector_idle(s);
	s->have_refs = apply && j->ran;
	for (size_t k = 0; apply && k < j->n; k++)
		on_fileref(&c, &j->r[k]);
	free(j->r);
	s->fcred = NULL;
}
