/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owners of what a snapshot found: the unit, container and pod of a
 * process (its /proc/PID/cgroup, read once per process and parsed by
 * core/owner.c), with the names the container runtimes keep on disk (read
 * once per container, read-only, failing soft), and the container whose
 * runtime created an nsfs file (/run/netns/netns-..., cni-...,
 * /run/docker/netns/...) when that runtime's state says so.
 *
 * The state files read (JSON, through json-c):
 *   podman  /var/lib/containers/storage/overlay-containers/containers.json
 *           (id -> name), .../ID/userdata/config.json (the OCI spec: the
 *           netns path); cri-o shares that store, its config.json
 *           annotations name the pod (io.kubernetes.pod.*)
 *   docker  /var/lib/docker/containers/ID/config.v2.json (Name,
 *           NetworkSettings.SandboxKey)
 *   containerd (CRI)  /run/containerd/io.containerd.runtime.v2.task/k8s.io/ID/
 *           config.json annotations io.kubernetes.cri.sandbox-*
 */
#ifndef NSL_OWNERS_H
#define NSL_OWNERS_H

#include <sys/types.h>
#include <linux/types.h>
#include "owner.h"

struct snap;
struct snap_holder;
struct snap_owners;

struct snap_owners *owners_new(void);
void owners_free(struct snap_owners *so);
/*
 * Read the runtimes' state below root instead of / (NULL or "": /), as
 * the unit tests do with a tree of fixtures in the runtimes' formats.
 */
void owners_set_root(struct snap_owners *so, const char *root);

/* NULL when it has none, or the snapshot keeps no owners (from a log) */
const struct nsl_owner *snap_owner_pid(const struct snap *s, pid_t pid);
const struct nsl_owner *snap_owner_path(const struct snap *s, const char *path);
const struct nsl_owner *snap_holder_owner(const struct snap *s,
					  const struct snap_holder *h);
/*
 * The namespace's: its lowest member pid's, else its first holder's that
 * has one (a process, or a runtime's netns file).
 */
const struct nsl_owner *snap_ns_owner(const struct snap *s, int i);
/* the owner parsed from cgroup text, with the runtime's names added */
const struct nsl_owner *snap_owner_cgroup(const struct snap *s, const char *text,
					  size_t len);

/*
 * The owner of a cgroup v2 id (bpf_get_current_cgroup_id) while that
 * cgroup lives: its path through a file handle on the cgroup2 mount, then
 * parsed as a /proc/PID/cgroup line is.  Cached per id (a bounded cache);
 * NULL: none, gone, or no cgroup2 mount.  path (may be NULL) gets the cgroup's path.
 */
const struct nsl_owner *owners_by_cgid(struct snap_owners *so, __u64 cgid,
				       char *path, size_t size);

/*
 * A long-lived user (the collector) drops the owners it no longer points
 * at: owners_gc_mark() each one still used between owners_gc_begin()
 * (-ENOMEM: no collection, the others are no-ops) and owners_gc_end().
 * Pointers to the others are invalid after it; the cgroup and pid caches
 * start empty.
 */
size_t owners_count(const struct snap_owners *so);
int owners_gc_begin(struct snap_owners *so);
void owners_gc_mark(struct snap_owners *so, const struct nsl_owner *o);
void owners_gc_end(struct snap_owners *so);

/*
 * A process's owner for a live trace: cached per pid until
 * owners_forget_pid() (its exit: pids are reused); NULL: none.
 */
const struct nsl_owner *owners_read_pid(struct snap_owners *so, pid_t pid);
void owners_forget_pid(struct snap_owners *so, pid_t pid);

/*
 * Is o's container gone from its runtime's state (read again if a store
 * changed)?  1 gone, 0 still there, -1 cannot tell (no state read for
 * that runtime, its store is missing, or so is NULL: a snapshot from a log).
 */
int owners_ctr_gone(struct snap_owners *so, const struct nsl_owner *o);

/* --container NAME|ID and --unit UNIT, as ls and why take them */
struct owner_filter {
	const char *container;
	const char *unit;
};
bool owner_filter_set(const struct owner_filter *f);
bool owner_filter_match(const struct owner_filter *f, const struct nsl_owner *o);

#endif
