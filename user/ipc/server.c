// SPDX-License-Identifier: GPL-2.0
/* The daemon's listening socket: made 0600, a stale one replaced, never a live one's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "client.h"
#include "server.h"

void server_wake_on_io(int fd)
{
	fcntl(fd, F_SETOWN, getpid());
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC | O_NONBLOCK);
}

int server_probe(const char *path)
{
	struct ucred cr = {};
	socklen_t len = sizeof(cr);
	struct stat st;
	int fd, err;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		err = -errno;
		fprintf(stderr, "nslife: %s: %s\n", path, strerror(-err));
		return err;
	}
	if (!S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "nslife: %s exists and is not a socket; not touching it\n",
			path);
		return -EEXIST;
	}
	err = client_dial(path, &fd);
	if (err == -ECONNREFUSED)
		return 1;
	if (err) {
		fprintf(stderr, "nslife: %s: %s\n", path, strerror(-err));
		return err;
	}
	getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len);
	close(fd);
	fprintf(stderr, "nslife: another daemon (pid %d) is serving %s; not starting\n",
		cr.pid, path);
	return -EADDRINUSE;
}

static int sock_bind(int fd, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int r;

	strcpy(sa.sun_path, path);
	/* 0600 from the start: no window in which others may connect */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	return r < 0 ? -errno : 0;
}

int server_listen(struct nsl_listener *l, const char *path)
{
	struct stat st;
	int fd, err;

	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, "nslife: socket path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	err = sock_bind(fd, path);
	if (err == -EADDRINUSE) {
		err = server_probe(path);
		if (err == 1) {
			fprintf(stderr, "nslife: replacing the stale socket %s\n", path);
			unlink(path);
			err = sock_bind(fd, path);
		} else if (!err) {
			err = sock_bind(fd, path);	/* it went meanwhile */
		}
	}
	if (err)
		goto fail;
	if (chmod(path, 0600) < 0 || listen(fd, 64) < 0 || stat(path, &st) < 0) {
		err = -errno;
		unlink(path);
		goto fail;
	}
	l->path = path;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->fd = fd;
	server_wake_on_io(fd);
	return 0;
fail:
	if (err != -EADDRINUSE && err != -EEXIST)
		fprintf(stderr, "nslife: cannot listen on %s: %s\n", path, strerror(-err));
	close(fd);
	return err;
}

void server_close(struct nsl_listener *l)
{
	struct stat st;

	if (l->fd < 0)
		return;
	if (!stat(l->path, &st) && st.st_dev == l->dev && st.st_ino == l->ino)
		unlink(l->path);
	close(l->fd);
	l->fd = -1;
}
