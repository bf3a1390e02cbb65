/* SPDX-License-Identifier: GPL-2.0 */
/* One structured entry to the systemd journal (libsystemd's sd_journal_sendv). */
#ifndef NSL_JOURNAL_H
#define NSL_JOURNAL_H

#include <sys/uio.h>

/* each iov is one "FIELD=value"; 0 or -errno (no journald: -ENOENT etc.) */
int nsl_journal_send(const struct iovec *iov, int n);

#endif
