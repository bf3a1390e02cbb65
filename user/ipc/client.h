/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The query client (protocol: request.h).  ls, why and timeline ask a
 * running `nslife daemon` first, so they answer with history; the daemon
 * runs the very same command code with our stdout and stderr, so the
 * output is the same either way.
 */
#ifndef NSL_CLIENT_H
#define NSL_CLIENT_H

#include <stdbool.h>

#define NSL_SOCKET_DEFAULT	"/run/nslife.sock"

/* --socket PATH, else $NSLIFE_SOCKET, else the default */
const char *client_socket_path(const char *opt);
/* connect: 0 and *fd; -ENOENT or -ECONNREFUSED: nobody serves path */
int client_dial(const char *path, int *fd);

/*
 * argv[0] is the command.  Takes --socket PATH and --no-daemon out of
 * argv (either way), before the command parses its own options.
 */
void client_opts(int *argc, char **argv);
/*
 * Once the command's options parsed without error: asks the daemon.
 * Returns the command's exit status when the daemon answered, 1 when it
 * refused us (one line said why), or -1: run the command here.  Inside a
 * daemon child, with --no-daemon or --log, it returns -1 at once.
 */
int client_query(int argc, char **argv);
/*
 * After -1 because no daemon answered: true, and the note saying so, for
 * an answer that history would have made fuller (printed once, and only
 * then: a usage error or an answer without history needs no note).
 */
bool client_no_history(void);
void client_note_no_history(void);

#endif
