// SPDX-License-Identifier: GPL-2.0
/*
 * For `make static` (the VM initramfs): Debian ships libmicrohttpd only
 * with GnuTLS and its dependencies, some without static archives, and no
 * static libsystemd.  The static binary is linked with these instead:
 * the daemon's metrics endpoint and journal output say they are missing.
 */
#include <errno.h>
#include <stdio.h>
#include "httpd.h"
#include "journal.h"

int nsl_httpd_start(struct nsl_httpd **h, const struct sockaddr_storage *sa,
		    nsl_httpd_body_fn body, void *ctx, unsigned int *port)
{
	fprintf(stderr, "nslife: this static build has no HTTP server (libmicrohttpd)\n");
	return -ENOSYS;
}

void nsl_httpd_stop(struct nsl_httpd *h)
{
}

unsigned long long nsl_httpd_expire(struct nsl_httpd *h)
{
	return 0;
}

int nsl_journal_send(const struct iovec *iov, int n)
{
	return -ENOSYS;
}
