// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup path -> unit, container, pod.  The layouts (each one has a
 * real-format case in tests/unit/test_owner.c, with where it comes from):
 *
 *   systemd unit      .../foo.service, .../session-3.scope,
 *                     user.slice/user-1000.slice/user@1000.service/app.slice/x.service
 *   docker            system.slice/docker-ID.scope (systemd driver),
 *                     /docker/ID (cgroupfs driver)
 *   containerd (CRI)  kubepods.slice/...-pod<uid>.slice/cri-containerd-ID.scope
 *   cri-o             .../crio-ID.scope, its monitor crio-conmon-ID.scope
 *   podman            machine.slice/libpod-ID.scope (systemd manager),
 *                     /libpod_parent/libpod-ID (cgroupfs manager, this
 *                     host), monitor libpod-conmon-ID.scope
 *   LXC               /lxc/NAME (legacy), lxc.payload.NAME (LXC 4+),
 *                     /lxc.payload/NAME, monitor lxc.monitor.NAME
 *   machined          machine.slice/machine-NAME.scope (systemd-nspawn)
 *   Kubernetes pod    kubepods[-burstable|-besteffort]-pod<uid>.slice with
 *                     '_' for '-' in the uid (systemd driver);
 *                     /kubepods[/burstable|/besteffort]/pod<uid>/ID (cgroupfs)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "owner.h"
#include "json.h"

static const char *const rt_names[NSL_RT_MAX] = {
	[NSL_RT_NONE] = "",
	[NSL_RT_DOCKER] = "docker",
	[NSL_RT_CONTAINERD] = "containerd",
	[NSL_RT_CRIO] = "cri-o",
	[NSL_RT_PODMAN] = "podman",
	[NSL_RT_LXC] = "lxc",
	[NSL_RT_MACHINED] = "machined",
	[NSL_RT_CRI] = "cri",
};

const char *owner_runtime_name(int rt)
{
	return rt > 0 && rt < NSL_RT_MAX ? rt_names[rt] : "";
}

bool owner_empty(const struct nsl_owner *o)
{
	return !o->runtime && !o->unit[0] && !o->pod_uid[0];
}

int owner_rank(const struct nsl_owner *o)
{
	if (!o || owner_empty(o))
		return 0;
	if ((o->runtime && !o->monitor) || o->pod_uid[0])
		return 2;
	return 1;
}

bool owner_same(const struct nsl_owner *a, const struct nsl_owner *b)
{
	return a->runtime == b->runtime && a->monitor == b->monitor &&
	       !strcmp(a->id, b->id) && !strcmp(a->unit, b->unit) &&
	       !strcmp(a->pod_uid, b->pod_uid);
}

/* a path component: pointer and length, not NUL-terminated */
struct comp {
	const char *s;
	size_t n;
};

static bool has_prefix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s, p, n);
}

static bool has_suffix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s + c.n - n, p, n);
}

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static void copy(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

/* systemd unit-name escaping: "\x2d" -> '-' (machine names) */
static void copy_unescape(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n && j + 1 < size; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    isxdigit((unsigned char)s[i + 2]) && isxdigit((unsigned char)s[i + 3])) {
			char hex[3] = { s[i + 2], s[i + 3], 0 };

			dst[j++] = (char)strtol(hex, NULL, 16);
			i += 3;
			continue;
		}
		dst[j++] = s[i];
	}
	dst[j] = 0;
}

static void set_ctr(struct nsl_owner *o, int rt, const char *s, size_t n, bool monitor)
{
	o->runtime = rt;
	o->monitor = monitor;
	copy(o->id, sizeof(o->id), s, n);
}

/* "<pre>ID<suf>" -> the container of runtime rt; true if it matched */
static bool scoped(struct nsl_owner *o, struct comp c, const char *pre,
		   const char *suf, int rt, bool monitor)
{
	size_t a = strlen(pre), b = strlen(suf);

	if (c.n <= a + b || !has_prefix(c, pre) || !has_suffix(c, suf))
		return false;
	set_ctr(o, rt, c.s + a, c.n - a - b, monitor);
	return true;
}

/* kubepods-burstable-pod<uid with _>.slice (systemd driver) */
static bool kube_slice(struct nsl_owner *o, struct comp c)
{
	const char *p;
	size_t i, n;

	if (!has_prefix(c, "kubepods") || !has_suffix(c, ".slice"))
		return false;
	if (has_prefix(c, "kubepods-burstable"))
		o->qos = "burstable";
	else if (has_prefix(c, "kubepods-besteffort"))
		o->qos = "besteffort";
	else if (!o->qos)
		o->qos = "guaranteed";
	p = memmem(c.s, c.n, "-pod", 4);
	if (!p)
		return true;
	p += 4;
	n = c.s + c.n - strlen(".slice") - p;
	copy(o->pod_uid, sizeof(o->pod_uid), p, n);
	for (i = 0; o->pod_uid[i]; i++)
		if (o->pod_uid[i] == '_')
			o->pod_uid[i] = '-';
	return true;
}

/* /kubepods[/burstable|/besteffort]/pod<uid>/ID (cgroupfs driver) */
static bool kube_fs(struct nsl_owner *o, struct comp prev, struct comp c)
{
	if (c.n == 8 && has_prefix(c, "kubepods"))
		return true;
	if (prev.n == 8 && has_prefix(prev, "kubepods")) {
		if (c.n == 9 && has_prefix(c, "burstable"))
			o->qos = "burstable";
		else if (c.n == 10 && has_prefix(c, "besteffort"))
			o->qos = "besteffort";
		else
			o->qos = "guaranteed";
		if (o->qos[0] != 'g')
			return true;
	}
	if (o->qos && !o->pod_uid[0] && has_prefix(c, "pod") && c.n > 3 &&
	    !has_suffix(c, ".slice")) {
		copy(o->pod_uid, sizeof(o->pod_uid), c.s + 3, c.n - 3);
		return true;
	}
	if (o->pod_uid[0] && !o->runtime && is_hex(c.s, c.n) && c.n >= 12) {
		set_ctr(o, NSL_RT_CRI, c.s, c.n, false);
		return true;
	}
	return false;
}

static void container(struct nsl_owner *o, struct comp prev, struct comp c)
{
	if (scoped(o, c, "docker-", ".scope", NSL_RT_DOCKER, false) ||
	    scoped(o, c, "cri-containerd-", ".scope", NSL_RT_CONTAINERD, false) ||
	    scoped(o, c, "crio-conmon-", ".scope", NSL_RT_CRIO, true) ||
	    scoped(o, c, "crio-", ".scope", NSL_RT_CRIO, false) ||
	    scoped(o, c, "libpod-conmon-", ".scope", NSL_RT_PODMAN, true) ||
	    scoped(o, c, "libpod-", ".scope", NSL_RT_PODMAN, false) ||
	    scoped(o, c, "machine-", ".scope", NSL_RT_MACHINED, false) ||
	    scoped(o, c, "lxc.payload.", "", NSL_RT_LXC, false) ||
	    scoped(o, c, "lxc.monitor.", "", NSL_RT_LXC, true))
		return;
	if (prev.n == 6 && has_prefix(prev, "docker") && c.n == 64 && is_hex(c.s, c.n))
		set_ctr(o, NSL_RT_DOCKER, c.s, c.n, false);
	else if (prev.n == 13 && has_prefix(prev, "libpod_parent"))
		scoped(o, c, "libpod-", "", NSL_RT_PODMAN, false);
	else if ((prev.n == 3 && has_prefix(prev, "lxc")) ||
		 (prev.n == 11 && has_prefix(prev, "lxc.payload")))
		set_ctr(o, NSL_RT_LXC, c.s, c.n, false);
}

bool owner_parse_path(const char *path, size_t len, struct nsl_owner *o)
{
	struct comp prev = { "", 0 }, c;
	const char *p = path, *end = path + len, *q;
	const char *unit = NULL, *user_mgr = NULL;
	size_t unit_n = 0;

	memset(o, 0, sizeof(*o));
	while (p < end) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		q = memchr(p, '/', end - p);
		c.s = p;
		c.n = (q ? q : end) - p;
		if (!kube_slice(o, c) && !kube_fs(o, prev, c))
			container(o, prev, c);
		if (has_prefix(c, "user@") && has_suffix(c, ".service"))
			user_mgr = c.s;
		if (has_suffix(c, ".service") || has_suffix(c, ".scope")) {
			unit = c.s;
			unit_n = c.n;
		}
		prev = c;
		p = c.s + c.n;
	}
	if (unit) {
		copy(o->unit, sizeof(o->unit), unit, unit_n);
		o->user_unit = user_mgr && user_mgr < unit;
	}
	if (o->runtime == NSL_RT_MACHINED) {
		char raw[NSL_OWN_ID_LEN];

		memcpy(raw, o->id, sizeof(raw));
		copy_unescape(o->id, sizeof(o->id), raw, strlen(raw));
	}
	return !owner_empty(o);
}

/* what b tells and a does not know yet */
static void merge(struct nsl_owner *a, const struct nsl_owner *b)
{
	if (!a->runtime && b->runtime) {
		a->runtime = b->runtime;
		a->monitor = b->monitor;
		memcpy(a->id, b->id, sizeof(a->id));
	}
	if (!a->unit[0] && b->unit[0]) {
		memcpy(a->unit, b->unit, sizeof(a->unit));
		a->user_unit = b->user_unit;
	}
	if (!a->pod_uid[0] && b->pod_uid[0])
		memcpy(a->pod_uid, b->pod_uid, sizeof(a->pod_uid));
	if (!a->qos)
		a->qos = b->qos;
}

bool owner_parse_cgroup(const char *text, size_t len, struct nsl_owner *o)
{
	const char *p = text, *end = text + len, *nl, *path, *last = NULL;
	size_t last_n = 0, n;
	struct nsl_owner one;

	memset(o, 0, sizeof(*o));
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		/* hierarchy-id:controllers:path; the path may hold ':' */
		path = memchr(p, ':', nl - p);
		if (path)
			path = memchr(path + 1, ':', nl - path - 1);
		if (!path)
			continue;
		path++;
		n = nl - path;
		/* v1 controllers mostly repeat one path: parse it once */
		if (n <= 1 || (last && n == last_n && !memcmp(path, last, n)))
			continue;
		last = path;
		last_n = n;
		if (owner_parse_path(path, n, &one))
			merge(o, &one);
	}
	return !owner_empty(o);
}

const char *owner_short_id(const struct nsl_owner *o, char *buf, size_t size)
{
	size_t n = strlen(o->id);

	/* hex ids are shown as the runtimes' ps shows them */
	if (n == 64 && is_hex(o->id, n))
		n = 12;
	copy(buf, size, o->id, n);
	return buf;
}

/* a container scope is the container itself: no need to name it twice */
static bool unit_is_ctr(const struct nsl_owner *o)
{
	return o->runtime && o->unit[0] && strstr(o->unit, o->id);
}

static const char *pod_name(const struct nsl_owner *o, char *buf, size_t size)
{
	if (o->pod[0] && o->pod_ns[0])
		snprintf(buf, size, "%s/%s", o->pod_ns, o->pod);
	else if (o->pod[0])
		snprintf(buf, size, "%s", o->pod);
	else
		snprintf(buf, size, "%s", o->pod_uid);
	return buf;
}

int owner_describe(const struct nsl_owner *o, char *buf, size_t size)
{
	char id[NSL_OWN_ID_LEN], pod[NSL_OWN_NAME_LEN + 64];
	int n = 0;

	buf[0] = 0;
	if (o->runtime) {
		owner_short_id(o, id, sizeof(id));
		if (o->name[0] && strcmp(o->name, o->id))
			n = snprintf(buf, size, "%s%s container %s (%s)",
				     owner_runtime_name(o->runtime),
				     o->monitor ? " monitor of" : "", o->name, id);
		else
			n = snprintf(buf, size, "%s%s container %s",
				     owner_runtime_name(o->runtime),
				     o->monitor ? " monitor of" : "", id);
	}
	if (o->pod_uid[0] && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, "%spod %s", n ? " in " : "",
			      pod_name(o, pod, sizeof(pod)));
	if (o->unit[0] && !unit_is_ctr(o) && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, "%s%sunit %s", n ? ", " : "",
			      o->user_unit ? "user " : "", o->unit);
	return n;
}

/*
 * Only a service: a scope has nothing to restart, and stopping one
 * (session-3.scope, init.scope) would end a login or more; a user
 * manager (user@1000.service) is a whole login's services.
 */
static int unit_cmd(const struct nsl_owner *o, char *buf, size_t size)
{
	size_t n = strlen(o->unit);

	if (n < 8 || strcmp(o->unit + n - 8, ".service") || !strncmp(o->unit, "user@", 5))
		return 0;
	return snprintf(buf, size, "systemctl%s restart %s", o->user_unit ? " --user" : "",
			o->unit);
}

int owner_release_cmd(const struct nsl_owner *o, char *buf, size_t size)
{
	char id[NSL_OWN_ID_LEN];
	const char *who = o->name[0] ? o->name : owner_short_id(o, id, sizeof(id));

	buf[0] = 0;
	if (o->pod_uid[0])
		/* crictl takes the sandbox id; the pod uid is one of its labels */
		return snprintf(buf, size,
				"crictl rmp -f $(crictl pods -q --label io.kubernetes.pod.uid=%s)",
				o->pod_uid);
	switch (o->runtime) {
	case NSL_RT_PODMAN:
		return snprintf(buf, size, "podman rm -f %s", who);
	case NSL_RT_DOCKER:
		return snprintf(buf, size, "docker rm -f %s", who);
	case NSL_RT_CONTAINERD:
	case NSL_RT_CRIO:
	case NSL_RT_CRI:
		return snprintf(buf, size, "crictl rm -f %s", who);
	case NSL_RT_LXC:
		return snprintf(buf, size, "lxc-stop -k -n %s", o->id);
	case NSL_RT_MACHINED:
		return snprintf(buf, size, "machinectl terminate %s", o->id);
	}
	if (o->unit[0])
		return unit_cmd(o, buf, size);
	return 0;
}

bool owner_match_container(const struct nsl_owner *o, const char *arg)
{
	size_t n = strlen(arg);

	if (!o->runtime || !n)
		return false;
	if (!strcmp(o->name, arg) || !strcmp(o->id, arg))
		return true;
	/* an id prefix, as docker and podman accept one */
	return n >= 3 && is_hex(arg, n) && !strncmp(o->id, arg, n);
}

bool owner_match_unit(const struct nsl_owner *o, const char *arg)
{
	size_t n = strlen(arg);

	if (!o->unit[0] || !n)
		return false;
	if (!strcmp(o->unit, arg))
		return true;
	/* "cron" for cron.service, as systemctl accepts it */
	return !strncmp(o->unit, arg, n) && !strcmp(o->unit + n, ".service");
}

static void json_opt(FILE *f, const char *key, const char *v, size_t max)
{
	json_key(f, ",", key);
	if (v && v[0])
		json_str(f, v, max);
	else
		fputs("null", f);
}

void owner_json(FILE *f, const struct nsl_owner *o)
{
	const char *kind;

	if (!o || owner_empty(o)) {
		fputs("null", f);
		return;
	}
	kind = o->runtime ? "container" : o->pod_uid[0] ? "pod" : "unit";
	fputc('{', f);
	json_key(f, "", "kind");
	json_str(f, kind, 16);
	json_opt(f, "runtime", owner_runtime_name(o->runtime), 16);
	json_opt(f, "id", o->id, sizeof(o->id));
	json_opt(f, "name", o->name, sizeof(o->name));
	json_key(f, ",", "monitor");
	fputs(o->monitor ? "true" : "false", f);
	if (o->pod_uid[0]) {
		json_key(f, ",", "pod");
		fputc('{', f);
		json_key(f, "", "uid");
		json_str(f, o->pod_uid, sizeof(o->pod_uid));
		json_opt(f, "name", o->pod, sizeof(o->pod));
		json_opt(f, "namespace", o->pod_ns, sizeof(o->pod_ns));
		json_opt(f, "qos", o->qos, 16);
		fputc('}', f);
	} else {
		json_key(f, ",", "pod");
		fputs("null", f);
	}
	json_opt(f, "unit", o->unit, sizeof(o->unit));
	json_key(f, ",", "user_unit");
	fputs(o->user_unit ? "true" : "false", f);
	fputc('}', f);
}
