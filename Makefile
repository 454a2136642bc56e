# anycastd — plain GNU make.  See README.md and docs/architecture.md.
#
#   make            build (optimised) into build/
#   make unit       fast tests: unit tests under ASan+UBSan (< 1 minute)
#   make check      everything: deps, unit, vectors, tshark oracle, fuzz replay, bench smoke,
#                   daemon, config, probes, control socket, services, lab, interop
#   make demo       deps, build, then the lab demo (lab/lab demo, as root)
#   make fuzz       libFuzzer harnesses (clang) into build/fuzz/
#   make install    PREFIX=/usr/local DESTDIR=
#
# CC, CFLAGS, LDFLAGS, PREFIX and DESTDIR are taken from the caller.

CC ?= cc
CLANG ?= clang
PREFIX ?= /usr/local
DESTDIR ?=
CFLAGS ?= -O2 -g
LDFLAGS ?=
FUZZ_SECONDS ?= 600
V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

BUILD := build
STD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wformat=2 -Wpointer-arith
INC := -Isrc
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ALL_CFLAGS = $(STD) $(WARN) $(INC) $(CFLAGS)
# Tests and sanitizer builds always treat warnings as errors.
CHECK_CFLAGS = $(STD) $(WARN) -Werror $(INC) -O1 -g $(SAN)

LIB_SRC := $(wildcard src/lib/*.c)
BGP_SRC := $(wildcard src/bgp/*.c)
CONF_SRC := $(wildcard src/conf/*.c)
RIB_SRC := $(wildcard src/rib/*.c)
# The control protocol codec and the metrics text writer (pure).
CTL_SRC := $(wildcard src/ctl/*.c) $(wildcard src/metrics/*.c)
# Pure parts of health/ (state machines, reply checkers); the probes do I/O.
PROBE_SRC := $(filter-out src/health/probe_check.c,$(wildcard src/health/probe*.c))
HEALTH_SRC := $(filter-out $(PROBE_SRC),$(wildcard src/health/*.c)) $(wildcard src/service/*.c)
CORE_SRC := $(LIB_SRC) $(BGP_SRC) $(CONF_SRC) $(RIB_SRC) $(HEALTH_SRC) $(CTL_SRC)
# Libraries the pure modules need (libyaml for conf/, jansson for ctl/).
CORE_LIBS := -lyaml -ljansson -lm

DAEMON_SRC := $(wildcard src/daemon/*.c) $(wildcard src/sys/*.c) $(PROBE_SRC)
DAEMON_LIBS := -levent -lmnl -lldns -lcurl -lcap -lsystemd
TOOLS := bgpdecode
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst fuzz/%.c,$(BUILD)/asan/replay/%,$(FUZZ_SRC))

.PHONY: all unit check fuzz fuzz-run install deps clean bench bench-codec \
	check-vectors check-tshark check-fuzz-replay check-bench-smoke check-daemon check-conf \
	check-interop check-service check-ctl bench-announce bench-receive \
	check-probes check-lab demo

all: $(BUILD)/anycastd $(BUILD)/anycastctl $(addprefix $(BUILD)/,$(TOOLS)) $(BUILD)/bench/codec

# ---- optimised build ----
$(BUILD)/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

CORE_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(CORE_SRC))
DAEMON_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(DAEMON_SRC))

$(BUILD)/anycastd: $(DAEMON_OBJ) $(CORE_OBJ)
	@echo "  LD $@"
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS) $(DAEMON_LIBS)

$(BUILD)/anycastctl: $(BUILD)/obj/cli/anycastctl.o $(CORE_OBJ)
	@echo "  LD $@"
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/bgpdecode: tools/bgpdecode.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/bench/codec: bench/codec.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

# ---- sanitizer build for tests ----
$(BUILD)/asan/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) -c $< -o $@

ASAN_OBJ := $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(CORE_SRC))
ASAN_DAEMON_OBJ := $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(DAEMON_SRC))

$(BUILD)/asan/anycastd: $(ASAN_DAEMON_OBJ) $(ASAN_OBJ)
	@echo "  LD $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS) $(DAEMON_LIBS)

$(BUILD)/asan/anycastctl: $(BUILD)/asan/obj/cli/anycastctl.o $(ASAN_OBJ)
	@echo "  LD $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/asan/tests/%: tests/unit/%.c tests/unit/testutil.c tests/unit/testutil.h $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) -Itests/unit $< tests/unit/testutil.c $(ASAN_OBJ) -o $@ $(LDFLAGS) $(CORE_LIBS) -lcmocka

$(BUILD)/asan/bgpdecode: tools/bgpdecode.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/asan/bgpemit: tools/bgpemit.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

# Fuzz harnesses double as plain programs that replay a corpus (Knot style).
$(BUILD)/asan/replay/%: fuzz/%.c fuzz/replay.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $< fuzz/replay.c $(ASAN_OBJ) -o $@ $(LDFLAGS) $(CORE_LIBS)

$(BUILD)/asan/bench/codec: bench/codec.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS)

# ---- libFuzzer ----
FUZZ_CFLAGS = $(STD) $(WARN) -Werror $(INC) -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
$(BUILD)/fuzz/%: fuzz/%.c $(CORE_SRC) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CLANG $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $< $(CORE_SRC) -o $@ $(CORE_LIBS)

fuzz: $(FUZZ_BIN)

# Runs every harness for FUZZ_SECONDS on its corpus (fuzz/corpus/NAME),
# seeded from the test vectors; new inputs are kept in the corpus.
fuzz-run: fuzz
	tools/fuzz-run $(FUZZ_SECONDS) $(FUZZ_BIN)

# ---- tests ----
deps:
	@tools/install-deps

unit: $(UNIT_BIN)
	@prove -f $(UNIT_BIN)

check-vectors: $(BUILD)/asan/bgpdecode
	@tests/vectors/check $(BUILD)/asan/bgpdecode
	@tests/corpus/check $(BUILD)/asan/bgpdecode

check-tshark: $(BUILD)/asan/bgpdecode $(BUILD)/asan/bgpemit
	@tests/tshark/oracle $(BUILD)/asan/bgpdecode $(BUILD)/asan/bgpemit

check-fuzz-replay: $(REPLAY_BIN)
	@tools/fuzz-replay $(REPLAY_BIN)

check-daemon: $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl $(BUILD)/asan/tests/addr_watch_test
	@tests/daemon/cli $(BUILD)/asan/anycastd
	@tests/daemon/addr-watch $(BUILD)/asan/tests/addr_watch_test
	@tests/daemon/reload-guard $(BUILD)/asan/anycastd
	@tests/daemon/tcp-ao $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl || [ $$? -eq 77 ]
	@tests/daemon/privileges $(BUILD)/asan/anycastd || [ $$? -eq 77 ]
	@tests/daemon/sdnotify $(BUILD)/asan/anycastd || [ $$? -eq 77 ]
	@tests/daemon/install | tail -n 1

$(BUILD)/asan/tests/addr_watch_test: tests/daemon/addr_watch_test.c $(BUILD)/asan/obj/sys/addr_watch.o $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) $^ -o $@ $(LDFLAGS) $(CORE_LIBS) $(DAEMON_LIBS)

# Probes against real servers and children (tests/health): NSD, a Python
# HTTP(S) server, TCP listeners, exec and process checks; as root inside
# network and PID namespaces of the test's own.
PROBE_TEST_SRC := $(wildcard tests/health/*.c)
ASAN_PROBE_OBJ := $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(PROBE_SRC) src/sys/sock.c src/sys/priv.c)
$(BUILD)/asan/tests/probe_test: $(PROBE_TEST_SRC) tests/health/probe_test.h $(ASAN_PROBE_OBJ) $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	$(Q)$(CC) $(CHECK_CFLAGS) -Itests/health $(PROBE_TEST_SRC) $(ASAN_PROBE_OBJ) $(ASAN_OBJ) -o $@ \
		$(LDFLAGS) $(CORE_LIBS) -levent -lldns -lcurl -lcap -lcmocka

check-probes: $(BUILD)/asan/tests/probe_test
	@$(BUILD)/asan/tests/probe_test

check-conf: $(BUILD)/asan/anycastd
	@tests/conf/check $(BUILD)/asan/anycastd

check-bench-smoke: $(BUILD)/asan/bench/codec $(BUILD)/asan/anycastd
	@$(BUILD)/asan/bench/codec --smoke >/dev/null && echo "bench/codec smoke: ok"
	@bench/announce --smoke --n 20000 --anycastd $(BUILD)/asan/anycastd >$(BUILD)/bench-announce-smoke.log 2>&1; rc=$$?; \
	case $$rc in \
	0) echo "bench/announce smoke: ok" ;; \
	77) echo "bench/announce smoke: skipped (needs root)" ;; \
	*) cat $(BUILD)/bench-announce-smoke.log; exit 1 ;; \
	esac

check: deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory check-vectors
	@$(MAKE) --no-print-directory check-tshark
	@$(MAKE) --no-print-directory check-fuzz-replay
	@$(MAKE) --no-print-directory check-bench-smoke
	@$(MAKE) --no-print-directory check-daemon
	@$(MAKE) --no-print-directory check-conf
	@$(MAKE) --no-print-directory check-probes
	@$(MAKE) --no-print-directory check-ctl
	@$(MAKE) --no-print-directory check-service
	@$(MAKE) --no-print-directory check-lab
	@$(MAKE) --no-print-directory check-interop
	@echo "make check: all passed"

bench: bench-codec bench-announce bench-receive
bench-codec: $(BUILD)/bench/codec
	@bench/run-codec $(BUILD)/bench/codec
bench-announce: $(BUILD)/anycastd
	@bench/announce --anycastd $(BUILD)/anycastd

bench-receive: $(BUILD)/anycastd
	@bench/receive --anycastd $(BUILD)/anycastd

check-ctl: $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl
	@tests/ctl/run $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl || [ $$? -eq 77 ]

check-service: $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl
	@tests/service/run $(BUILD)/asan/anycastd || [ $$? -eq 77 ]
	@tests/service/fail-static $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl || [ $$? -eq 77 ]

check-interop: $(BUILD)/asan/anycastd
	@tests/interop/run $(BUILD)/asan/anycastd

# The lab end to end (tests/lab/): the probe against real NSD, then the lab
# with BIRD routers (nearest site, failover, drain, agent death, damping).
check-lab: $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl
	@tests/lab/probe-test || [ $$? -eq 77 ]
	@tests/lab/run $(BUILD)/asan/anycastd $(BUILD)/asan/anycastctl || [ $$? -eq 77 ]

# The main job: the lab, narrated (about two minutes; needs root).
demo: deps all
	@lab/lab demo

# Binaries, man pages, the example configuration (never over an existing
# one), and the systemd unit with its sysusers/tmpfiles entries.
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(PREFIX)/share/doc/anycastd \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d
	install -m 0755 $(BUILD)/anycastd $(DESTDIR)$(PREFIX)/sbin/anycastd
	install -m 0755 $(BUILD)/anycastctl $(DESTDIR)$(PREFIX)/bin/anycastctl
	install -m 0755 $(BUILD)/bgpdecode $(DESTDIR)$(PREFIX)/bin/anycastd-bgpdecode
	install -m 0644 man/anycastd.8 man/anycastctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 man/anycastd.yaml.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 etc/anycastd.yaml $(DESTDIR)$(PREFIX)/share/doc/anycastd/anycastd.yaml.example
	[ -e $(DESTDIR)$(SYSCONFDIR)/anycastd.yaml ] || \
		install -m 0640 etc/anycastd.yaml $(DESTDIR)$(SYSCONFDIR)/anycastd.yaml
	sed 's|/usr/sbin/anycastd|$(PREFIX)/sbin/anycastd|g; s|/etc/anycastd.yaml|$(SYSCONFDIR)/anycastd.yaml|g' \
		contrib/systemd/anycastd.service >$(DESTDIR)$(UNITDIR)/anycastd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/anycastd.service
	install -m 0644 contrib/systemd/anycastd.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/anycastd.conf
	install -m 0644 contrib/systemd/anycastd.tmpfiles $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/anycastd.conf

clean:
	rm -rf $(BUILD)
