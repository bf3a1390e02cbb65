// SPDX-License-Identifier: GPL-2.0
/*
 * Owners: /proc/PID/cgroup once per process, runtime state once per
 * container (see owners.h for the files).  The runtimes' state is only
 * read once something needs it: a process in a container, or an nsfs
 * file where runtimes put theirs, so ls on a host without containers
 * reads nothing more than one small file per namespace's first process.
 *
 * JSON comes through json-c (Debian's libjson-c5): the runtimes' files
 * are full JSON (nested objects, escapes, large arrays), and a well-kept
 * parser beats a hand-written one for input nslife does not control.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "hash.h"
#include "owners.h"
#include "snap.h"

#define PODMAN_STORE	"/var/lib/containers/storage/overlay-containers"
#define PODMAN_RUN	"/run/containers/storage/overlay-containers"
#define DOCKER_STORE	"/var/lib/docker/containers"
#define CTRD_K8S	"/run/containerd/io.containerd.runtime.v2.task/k8s.io"

/* one container as its runtime's state tells it */
struct ctr {
	int runtime;
	char id[NSL_OWN_ID_LEN];
	char name[NSL_OWN_NAME_LEN];
	char pod[NSL_OWN_NAME_LEN];
	char pod_ns[64];
	char pod_uid[NSL_OWN_UID_LEN];
	char netns[256];		/* the nsfs file its runtime made, or "" */
};

struct pid_slot {
	pid_t pid;			/* 0: empty */
	int idx;			/* owner index, -1: none */
};

/*
 * Cgroups named, at most this many, then forgotten all at once: an id only
 * comes in events while its cgroup has tasks, so one forgotten is named
 * again while it lives (a file handle open and a readlink), and a gone one
 * is never asked for again.
 */
#define CG_CACHE_MAX	4096

struct snap_owners {
	struct nsl_hash cg;		/* cgroup id -> owner index + 1, 0: none */
	struct nsl_hash gc;		/* owners_gc_*: owner pointer -> index */
	bool *keep;			/* owners_gc_*: marked */
	int cg2_fd;			/* the cgroup2 mount, -1: none, -2: not looked */
	char cg2_root[256];
	struct pid_slot *pids;
	size_t pid_size, npids;
	struct nsl_owner **o;		/* each its own allocation: stable */
	size_t n, cap;
	struct ctr *c;
	size_t nc, capc;
	bool loaded;			/* the runtimes' state is read */
	char root[256];			/* prefix of the state paths: "" (/), or a test's */
	struct timespec mtime[3];	/* of the stores, when read */
};

/* where containers come and go: a change in one means read again */
static const char *const stores[3] = {
	PODMAN_STORE "/containers.json", DOCKER_STORE, CTRD_K8S,
};

void owners_set_root(struct snap_owners *so, const char *root)
{
	snprintf(so->root, sizeof(so->root), "%s", root ? root : "");
	so->loaded = false;
}

struct snap_owners *owners_new(void)
{
	struct snap_owners *so = calloc(1, sizeof(struct snap_owners));

	if (so)
		so->cg2_fd = -2;
	return so;
}

void owners_free(struct snap_owners *so)
{
	if (!so)
		return;
	for (size_t i = 0; i < so->n; i++)
		free(so->o[i]);
	free(so->o);
	free(so->pids);
	free(so->c);
	nsl_hash_free(&so->cg);
	nsl_hash_free(&so->gc);
	free(so->keep);
	if (so->cg2_fd >= 0)
		close(so->cg2_fd);
	free(so);
}

/* ---- the runtimes' state ---- */

static void scopy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *jobj(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/*
 * o if it is an array, else NULL: json-c's array calls assert the type
 * (abort) and the files are not nslife's to trust.
 */
static struct json_object *jarr(struct json_object *o)
{
	return json_object_is_type(o, json_type_array) ? o : NULL;
}

/* /var/run is /run: the mount table shows the latter */
static void set_netns(struct ctr *c, const char *path)
{
	if (!path || !path[0])
		return;
	if (!strncmp(path, "/var/run/", 9))
		path += 4;
	scopy(c->netns, sizeof(c->netns), path);
}

static struct ctr *ctr_add(struct snap_owners *so, int rt, const char *id)
{
	struct ctr *c;

	if (so->nc == so->capc) {
		size_t cap = so->capc ? so->capc * 2 : 16;

		c = realloc(so->c, cap * sizeof(*c));
		if (!c)
			return NULL;
		so->c = c;
		so->capc = cap;
	}
	c = &so->c[so->nc++];
	memset(c, 0, sizeof(*c));
	c->runtime = rt;
	scopy(c->id, sizeof(c->id), id);
	return c;
}

/* an OCI spec: the netns path and the Kubernetes annotations */
static void oci_spec(struct ctr *c, struct json_object *spec, const char *pre)
{
	struct json_object *ann = jobj(spec, "annotations");
	struct json_object *nss = jarr(jobj(jobj(spec, "linux"), "namespaces"));
	char key[96];

	for (size_t i = 0; nss && i < json_object_array_length(nss); i++) {
		struct json_object *ns = json_object_array_get_idx(nss, i);
		const char *t = jstr(ns, "type");

		if (t && !strcmp(t, "network"))
			set_netns(c, jstr(ns, "path"));
	}
	if (!ann || !pre)
		return;
	snprintf(key, sizeof(key), "%s%s", pre, !strcmp(pre, "io.kubernetes.cri.") ?
		 "sandbox-name" : "pod.name");
	scopy(c->pod, sizeof(c->pod), jstr(ann, key));
	snprintf(key, sizeof(key), "%s%s", pre, !strcmp(pre, "io.kubernetes.cri.") ?
		 "sandbox-namespace" : "pod.namespace");
	scopy(c->pod_ns, sizeof(c->pod_ns), jstr(ann, key));
	snprintf(key, sizeof(key), "%s%s", pre, !strcmp(pre, "io.kubernetes.cri.") ?
		 "sandbox-uid" : "pod.uid");
	scopy(c->pod_uid, sizeof(c->pod_uid), jstr(ann, key));
	snprintf(key, sizeof(key), "%s%s", pre, !strcmp(pre, "io.kubernetes.cri.") ?
		 "container-name" : "container.name");
	if (jstr(ann, key))
		scopy(c->name, sizeof(c->name), jstr(ann, key));
}

/* podman and cri-o share containers/storage: its list names them all */
static void load_containers_storage(struct snap_owners *so)
{
	struct json_object *all;
	char path[512];

	snprintf(path, sizeof(path), "%s" PODMAN_STORE "/containers.json", so->root);
	all = json_object_from_file(path);
	if (!jarr(all)) {
		json_object_put(all);
		return;
	}

	for (size_t i = 0; i < json_object_array_length(all); i++) {
		struct json_object *e = json_object_array_get_idx(all, i);
		struct json_object *names = jarr(jobj(e, "names")), *spec;
		const char *id = jstr(e, "id"), *mgr;
		struct ctr *c;

		if (!id || !(c = ctr_add(so, NSL_RT_PODMAN, id)))
			continue;
		if (names && json_object_array_length(names))
			scopy(c->name, sizeof(c->name),
			      json_object_get_string(json_object_array_get_idx(names, 0)));
		snprintf(path, sizeof(path), "%s" PODMAN_STORE "/%s/userdata/config.json",
			 so->root, id);
		spec = json_object_from_file(path);
		if (!spec) {
			snprintf(path, sizeof(path), "%s" PODMAN_RUN "/%s/userdata/config.json",
				 so->root, id);
			spec = json_object_from_file(path);
		}
		mgr = jstr(jobj(spec, "annotations"), "io.container.manager");
		if (spec && (!mgr || strcmp(mgr, "libpod"))) {
			c->runtime = NSL_RT_CRIO;
			oci_spec(c, spec, "io.kubernetes.");
		} else {
			oci_spec(c, spec, NULL);
		}
		json_object_put(spec);
	}
	json_object_put(all);
}

/*
 * The next entry of a store of one directory per container holding a JSON
 * file (docker, containerd): its parsed file, *id its directory name (valid
 * until the next call); NULL at the end.  Unreadable entries are skipped.
 */
static struct json_object *store_next(DIR *d, const char *store,
				       const char *file, const char **id)
{
	struct json_object *j;
	struct dirent *de;
	char path[512];

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", store, de->d_name, file);
		j = json_object_from_file(path);
		if (j) {
			*id = de->d_name;
			return j;
		}
	}
	return NULL;
}

static void load_docker(struct snap_owners *so)
{
	struct json_object *cfg;
	const char *id;
	char store[512];
	DIR *d;

	snprintf(store, sizeof(store), "%s" DOCKER_STORE, so->root);
	d = opendir(store);
	while ((cfg = store_next(d, store, "config.v2.json", &id))) {
		struct json_object *labels;
		const char *name;
		struct ctr *c;

		if (!(c = ctr_add(so, NSL_RT_DOCKER, id))) {
			json_object_put(cfg);
			continue;
		}
		name = jstr(cfg, "Name");
		scopy(c->name, sizeof(c->name), name && name[0] == '/' ? name + 1 : name);
		set_netns(c, jstr(jobj(cfg, "NetworkSettings"), "SandboxKey"));
		/* dockershim: the pod is in the labels */
		labels = jobj(jobj(cfg, "Config"), "Labels");
		scopy(c->pod, sizeof(c->pod), jstr(labels, "io.kubernetes.pod.name"));
		scopy(c->pod_ns, sizeof(c->pod_ns), jstr(labels, "io.kubernetes.pod.namespace"));
		scopy(c->pod_uid, sizeof(c->pod_uid), jstr(labels, "io.kubernetes.pod.uid"));
		json_object_put(cfg);
	}
	if (d)
		closedir(d);
}

static void load_containerd(struct snap_owners *so)
{
	struct json_object *spec;
	const char *id;
	char store[512];
	DIR *d;

	snprintf(store, sizeof(store), "%s" CTRD_K8S, so->root);
	d = opendir(store);
	while ((spec = store_next(d, store, "config.json", &id))) {
		struct ctr *c;

		if ((c = ctr_add(so, NSL_RT_CONTAINERD, id)))
			oci_spec(c, spec, "io.kubernetes.cri.");
		json_object_put(spec);
	}
	if (d)
		closedir(d);
}

/* stat() of store i, below the root */
static int store_stat(const struct snap_owners *so, int i, struct stat *st)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", so->root, stores[i]);
	return stat(path, st);
}

static bool stores_mtime(const struct snap_owners *so, struct timespec *t)
{
	bool changed = false;
	struct stat st;

	for (int i = 0; i < 3; i++) {
		if (store_stat(so, i, &st))
			memset(&st.st_mtim, 0, sizeof(st.st_mtim));
		changed |= st.st_mtim.tv_sec != t[i].tv_sec || st.st_mtim.tv_nsec != t[i].tv_nsec;
		t[i] = st.st_mtim;
	}
	return changed;
}

static void load_state(struct snap_owners *so)
{
	if (so->loaded)
		return;
	so->loaded = true;
	stores_mtime(so, so->mtime);
	so->nc = 0;
	load_containers_storage(so);
	load_docker(so);
	load_containerd(so);
}

static const struct ctr *ctr_find(struct snap_owners *so, const char *id)
{
	for (size_t i = 0; i < so->nc; i++)
		if (!strcmp(so->c[i].id, id))
			return &so->c[i];
	return NULL;
}

int owners_ctr_gone(struct snap_owners *so, const struct nsl_owner *o)
{
	struct timespec t[3];
	struct stat st;
	int store;

	switch (o->runtime) {
	case NSL_RT_PODMAN:
	case NSL_RT_CRIO:	store = 0; break;
	case NSL_RT_DOCKER:	store = 1; break;
	case NSL_RT_CONTAINERD:	store = 2; break;
	default:		return -1;
	}
	if (!so || store_stat(so, store, &st))
		return -1;
	load_state(so);
	if (ctr_find(so, o->id))
		return 0;
	memcpy(t, so->mtime, sizeof(t));
	if (stores_mtime(so, t)) {
		so->loaded = false;
		load_state(so);
	}
	return !ctr_find(so, o->id);
}

/* a pod's name from any container of it */
static const struct ctr *pod_find(struct snap_owners *so, const char *uid)
{
	for (size_t i = 0; i < so->nc; i++)
		if (so->c[i].pod[0] && !strcmp(so->c[i].pod_uid, uid))
			return &so->c[i];
	return NULL;
}

static void enrich(struct snap_owners *so, struct nsl_owner *o)
{
	const struct ctr *c;

	if (!o->runtime && !o->pod_uid[0])
		return;
	load_state(so);
	c = o->runtime ? ctr_find(so, o->id) : NULL;
	/*
	 * A container newer than what was read (a daemon's collector lives
	 * long): read the state again if a store changed since.
	 */
	if (!c && o->runtime && stores_mtime(so, (struct timespec[3]){ so->mtime[0],
			so->mtime[1], so->mtime[2] })) {
		so->loaded = false;
		load_state(so);
		c = ctr_find(so, o->id);
	}
	if (c) {
		scopy(o->name, sizeof(o->name), c->name);
		/* kubepods with cgroupfs do not say which runtime: the state does */
		if (o->runtime == NSL_RT_CRI)
			o->runtime = c->runtime;
		if (!o->pod_uid[0])
			scopy(o->pod_uid, sizeof(o->pod_uid), c->pod_uid);
	}
	if (o->pod_uid[0] && (c = pod_find(so, o->pod_uid))) {
		scopy(o->pod, sizeof(o->pod), c->pod);
		scopy(o->pod_ns, sizeof(o->pod_ns), c->pod_ns);
	}
}

/* ---- owners, deduplicated ---- */

static bool same(const struct nsl_owner *a, const struct nsl_owner *b)
{
	return a->runtime == b->runtime && a->monitor == b->monitor &&
	       !strcmp(a->id, b->id) && !strcmp(a->unit, b->unit) &&
	       !strcmp(a->pod_uid, b->pod_uid) && !strcmp(a->name, b->name);
}

static int intern(struct snap_owners *so, const struct nsl_owner *o)
{
	struct nsl_owner *copy;

	for (size_t i = 0; i < so->n; i++)
		if (same(so->o[i], o))
			return i;
	if (so->n == so->cap) {
		size_t cap = so->cap ? so->cap * 2 : 16;
		struct nsl_owner **v = realloc(so->o, cap * sizeof(*v));

		if (!v)
			return -1;
		so->o = v;
		so->cap = cap;
	}
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -1;
	*copy = *o;
	so->o[so->n] = copy;
	return so->n++;
}

static int from_text(struct snap_owners *so, const char *text, size_t len)
{
	struct nsl_owner o;

	if (!owner_parse_cgroup(text, len, &o))
		return -1;
	enrich(so, &o);
	return intern(so, &o);
}

const struct nsl_owner *snap_owner_cgroup(const struct snap *s, const char *text,
					  size_t len)
{
	int i = s->owners ? from_text(s->owners, text, len) : -1;

	return i < 0 ? NULL : s->owners->o[i];
}

static struct pid_slot *pid_slot(struct snap_owners *so, pid_t pid)
{
	size_t mask, i;

	if (so->npids * 2 >= so->pid_size) {
		size_t size = so->pid_size ? so->pid_size * 2 : 256;
		struct pid_slot *v = calloc(size, sizeof(*v)), *old = so->pids;

		if (!v)
			return NULL;
		for (i = 0; i < so->pid_size; i++) {
			size_t j = (size_t)old[i].pid & (size - 1);

			if (!old[i].pid)
				continue;
			while (v[j].pid)
				j = (j + 1) & (size - 1);
			v[j] = old[i];
		}
		free(old);
		so->pids = v;
		so->pid_size = size;
	}
	mask = so->pid_size - 1;
	for (i = (size_t)pid & mask; so->pids[i].pid; i = (i + 1) & mask)
		if (so->pids[i].pid == pid)
			return &so->pids[i];
	return &so->pids[i];
}

static int read_cgroup(struct snap_owners *so, pid_t pid)
{
	char path[32], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? from_text(so, buf, n) : -1;
}

#define PID_STALE	-2	/* read it again */

const struct nsl_owner *owners_read_pid(struct snap_owners *so, pid_t pid)
{
	struct pid_slot *sl;

	if (!so || pid <= 0)
		return NULL;
	sl = pid_slot(so, pid);
	if (!sl)
		return NULL;
	if (!sl->pid || sl->idx == PID_STALE) {
		if (!sl->pid)
			so->npids++;
		sl->pid = pid;
		sl->idx = read_cgroup(so, pid);
	}
	return sl->idx < 0 ? NULL : so->o[sl->idx];
}

void owners_forget_pid(struct snap_owners *so, pid_t pid)
{
	struct pid_slot *sl = so && pid > 0 && so->pid_size ? pid_slot(so, pid) : NULL;

	if (sl && sl->pid == pid)
		sl->idx = PID_STALE;
}

const struct nsl_owner *snap_owner_pid(const struct snap *s, pid_t pid)
{
	struct snap_owners *so = s->owners;
	struct pid_slot *sl;

	if (!so || pid <= 0)
		return NULL;
	sl = pid_slot(so, pid);
	if (!sl)
		return NULL;
	if (!sl->pid) {
		sl->pid = pid;
		sl->idx = read_cgroup(so, pid);
		so->npids++;
	}
	return sl->idx < 0 ? NULL : so->o[sl->idx];
}

/* where runtimes put the nsfs files they make */
static bool runtime_path(const char *p)
{
	return !strncmp(p, "/run/netns/", 11) || !strncmp(p, "/var/run/netns/", 15) ||
	       !strncmp(p, "/run/docker/netns/", 18) ||
	       !strncmp(p, "/var/run/docker/netns/", 22);
}

const struct nsl_owner *snap_owner_path(const struct snap *s, const char *path)
{
	struct snap_owners *so = s->owners;
	struct nsl_owner o;
	int i;

	if (!so || !path || !runtime_path(path))
		return NULL;
	if (!strncmp(path, "/var/run/", 9))
		path += 4;
	load_state(so);
	for (size_t k = 0; k < so->nc; k++) {
		const struct ctr *c = &so->c[k];

		if (strcmp(c->netns, path))
			continue;
		memset(&o, 0, sizeof(o));
		o.runtime = c->runtime;
		scopy(o.id, sizeof(o.id), c->id);
		scopy(o.name, sizeof(o.name), c->name);
		scopy(o.pod_uid, sizeof(o.pod_uid), c->pod_uid);
		scopy(o.pod, sizeof(o.pod), c->pod);
		scopy(o.pod_ns, sizeof(o.pod_ns), c->pod_ns);
		i = intern(so, &o);
		return i < 0 ? NULL : so->o[i];
	}
	return NULL;
}

const struct nsl_owner *snap_holder_owner(const struct snap *s,
					  const struct snap_holder *h)
{
	switch (h->kind) {
	case SNAP_H_TASK:
	case SNAP_H_CRED:
		/* a thread's cgroup can differ from its leader's (v1) */
		return snap_owner_pid(s, h->tid ? h->tid : h->pid);
	case SNAP_H_FD:
	case SNAP_H_SOCKET:
	case SNAP_H_FCRED:
		return snap_owner_pid(s, h->pid);
	case SNAP_H_MOUNT:
		/* only the host's view of the runtimes' directories */
		return snap_is_self_mnt(s, h->mntns) ? snap_owner_path(s, h->path) : NULL;
	}
	return NULL;
}

const struct nsl_owner *snap_ns_owner(const struct snap *s, int i)
{
	const struct nsl_owner *o;

	if (!s->owners)
		return NULL;
	if (s->ns[i].pid)
		return snap_owner_pid(s, s->ns[i].pid);
	for (size_t k = 0; k < s->nr_h; k++)
		if (s->h[k].ns == i && (o = snap_holder_owner(s, &s->h[k])))
			return o;
	return NULL;
}

bool owner_filter_set(const struct owner_filter *f)
{
	return f->container || f->unit;
}

bool owner_filter_match(const struct owner_filter *f, const struct nsl_owner *o)
{
	if (!owner_filter_set(f))
		return true;
	if (!o)
		return false;
	if (f->container && !owner_match_container(o, f->container))
		return false;
	if (f->unit && !owner_match_unit(o, f->unit))
		return false;
	return true;
}

/* the cgroup2 mount, from our mountinfo (hybrid: /sys/fs/cgroup/unified) */
static int cg2_open(struct snap_owners *so)
{
	char line[1024], mnt[256], fstype[32];
	FILE *f;

	if (so->cg2_fd != -2)
		return so->cg2_fd;
	so->cg2_fd = -1;
	f = fopen("/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof(line), f)) {
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(dash, " - %31s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %255s", mnt) != 1)
			continue;
		so->cg2_fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		scopy(so->cg2_root, sizeof(so->cg2_root), mnt);
		break;
	}
	if (f)
		fclose(f);
	return so->cg2_fd;
}

/*
 * A cgroup's id is its kernfs inode id, and kernfs file handles are that
 * id (FILEID_KERNFS, 8 bytes): open_by_handle_at on the mount finds it
 * while it lives (needs CAP_DAC_READ_SEARCH).
 */
static int cg2_path(struct snap_owners *so, __u64 cgid, char *buf, size_t size)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh = { .handle_bytes = sizeof(__u64), .handle_type = 0xfe } };
	char link[64], full[4096];
	size_t rl;
	ssize_t n;
	int fd;

	if (cg2_open(so) < 0)
		return -ENOENT;
	h.id = cgid;
	fd = open_by_handle_at(so->cg2_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, full, sizeof(full) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	full[n] = 0;
	rl = strlen(so->cg2_root);
	if (strncmp(full, so->cg2_root, rl))
		return -ENOENT;
	snprintf(buf, size, "%s", full[rl] ? full + rl : "/");
	return 0;
}

const struct nsl_owner *owners_by_cgid(struct snap_owners *so, __u64 cgid,
				       char *path, size_t size)
{
	char p[4096];
	struct nsl_owner o;
	int idx = -1;
	__u64 v;

	if (path && size)
		path[0] = 0;
	if (!so || !cgid)
		return NULL;
	if (!path && nsl_hash_get(&so->cg, cgid, &v))
		return v ? so->o[v - 1] : NULL;
	if (cg2_path(so, cgid, p, sizeof(p)))
		return NULL;
	if (path)
		snprintf(path, size, "%s", p);
	if (owner_parse_path(p, strlen(p), &o)) {
		enrich(so, &o);
		idx = intern(so, &o);
	}
	if (so->cg.count >= CG_CACHE_MAX)
		nsl_hash_free(&so->cg);
	nsl_hash_put(&so->cg, cgid, idx + 1);	/* a failed put: named again next time */
	return idx < 0 ? NULL : so->o[idx];
}

size_t owners_count(const struct snap_owners *so)
{
	return so ? so->n : 0;
}

int owners_gc_begin(struct snap_owners *so)
{
	so->keep = calloc(so->n ? so->n : 1, sizeof(*so->keep));
	if (!so->keep)
		return -ENOMEM;
	for (size_t i = 0; i < so->n; i++)
		if (nsl_hash_put(&so->gc, (uintptr_t)so->o[i], i)) {
			nsl_hash_free(&so->gc);
			free(so->keep);
			so->keep = NULL;
			return -ENOMEM;
		}
	return 0;
}

void owners_gc_mark(struct snap_owners *so, const struct nsl_owner *o)
{
	__u64 i;

	if (o && so->keep && nsl_hash_get(&so->gc, (uintptr_t)o, &i))
		so->keep[i] = true;
}

void owners_gc_end(struct snap_owners *so)
{
	size_t k = 0;

	if (!so->keep)
		return;
	for (size_t i = 0; i < so->n; i++) {
		if (so->keep[i])
			so->o[k++] = so->o[i];
		else
			free(so->o[i]);
	}
	so->n = k;
	free(so->keep);
	so->keep = NULL;
	nsl_hash_free(&so->gc);
	/* indexes moved: both caches start over */
	nsl_hash_free(&so->cg);
	free(so->pids);
	so->pids = NULL;
	so->pid_size = so->npids = 0;
}
