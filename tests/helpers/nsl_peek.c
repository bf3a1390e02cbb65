// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_peek N: a thread unshares a new uts namespace N times while another
 * thread of the same process watches /proc/self/task/TID/ns/uts (stat, no
 * open) and opens it the moment it changes: often before the unshare has
 * returned, so the namespace is looked at before its create is reported.
 * Prints "TID CREATED OPENED": the unsharing thread, its unshares that
 * succeeded, the new namespaces the watcher opened (never the one the
 * process started in).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_int tid, done;
static int n, made, opened;

static void *unsharer(void *arg)
{
	(void)arg;
	atomic_store(&tid, syscall(SYS_gettid));
	for (int i = 0; i < n; i++)
		if (unshare(CLONE_NEWUTS) == 0)
			made++;
	atomic_store(&done, 1);
	return NULL;
}

static void watch(void)
{
	char path[64];
	struct stat st;
	ino_t last = 0;
	int fd;

	/* the namespace it starts in is not one it made */
	if (stat("/proc/self/ns/uts", &st) == 0)
		last = st.st_ino;

	snprintf(path, sizeof(path), "/proc/self/task/%d/ns/uts", atomic_load(&tid));
	while (!atomic_load(&done)) {
		if (stat(path, &st) || st.st_ino == last)
			continue;
		last = st.st_ino;
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			opened++;
			close(fd);
		}
	}
}

int main(int argc, char **argv)
{
	pthread_t t;

	n = argc > 1 ? atoi(argv[1]) : 1000;
	if (pthread_create(&t, NULL, unsharer, NULL)) {
		perror("nsl_peek: pthread_create");
		return 1;
	}
	while (!atomic_load(&tid))
		;
	watch();
	pthread_join(t, NULL);
	printf("%d %d %d\n", atomic_load(&tid), made, opened);
	return made == n ? 0 : 1;
}
