/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's query protocol: one request per UNIX stream connection.
 *
 *   client -> daemon   request := "NSLQ" len:u32 args[len]
 *       args: 1..NSL_REQ_ARGS strings, each NUL-terminated, nothing after
 *       the last NUL; args[0] is the command (ls, why or timeline), the
 *       rest its arguments as the user typed them.  1 <= len <=
 *       NSL_REQ_MAX.  len is in host byte order (the peer is local).
 *       The first byte carries SCM_RIGHTS: the client's stdout and stderr
 *       and, optionally, its current directory (for relative paths).
 *
 *   daemon -> client   reply := one text line, at most NSL_REPLY_MAX bytes
 *       "exit N\n"      the command ran in a child of the daemon with the
 *                       client's fds as its 1 and 2, and exited with N
 *       "error: MSG\n"  nothing ran: refused peer, bad request, timeout
 *       then the daemon closes the connection.
 *
 * A peer the daemon refuses (SO_PEERCRED) gets the error line before it
 * has sent anything.  The parser is pure (no sockets) so it fuzzes.
 */
#ifndef NSL_REQUEST_H
#define NSL_REQUEST_H

#include <stddef.h>
#include <sys/types.h>

#define NSL_REQ_MAGIC	"NSLQ"
#define NSL_REQ_HDR	8		/* magic + len */
#define NSL_REQ_MAX	8192		/* argument bytes */
#define NSL_REQ_ARGS	64
#define NSL_REQ_FDS	3		/* stdout, stderr, cwd */
#define NSL_REPLY_MAX	256

struct nsl_req {
	int argc;
	char *argv[NSL_REQ_ARGS + 1];	/* into buf; argv[argc] is NULL */
	char buf[NSL_REQ_MAX];
};

/*
 * The whole request's size as its header announces it, from the first
 * len bytes: -EAGAIN while len < NSL_REQ_HDR, -EPROTO for a bad magic,
 * -EMSGSIZE for a length out of bounds.
 */
ssize_t nsl_req_size(const void *msg, size_t len);
/* a whole request (len bytes exactly); 0 or -errno with *why set */
int nsl_req_parse(struct nsl_req *r, const void *msg, size_t len,
		  const char **why);
/* encode argv into buf; bytes used, or -E2BIG */
ssize_t nsl_req_build(void *buf, size_t size, int argc, char *const argv[]);
/* the commands a request may run */
int nsl_req_command_ok(const char *cmd);

#endif
