/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loaded once per boot: a BPF object's programs and .bss map pinned in
 * bpffs, for later runs of the same object to reuse instead of paying the
 * load (CO-RE relocation against the 5 MB kernel BTF, and the verifier).
 */
#ifndef NSL_USER_BPFPIN_H
#define NSL_USER_BPFPIN_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;

#define BPFPIN_ROOT	"/sys/fs/bpf"
#define BPFPIN_DIR	BPFPIN_ROOT "/nslife"
#define BPFPIN_PROGS	12
#define BPFPIN_LOCKS	4

/*
 * What to pin: @progs in this order, the .bss map, and a lock directory
 * per area in @locks (bit K: area K, process-wide: K names one area of one
 * object, whatever the object)
 */
struct bpfpin_obj {
	const char *name;		/* the pin directory's prefix */
	const void *elf;		/* the object: its checksum names the pins */
	size_t elf_sz;
	const char *const *progs;
	/* where progs[i] was not loaded (autoload off), alt[i] is pinned as it */
	const char *const *alt;
	int nprog;
	unsigned int locks;
};

struct bpfpin {
	int prog[BPFPIN_PROGS];
	void *bss;			/* the .bss map, mapped */
	size_t bss_sz;
	int lock[BPFPIN_LOCKS];		/* flock()ed around each use; -1: private */
	char dir[128];			/* the pin directory, "" if not pinned */
};

void bpfpin_init(struct bpfpin *p);
/* the pins of @o from an earlier run: 0, else -errno (then load it) */
int bpfpin_open(const struct bpfpin_obj *o, struct bpfpin *p);
/*
 * A freshly loaded @obj: its program fds and .bss into @p, and pinned for
 * the next runs where bpffs allows (best effort: unpinned, it still works)
 */
int bpfpin_take(const struct bpfpin_obj *o, struct bpf_object *obj, struct bpfpin *p,
		bool pin);
/* the cross-process lock of area @k (no-op when not pinned) */
void bpfpin_lock(const struct bpfpin *p, int k);
void bpfpin_unlock(const struct bpfpin *p, int k);

#endif
