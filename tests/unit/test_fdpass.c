// SPDX-License-Identifier: GPL-2.0
/* fdpass: fds ride with their bytes; more than the receiver takes are closed */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "fdpass.h"

static bool same_file(int a, int b)
{
	struct stat x, y;

	return !fstat(a, &x) && !fstat(b, &y) && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

static void test_roundtrip(void **state)
{
	int sv[2], fds[2], got[FDPASS_MAX], n = FDPASS_MAX;
	bool dropped = false;
	char buf[8] = "";

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = open("/", O_RDONLY | O_DIRECTORY);
	assert_int_equal(fdpass_send(sv[0], "abc", 3, fds, 2, 0), 3);
	assert_int_equal(fdpass_recv(sv[1], buf, sizeof(buf), got, &n, &dropped,
				     MSG_CMSG_CLOEXEC), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(n, 2);
	assert_false(dropped);
	assert_true(same_file(got[0], fds[0]));
	assert_true(same_file(got[1], fds[1]));
	assert_int_equal(fcntl(got[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	for (int i = 0; i < 2; i++) {
		close(got[i]);
		close(fds[i]);
	}
	close(sv[0]);
	close(sv[1]);
}

static void test_too_many_closed(void **state)
{
	int sv[2], fds[3], got[1] = { -1 }, n = 1;
	bool dropped = false;
	char c;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (int i = 0; i < 3; i++)
		fds[i] = open("/dev/null", O_RDONLY);
	assert_int_equal(fdpass_send(sv[0], "x", 1, fds, 3, 0), 1);
	assert_int_equal(fdpass_recv(sv[1], &c, 1, got, &n, &dropped, 0), 1);
	assert_int_equal(n, 1);
	assert_true(dropped);
	assert_true(same_file(got[0], fds[0]));
	close(got[0]);
	/* none, and more than one message can carry */
	n = 1;
	dropped = false;
	assert_int_equal(fdpass_send(sv[0], "y", 1, NULL, 0, 0), 1);
	assert_int_equal(fdpass_recv(sv[1], &c, 1, got, &n, &dropped, 0), 1);
	assert_int_equal(n, 0);
	assert_false(dropped);
	assert_int_equal(fdpass_send(sv[0], "z", 1, fds, FDPASS_MAX + 1, 0), -EINVAL);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_too_many_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
