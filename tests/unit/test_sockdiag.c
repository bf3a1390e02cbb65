// SPDX-License-Identifier: GPL-2.0
/* sock_diag dump parsing and the counts' wording, on built buffers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include "sockdiag.h"
#include "nlsynth.h"

/* sock_diag replies carry no attributes here: each message is complete at once */
static struct nlmsghdr *msg(int type, size_t hdrlen)
{
	struct nlmsghdr *nh = synth_msg(type, hdrlen);

	synth_done(nh);
	return nh;
}

static void add_inet(int family, int state, const char *src, int sport,
		     const char *dst, int dport)
{
	struct inet_diag_msg *m = NLMSG_DATA(msg(SOCK_DIAG_BY_FAMILY, sizeof(*m)));

	m->idiag_family = family;
	m->idiag_state = state;
	inet_pton(family, src, m->id.idiag_src);
	inet_pton(family, dst, m->id.idiag_dst);
	m->id.idiag_sport = htons(sport);
	m->id.idiag_dport = htons(dport);
}

static void add_unix(void)
{
	struct unix_diag_msg *m = NLMSG_DATA(msg(SOCK_DIAG_BY_FAMILY, sizeof(*m)));

	m->udiag_family = AF_UNIX;
}

static void add_done(void)
{
	msg(NLMSG_DONE, sizeof(int));
}

static int setup(void **state)
{
	synth_used = 0;
	return 0;
}

static void test_request(void **state)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)synth_buf;
	struct inet_diag_req_v2 *in = NLMSG_DATA(nh);
	struct unix_diag_req *un = NLMSG_DATA(nh);

	assert_int_equal(sockdiag_request(AF_INET6, IPPROTO_TCP, synth_buf, sizeof(synth_buf), 7),
			 NLMSG_LENGTH(sizeof(*in)));
	assert_int_equal(nh->nlmsg_type, SOCK_DIAG_BY_FAMILY);
	assert_int_equal(nh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nh->nlmsg_seq, 7);
	assert_int_equal(in->sdiag_family, AF_INET6);
	assert_int_equal(in->sdiag_protocol, IPPROTO_TCP);
	assert_int_equal(in->idiag_states, ~0u);
	assert_int_equal(sockdiag_request(AF_UNIX, 0, synth_buf, sizeof(synth_buf), 1),
			 NLMSG_LENGTH(sizeof(*un)));
	assert_int_equal(un->sdiag_family, AF_UNIX);
	assert_int_equal(un->udiag_states, ~0u);
	assert_int_equal(sockdiag_request(AF_INET, IPPROTO_UDP, synth_buf, 8, 1), -ENOSPC);
}

/* TIME_WAIT and NEW_SYN_RECV do not pin the ns; the first three others are described */
static void test_tcp(void **state)
{
	struct sockdiag d = {};
	char s[400];

	add_inet(AF_INET, 4, "10.0.0.1", 22, "10.0.0.2", 5555);	/* FIN_WAIT1 */
	add_inet(AF_INET, 6, "10.0.0.1", 22, "10.0.0.3", 5556);	/* TIME_WAIT */
	add_inet(AF_INET, 12, "10.0.0.1", 22, "10.0.0.4", 5557);	/* NEW_SYN_RECV */
	add_inet(AF_INET6, 10, "::", 80, "::", 0);			/* LISTEN */
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, IPPROTO_TCP, &d), 1);
	synth_used = 0;
	add_inet(AF_INET6, 1, "fe80::1", 443, "fe80::2", 40000);	/* ESTABLISHED */
	add_inet(AF_INET, 8, "127.0.0.1", 1, "127.0.0.1", 2);	/* CLOSE_WAIT */
	add_done();
	add_inet(AF_INET, 1, "1.1.1.1", 1, "2.2.2.2", 2);		/* after DONE */
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, IPPROTO_TCP, &d), 0);
	assert_int_equal(d.tcp, 4);
	assert_int_equal(d.udp, 0);
	assert_int_equal(d.ndesc, 3);
	assert_string_equal(d.desc[0], "FIN_WAIT1 10.0.0.1:22->10.0.0.2:5555");
	assert_string_equal(d.desc[1], "LISTEN [::]:80");
	assert_string_equal(d.desc[2], "ESTABLISHED [fe80::1]:443->[fe80::2]:40000");
	sockdiag_str(&d, s, sizeof(s));
	assert_string_equal(s, "4 TCP sockets (FIN_WAIT1 10.0.0.1:22->10.0.0.2:5555, "
			    "LISTEN [::]:80, ESTABLISHED [fe80::1]:443->[fe80::2]:40000, ...), "
			    "0 UDP, 0 unix");
}

static void test_udp_unix(void **state)
{
	struct sockdiag d = {};
	char s[400];

	add_inet(AF_INET, 7, "0.0.0.0", 53, "0.0.0.0", 0);
	add_inet(AF_INET6, 1, "::1", 53, "::1", 9);
	add_done();
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, IPPROTO_UDP, &d), 0);
	synth_used = 0;
	add_unix();
	add_unix();
	add_unix();
	add_done();
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, 0, &d), 0);
	assert_int_equal(d.udp, 2);
	assert_int_equal(d.unx, 3);
	assert_int_equal(d.tcp, 0);
	assert_int_equal(d.ndesc, 0);
	sockdiag_str(&d, s, sizeof(s));
	assert_string_equal(s, "0 TCP sockets, 2 UDP, 3 unix");
	d.tcp = 1;
	d.ndesc = 1;
	strcpy(d.desc[0], "LISTEN 0.0.0.0:22");
	sockdiag_str(&d, s, sizeof(s));
	assert_string_equal(s, "1 TCP socket (LISTEN 0.0.0.0:22), 2 UDP, 3 unix");
	/* cut short, never past the buffer */
	sockdiag_str(&d, s, 10);
	assert_string_equal(s, "1 TCP soc");
}

static void test_error_and_truncated(void **state)
{
	struct sockdiag d = {};
	struct nlmsghdr *nh = msg(NLMSG_ERROR, sizeof(struct nlmsgerr));

	((struct nlmsgerr *)NLMSG_DATA(nh))->error = -ENOENT;
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, IPPROTO_TCP, &d), -ENOENT);
	/* a message cut short by the buffer: an error, nothing counted */
	synth_used = 0;
	add_inet(AF_INET, 1, "1.1.1.1", 1, "2.2.2.2", 2);
	assert_int_equal(sockdiag_parse(synth_buf, synth_used - 8, IPPROTO_TCP, &d), -EIO);
	assert_int_equal(d.tcp, 0);
	/* too short for its payload: skipped; other families: skipped */
	synth_used = 0;
	msg(SOCK_DIAG_BY_FAMILY, 4);
	add_inet(AF_UNIX, 1, "1.1.1.1", 1, "2.2.2.2", 2);
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, IPPROTO_TCP, &d), 1);
	assert_int_equal(d.tcp, 0);
	synth_used = 0;
	msg(SOCK_DIAG_BY_FAMILY, 4);
	assert_int_equal(sockdiag_parse(synth_buf, synth_used, 0, &d), 1);
	assert_int_equal(d.unx, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_request, setup),
		cmocka_unit_test_setup(test_tcp, setup),
		cmocka_unit_test_setup(test_udp_unix, setup),
		cmocka_unit_test_setup(test_error_and_truncated, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
