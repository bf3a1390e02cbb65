// SPDX-License-Identifier: GPL-2.0
/* The query client: connect, send argv and our fds, wait for the status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "client.h"
#include "fdpass.h"
#include "history.h"
#include "request.h"

/* the query runs meanwhile: a little over the daemon's own limit for it */
#define REPLY_TIMEOUT_MS	310000

const char *client_socket_path(const char *opt)
{
	const char *env = getenv("NSLIFE_SOCKET");

	if (opt && *opt)
		return opt;
	return env && *env ? env : NSL_SOCKET_DEFAULT;
}

struct copts {
	const char *socket;
	bool no_daemon, local;
};

/* our options out of argv, in place; the command never sees them */
static void take_opts(int *argc, char **argv, struct copts *o)
{
	int i, j = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--no-daemon")) {
			o->no_daemon = true;
			continue;
		}
		if (!strcmp(a, "--socket") && i + 1 < *argc) {
			o->socket = argv[++i];
			continue;
		}
		if (!strncmp(a, "--socket=", 9)) {
			o->socket = a + 9;
			continue;
		}
		/* answered here: help text, or a recorded log (no daemon needed) */
		if (!strcmp(a, "-h") || !strcmp(a, "--help") ||
		    !strcmp(a, "--log") || !strncmp(a, "--log=", 6))
			o->local = true;
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argc = j;
}

int client_dial(const char *path, int *fdp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

static int send_request(int fd, int argc, char **argv)
{
	char buf[NSL_REQ_HDR + NSL_REQ_MAX];
	int fds[NSL_REQ_FDS] = { 1, 2, -1 }, nfds = 2, err = 0;
	ssize_t len = nsl_req_build(buf, sizeof(buf), argc, argv), n;
	size_t off = 0;

	if (len < 0)
		return len;
	fds[2] = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fds[2] >= 0)
		nfds = 3;
	while (off < (size_t)len) {
		n = fdpass_send(fd, buf + off, len - off, fds, nfds, MSG_NOSIGNAL);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			err = n;
			break;
		}
		off += n;
		nfds = 0;	/* the fds go once, with the first byte */
	}
	if (fds[2] >= 0)
		close(fds[2]);
	return err;
}

/* one line, up to EOF or '\n'; -ETIMEDOUT if none in time */
static int read_reply(int fd, char *line, size_t size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t have = 0;
	ssize_t n;

	while (have + 1 < size) {
		int r = poll(&p, 1, REPLY_TIMEOUT_MS);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, line + have, size - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += n;
		if (memchr(line, '\n', have))
			break;
	}
	line[have] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return have ? 0 : -ECONNRESET;
}

static int exchange(int fd, const char *path, int argc, char **argv)
{
	char line[NSL_REPLY_MAX + 1], *end;
	int err = send_request(fd, argc, argv);
	long st;

	if (err == -E2BIG) {
		fprintf(stderr, "nslife: too many or too long arguments for the daemon "
			"(at most %d, %d bytes)\n", NSL_REQ_ARGS, NSL_REQ_MAX);
		return 2;
	}
	/* a daemon that refused us said why before closing: read it anyway */
	err = read_reply(fd, line, sizeof(line));
	if (err == -ETIMEDOUT) {
		fprintf(stderr, "nslife: daemon at %s gave no answer in %d s\n", path,
			REPLY_TIMEOUT_MS / 1000);
		return 1;
	}
	if (err) {
		fprintf(stderr, "nslife: daemon at %s closed the connection without an answer\n",
			path);
		return 1;
	}
	if (!strncmp(line, "exit ", 5)) {
		st = strtol(line + 5, &end, 10);
		if (!*end && end != line + 5 && st >= 0 && st <= 255)
			return st;
	}
	if (!strncmp(line, "error: ", 7))
		fprintf(stderr, "nslife: daemon: %s\n", line + 7);
	else
		fprintf(stderr, "nslife: daemon at %s sent a bad reply\n", path);
	return 1;
}

/* what client_opts() took out of argv, and why client_query() got no answer */
static struct copts opts;
static const char *nohist_path;
static int nohist_err;

void client_opts(int *argc, char **argv)
{
	memset(&opts, 0, sizeof(opts));
	take_opts(argc, argv, &opts);
}

int client_query(int argc, char **argv)
{
	const char *path;
	int fd = -1, err, rc;

	nohist_path = NULL;
	if (nsl_history_map() || opts.no_daemon || opts.local)
		return -1;
	path = client_socket_path(opts.socket);
	err = client_dial(path, &fd);
	if (err == -EACCES || err == -EPERM) {
		fprintf(stderr, "nslife: %s: permission denied (the daemon serves root "
			"and the uids it allows)\n", path);
		return 1;
	}
	if (err) {
		nohist_path = path;
		nohist_err = err;
		return -1;
	}
	rc = exchange(fd, path, argc, argv);
	close(fd);
	return rc;
}

bool client_no_history(void)
{
	return nohist_path;
}

void client_note_no_history(void)
{
	if (!nohist_path)
		return;
	if (nohist_err != -ENOENT && nohist_err != -ECONNREFUSED)
		fprintf(stderr, "nslife: daemon socket %s: %s; history unavailable\n",
			nohist_path, strerror(-nohist_err));
	else
		fprintf(stderr, "nslife: no daemon running, history unavailable\n");
	nohist_path = NULL;
}
