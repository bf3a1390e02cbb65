// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "fdpass.h"
#include "mount_setns.h"
#include "mountinfo.h"
#include "scan_fcred.h"

/* an fd, or -errno in its place */
static int send_fd(int sock, int fd)
{
	int err = fd < 0 ? -fd : 0;
	ssize_t n = fdpass_send(sock, &err, sizeof(err), &fd, fd >= 0, 0);

	return n < 0 ? n : 0;
}

static int recv_fd(int sock)
{
	int err = 0, fd = -1, nfds = 1;
	bool dropped = false;

	if (fdpass_recv(sock, &err, sizeof(err), &fd, &nfds, &dropped,
			MSG_CMSG_CLOEXEC) <= 0)
		return -EIO;
	return nfds ? fd : -(err ? err : ENOENT);
}

/* the child: enter the mount ns, send its mountinfo, then the fds */
static void __attribute__((noreturn)) enter_child(const struct snap *s, int sock,
						  int nsfd, mount_open_fn open_all)
{
	struct libmnt_table *tb;
	int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int *fds, nfds = 0;
	char *text;
	size_t len;

	if (procfd < 0 || setns(nsfd, CLONE_NEWNS) ||
	    mountinfo_read(procfd, "thread-self/mountinfo", &text, &len))
		_exit(1);
	for (size_t off = 0; off < len; off += MOUNTINFO_CHUNK) {
		size_t n = len - off < MOUNTINFO_CHUNK ? len - off : MOUNTINFO_CHUNK;

		if (send(sock, text + off, n, 0) < 0)
			_exit(1);
	}
	if (send(sock, "", 0, 0) < 0)
		_exit(1);
	tb = mountinfo_parse(text, len);
	/* the child's copy of the table says which namespaces we hold */
	fds = tb ? open_all(s, tb, AT_FDCWD, &nfds) : NULL;
	for (int k = 0; k < nfds; k++)
		send_fd(sock, fds[k]);
	_exit(0);
}

static int recv_table(int sock, char **text, size_t *len)
{
	size_t cap = MOUNTINFO_CHUNK * 2, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	while (buf) {
		if (cap - n < MOUNTINFO_CHUNK) {
			char *p = realloc(buf, cap *= 2);

			if (!p)
				break;
			buf = p;
		}
		r = recv(sock, buf + n, MOUNTINFO_CHUNK, 0);
		if (r <= 0) {
			*text = buf;
			*len = n;
			return r == 0 ? 0 : -EIO;
		}
		n += r;
	}
	free(buf);
	return -ENOMEM;
}

int mount_setns_read(struct snap *s, int mntns, mount_open_fn open_all,
		     struct libmnt_table **tbp, int **fdsp, int *nfdsp)
{
	struct libmnt_table *tb = NULL;
	int sv[2], nfds, *fds = NULL, err;
	char *text = NULL;
	size_t len;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	snap_inspector_idle(s);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto cleanup;
	}
	if (pid == 0) {
		close(sv[0]);
		enter_child(s, sv[1], s->ns[mntns].fd, open_all);
	}
	close(sv[1]);
	sv[1] = -1;
	s->nr_mntns_entered++;
	err = recv_table(sv[0], &text, &len);
	if (err)
		goto cleanup;
	tb = mountinfo_parse(text, len);
	err = -EINVAL;
	if (!tb)
		goto cleanup;
	nfds = mountinfo_count_pins(tb);
	fds = calloc(nfds + 1, sizeof(int));
	for (int k = 0; fds && k < nfds; k++)
		fds[k] = recv_fd(sv[0]);
	*tbp = tb;
	*fdsp = fds;
	*nfdsp = fds ? nfds : 0;
	tb = NULL;
	fds = NULL;
	err = 0;
cleanup:
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	mnt_unref_table(tb);
	free(fds);
	free(text);
	return err;
}
