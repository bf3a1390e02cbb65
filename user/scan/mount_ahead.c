// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include "mount_ahead.h"
#include "mountinfo.h"

#define AHEAD	4

void mount_job_read(struct mt_job *j)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", j->tid);
	j->err = mountinfo_read(AT_FDCWD, path, &j->text, &j->len);
}

/* the next unread job within the window, or NULL; under the lock */
static struct mt_job *claim(struct mt_ahead *a)
{
	if (a->next >= a->n || a->next >= a->cur + AHEAD)
		return NULL;
	return &a->job[a->next++];
}

static void read_unlocked(struct mt_ahead *a, struct mt_job *j)
{
	pthread_mutex_unlock(&a->lock);
	mount_job_read(j);
	pthread_mutex_lock(&a->lock);
	j->done = true;
	pthread_cond_broadcast(&a->cond);
}

static void *ahead_thread(void *arg)
{
	struct mt_ahead *a = arg;
	struct mt_job *j;

	pthread_mutex_lock(&a->lock);
	while (!a->stop && a->next < a->n) {
		j = claim(a);
		if (j)
			read_unlocked(a, j);
		else
			pthread_cond_wait(&a->cond, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

void mount_ahead_start(struct snap *s, struct mt_ahead *a)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nr_ns; i++)
		n += s->ns[i].key.type == NSL_T_MNT && s->ns[i].mnt_pid;
	a->job = calloc(n + 1, sizeof(*a->job));
	if (!a->job)
		return;
	for (size_t i = 0; i < s->nr_ns; i++)
		if (s->ns[i].key.type == NSL_T_MNT && s->ns[i].mnt_pid)
			a->job[a->n++].tid = s->ns[i].mnt_pid;
	if (a->n > 1)
		a->running = pthread_create(&a->th, NULL, ahead_thread, a) == 0;
}

struct mt_job *mount_ahead_get(struct mt_ahead *a, size_t k)
{
	struct mt_job *j = &a->job[k], *o;

	pthread_mutex_lock(&a->lock);
	a->cur = k;
	pthread_cond_broadcast(&a->cond);
	while (!j->done) {
		o = claim(a);
		if (o)
			read_unlocked(a, o);
		else
			pthread_cond_wait(&a->cond, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return j;
}

void mount_ahead_stop(struct mt_ahead *a)
{
	if (!a->running)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->th, NULL);
	a->running = false;
}

void mount_ahead_free(struct mt_ahead *a)
{
	mount_ahead_stop(a);
	for (size_t k = 0; k < a->n; k++)
		free(a->job[k].text);
	free(a->job);
}
