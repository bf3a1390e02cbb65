// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning the scan's BPF objects (inspect, refs) for later runs.
 *
 * A one-shot `nslife ls` spent ~60 of its ~65 ms loading the inspect
 * object (6.18, 2 CPUs): libbpf's CO-RE relocation walks the whole kernel
 * BTF once per local type (44 of them), then the verifier runs.  The
 * programs are not attached to anything (test runs and iterators), so a
 * loaded copy costs nothing while idle, and the result of a load depends
 * only on the object, libbpf and the running kernel.  So the first run
 * pins its programs and .bss map under /sys/fs/bpf/nslife/NAME-KEY (bpffs
 * refuses dots in names: lock directories are lockK, not lock.K), KEY a
 * checksum of the object and of libbpf's version; later runs of the same
 * object open the pins instead.  bpffs lives until reboot, and so does
 * the kernel, so a pin never outlives the kernel it was verified on.
 *
 * The .bss is then shared by every run: each area of it is used under an
 * flock() of its own lock directory, and a thread lock for the threads of
 * one process (flock is per open file, not per thread).
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <zlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfpin.h"

#define STALE_SECS	3600

static pthread_mutex_t tlock[BPFPIN_LOCKS] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
};

void bpfpin_init(struct bpfpin *p)
{
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < BPFPIN_PROGS; i++)
		p->prog[i] = -1;
	for (int i = 0; i < BPFPIN_LOCKS; i++)
		p->lock[i] = -1;
}

static void pin_dir(const struct bpfpin_obj *o, char *buf, size_t size)
{
	const char *v = libbpf_version_string();
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, o->elf, o->elf_sz);
	crc = crc32(crc, (const Bytef *)v, strlen(v));
	snprintf(buf, size, BPFPIN_DIR "/%s-%08lx", o->name, crc);
}

static int open_locks(const struct bpfpin_obj *o, struct bpfpin *p, const char *dir)
{
	char path[192];

	for (int k = 0; k < BPFPIN_LOCKS; k++) {
		if (!(o->locks & 1u << k))
			continue;
		snprintf(path, sizeof(path), "%s/lock%d", dir, k);
		p->lock[k] = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (p->lock[k] < 0)
			return -errno;
	}
	return 0;
}

static int map_bss(int fd, struct bpfpin *p)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	long pg = sysconf(_SC_PAGESIZE);
	void *m;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	p->bss_sz = (info.value_size + pg - 1) / pg * pg;
	m = mmap(NULL, p->bss_sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	p->bss = m;
	return 0;
}

/* the pinned program is the one asked for (its name, as the kernel keeps it) */
static int get_prog(const char *dir, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	char path[192];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
	    strncmp(info.name, name, sizeof(info.name) - 1)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

static void drop(struct bpfpin *p)
{
	for (int i = 0; i < BPFPIN_PROGS; i++)
		if (p->prog[i] >= 0)
			close(p->prog[i]);
	for (int i = 0; i < BPFPIN_LOCKS; i++)
		if (p->lock[i] >= 0)
			close(p->lock[i]);
	if (p->bss)
		munmap(p->bss, p->bss_sz);
	bpfpin_init(p);
}

int bpfpin_open(const struct bpfpin_obj *o, struct bpfpin *p)
{
	char dir[128], path[192];
	int fd, err;

	bpfpin_init(p);
	pin_dir(o, dir, sizeof(dir));
	for (int i = 0; i < o->nprog; i++) {
		p->prog[i] = get_prog(dir, o->progs[i]);
		if (p->prog[i] < 0) {
			err = p->prog[i];
			goto fail;
		}
	}
	snprintf(path, sizeof(path), "%s/bss", dir);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	err = map_bss(fd, p);
	close(fd);
	if (!err)
		err = open_locks(o, p, dir);
	if (err)
		goto fail;
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	utimensat(AT_FDCWD, dir, NULL, 0);	/* in use: not stale (remove_stale) */
	return 0;
fail:
	drop(p);
	return err;
}

/*
 * bpffs at /sys/fs/bpf, mounted there if it is not (as bpftool does, and
 * as systemd does at boot), root only
 */
static bool have_bpffs(void)
{
	struct statfs sf;

	if (statfs(BPFPIN_ROOT, &sf))
		return false;
	if (sf.f_type == BPF_FS_MAGIC)
		return true;
	if (mount("bpf", BPFPIN_ROOT, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700"))
		return false;
	return !statfs(BPFPIN_ROOT, &sf) && sf.f_type == BPF_FS_MAGIC;
}

/* a pin directory and all in it (pins and lock directories) */
static void remove_dir(const char *dir)
{
	char path[384];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path))
			rmdir(path);	/* a lock directory */
	}
	closedir(d);
	rmdir(dir);
}

/* pins of other builds of this object: no run of ours can use them */
static void remove_stale(const struct bpfpin_obj *o, const char *keep)
{
	char path[384];
	size_t n = strlen(o->name);
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(BPFPIN_DIR);

	if (!d)
		return;
	while ((e = readdir(d))) {
		bool ours = !strncmp(e->d_name, o->name, n) && e->d_name[n] == '-';
		bool tmp = !strncmp(e->d_name, "tmp-", 4) &&
			   !strncmp(e->d_name + 4, o->name, n) && e->d_name[4 + n] == '-';

		snprintf(path, sizeof(path), BPFPIN_DIR "/%s", e->d_name);
		/*
		 * another build's, unused for an hour: not at once, or two
		 * builds run in turn (an A/B benchmark) would each load every
		 * time, removing the other's
		 */
		if (ours && (stat(path, &st) || st.st_mtime > time(NULL) - STALE_SECS))
			continue;
		if ((ours || tmp) && strcmp(path, keep)) {
			/* another run's temporary directory: only when it is gone */
			if (tmp && kill(atoi(e->d_name + 5 + n), 0) == 0)
				continue;
			remove_dir(path);
		}
	}
	closedir(d);
}

static struct bpf_map *bss_map(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		size_t n = strlen(name);

		if (n >= 4 && !strcmp(name + n - 4, ".bss"))
			return m;
	}
	return NULL;
}

/*
 * Pin into a private directory, then rename it into place: another run
 * sees all of it or nothing.  If another run got there first, use its.
 */
static int publish(const struct bpfpin_obj *o, struct bpf_object *obj, struct bpfpin *p)
{
	char dir[128], tmp[160], path[224];
	struct bpf_map *bss = bss_map(obj);
	int err = 0;

	if (!bss || !have_bpffs())
		return -EOPNOTSUPP;
	if (mkdir(BPFPIN_DIR, 0700) && errno != EEXIST)
		return -errno;
	pin_dir(o, dir, sizeof(dir));
	snprintf(tmp, sizeof(tmp), BPFPIN_DIR "/tmp-%s-%d", o->name, getpid());
	remove_dir(tmp);
	if (mkdir(tmp, 0700))
		return -errno;
	for (int i = 0; i < o->nprog && !err; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, o->progs[i]);
		if (bpf_obj_pin(p->prog[i], path))
			err = -errno;
	}
	snprintf(path, sizeof(path), "%s/bss", tmp);
	if (!err && bpf_obj_pin(bpf_map__fd(bss), path))
		err = -errno;
	for (int k = 0; k < BPFPIN_LOCKS && !err; k++) {
		if (!(o->locks & 1u << k))
			continue;
		snprintf(path, sizeof(path), "%s/lock%d", tmp, k);
		if (mkdir(path, 0700))
			err = -errno;
	}
	if (!err && rename(tmp, dir))
		err = -errno;
	if (err) {
		remove_dir(tmp);
		return err;
	}
	remove_stale(o, dir);
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	return 0;
}

int bpfpin_take(const struct bpfpin_obj *o, struct bpf_object *obj, struct bpfpin *p,
		bool pin)
{
	struct bpf_map *bss = bss_map(obj);
	size_t sz;
	int err;

	bpfpin_init(p);
	for (int i = 0; i < o->nprog; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, o->progs[i]);

		if (prog && !bpf_program__autoload(prog) && o->alt && o->alt[i])
			prog = bpf_object__find_program_by_name(obj, o->alt[i]);
		if (!prog)
			return -ENOENT;
		p->prog[i] = bpf_program__fd(prog);
	}
	/* libbpf maps it (mmapable .bss): the same pages the kernel uses */
	p->bss = bss ? (void *)bpf_map__initial_value(bss, &sz) : NULL;
	if (!p->bss)
		return -ENOENT;
	if (!pin)
		return 0;
	err = publish(o, obj, p);
	if (err == -ENOTEMPTY || err == -EEXIST) {
		/* a concurrent first run won: share its .bss, not ours */
		struct bpfpin q;
		char dir[128];

		if (!bpfpin_open(o, &q)) {
			*p = q;
			return 0;
		}
		/* not usable (a pin removed by hand?): replace it */
		pin_dir(o, dir, sizeof(dir));
		remove_dir(dir);
		err = publish(o, obj, p);
	}
	if (err)
		return 0;	/* not pinned: private to this run, no locks needed */
	if (open_locks(o, p, p->dir)) {
		/* pinned but not lockable by us: unpin, stay private */
		remove_dir(p->dir);
		p->dir[0] = '\0';
		for (int k = 0; k < BPFPIN_LOCKS; k++) {
			if (p->lock[k] >= 0)
				close(p->lock[k]);
			p->lock[k] = -1;
		}
	}
	return 0;
}

void bpfpin_lock(const struct bpfpin *p, int k)
{
	if (k < 0 || k >= BPFPIN_LOCKS || p->lock[k] < 0)
		return;
	pthread_mutex_lock(&tlock[k]);
	while (flock(p->lock[k], LOCK_EX) && errno == EINTR)
		;
}

void bpfpin_unlock(const struct bpfpin *p, int k)
{
	if (k < 0 || k >= BPFPIN_LOCKS || p->lock[k] < 0)
		return;
	flock(p->lock[k], LOCK_UN);
	pthread_mutex_unlock(&tlock[k]);
}
