/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon's side of the socket (client.h is the other). */
#ifndef NSL_SERVER_H
#define NSL_SERVER_H

#include <sys/types.h>

struct nsl_listener {
	const char *path;
	int fd;				/* -1: none */
	dev_t dev;			/* the socket file we made */
	ino_t ino;
};

/*
 * Is path free?  0: nothing there; 1: a stale socket (nobody answers, a
 * crashed daemon's); -EADDRINUSE: a daemon answers; else -errno.  One
 * line said why for every error.
 */
int server_probe(const char *path);
/*
 * Listen on path (mode 0600): a stale socket is replaced, a live daemon's
 * refused.  One stderr line on failure, -errno.
 */
int server_listen(struct nsl_listener *l, const char *path);
/* remove the socket file only if it is still the one we made */
void server_close(struct nsl_listener *l);
/* signals on new connections and data: they end the ring-buffer wait */
void server_wake_on_io(int fd);

#endif
