/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a mountinfo (the kernel printing it) is most of the mount scan, and
 * needs nothing from the snapshot: a helper thread reads the tables of
 * namespaces with a process a few ahead of the main thread, which parses
 * and applies them in order (and reads one itself rather than wait).
 */
#ifndef NSL_MOUNT_AHEAD_H
#define NSL_MOUNT_AHEAD_H

#include <pthread.h>
#include <stdbool.h>
#include "snap.h"

struct mt_job {
	pid_t tid;
	char *text;
	size_t len;
	int err;
	bool done;
};

struct mt_ahead {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t th;
	bool running, stop;
	struct mt_job *job;
	size_t n;
	size_t next;		/* the first job nobody reads yet */
	size_t cur;		/* the job the main thread wants */
};

#define MT_AHEAD_INIT { .lock = PTHREAD_MUTEX_INITIALIZER, \
			.cond = PTHREAD_COND_INITIALIZER }

/* read /proc/TID/mountinfo into j */
void mount_job_read(struct mt_job *j);
/* a job per mount ns with a process, in table order */
void mount_ahead_start(struct snap *s, struct mt_ahead *a);
/* job k, the next one in order: read by the helper, or by us */
struct mt_job *mount_ahead_get(struct mt_ahead *a, size_t k);
/* before fork() (one thread), and at the end */
void mount_ahead_stop(struct mt_ahead *a);
void mount_ahead_free(struct mt_ahead *a);

#endif
