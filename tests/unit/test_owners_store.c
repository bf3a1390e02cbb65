// SPDX-License-Identifier: GPL-2.0
/*
 * The runtimes' on-disk state (user/scan/owners.c) names containers and
 * pods: a temporary tree in each runtime's real format stands in for /,
 * since neither dockerd nor containerd runs on the test hosts.  Where the
 * formats come from:
 *  - docker: /var/lib/docker/containers/ID/config.v2.json is moby's
 *    daemon/container/container.go Container struct through Go's
 *    json.Encoder (toDisk): one line, "ID", "Name" with its leading '/',
 *    "Config" (api/types/container Config, its "Labels"), "NetworkSettings"
 *    ("SandboxKey": /var/run/docker/netns/<12 hex>).  The pod labels are
 *    those kubelet's dockershim set (io.kubernetes.pod.name, .namespace,
 *    .uid).
 *  - containerd (CRI): the shim v2 bundle
 *    /run/containerd/io.containerd.runtime.v2.task/k8s.io/ID/config.json
 *    is the OCI runtime spec; containerd's internal/cri/annotations
 *    DefaultCRIAnnotations put io.kubernetes.cri.sandbox-{id,name,
 *    namespace,uid} on both the sandbox (pause) and its containers,
 *    container-name on containers only, container-type sandbox|container.
 *    The sandbox's network namespace is its CNI netns file
 *    (/var/run/netns/cni-<uuid>), a container's the pause process's
 *    /proc/PID/ns/net.
 * Malformed, absent and wrongly typed files must leave names empty, not
 * crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "owners.h"
#include "snap.h"

#define DK_ID	"9d3b6f1c2a7e48d5b0c4e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
#define DK_POD	"4b1e0c3a2f5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define SB_ID	"c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"
#define CT_ID	"1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"
#define UID	"7f3c2a1e-5b4d-4e6f-8a9b-0c1d2e3f4a5b"
#define UID_	"7f3c2a1e_5b4d_4e6f_8a9b_0c1d2e3f4a5b"
#define DK_UID	"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define DK_UID_	"0a1b2c3d_4e5f_4a6b_8c7d_9e0f1a2b3c4d"
#define CNI_NS	"/var/run/netns/cni-5e9b1a2c-3d4f-4a6b-9c8d-7e6f5a4b3c2d"

#define DOCKER	"/var/lib/docker/containers/"
#define CTRD	"/run/containerd/io.containerd.runtime.v2.task/k8s.io/"
#define PODMAN	"/var/lib/containers/storage/overlay-containers/"

/* as dockerd's json.Encoder writes it (fields trimmed, order kept) */
static const char docker_web[] =
	"{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Paused\":false,"
	"\"Restarting\":false,\"OOMKilled\":false,\"RemovalInProgress\":false,"
	"\"Dead\":false,\"Pid\":31337,\"ExitCode\":0,\"Error\":\"\","
	"\"StartedAt\":\"2026-11-30T09:12:01.123456789Z\","
	"\"FinishedAt\":\"0001-01-01T00:00:00Z\",\"Health\":null},"
	"\"ID\":\"" DK_ID "\",\"Created\":\"2026-11-30T09:12:00.5Z\","
	"\"Managed\":false,\"Path\":\"nginx\",\"Args\":[\"-g\",\"daemon off;\"],"
	"\"Config\":{\"Hostname\":\"9d3b6f1c2a7e\",\"Domainname\":\"\",\"User\":\"\","
	"\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,"
	"\"ExposedPorts\":{\"80/tcp\":{}},\"Tty\":false,\"OpenStdin\":false,"
	"\"StdinOnce\":false,\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
	"\"NGINX_VERSION=1.27.3\"],\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"],"
	"\"Image\":\"nginx\",\"Volumes\":null,\"WorkingDir\":\"\","
	"\"Entrypoint\":[\"/docker-entrypoint.sh\"],\"OnBuild\":null,"
	"\"Labels\":{\"maintainer\":\"NGINX Docker Maintainers \\u003cdocker-maint@nginx.com\\u003e\"},"
	"\"StopSignal\":\"SIGQUIT\"},"
	"\"Image\":\"sha256:66f8bdd3810c96dc5c28aec39583af731b34a2cd99471530f53c8794ed5b423e\","
	"\"ImageManifest\":null,\"NetworkSettings\":{\"Bridge\":\"\","
	"\"SandboxID\":\"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2\","
	"\"SandboxKey\":\"/var/run/docker/netns/a1b2c3d4e5f6\",\"HairpinMode\":false,"
	"\"LinkLocalIPv6Address\":\"\",\"LinkLocalIPv6PrefixLen\":0,"
	"\"Networks\":{\"bridge\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,"
	"\"MacAddress\":\"02:42:ac:11:00:02\",\"NetworkID\":\"5d1e\",\"EndpointID\":\"8a7b\","
	"\"Gateway\":\"172.17.0.1\",\"IPAddress\":\"172.17.0.2\",\"IPPrefixLen\":16}},"
	"\"Service\":null,\"Ports\":{\"80/tcp\":null},\"HasSwarmEndpoint\":false},"
	"\"LogPath\":\"/var/lib/docker/containers/" DK_ID "/" DK_ID "-json.log\","
	"\"Name\":\"/web\",\"Driver\":\"overlay2\",\"OS\":\"linux\","
	"\"RestartCount\":0,\"HasBeenStartedBefore\":true,\"HasBeenManuallyStopped\":false,"
	"\"MountPoints\":{},\"SecretReferences\":null,\"ConfigReferences\":null,"
	"\"MountLabel\":\"\",\"ProcessLabel\":\"\",\"AppArmorProfile\":\"docker-default\","
	"\"SeccompProfile\":\"\",\"NoNewPrivileges\":false,"
	"\"HostnamePath\":\"/var/lib/docker/containers/" DK_ID "/hostname\","
	"\"HostsPath\":\"/var/lib/docker/containers/" DK_ID "/hosts\","
	"\"ShmPath\":\"/var/lib/docker/containers/" DK_ID "/mounts/shm\","
	"\"ResolvConfPath\":\"/var/lib/docker/containers/" DK_ID "/resolv.conf\"}\n";

/* a dockershim container: kubelet's labels name its pod */
static const char docker_shim[] =
	"{\"State\":{\"Running\":true,\"Pid\":4100},\"ID\":\"" DK_POD "\","
	"\"Config\":{\"Hostname\":\"api-5f7c\",\"Image\":\"k8s.gcr.io/api@sha256:00\","
	"\"Labels\":{\"annotation.io.kubernetes.container.hash\":\"9a1b2c3d\","
	"\"io.kubernetes.container.name\":\"api\","
	"\"io.kubernetes.docker.type\":\"container\","
	"\"io.kubernetes.pod.name\":\"api-5f7c\","
	"\"io.kubernetes.pod.namespace\":\"prod\","
	"\"io.kubernetes.pod.uid\":\"" DK_UID "\","
	"\"io.kubernetes.sandbox.id\":\"b2c3\"}},"
	"\"NetworkSettings\":{\"SandboxID\":\"\",\"SandboxKey\":\"\"},"
	"\"Name\":\"/k8s_api_api-5f7c_prod_" DK_UID "_0\",\"Driver\":\"overlay2\"}\n";

/* containerd's OCI spec of a pod sandbox (pause), as the shim's bundle has it */
static const char ctrd_sandbox[] =
	"{\"ociVersion\":\"1.2.0\",\"process\":{\"user\":{\"uid\":65535,\"gid\":65535},"
	"\"args\":[\"/pause\"],\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],"
	"\"cwd\":\"/\",\"capabilities\":{\"bounding\":[],\"effective\":[],\"permitted\":[]},"
	"\"noNewPrivileges\":true,\"oomScoreAdj\":-998},"
	"\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"hostname\":\"web-7d4b9c-xk2lp\","
	"\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
	"\"options\":[\"nosuid\",\"noexec\",\"nodev\"]}],"
	"\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\","
	"\"io.kubernetes.cri.podsandbox.image-name\":\"registry.k8s.io/pause:3.10\","
	"\"io.kubernetes.cri.sandbox-cpu-period\":\"100000\","
	"\"io.kubernetes.cri.sandbox-cpu-quota\":\"0\","
	"\"io.kubernetes.cri.sandbox-cpu-shares\":\"2\","
	"\"io.kubernetes.cri.sandbox-id\":\"" SB_ID "\","
	"\"io.kubernetes.cri.sandbox-log-directory\":\"/var/log/pods/shop_web-7d4b9c-xk2lp_" UID "\","
	"\"io.kubernetes.cri.sandbox-memory\":\"0\","
	"\"io.kubernetes.cri.sandbox-name\":\"web-7d4b9c-xk2lp\","
	"\"io.kubernetes.cri.sandbox-namespace\":\"shop\","
	"\"io.kubernetes.cri.sandbox-uid\":\"" UID "\"},"
	"\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
	"\"cpu\":{\"shares\":2}},"
	"\"cgroupsPath\":\"kubepods-besteffort-pod" UID_ ".slice:cri-containerd:" SB_ID "\","
	"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
	"{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"" CNI_NS "\"}],"
	"\"maskedPaths\":[\"/proc/kcore\"],\"readonlyPaths\":[\"/proc/sys\"]}}";

/* one of its containers: the pause process's namespaces, its own name */
static const char ctrd_app[] =
	"{\"ociVersion\":\"1.2.0\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},"
	"\"args\":[\"/app\",\"--port=8080\"],\"cwd\":\"/\"},"
	"\"root\":{\"path\":\"rootfs\"},"
	"\"annotations\":{\"io.kubernetes.cri.container-name\":\"app\","
	"\"io.kubernetes.cri.container-type\":\"container\","
	"\"io.kubernetes.cri.image-name\":\"ghcr.io/shop/app:1.4\","
	"\"io.kubernetes.cri.sandbox-id\":\"" SB_ID "\","
	"\"io.kubernetes.cri.sandbox-name\":\"web-7d4b9c-xk2lp\","
	"\"io.kubernetes.cri.sandbox-namespace\":\"shop\","
	"\"io.kubernetes.cri.sandbox-uid\":\"" UID "\"},"
	"\"linux\":{\"cgroupsPath\":\"kubepods-besteffort-pod" UID_ ".slice:cri-containerd:" CT_ID "\","
	"\"namespaces\":[{\"type\":\"pid\",\"path\":\"/proc/4242/ns/pid\"},"
	"{\"type\":\"ipc\",\"path\":\"/proc/4242/ns/ipc\"},"
	"{\"type\":\"uts\",\"path\":\"/proc/4242/ns/uts\"},{\"type\":\"mount\"},"
	"{\"type\":\"network\",\"path\":\"/proc/4242/ns/net\"},{\"type\":\"cgroup\"}]}}";

struct fix {
	char root[64];
	struct snap s;
};

/* root/rel with its directories, holding text */
static void put(const char *root, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fix *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->root, sizeof(fx->root), "/tmp/nslife-store-XXXXXX");
	if (!mkdtemp(fx->root) || !(fx->s.owners = owners_new())) {
		free(fx);
		return -1;
	}
	owners_set_root(fx->s.owners, fx->root);
	*state = fx;
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int teardown(void **state)
{
	struct fix *fx = *state;

	nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	owners_free(fx->s.owners);
	free(fx);
	return 0;
}

static const struct nsl_owner *cg(struct fix *fx, const char *text)
{
	return snap_owner_cgroup(&fx->s, text, strlen(text));
}

/* the docker files a container's directory holds beside config.v2.json */
static void docker_ctr(struct fix *fx, const char *id, const char *cfg)
{
	char rel[256];

	snprintf(rel, sizeof(rel), DOCKER "%s/config.v2.json", id);
	put(fx->root, rel, cfg);
	snprintf(rel, sizeof(rel), DOCKER "%s/hostconfig.json", id);
	put(fx->root, rel, "{\"NetworkMode\":\"bridge\"}\n");
	snprintf(rel, sizeof(rel), DOCKER "%s/hostname", id);
	put(fx->root, rel, "9d3b6f1c2a7e\n");
}

static void test_docker(void **state)
{
	struct fix *fx = *state;
	const struct nsl_owner *o;

	assert_int_equal(strlen(DK_ID), 64);
	docker_ctr(fx, DK_ID, docker_web);
	docker_ctr(fx, DK_POD, docker_shim);

	/* systemd cgroup driver */
	o = cg(fx, "0::/system.slice/docker-" DK_ID ".scope\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_DOCKER);
	assert_string_equal(owner_runtime_name(o->runtime), "docker");
	assert_string_equal(o->id, DK_ID);
	assert_string_equal(o->name, "web");
	assert_string_equal(o->pod_uid, "");
	/* cgroupfs driver, v1 hybrid */
	o = cg(fx, "12:pids:/docker/" DK_ID "\n0::/docker/" DK_ID "\n");
	assert_non_null(o);
	assert_string_equal(o->name, "web");

	/* its netns file, by SandboxKey (/var/run is /run) */
	o = snap_owner_path(&fx->s, "/run/docker/netns/a1b2c3d4e5f6");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_DOCKER);
	assert_string_equal(o->id, DK_ID);
	assert_string_equal(o->name, "web");
	assert_null(snap_owner_path(&fx->s, "/run/docker/netns/000000000000"));

	/* dockershim: the pod from kubelet's labels */
	o = cg(fx, "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	       DK_UID_ ".slice/docker-" DK_POD ".scope\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_DOCKER);
	assert_string_equal(o->id, DK_POD);
	assert_string_equal(o->name, "k8s_api_api-5f7c_prod_" DK_UID "_0");
	assert_string_equal(o->pod_uid, DK_UID);
	assert_string_equal(o->pod, "api-5f7c");
	assert_string_equal(o->pod_ns, "prod");

	/* gone or not, by the store */
	assert_int_equal(owners_ctr_gone(fx->s.owners, o), 0);
	{
		struct nsl_owner gone = { .runtime = NSL_RT_DOCKER, .id = "0123abcd" };

		assert_int_equal(owners_ctr_gone(fx->s.owners, &gone), 1);
	}
}

static void ctrd_bundle(struct fix *fx, const char *id, const char *spec)
{
	char rel[256];

	snprintf(rel, sizeof(rel), CTRD "%s/config.json", id);
	put(fx->root, rel, spec);
	snprintf(rel, sizeof(rel), CTRD "%s/init.pid", id);
	put(fx->root, rel, "4242");
	snprintf(rel, sizeof(rel), CTRD "%s/rootfs/.keep", id);
	put(fx->root, rel, "");
}

static void test_containerd(void **state)
{
	struct fix *fx = *state;
	const struct nsl_owner *o;

	ctrd_bundle(fx, SB_ID, ctrd_sandbox);
	ctrd_bundle(fx, CT_ID, ctrd_app);

	/* systemd cgroup driver: cri-containerd-ID.scope in the pod's slice */
	o = cg(fx, "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	       UID_ ".slice/cri-containerd-" CT_ID ".scope\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_CONTAINERD);
	assert_string_equal(owner_runtime_name(o->runtime), "containerd");
	assert_string_equal(o->id, CT_ID);
	assert_string_equal(o->name, "app");
	assert_string_equal(o->pod_uid, UID);
	assert_string_equal(o->pod, "web-7d4b9c-xk2lp");
	assert_string_equal(o->pod_ns, "shop");

	/* cgroupfs driver: the path does not say containerd, its state does */
	o = cg(fx, "0::/kubepods/besteffort/pod" UID "/" CT_ID "\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_CONTAINERD);
	assert_string_equal(o->name, "app");
	assert_string_equal(o->pod, "web-7d4b9c-xk2lp");

	/* the pause container: no container name, its pod's */
	o = cg(fx, "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	       UID_ ".slice/cri-containerd-" SB_ID ".scope\n");
	assert_non_null(o);
	assert_string_equal(o->id, SB_ID);
	assert_string_equal(o->name, "");
	assert_string_equal(o->pod, "web-7d4b9c-xk2lp");
	assert_string_equal(o->pod_ns, "shop");

	/* the sandbox's CNI netns file names the pod */
	o = snap_owner_path(&fx->s, "/run/netns/cni-5e9b1a2c-3d4f-4a6b-9c8d-7e6f5a4b3c2d");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_CONTAINERD);
	assert_string_equal(o->id, SB_ID);
	assert_string_equal(o->pod_uid, UID);
	assert_string_equal(o->pod, "web-7d4b9c-xk2lp");
	assert_string_equal(o->pod_ns, "shop");

	assert_int_equal(owners_ctr_gone(fx->s.owners, o), 0);
}

/* no runtime state at all: the cgroup's facts, no names */
static void test_absent(void **state)
{
	struct fix *fx = *state;
	const struct nsl_owner *o;

	o = cg(fx, "0::/system.slice/docker-" DK_ID ".scope\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_DOCKER);
	assert_string_equal(o->id, DK_ID);
	assert_string_equal(o->name, "");
	assert_int_equal(owners_ctr_gone(fx->s.owners, o), -1);
	o = cg(fx, "0::/kubepods/besteffort/pod" UID "/" CT_ID "\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_CRI);
	assert_string_equal(o->pod_uid, UID);
	assert_string_equal(o->pod, "");
	assert_null(snap_owner_path(&fx->s, "/run/netns/cni-x"));
}

/* broken and wrongly typed files: skipped or read as far as they go */
static void test_malformed(void **state)
{
	struct fix *fx = *state;
	const struct nsl_owner *o;
	char cut[sizeof(docker_web)];

	/* docker: cut short, not an object, fields of the wrong types */
	snprintf(cut, sizeof(cut), "%.*s", (int)(sizeof(docker_web) / 2), docker_web);
	put(fx->root, DOCKER DK_ID "/config.v2.json", cut);
	put(fx->root, DOCKER DK_POD "/config.v2.json",
	    "{\"Name\":7,\"Config\":{\"Labels\":\"x\"},\"NetworkSettings\":[1]}");
	put(fx->root, DOCKER "0a/config.v2.json", "[\"/web\"]");
	put(fx->root, DOCKER "0b/config.v2.json", "");
	put(fx->root, DOCKER "0c", "not a directory");
	/* containerd: namespaces and annotations of the wrong types */
	put(fx->root, CTRD SB_ID "/config.json",
	    "{\"annotations\":[\"io.kubernetes.cri.sandbox-name\"],"
	    "\"linux\":{\"namespaces\":{\"type\":\"network\",\"path\":\"/run/netns/x\"}}}");
	put(fx->root, CTRD CT_ID "/config.json",
	    "{\"annotations\":{\"io.kubernetes.cri.container-name\":null,"
	    "\"io.kubernetes.cri.sandbox-uid\":[]},"
	    "\"linux\":{\"namespaces\":[7,\"network\",{\"type\":1,\"path\":2},"
	    "{\"type\":\"network\",\"path\":{}}]}}");
	put(fx->root, CTRD "ff/config.json", "{\"linux\":");
	/* podman's list: an object where an array belongs */
	put(fx->root, PODMAN "containers.json", "{\"id\":\"" DK_ID "\",\"names\":\"web\"}");

	o = cg(fx, "0::/system.slice/docker-" DK_ID ".scope\n");
	assert_non_null(o);
	assert_string_equal(o->id, DK_ID);
	assert_string_equal(o->name, "");
	o = cg(fx, "0::/system.slice/docker-" DK_POD ".scope\n");
	assert_non_null(o);
	assert_string_equal(o->name, "");
	o = cg(fx, "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	       UID_ ".slice/cri-containerd-" CT_ID ".scope\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_CONTAINERD);
	assert_string_equal(o->name, "");
	assert_string_equal(o->pod, "");
	assert_null(snap_owner_path(&fx->s, "/run/netns/x"));
	o = cg(fx, "0::/machine.slice/libpod-" DK_ID ".scope\n");
	assert_non_null(o);
	assert_string_equal(o->name, "");

	/* podman's list, its names not an array */
	teardown(state);
	assert_int_equal(setup(state), 0);
	fx = *state;
	put(fx->root, PODMAN "containers.json",
	    "[{\"id\":\"" DK_ID "\",\"names\":\"web\"},7,{\"id\":3}]");
	o = cg(fx, "0::/machine.slice/libpod-" DK_ID ".scope\n");
	assert_non_null(o);
	assert_int_equal(o->runtime, NSL_RT_PODMAN);
	assert_string_equal(o->name, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_docker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_containerd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
