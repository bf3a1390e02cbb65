// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup path -> unit, container, pod, over real-format /proc/PID/cgroup
 * text of every runtime and layout.  Where each sample comes from:
 *  - podman cgroupfs, hybrid: measured on this host (podman 4.3, runc);
 *  - docker: neuvector/neuvector share/system/cgroup_test.go (Debian
 *    cgroupfs /ID, CentOS system.slice/docker-ID.scope);
 *  - kubepods cgroupfs: Qard/container-info test/fixtures/result.js;
 *  - kubepods systemd driver, docker, cri-o, containerd:
 *    CJLove/rt-operator notes/cgroupv1_notes.md;
 *  - LXC layouts: falcosecurity/libs userspace/libsinsp/container_engine/lxc.cpp
 *    (/lxc/, /lxc.payload/, lxc.payload. of LXC 4.0);
 *  - machine.slice: systemd docs/CGROUP_DELEGATION.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "owner.h"

#define ID64 "82ce0aee41a094c7aa1dec19dbe5e60fead8504cad4634c9d6b7e787fead03c0"

static struct nsl_owner parse(const char *text)
{
	struct nsl_owner o;

	owner_parse_cgroup(text, strlen(text), &o);
	return o;
}

static void release(const struct nsl_owner *o, const char *want)
{
	char buf[256];

	owner_release_cmd(o, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* measured here: podman 4.3, cgroupfs manager, cgroup v1 hybrid */
static void test_podman_cgroupfs_hybrid(void **state)
{
	struct nsl_owner o = parse(
		"9:name=systemd:/libpod_parent/libpod-" ID64 "\n"
		"8:pids:/libpod_parent/libpod-" ID64 "\n"
		"4:memory:/libpod_parent/libpod-" ID64 "\n"
		"1:cpu:/libpod_parent/libpod-" ID64 "\n"
		"0::/libpod_parent/libpod-" ID64 "\n");
	char buf[256];

	assert_int_equal(o.runtime, NSL_RT_PODMAN);
	assert_string_equal(o.id, ID64);
	assert_false(o.monitor);
	assert_string_equal(o.unit, "");
	assert_string_equal(o.pod_uid, "");
	owner_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "podman container 82ce0aee41a0");
	release(&o, "podman rm -f 82ce0aee41a0");
	strcpy(o.name, "web");
	owner_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "podman container web (82ce0aee41a0)");
	release(&o, "podman rm -f web");
	assert_true(owner_match_container(&o, "web"));
	assert_true(owner_match_container(&o, "82ce0a"));
	assert_true(owner_match_container(&o, ID64));
	assert_false(owner_match_container(&o, "we"));
	assert_false(owner_match_container(&o, "82c0"));
}

/* conmon of the same container: a v1 path with no id, v2 root */
static void test_podman_conmon_cgroupfs(void **state)
{
	struct nsl_owner o = parse(
		"9:name=systemd:/\n"
		"8:pids:/libpod_parent/conmon\n"
		"1:cpu:/libpod_parent/conmon\n"
		"0::/\n");

	assert_true(owner_empty(&o));
}

static void test_podman_systemd(void **state)
{
	struct nsl_owner o = parse("0::/machine.slice/libpod-" ID64 ".scope\n");
	char buf[256];

	assert_int_equal(o.runtime, NSL_RT_PODMAN);
	assert_string_equal(o.id, ID64);
	assert_string_equal(o.unit, "libpod-" ID64 ".scope");
	/* the container's own scope is not named a second time */
	owner_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "podman container 82ce0aee41a0");

	o = parse("0::/machine.slice/libpod-conmon-" ID64 ".scope\n");
	assert_int_equal(o.runtime, NSL_RT_PODMAN);
	assert_true(o.monitor);
	assert_string_equal(o.id, ID64);
}

/* rootless podman below the user's manager, cgroup v2 */
static void test_podman_rootless(void **state)
{
	struct nsl_owner o = parse("0::/user.slice/user-1000.slice/user@1000.service/"
				   "user.slice/libpod-" ID64 ".scope\n");

	assert_int_equal(o.runtime, NSL_RT_PODMAN);
	assert_true(o.user_unit);
}

static void test_docker_cgroupfs(void **state)
{
	struct nsl_owner o = parse(
		"10:net_prio:/4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970\n"
		"4:memory:/4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970\n");

	/* a bare id at the root (docker in docker, old Debian) tells nothing sure */
	assert_true(owner_empty(&o));

	o = parse("0::/docker/4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970\n");
	assert_int_equal(o.runtime, NSL_RT_DOCKER);
	assert_string_equal(o.id, "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970");
	release(&o, "docker rm -f 4f797c539e6c");
	strcpy(o.name, "db");
	release(&o, "docker rm -f db");
}

static void test_docker_systemd(void **state)
{
	struct nsl_owner o = parse(
		"10:devices:/system.slice/docker-9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d.scope\n"
		"2:cpuacct,cpu:/system.slice/docker-9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d.scope\n"
		"1:name=systemd:/system.slice/docker-9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d.scope\n");

	assert_int_equal(o.runtime, NSL_RT_DOCKER);
	assert_string_equal(o.id, "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d");
}

static void test_kube_cgroupfs(void **state)
{
	struct nsl_owner o = parse(
		"11:devices:/kubepods/besteffort/pod74c13223-5a00-11e9-b385-42010a80018d/"
		"34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376\n"
		"0::/\n");
	char buf[256];

	assert_int_equal(o.runtime, NSL_RT_CRI);
	assert_string_equal(o.id, "34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376");
	assert_string_equal(o.pod_uid, "74c13223-5a00-11e9-b385-42010a80018d");
	assert_string_equal(o.qos, "besteffort");
	release(&o, "crictl rmp -f $(crictl pods -q --label "
		    "io.kubernetes.pod.uid=74c13223-5a00-11e9-b385-42010a80018d)");
	owner_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "cri container 34dc0b5e626f in pod 74c13223-5a00-11e9-b385-42010a80018d");

	o = parse("6:memory:/kubepods/burstable/podfbc202d3-da21-11e8-ab5e-42010a80014b/"
		  "0a1b22ec1361a97c3511db37a4bae932d41b22264e5b97611748f8b662312574\n");
	assert_string_equal(o.qos, "burstable");
	assert_string_equal(o.pod_uid, "fbc202d3-da21-11e8-ab5e-42010a80014b");

	/* guaranteed: the pod right below kubepods (k3s) */
	o = parse("0::/kubepods/podfbc202d3-da21-11e8-ab5e-42010a80014b/"
		  "0a1b22ec1361a97c3511db37a4bae932d41b22264e5b97611748f8b662312574\n");
	assert_string_equal(o.qos, "guaranteed");
	assert_string_equal(o.pod_uid, "fbc202d3-da21-11e8-ab5e-42010a80014b");
	assert_int_equal(o.runtime, NSL_RT_CRI);
}

static void test_kube_systemd(void **state)
{
	struct nsl_owner o;

	o = parse("0::/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod2c4f7e0b_9c36_4b5d_8c6c_8d9b2d0b1a11.slice/"
		  "cri-containerd-" ID64 ".scope\n");
	assert_int_equal(o.runtime, NSL_RT_CONTAINERD);
	assert_string_equal(o.id, ID64);
	assert_string_equal(o.pod_uid, "2c4f7e0b-9c36-4b5d-8c6c-8d9b2d0b1a11");
	assert_string_equal(o.qos, "burstable");

	o = parse("4:cpu,cpuacct:/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod2c4f7e0b_9c36_4b5d_8c6c_8d9b2d0b1a11.slice/"
		  "crio-" ID64 ".scope\n");
	assert_int_equal(o.runtime, NSL_RT_CRIO);
	assert_string_equal(o.qos, "besteffort");

	o = parse("0::/kubepods.slice/kubepods-pod2c4f7e0b_9c36_4b5d_8c6c_8d9b2d0b1a11.slice/"
		  "docker-" ID64 ".scope\n");
	assert_int_equal(o.runtime, NSL_RT_DOCKER);
	assert_string_equal(o.qos, "guaranteed");
	assert_string_equal(o.pod_uid, "2c4f7e0b-9c36-4b5d-8c6c-8d9b2d0b1a11");

	/* cri-o's monitor, pod-level */
	o = parse("0::/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod2c4f7e0b_9c36_4b5d_8c6c_8d9b2d0b1a11.slice/"
		  "crio-conmon-" ID64 ".scope\n");
	assert_int_equal(o.runtime, NSL_RT_CRIO);
	assert_true(o.monitor);

	/* a pod slice alone (the pause process's parent) */
	o = parse("0::/kubepods.slice/kubepods-pod2c4f7e0b_9c36_4b5d_8c6c_8d9b2d0b1a11.slice\n");
	assert_int_equal(o.runtime, NSL_RT_NONE);
	assert_string_equal(o.pod_uid, "2c4f7e0b-9c36-4b5d-8c6c-8d9b2d0b1a11");
}

static void test_lxc(void **state)
{
	struct nsl_owner o;

	o = parse("4:memory:/lxc/web1\n");
	assert_int_equal(o.runtime, NSL_RT_LXC);
	assert_string_equal(o.id, "web1");
	release(&o, "lxc-stop -k -n web1");

	o = parse("0::/lxc.payload.web1\n");
	assert_int_equal(o.runtime, NSL_RT_LXC);
	assert_string_equal(o.id, "web1");
	assert_false(o.monitor);

	o = parse("0::/lxc.payload/web1/init.scope\n");
	assert_int_equal(o.runtime, NSL_RT_LXC);
	assert_string_equal(o.id, "web1");

	o = parse("0::/lxc.monitor.web1\n");
	assert_true(o.monitor);
	assert_string_equal(o.id, "web1");
}

static void test_machined(void **state)
{
	struct nsl_owner o = parse("0::/machine.slice/machine-deb\\x2dtest.scope/payload\n");

	assert_int_equal(o.runtime, NSL_RT_MACHINED);
	assert_string_equal(o.id, "deb-test");
	release(&o, "machinectl terminate deb-test");
}

static void test_units(void **state)
{
	struct nsl_owner o;
	char buf[256];

	o = parse("12:pids:/system.slice/docker_monitor.service\n"
		  "1:name=systemd:/system.slice/docker_monitor.service\n"
		  "0::/system.slice/docker_monitor.service\n");
	assert_int_equal(o.runtime, NSL_RT_NONE);
	assert_string_equal(o.unit, "docker_monitor.service");
	assert_false(o.user_unit);
	release(&o, "systemctl restart docker_monitor.service");
	owner_describe(&o, buf, sizeof(buf));
	assert_string_equal(buf, "unit docker_monitor.service");
	assert_true(owner_match_unit(&o, "docker_monitor"));
	assert_true(owner_match_unit(&o, "docker_monitor.service"));
	assert_false(owner_match_unit(&o, "docker"));

	o = parse("0::/user.slice/user-1000.slice/session-3.scope\n");
	assert_string_equal(o.unit, "session-3.scope");
	/* stopping a login's scope is no advice */
	release(&o, "");

	o = parse("0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "app-gnome-firefox-4242.scope\n");
	assert_string_equal(o.unit, "app-gnome-firefox-4242.scope");
	assert_true(o.user_unit);
	release(&o, "");
	o = parse("0::/user.slice/user-1000.slice/user@1000.service/app.slice/dbus.service\n");
	assert_true(o.user_unit);
	release(&o, "systemctl --user restart dbus.service");

	o = parse("0::/user.slice/user-1000.slice/user@1000.service/init.scope\n");
	assert_true(o.user_unit);

	/* the manager itself is a system unit */
	o = parse("0::/user.slice/user-1000.slice/user@1000.service\n");
	assert_string_equal(o.unit, "user@1000.service");
	assert_false(o.user_unit);
	release(&o, "");

	/* a sub-cgroup of a service (Delegate=yes) is still that service */
	o = parse("0::/system.slice/containerd.service/sub\n");
	assert_string_equal(o.unit, "containerd.service");
}

/* this host's own shell: every path root or a non-systemd tree */
static void test_nothing(void **state)
{
	struct nsl_owner o = parse("9:name=systemd:/\n"
				   "4:memory:/process_api/1cbac13a10d2b1b17eb3d2b0c063c42f\n"
				   "0::/\n");

	assert_true(owner_empty(&o));
	o = parse("");
	assert_true(owner_empty(&o));
	o = parse("garbage without colons\n0:\n::\n");
	assert_true(owner_empty(&o));
	release(&o, "");
}

/* merging: v1 lines name the container, name=systemd the unit */
static void test_merge(void **state)
{
	struct nsl_owner o = parse("4:memory:/docker/" ID64 "\n"
				   "1:name=systemd:/system.slice/cron.service\n");

	assert_int_equal(o.runtime, NSL_RT_DOCKER);
	assert_string_equal(o.unit, "cron.service");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_podman_cgroupfs_hybrid),
		cmocka_unit_test(test_podman_conmon_cgroupfs),
		cmocka_unit_test(test_podman_systemd),
		cmocka_unit_test(test_podman_rootless),
		cmocka_unit_test(test_docker_cgroupfs),
		cmocka_unit_test(test_docker_systemd),
		cmocka_unit_test(test_kube_cgroupfs),
		cmocka_unit_test(test_kube_systemd),
		cmocka_unit_test(test_lxc),
		cmocka_unit_test(test_machined),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
