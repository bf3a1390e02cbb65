// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "devents.h"
#include "event.h"
#include "journal.h"
#include "json.h"
#include "linger.h"

#define NFIELDS 16

int devents_opt(struct devents *ev, int c, const char *arg)
{
	if (c != DEVENTS_OPT)
		return 0;
	if (!strcmp(arg, "json"))
		ev->mode = DEVENTS_JSON;
	else if (!strcmp(arg, "journal"))
		ev->mode = DEVENTS_JOURNAL;
	else {
		fprintf(stderr, "nslife: invalid --events '%s' (json or journal)\n", arg);
		return -EINVAL;
	}
	return 1;
}

static void read_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "unknown");
	buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

void devents_open(struct devents *ev)
{
	if (ev->mode == DEVENTS_NONE)
		return;
	if (gethostname(ev->host, sizeof(ev->host) - 1))
		snprintf(ev->host, sizeof(ev->host), "unknown");
	read_boot_id(ev->boot_id, sizeof(ev->boot_id));
	nsl_fmt_clock_init(&ev->fmt);
	ev->fmt.json = true;
	/* a log shipper reads each line as it comes */
	if (ev->mode == DEVENTS_JSON)
		setvbuf(stdout, NULL, _IOLBF, 0);
}

static bool wanted(const struct nsl_event *e)
{
	return e->h.kind == NSL_EV_LINGER || e->h.kind == NSL_EV_FREE ||
	       e->h.kind == NSL_EV_LOST;
}

struct extra {
	struct devents *ev;
	const struct snap *s;
	int idx;
};

/* trace --json's holders, then where it happened */
static void json_extra(FILE *out, bool json, void *ctx)
{
	struct extra *x = ctx;

	if (x->s)
		linger_print_holders(out, true, x->s, x->idx);
	json_key(out, ",", "host");
	json_str(out, x->ev->host, sizeof(x->ev->host));
	json_key(out, ",", "boot_id");
	json_str(out, x->ev->boot_id, sizeof(x->ev->boot_id));
}

/* "mount:/run/netns/a@mnt:[4026531832](pid 1) ...": why's text, one line */
static char *holders_text(const struct snap *s, int idx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	linger_print_holders(f, false, s, idx);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int add(struct iovec *iov, int *n, char **mem, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int add(struct iovec *iov, int *n, char **mem, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&mem[*n], fmt, ap);
	va_end(ap);
	if (len < 0) {
		mem[*n] = NULL;
		return -ENOMEM;
	}
	iov[*n].iov_base = mem[*n];
	iov[*n].iov_len = len;
	(*n)++;
	return 0;
}

static int journal(struct devents *ev, const struct nsl_event *e,
		   const struct snap *s, int idx)
{
	const char *kind = nsl_kind_name(e->h.kind), *type = nsl_type_name(e->ns.type);
	char *mem[NFIELDS] = {}, *hold = s ? holders_text(s, idx) : NULL;
	const char *h = hold ? hold + strlen(" holders:") : "";
	struct iovec iov[NFIELDS];
	int n = 0, err = 0;

	if (e->h.kind == NSL_EV_LOST)
		err |= add(iov, &n, mem, "MESSAGE=nslife: %llu events lost, resyncing",
			   (unsigned long long)e->val);
	else
		err |= add(iov, &n, mem, "MESSAGE=nslife: %s:[%u] id %llu %s%s%s", type,
			   e->ns.inum, (unsigned long long)e->ns.id,
			   e->h.kind == NSL_EV_FREE ? "freed" : kind,
			   *h ? ", held by:" : "", h);
	/* warning: something to look at; info: a namespace went away */
	err |= add(iov, &n, mem, "PRIORITY=%d", e->h.kind == NSL_EV_FREE ? 6 : 4);
	err |= add(iov, &n, mem, "SYSLOG_IDENTIFIER=nslife");
	err |= add(iov, &n, mem, "NSLIFE_EVENT=%s", kind);
	err |= add(iov, &n, mem, "NSLIFE_HOW=%s", nsl_how_name(e->h.how));
	err |= add(iov, &n, mem, "NSLIFE_TS=%llu", (unsigned long long)e->h.ts);
	err |= add(iov, &n, mem, "NSLIFE_HOST=%s", ev->host);
	err |= add(iov, &n, mem, "NSLIFE_BOOT_ID=%s", ev->boot_id);
	if (e->h.kind == NSL_EV_LOST) {
		err |= add(iov, &n, mem, "NSLIFE_LOST=%llu", (unsigned long long)e->val);
	} else {
		err |= add(iov, &n, mem, "NSLIFE_TYPE=%s", type);
		err |= add(iov, &n, mem, "NSLIFE_ID=%llu", (unsigned long long)e->ns.id);
		err |= add(iov, &n, mem, "NSLIFE_INUM=%u", e->ns.inum);
	}
	if (e->h.kind == NSL_EV_LINGER) {
		err |= add(iov, &n, mem, "NSLIFE_NHOLDERS=%u", e->arg);
		err |= add(iov, &n, mem, "NSLIFE_HOLDERS=%s", h);
	}
	err = err ? -ENOMEM : nsl_journal_send(iov, n);
	for (int i = 0; i < n; i++)
		free(mem[i]);
	free(hold);
	return err;
}

void devents_event(struct devents *ev, const struct nsl_event *e,
		   const struct snap *s, int idx)
{
	struct extra x = { ev, s, idx };
	int err = 0;

	if (ev->mode == DEVENTS_NONE || !wanted(e))
		return;
	if (ev->mode == DEVENTS_JSON) {
		nsl_fmt_event_ext(stdout, &ev->fmt, e, json_extra, &x);
		if (ferror(stdout))
			err = -EIO;
	} else {
		err = journal(ev, e, s, idx);
	}
	if (!err) {
		ev->sent++;
		return;
	}
	ev->failed++;
	if (!ev->err)
		fprintf(stderr, "nslife: --events %s: %s; events are dropped while it fails\n",
			ev->mode == DEVENTS_JSON ? "json" : "journal", strerror(-err));
	ev->err = err;
}
