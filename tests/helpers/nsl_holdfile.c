// SPDX-License-Identifier: GPL-2.0
/*
 * nsl_holdfile KIND: a namespace held only by an open file of ours.
 * A child makes the namespace; we open the file that pins it:
 *   procnet    net ns, /proc/CHILD/net/dev (seq_open_net)
 *   mountinfo  mnt ns, /proc/CHILD/mountinfo (proc_mounts)
 *   tun        net ns, /dev/net/tun opened by the child, sent by SCM_RIGHTS
 *   pidfd      pid ns, pidfd_open() of the pid 1 of a new pid ns
 *   procdir    pid ns, an open /proc/PID directory of that pid 1
 *   uring      net ns, /proc/CHILD/net/dev registered in an io_uring ring,
 *              our own fd on it closed (only the ring holds the file)
 * We print "CPID INUM ID FD" (a process still inside the namespace, the
 * namespace, its NS_GET_ID or 0, and our fd: the ring's for uring), wait
 * for a line on stdin, make every process in the namespace exit and reap
 * it, print "released", and wait to be killed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef NS_GET_ID
#define NS_GET_ID	_IOR(0xb7, 13, unsigned long long)
#endif

static int sv[2];

static int send_fd(int sock, int fd, pid_t pid)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { &pid, sizeof(pid) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, 0) == sizeof(pid) ? 0 : -1;
}

static int recv_fd(int sock, int *fd, pid_t *pid)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { pid, sizeof(*pid) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;

	if (recvmsg(sock, &msg, 0) != sizeof(*pid))
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	*fd = -1;
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

static int perf_to_parent(void)
{
	struct perf_event_attr pa = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(pa),
		.config = PERF_COUNT_SW_DUMMY, .disabled = 1,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	int fd = syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);

	return fd < 0 || send_fd(sv[1], fd, 0) ? -1 : 0;
}

/* the child: make the namespace, report (pid inside, fd), wait, exit */
static int child(const char *kind)
{
	int pidns = !strcmp(kind, "pidfd") || !strcmp(kind, "procdir") ||
		    !strcmp(kind, "perf");
	int p[2];
	int flag = !strcmp(kind, "mountinfo") ? CLONE_NEWNS :
		   pidns ? CLONE_NEWPID : CLONE_NEWNET;
	pid_t inside = getpid(), g;
	int fd = -1, st;
	char c;

	if (unshare(flag))
		return 1;
	if (pidns) {
		/* the new pid ns gets its pid 1 at our next fork */
		if (pipe(p))
			return 1;
		g = fork();
		if (g == 0) {
			/* perf: the event holds the pid ns of its opener */
			if (!strcmp(kind, "perf") && perf_to_parent())
				_exit(1);
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		if (g < 0 || read(p[0], &c, 1) != 1)
			return 1;
		inside = g;
	}
	if (!strcmp(kind, "tun") && (fd = open("/dev/net/tun", O_RDWR)) < 0)
		return 1;
	if (!strcmp(kind, "fsopen") && (fd = syscall(SYS_fsopen, "tmpfs", 0)) < 0)
		return 1;
	if (send_fd(sv[1], fd, inside))
		return 1;
	if (read(sv[1], &c, 1) != 1)
		return 1;
	if (pidns) {
		kill(g, SIGKILL);
		waitpid(g, &st, 0);
	}
	return 0;
}

static int uring_register(int fd)
{
	struct io_uring_params p = {};
	int ring = syscall(SYS_io_uring_setup, 1, &p);

	if (ring < 0)
		return -1;
	if (syscall(SYS_io_uring_register, ring, IORING_REGISTER_FILES, &fd, 1)) {
		close(ring);
		return -1;
	}
	close(fd);
	return ring;
}

static int open_file(const char *kind, pid_t inside, int got)
{
	char path[64];

	if (!strcmp(kind, "tun") || !strcmp(kind, "fsopen") || !strcmp(kind, "perf"))
		return got;
	if (!strcmp(kind, "pidfd"))
		return syscall(SYS_pidfd_open, inside, 0);
	if (!strcmp(kind, "procdir")) {
		snprintf(path, sizeof(path), "/proc/%d", inside);
		return open(path, O_RDONLY | O_DIRECTORY);
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", inside,
		 !strcmp(kind, "mountinfo") ? "mountinfo" : "net/dev");
	return open(path, O_RDONLY);
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";
	const char *type;
	unsigned long long id = 0;
	char path[64], line[64];
	struct stat st;
	pid_t pid, inside;
	int fd, nsfd, got, status;

	type = !strcmp(kind, "mountinfo") ? "mnt" :
	       !strcmp(kind, "pidfd") || !strcmp(kind, "procdir") ||
	       !strcmp(kind, "perf") ? "pid" : "net";
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		perror("nsl_holdfile: socketpair");
		return 1;
	}
	pid = fork();
	if (pid == 0)
		_exit(child(kind));
	/* perf: first the fd from inside the pid ns, then the child's word */
	if (!strcmp(kind, "perf") && (pid < 0 || recv_fd(sv[0], &got, &inside))) {
		fprintf(stderr, "nsl_holdfile: perf: no event fd\n");
		return 1;
	}
	if (pid < 0 || recv_fd(sv[0], !strcmp(kind, "perf") ? &fd : &got, &inside)) {
		fprintf(stderr, "nsl_holdfile: %s: the child could not set up\n", kind);
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", inside, type);
	nsfd = open(path, O_RDONLY);
	if (nsfd < 0 || fstat(nsfd, &st)) {
		perror("nsl_holdfile: ns");
		return 1;
	}
	if (ioctl(nsfd, NS_GET_ID, &id))
		id = 0;
	close(nsfd);
	fd = open_file(kind, inside, got);
	if (fd >= 0 && !strcmp(kind, "uring"))
		fd = uring_register(fd);
	if (fd < 0) {
		fprintf(stderr, "nsl_holdfile: %s: cannot open the file\n", kind);
		return 1;
	}
	printf("%d %lu %llu %d\n", inside, (unsigned long)st.st_ino, id, fd);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	if (write(sv[0], "x", 1) != 1 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "nsl_holdfile: the child did not exit\n");
		return 1;
	}
	close(sv[0]);
	close(sv[1]);
	printf("released\n");
	fflush(stdout);
	pause();
	return 0;
}
