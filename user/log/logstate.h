/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state at TIME, rebuilt from recorded logs (`why`, `ls`, `timeline`
 * with --log): the initial snapshot seeds a live map (nsmap), then every
 * event stamped at or before TIME is applied in log order.  The result is
 * the map (state and history of each namespace) and a discovery-shaped
 * snapshot (scan.h) of the namespaces alive at TIME with their holders AS
 * FAR AS THE LOG RECORDED THEM:
 *
 *   - the snapshot's holders, minus tasks that left, fds reopened as
 *     another file, and everything of a namespace freed since;
 *   - nsfs and procfs mount pins from mount events minus umounts (the
 *     map attributes umounts and copies pins into new mount namespaces);
 *     pins inside a mount namespace that died are gone with it;
 *   - tasks from create and join events, minus leave events (by task);
 *   - fds from open events.  Closes are not recorded: an fd stays until
 *     its process exits, its namespace dies, or the same fd is reopened.
 *
 * No libbpf and no /proc: only log files.  fds in the snapshot are -1.
 */
#ifndef NSL_LOGSTATE_H
#define NSL_LOGSTATE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "logowner.h"
#include "nsmap.h"
#include "nslife.h"
#include "scan.h"
#include "snapio.h"
#include "timespec.h"

/* the command-line side: --log FILE (repeatable) and --at TIME */
#define LOGARGS_MAX	64
#define OPT_LOG		0x3000
#define OPT_AT		0x3001
#define LOGARGS_LONGOPTS \
	{ "log", required_argument, NULL, OPT_LOG }, \
	{ "at", required_argument, NULL, OPT_AT }

struct logargs {
	char *paths[LOGARGS_MAX];
	int n;
	const char *at;		/* NULL: the end of the log */
};

/*
 * The default case of a command's getopt loop: --log or --at taken (0),
 * else -EINVAL, said on stderr (too many logs, or an option that is
 * unknown or lacks its argument: @word, as typed; @opts, the command's)
 */
int logargs_opt(struct logargs *a, int c, const char *arg, const char *cmd,
		const struct option *opts, const char *word);
/* after the options: 0, or -EINVAL (said why) for --at without --log */
int logargs_check(const struct logargs *a, const char *cmd);

struct ls_holders;

struct logstate {
	struct nsm map;		/* every namespace seen up to at */
	struct snap snap;	/* alive at `at`, with recorded holders */
	struct snapio init;	/* the initial snapshot, decoded */
	bool have_snapshot;
	__u64 at_wall;		/* TIME, CLOCK_REALTIME ns */
	__u64 at_boot;		/* TIME on the log's CLOCK_BOOTTIME */
	__u64 start_wall;	/* when the first file began */
	__u64 end_wall;		/* the last record's time */
	__s64 boot_to_real;	/* of the first file */
	__u64 applied, later;	/* events applied; left out (after at) */
	__u64 lost;		/* lost markers up to at */
	unsigned int damaged;	/* damage reports */
	unsigned int failed;	/* files that could not be read */

	/* timeline: every event about namespaces matching these, in order */
	bool collect;
	int c_type;		/* NSL_T_NONE: any */
	__u32 c_inum;		/* 0: any */
	__u64 c_id;		/* 0: any */
	struct nsl_mount_event *ev;
	size_t nr_ev, cap_ev;

	/*
	 * The map remembers NSM_DEAD_MAX dead namespaces; an older life is
	 * rebuilt here from the collected events (logstate_forgotten).
	 */
	struct nsm old;
	bool have_old;

	/* internal: holders as recorded, by namespace */
	struct ls_holders *h;
	/* the creators' cgroups the log named (logowner.h) */
	struct nsl_owner_tab owners;
};

/*
 * Read paths (rotated sets are ordered), rebuild the state at t (NULL:
 * the end).  Damage is reported on stderr, one line each, and skipped.
 * 0, -ERANGE (t before the log begins: start_wall says when), -ENODATA
 * (nothing readable), -ENOMEM.  ls->collect etc. are set before.
 */
int logstate_build(struct logstate *ls, char *const *paths, int n,
		   const struct nsl_time *t);
void logstate_free(struct logstate *ls);

/*
 * The namespace of (type, inum, id) at TIME: index into ls->snap if it
 * was alive, else -ESTALE (dead by then; key says which) or -ENOENT (the
 * log never saw it by then).  inum alone picks the one alive at TIME,
 * else the latest dead.
 */
int logstate_find(const struct logstate *ls, int type, __u32 inum, __u64 id,
		  struct nsl_ns *key);

/*
 * A namespace the map forgot (long dead) but whose events were collected:
 * its life rebuilt from them alone (id, or 0 for the latest collected),
 * in ls->old, which becomes the history provider.  NULL if none.
 */
const struct nsm_ns *logstate_forgotten(struct logstate *ls, __u64 id);

/*
 * For the commands: parse --at, build from a->paths, set the history
 * provider to the rebuilt map.  0, or an exit status after one line on
 * stderr (2: bad TIME, 1: nothing to answer from).
 */
int logstate_open(struct logstate *ls, const struct logargs *a, const char *cmd);

#endif /* NSL_LOGSTATE_H */
