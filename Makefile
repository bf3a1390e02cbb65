# SPDX-License-Identifier: GPL-2.0
# nslife: bpf/ (hooks) -> ring buffer -> user/ (load, decode, map, output)
OUTPUT ?= .output
CLANG ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL ?= bpftool
CC ?= cc
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX := vmlinux/$(ARCH)/vmlinux.h

# the one place the version is set; a build from git appends the commit
# (tools/version.sh), a build without git uses it as it is
VERSION := 0.1.0

CFLAGS ?= -g -O2
CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	  -D_GNU_SOURCE -std=gnu11
# Warnings are errors in what `make test` builds (a target-specific WERROR,
# so its prerequisites get it too), under CI=true, with WERROR=1, and always
# in the ASan build, so no warning lands; a user's newer compiler still
# builds a plain `make`.  Expanded late, where each target is built.
WERROR ?= $(if $(filter true,$(CI)),1,0)
WERROR_FLAG = $(if $(filter 1,$(WERROR)),-Werror)
CFLAGS += $(WERROR_FLAG)
# -MMD -MP: each object depends on the headers it includes (.d files)
DEPFLAGS = -MMD -MP
# user/ is layered: core < scan < log < tracer, ipc < cmd.  Each folder
# includes only the ones below it (tools/check-layers.sh, run by make test).
USER_LAYERS := core scan log tracer ipc cmd
USER_INC := $(patsubst %,-Iuser/%,$(USER_LAYERS))
ALL_CFLAGS = $(CFLAGS) -I$(OUTPUT) -Ibpf $(USER_INC) $(EXTRA_CFLAGS)
LIBS := -lbpf -lelf -lz -lsmartcols -lmount -lmicrohttpd -lsystemd -lpthread -ljson-c
BPF_CFLAGS := -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) \
	      -I$(dir $(VMLINUX)) -Ibpf

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_HDRS := $(wildcard bpf/*.h)
SKEL := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))
USER_SRCS := $(wildcard $(patsubst %,user/%/*.c,$(USER_LAYERS)))
USER_HDRS := $(wildcard $(patsubst %,user/%/*.h,$(USER_LAYERS)))
USER_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(USER_SRCS))
LIB_OBJS := $(filter-out $(OUTPUT)/user/cmd/main.o,$(USER_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,$(OUTPUT)/bin/%,$(HELPER_SRCS))

ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
	MAKEFLAGS += --no-print-directory
endif

.PHONY: all clean run test test-unit test-integration test-vm deps vmlinux bench asan \
	install uninstall FORCE
all: nslife

nslife $(OUTPUT)/nslife: $(USER_OBJS) | $(OUTPUT)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

# the same binary built with ASan and UBSan; `make test` runs the
# integration tests against it too
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OUT := $(OUTPUT)/asan
asan: $(ASAN_OUT)/nslife
$(ASAN_OUT)/nslife: FORCE
	$(Q)$(MAKE) OUTPUT=$(ASAN_OUT) EXTRA_CFLAGS="$(SAN_FLAGS)" WERROR=1 $(ASAN_OUT)/nslife

# the same objects linked with -static, for the VM initramfs: Debian ships no
# libsmartcols.a or libmount.a, so tools/static-libs.sh builds them (cached)
# from Debian's util-linux source of the installed version.  ld's warnings
# that static getpw*/getgr* need glibc's NSS modules are dropped: "files",
# all the guest uses, is built into libc.a.
.PHONY: static
STATIC_OUT := $(OUTPUT)/static
static: $(STATIC_OUT)/nslife
# Debian has no static libsystemd, and libmicrohttpd.a needs GnuTLS's
# archives (some missing): user/ipc/static/stubs.c stands in for both.
STATIC_OBJS := $(filter-out $(OUTPUT)/user/ipc/httpd.o $(OUTPUT)/user/ipc/journal.o,$(USER_OBJS)) \
	       $(STATIC_OUT)/stubs.o
STATIC_LIBS := $(filter-out -lmicrohttpd -lsystemd,$(LIBS))
$(STATIC_OUT)/stubs.o: user/ipc/static/stubs.c $(USER_HDRS)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@
$(STATIC_OUT)/nslife: $(STATIC_OBJS) tools/static-libs.sh
	$(call msg,STATIC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)libs=$$(tools/static-libs.sh) && \
	if $(CC) $(ALL_CFLAGS) -static $(STATIC_OBJS) -L$$libs $(STATIC_LIBS) -lblkid -o $@ 2>$@.ld; \
	then sed '/: in function /{N;/in statically linked applications requires/d;}' $@.ld >&2; rm -f $@.ld; \
	else cat $@.ld >&2; rm -f $@.ld; exit 1; fi

$(OUTPUT) $(OUTPUT)/user $(OUTPUT)/tests $(OUTPUT)/bin:
	$(Q)mkdir -p $@

.PRECIOUS: $(OUTPUT)/%.bpf.o $(OUTPUT)/%.skel.h
$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(OUTPUT)/%.bpf.d | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(WERROR_FLAG) $(DEPFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o | $(OUTPUT)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

# The skeletons are generated: on a first build no .d file names them yet,
# so every object waits for them (order only); afterwards the .d files make
# loader.o and inspect.o, which include them, depend on them for real.
$(OUTPUT)/user/%.o: user/%.c $(OUTPUT)/user/%.d | $(OUTPUT)/user $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# version.h is rewritten only when the version changes, so only main.o,
# which includes it, is rebuilt then
$(OUTPUT)/version.h: FORCE | $(OUTPUT)
	$(Q)v=$$(tools/version.sh $(VERSION)) && \
	printf '#define NSLIFE_VERSION "%s"\n' "$$v" > $@.tmp && \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; \
	else mv $@.tmp $@; printf '  %-8s %s\n' VERSION "$$v"; fi
$(OUTPUT)/user/cmd/main.o: $(OUTPUT)/version.h

$(OUTPUT)/tests/%: tests/unit/%.c $(OUTPUT)/tests/%.d $(LIB_OBJS) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -MF $@.d -MT $@ $< $(LIB_OBJS) $(LIBS) -lcmocka -o $@

# the helpers pass fds with the tool's own module (user/core/fdpass.c)
$(OUTPUT)/bin/%: tests/helpers/%.c user/core/fdpass.c $(OUTPUT)/bin/%.d | $(OUTPUT)/bin
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -MF $@.d -MT $@ $< user/core/fdpass.c -lpthread -o $@

# A missing .d (a first build, or a build dir from before them) rebuilds its
# target, so no object is ever left without its header dependencies.
DEPS := $(USER_OBJS:.o=.d) $(UNIT_BINS:=.d) $(HELPER_BINS:=.d) \
	$(patsubst bpf/%.bpf.c,$(OUTPUT)/%.bpf.d,$(BPF_SRCS))
$(DEPS): ;
include $(wildcard $(DEPS))

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the man page, the
# systemd unit (its ExecStart pointed at SBINDIR), and the README and docs/
# the man page refers to
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/nslife
install: nslife
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(DOCDIR)/docs
	$(Q)install -m 0755 nslife $(DESTDIR)$(SBINDIR)/nslife
	$(Q)install -m 0644 docs/nslife.8 $(DESTDIR)$(MANDIR)/man8/nslife.8
	$(Q)install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	$(Q)install -m 0644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	$(Q)sed 's#/usr/local/sbin/nslife#$(SBINDIR)/nslife#g' tools/nslife.service \
		> $(DESTDIR)$(UNITDIR)/nslife.service.tmp
	$(Q)chmod 0644 $(DESTDIR)$(UNITDIR)/nslife.service.tmp
	$(Q)mv $(DESTDIR)$(UNITDIR)/nslife.service.tmp $(DESTDIR)$(UNITDIR)/nslife.service

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/nslife $(DESTDIR)$(MANDIR)/man8/nslife.8 \
		$(DESTDIR)$(UNITDIR)/nslife.service
	$(Q)rm -rf $(DESTDIR)$(DOCDIR)

# the main job: a live trace of every namespace's life
run: nslife
	./nslife trace

test test-unit test-integration: WERROR = 1
test: nslife $(UNIT_BINS) $(HELPER_BINS) asan
	$(Q)OUTPUT=$(OUTPUT) NSLIFE_ASAN=$(ASAN_OUT)/nslife tests/run.sh

test-unit: $(UNIT_BINS)
	$(Q)OUTPUT=$(OUTPUT) tests/run.sh unit

test-integration: nslife $(HELPER_BINS)
	$(Q)OUTPUT=$(OUTPUT) tests/run.sh integration

# the kernel matrix (issue 5): the checks that prove CO-RE and both attach
# strategies, on Debian's 6.1 and 6.12 kernels under qemu
# t_trace_mntns_fd: the 7.x mount namespaces made by open_tree,
# open_tree_attr, fsmount and unshare(UNSHARE_EMPTY_MNTNS) (skips before 7.0)
VM_TESTS := t_trace_types t_trace_peek t_trace_mounts t_trace_setns t_trace_churn t_trace_poll_slice \
	    t_trace_linger t_why_s01_slave_helper t_why_fd t_why_thread \
	    t_why_proc_mount t_why_socket t_why_file_cred \
	    t_ls_kernel_held t_why_file_procnet \
	    t_why_file_mountinfo t_why_file_tun t_why_file_pidfd \
	    t_why_file_procdir t_why_file_uring t_why_file_fsopen \
	    t_why_file_perf t_why_file_inflight t_trace_mntns_fd \
	    t_trace_syscall_hooks t_trace_no_syscalls t_daemon_no_syscalls t_ls_pinned t_ls_mount_counts \
	    t_why_mntns_listmount t_ls_iter t_why_zombie t_ls_lsns t_ls_enum_chunk
test-vm: nslife $(STATIC_OUT)/nslife $(HELPER_BINS)
	$(Q)NSLIFE_VM_CMD="tests/run.sh integration $(VM_TESTS)" tools/vm/run.sh

bench: nslife $(HELPER_BINS)
	$(Q)tools/bench-trace.sh

# install what the build and tests need (Debian 12); tools/make.sh does the
# same before make itself exists
deps:
	$(Q)tools/deps.sh

vmlinux:
	$(Q)tools/gen-vmlinux.sh

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT) nslife

# no blanket .SECONDARY: it would make the .d files intermediate, and a
# missing one would then not rebuild its object
.DELETE_ON_ERROR:

# ---- fuzzing ---------------------------------------------------------------
# Each tests/fuzz/fuzz_NAME.c is a libFuzzer target, built by clang with ASan
# and UBSan from the pure user/ sources in NAME_SRCS (never libbpf).  An
# optional tests/fuzz/seed_NAME.c writes seeds; tests/fuzz/corpus/NAME/ may
# hold committed ones.  `make fuzz` runs each target for FUZZ_SECONDS;
# `make test-fuzz-short` for 10 s, for the test flow.  FUZZ=NAME picks one.
FUZZ_SECONDS ?= 20
FUZZ_CC ?= clang
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=undefined -D_GNU_SOURCE -std=gnu11 \
	       -Ibpf $(USER_INC) -Itests/unit
FUZZ_ALL := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ ?= $(FUZZ_ALL)
FUZZ_BINS := $(patsubst %,$(OUTPUT)/fuzz/fuzz_%,$(FUZZ))
FUZZ_SEEDS := $(patsubst tests/fuzz/seed_%.c,$(OUTPUT)/fuzz/seed_%,\
		$(wildcard $(patsubst %,tests/fuzz/seed_%.c,$(FUZZ))))

logread_SRCS := user/log/logfmt.c user/log/logreader.c user/log/logwriter.c user/log/logread.c
logread_LIBS := -lz
request_SRCS := user/ipc/request.c
nsspec_SRCS := $(addprefix user/scan/,nsspec.c netlink.c snap.c scan.c scan_proc.c \
	       scan_mount.c scan_fcred.c scan_enum.c sockdiag.c mountinfo.c mtab.c \
	       mount_ahead.c mount_setns.c mount_list.c owners.c) user/core/nstype.c user/core/hash.c user/core/vec.c \
	       user/core/fdpass.c user/core/owner.c user/core/json.c user/core/parse.c
nsspec_LIBS := -lmount -ljson-c
snapio_SRCS := user/scan/snapio.c

.PHONY: fuzz fuzz-build test-fuzz-short
fuzz-build: $(FUZZ_BINS) $(FUZZ_SEEDS)

fuzz: fuzz-build
	$(Q)OUTPUT=$(OUTPUT) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ)

test-fuzz-short: fuzz-build
	$(Q)OUTPUT=$(OUTPUT) tests/fuzz/run.sh 10 $(FUZZ)

.SECONDEXPANSION:
$(OUTPUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$($$*_SRCS) $(USER_HDRS) $(BPF_HDRS)
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $($*_SRCS) $($*_LIBS) -o $@

$(OUTPUT)/fuzz/seed_%: tests/fuzz/seed_%.c $$($$*_SRCS) $(USER_HDRS) $(BPF_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit $< $($*_SRCS) $($*_LIBS) -o $@
