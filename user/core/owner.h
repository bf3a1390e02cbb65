/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who a task belongs to, in the operator's terms: the systemd unit or
 * scope, the container (runtime and id) and the Kubernetes pod, read from
 * the cgroup paths of /proc/PID/cgroup.  Pure parsing, no I/O: the names
 * the runtimes keep on disk are added by user/scan/ownerdb.c.
 */
#ifndef NSL_OWNER_H
#define NSL_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum nsl_runtime {
	NSL_RT_NONE,
	NSL_RT_DOCKER,
	NSL_RT_CONTAINERD,	/* cri-containerd-ID.scope */
	NSL_RT_CRIO,
	NSL_RT_PODMAN,
	NSL_RT_LXC,
	NSL_RT_MACHINED,	/* machine.slice/machine-NAME.scope: nspawn, libvirt */
	NSL_RT_CRI,		/* kubepods, cgroupfs driver: the runtime is not in the path */
	NSL_RT_MAX,
};

#define NSL_OWN_ID_LEN		72	/* a 64-hex id, an LXC or machine name */
#define NSL_OWN_NAME_LEN	128
#define NSL_OWN_UNIT_LEN	128
#define NSL_OWN_UID_LEN		40	/* a pod uid: 36 + NUL */

struct nsl_owner {
	int runtime;			/* enum nsl_runtime */
	bool monitor;			/* the runtime's monitor (conmon, lxc.monitor) */
	char id[NSL_OWN_ID_LEN];	/* container id, or LXC/machine name */
	char name[NSL_OWN_NAME_LEN];	/* from the runtime's state, or "" */
	char unit[NSL_OWN_UNIT_LEN];	/* systemd unit or scope, or "" */
	bool user_unit;			/* below user@UID.service */
	char pod_uid[NSL_OWN_UID_LEN];	/* Kubernetes pod uid, or "" */
	char pod[NSL_OWN_NAME_LEN];	/* pod name (CRI state), or "" */
	char pod_ns[64];		/* pod namespace (CRI state), or "" */
	const char *qos;		/* guaranteed, burstable, besteffort, or NULL */
};

/* one cgroup path ("/system.slice/docker-ID.scope"); true if it told anything */
bool owner_parse_path(const char *path, size_t len, struct nsl_owner *o);
/*
 * The whole text of /proc/PID/cgroup, v2 ("0::/path") or v1 and hybrid
 * ("N:controllers:/path" lines): each distinct path is parsed and what one
 * tells fills what the others left empty.  True if anything was found.
 */
bool owner_parse_cgroup(const char *text, size_t len, struct nsl_owner *o);

bool owner_empty(const struct nsl_owner *o);
/*
 * How much o says whose a namespace is: a container or pod 2, a unit or a
 * runtime's monitor 1, nothing (NULL, the root cgroup) 0.
 */
int owner_rank(const struct nsl_owner *o);
/* the same container, pod and unit (names aside: one may lack them) */
bool owner_same(const struct nsl_owner *a, const struct nsl_owner *b);
const char *owner_runtime_name(int runtime);
/* the short id operators see (docker ps: 12 hex digits), or the name */
const char *owner_short_id(const struct nsl_owner *o, char *buf, size_t size);
/* "podman container web (82ce0aee41a0)", "unit cron.service", ...; "" if empty */
int owner_describe(const struct nsl_owner *o, char *buf, size_t size);
/*
 * The owner's own release command ("podman rm -f web", "crictl rmp POD",
 * "systemctl restart UNIT"), or "" when there is none.
 */
int owner_release_cmd(const struct nsl_owner *o, char *buf, size_t size);
/* does NAME|ID (a prefix of the id, as the runtimes accept) name it */
bool owner_match_container(const struct nsl_owner *o, const char *arg);
bool owner_match_unit(const struct nsl_owner *o, const char *arg);
/* the JSON "owner" object, or null when o is NULL or empty */
void owner_json(FILE *f, const struct nsl_owner *o);

#endif
