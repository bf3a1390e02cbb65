// SPDX-License-Identifier: GPL-2.0
#include <systemd/sd-journal.h>
#include "journal.h"

int nsl_journal_send(const struct iovec *iov, int n)
{
	return sd_journal_sendv(iov, n);
}
