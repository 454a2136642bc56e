# tests/interop/lib.sh — shared by tests/interop/test-<router>.  Sourced, not run.
#
# A test file defines the router-specific functions below, then calls
# `interop_main "$@"`.  Everything else — topology, anycastd's config, the
# scenarios and their checks — lives here so that every router is tested the
# same way.
#
#   router_check_installed  skip_test (with the reason) unless the router is there
#   router_start            start the router in $NS_B from $R_AS, $R_PASSWORD
#                           (set ROUTER_PID; output to $ROUTER_LOG)
#   router_state ADDR       print the router's state of the session with ADDR
#                           ("Established" when up, anything else otherwise)
#   router_routes           print the routes received from anycastd, one line
#                           each:  PEER PREFIX nh=NH aspath=[..] origin=O med=M
#                           comms=[..] large=[..] lp=L  (nh: the next hop(s)
#                           exactly as the router holds them; the rest: see
#                           "expectations" below)
#   router_session_mark ADDR  print a token that changes whenever the session
#                           with ADDR is re-established (uptime start, counter)
#   router_cease_seen ADDR  print what the router recorded about the last
#                           NOTIFICATION it received from ADDR, normalised to
#                           "code=6 subcode=2 text=...".  A router that cannot
#                           show the text prints "text=" and its test sets
#                           ROUTER_CANNOT_SHOW_TEXT=1, saying why.
#   router_refresh ADDR     ask anycastd for a ROUTE-REFRESH (RFC 2918) of
#                           both families on the session with ADDR
#   router_updates_received ADDR  print how many UPDATEs the router has
#                           received on that session (any counter that grows)
#   router_debug            print the router's view for a failure report
#
# Environment: INTEROP_SCENARIOS (default "ebgp ibgp md5_good md5_bad"),
# INTEROP_NO_DRAIN=1 skips the drain checks (maintenance file, SIGTERM),
# INTEROP_KEEP=1 keeps $T (configs, logs, link.pcapng) even on success.
#
# Network safety: only namespaces this file creates (unique names, removed on
# exit), documentation prefixes, processes tracked and killed by PID.

set -uo pipefail
export LC_ALL=C # one sort order for expected and observed routes
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin # bird, bgpd, exabgp live there

ROUTER=${ROUTER:?test must set ROUTER}
# shellcheck disable=SC2034 # used by the tests (exabgp-rib)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- addresses (RFC 5737 / RFC 3849 documentation space only) -------------
A4=198.51.100.2          # anycastd's side of the link
B4=198.51.100.1          # the router's side
A6=2001:db8:ffff::2
B6=2001:db8:ffff::1
ACD_AS=64600
EBGP_AS=64501
PASSWORD_GOOD="interop-md5-key"
PASSWORD_BAD="not-the-right-key"
# Services announced by anycastd.  The reload steps drop web's IPv4 prefix,
# then the whole "web" service.
DNS_PREFIXES="203.0.113.53/32 2001:db8:53::53/128"
WEB_PREFIXES_FULL="192.0.2.0/24 2001:db8:80::/48"
WEB_PREFIXES_RELOAD="2001:db8:80::/48"

NS_A=acd-io-$$-a         # anycastd
NS_B=acd-io-$$-b         # the router
T=$(mktemp -d "${TMPDIR:-/tmp}/acd-interop-$ROUTER.XXXXXX")
chmod 755 "$T"           # routers that drop privileges read their config here
MAINT_FILE=$T/dns.maintenance # while it exists, anycastd drains the service dns

PIDS=()                  # every process we started (a process group each)
NETNS=()                 # the namespaces we created
FAILS=0
CHECKS=0
ACD_PID=
ROUTER_PID=
ACD_LOG=
SECONDS=0

# ---- reporting ------------------------------------------------------------
say() { printf '%s: %s\n' "$ROUTER" "$*"; }
ok() { CHECKS=$((CHECKS + 1)); printf 'ok %d - %s: %s\n' "$CHECKS" "$ROUTER" "$*"; }
not_ok() {
	CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1))
	printf 'not ok %d - %s: %s\n' "$CHECKS" "$ROUTER" "$*"
}
# Indented detail after a failed check.
detail() { sed 's/^/#   /'; }

skip_test() { # reason: whole test skipped (the runner prints it)
	printf 'SKIP %s: %s\n' "$ROUTER" "$*"
	exit 77
}

need() { # command... : skip the test if any is missing
	local c
	for c; do
		command -v "$c" >/dev/null 2>&1 || skip_test "'$c' not installed"
	done
}

# ---- processes and namespaces ---------------------------------------------
# spawn NS LOG CMD... : run CMD in namespace NS in its own process group,
# output to LOG; sets SPAWNED to its PID.  A small disowned subshell waits for
# it and keeps its exit status in $T/pid.<PID>.rc (and keeps bash from
# printing job notices when we kill it).
spawn() {
	local ns=$1 log=$2 tag=$T/spawn.$RANDOM.$SECONDS i
	shift 2
	(
		ip netns exec "$ns" setsid "$@" >>"$log" 2>&1 </dev/null &
		pid=$!
		echo "$pid" >"$tag"
		wait "$pid"
		echo $? >"$T/pid.$pid.rc"
	) 2>/dev/null &
	disown $!
	for ((i = 0; i < 50; i++)); do
		[ -s "$tag" ] && break
		sleep 0.02
	done
	SPAWNED=$(cat "$tag")
	rm -f "$tag"
	PIDS+=("$SPAWNED")
}

alive() { [ -n "${1:-}" ] && [ ! -e "$T/pid.$1.rc" ] && kill -0 "$1" 2>/dev/null; }

# stop_pid PID [SIGNAL] [SECONDS]: signal the process (KILL: its whole group;
# none: no signal, it was sent already), wait (bounded) for it to exit, then
# kill what is left of its process group.
# Returns its exit status if it exited by itself (128+N: signal N), 255 if it
# had to be killed.
stop_pid() {
	local pid=$1 sig=${2:-TERM} limit=${3:-5} i rc=255
	[ -n "$pid" ] || return 0
	if [ "$sig" = KILL ]; then
		kill -KILL -- -"$pid" 2>/dev/null # a crash: no part of it gets to clean up
	elif [ "$sig" = none ]; then
		: # signalled already: only wait
	else
		kill -"$sig" "$pid" 2>/dev/null
	fi
	for ((i = 0; i < limit * 10; i++)); do
		[ -e "$T/pid.$pid.rc" ] && break
		sleep 0.1
	done
	[ -e "$T/pid.$pid.rc" ] && rc=$(cat "$T/pid.$pid.rc")
	kill -KILL -- -"$pid" 2>/dev/null # the rest of its group (privsep children)
	kill -KILL "$pid" 2>/dev/null
	for ((i = 0; i < 20; i++)); do
		[ -e "$T/pid.$pid.rc" ] && break
		sleep 0.1
	done
	return "$rc"
}

cleanup() {
	local rc=$? pid ns i
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do
		kill -KILL -- -"$pid" 2>/dev/null
		kill -KILL "$pid" 2>/dev/null
	done
	# Anything still inside our namespaces (found by namespace, not by name).
	for ns in "${NETNS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	# Let the waiting subshells record the exits before $T goes (bounded).
	for pid in "${PIDS[@]}"; do
		for ((i = 0; i < 20; i++)); do
			[ -e "$T/pid.$pid.rc" ] && break
			sleep 0.05
		done
	done
	if [ "$FAILS" -eq 0 ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; } && [ -z "${INTEROP_KEEP:-}" ]; then
		rm -rf "$T"
	else
		say "logs and configs kept in $T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

topo_up() {
	local ns
	for ns in "$NS_A" "$NS_B"; do
		ip netns add "$ns" || { not_ok "create namespace $ns"; exit 1; }
		NETNS+=("$ns")
	done
	ip -n "$NS_A" link set lo up
	ip -n "$NS_B" link set lo up
	ip -n "$NS_A" link add eth0 type veth peer name eth0 netns "$NS_B"
	ip -n "$NS_A" addr add "$A4/24" dev eth0
	ip -n "$NS_B" addr add "$B4/24" dev eth0
	ip -n "$NS_A" addr add "$A6/64" dev eth0 nodad
	ip -n "$NS_B" addr add "$B6/64" dev eth0 nodad
	ip -n "$NS_A" link set eth0 up
	ip -n "$NS_B" link set eth0 up
	# Link-local addresses go through DAD; wait (bounded) until both are usable.
	local i
	for ((i = 0; i < 50; i++)); do
		ip -n "$NS_A" -6 addr show dev eth0 scope link | grep -q tentative ||
			ip -n "$NS_B" -6 addr show dev eth0 scope link | grep -q tentative || break
		sleep 0.1
	done
	# Keep a capture of the link for failure reports (tshark -r ... -Y bgp).
	if command -v dumpcap >/dev/null 2>&1 && [ -z "${INTEROP_NO_PCAP:-}" ]; then
		spawn "$NS_A" "$T/dumpcap.log" dumpcap -q -i eth0 -f "tcp port 179" -w "$T/link.pcapng"
		wait_for 5 test -e "$T/link.pcapng"
	fi
}

# wait_for SECONDS CMD... : poll CMD every 0.2 s until it succeeds or time runs out.
wait_for() {
	local limit=$1 end
	shift
	end=$((SECONDS + limit))
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# ---- anycastd -------------------------------------------------------------
# The attributes of each service in each state (docs/configuration.md,
# "attributes"), and what every router must show for them (expected_route_extras).
#   dns  up:       MED 10, communities 64600:100 and no-export, large 64600:1:2;
#                  iBGP: LOCAL_PREF 100 (the default: nothing configured)
#        draining: community 64600:666 (+ 65535:0, always added); iBGP: LOCAL_PREF 0
#        drained by its maintenance file, drain-time 3s
#   web  up:       prepend 2 (eBGP AS path 64600 64600 64600), community
#                  64600:200, local-pref 200 (sent on iBGP only), no MED
DNS_DRAIN_TIME=3
acd_config() { # FILE PEERS PASSWORD WEB_PREFIXES
	local file=$1 peers=$2 password=$3 web=$4 f
	{
		echo "# written by tests/interop/lib.sh for test-$ROUTER"
		echo "router-id: $A4"
		echo "local-as: $ACD_AS"
		echo "control-socket: $T/anycastd.sock"
		echo "peers:"
		for f in $peers; do
			if [ "$f" = 4 ]; then
				echo "  - name: $ROUTER-v4"
				echo "    address: $B4"
				echo "    local-address: $A4"
				echo "    next-hop: {ipv6: \"$A6\"}"
			else
				echo "  - name: $ROUTER-v6"
				echo "    address: \"$B6\""
				echo "    local-address: \"$A6\""
				echo "    next-hop: {ipv4: $A4}"
			fi
			echo "    remote-as: $R_AS"
			echo "    hold-time: 9s"
			[ -n "$password" ] && echo "    password: \"$password\""
		done
		echo "services:"
		echo "  - name: dns"
		printf '    prefixes: [%s]\n' "$(quote_list $DNS_PREFIXES)"
		echo "    drain-time: ${DNS_DRAIN_TIME}s"
		echo "    maintenance-file: $MAINT_FILE"
		echo "    attributes:"
		echo "      up: {med: 10, communities: [\"64600:100\", no-export], large-communities: [\"64600:1:2\"]}"
		echo "      draining: {communities: [\"64600:666\"]}"
		if [ -n "$web" ]; then
			echo "  - name: web"
			printf '    prefixes: [%s]\n' "$(quote_list $web)"
			# SIGTERM drains for the longest drain-time (dns: 3s); web goes at once.
			echo "    drain-time: 0s"
			echo "    attributes:"
			echo "      up: {prepend: 2, communities: [\"64600:200\"], local-pref: 200}"
		fi
	} >"$file"
}

quote_list() { local out='' p; for p; do out="$out${out:+, }\"$p\""; done; echo "$out"; }

acd_start() { # config file
	ACD_LOG=$T/anycastd.$RUN.log
	spawn "$NS_A" "$ACD_LOG" "$ANYCASTD" -c "$1"
	ACD_PID=$SPAWNED
}

# ---- the router -----------------------------------------------------------
router_restart_hard() { # kill -9 by PID, then start again
	stop_pid "$ROUTER_PID" KILL 5
	router_start
}

# ---- expectations ---------------------------------------------------------
# What router_routes prints, one line per route, sorted:
#   PEER PREFIX nh=NH aspath=[A B ..] origin=O med=M comms=[..] large=[..] lp=L
# med and lp are numbers or "none" (attribute absent); comms and large list
# the (large) communities as ASN:VALUE / GLOBAL:LOCAL1:LOCAL2, in any order and
# with well-known communities by any of the usual names (norm_routes sorts
# them numerically and writes them as numbers).  A router that cannot tell
# an absent attribute from its default (OpenBGPD: MED 0; BIRD, FRR, OpenBGPD:
# LOCAL_PREF on eBGP, where they ignore what they receive) says "none" where
# the absence is what the test expects, and its test file says so.
DNS_STATE=up # the service dns as the router should see it: up or draining

in_list() { local x=$1 y; shift; for y; do [ "$x" = "$y" ] && return 0; done; return 1; }

# expected_routes PEERS PREFIXES... : the lines router_routes must print.
expected_routes() {
	local peers=$1 f peer p nh
	shift
	for f in $peers; do
		if [ "$f" = 4 ]; then peer=$A4; else peer=$A6; fi
		for p; do
			case $p in *:*) nh=$A6 ;; *) nh=$A4 ;; esac
			echo "$peer $p nh=$nh aspath=[$(expected_aspath "$p")] origin=IGP$(expected_route_extras "$p")"
		done
	done | sort
}

# eBGP: our AS, twice more for web (prepend: 2).  iBGP: empty (prepend is
# for eBGP only: an iBGP router drops a path with its own AS in it).
expected_aspath() {
	if [ "$R_AS" = "$ACD_AS" ]; then
		echo ""
	elif in_list "$1" $WEB_PREFIXES_FULL; then
		echo "$ACD_AS $ACD_AS $ACD_AS"
	else
		echo "$ACD_AS"
	fi
}

# The attributes the service of prefix $1 implies in its current state (see
# acd_config).  LOCAL_PREF: on iBGP always (100 unless configured, 0 while
# draining unless configured), never on eBGP.
expected_route_extras() {
	local ibgp='' med=none comms large='' lp=none
	[ "$R_AS" = "$ACD_AS" ] && ibgp=1
	if in_list "$1" $WEB_PREFIXES_FULL; then
		comms="64600:200"
		[ -n "$ibgp" ] && lp=200
	elif [ "$DNS_STATE" = draining ]; then
		comms="64600:666 65535:0" # GRACEFUL_SHUTDOWN (RFC 8326) added by anycastd
		# On eBGP a router that acts on GRACEFUL_SHUTDOWN itself (RFC 8326
		# section 4.2: FRR) lowers its LOCAL_PREF to 0: its test sets
		# ROUTER_EBGP_GSHUT_LP=0.
		if [ -n "$ibgp" ]; then lp=0; else lp=${ROUTER_EBGP_GSHUT_LP:-none}; fi
	else
		med=10 comms="64600:100 65535:65281" large="64600:1:2"
		[ -n "$ibgp" ] && lp=100
	fi
	echo " med=$med comms=[$comms] large=[$large] lp=$lp"
}

# Sorts the items of comms=[..] and large=[..] numerically and writes the
# well-known communities as numbers (RFC 1997, 7999, 8326, 3765, 8642 names,
# as BIRD, FRR, OpenBGPD and our config spell them); then sorts the lines.
norm_routes() {
	awk '
	function wk(x,  y) {
		y = tolower(x); gsub(/[-_]/, "", y)
		if (y == "noexport") return "65535:65281"
		if (y == "noadvertise") return "65535:65282"
		if (y == "noexportsubconfed" || y == "localas") return "65535:65283"
		if (y == "nopeer") return "65535:65284"
		if (y == "gracefulshutdown" || y == "gshut") return "65535:0"
		if (y == "blackhole") return "65535:666"
		return x
	}
	function key(x,  a, n, i, k) {
		n = split(x, a, ":"); k = ""
		for (i = 1; i <= n; i++) k = k sprintf("%012.0f", a[i])
		return k
	}
	function sortlist(s,  a, n, i, j, t, out) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) a[i] = wk(a[i])
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && key(a[j]) > key(t); j--) a[j + 1] = a[j]
			a[j + 1] = t
		}
		out = ""
		for (i = 1; i <= n; i++) out = out (i > 1 ? " " : "") a[i]
		return out
	}
	{
		line = $0; out = ""
		while (match(line, /(comms|large)=\[[^]]*\]/)) {
			f = substr(line, RSTART, RLENGTH); eq = index(f, "=")
			out = out substr(line, 1, RSTART - 1) substr(f, 1, eq) "[" sortlist(substr(f, eq + 2, length(f) - eq - 2)) "]"
			line = substr(line, RSTART + RLENGTH)
		}
		print out line
	}' | sort
}

routes_now() { router_routes 2>"$T/routes.err" | norm_routes >"$T/routes.now"; }

routes_match() { # expected file
	routes_now
	cmp -s "$1" "$T/routes.now"
}

# check_routes WHAT PEERS SECONDS PREFIXES...
check_routes() {
	local what=$1 peers=$2 limit=$3
	shift 3
	expected_routes "$peers" "$@" >"$T/routes.want"
	if wait_for "$limit" routes_match "$T/routes.want"; then
		ok "$what ($(wc -l <"$T/routes.want") routes)"
	else
		not_ok "$what (within ${limit}s)"
		{
			echo "diff expected vs. router:"
			diff "$T/routes.want" "$T/routes.now"
			cat "$T/routes.err"
			router_view
		} | detail
	fi
}

families() { local out='' f; for f; do out="$out${out:+, }IPv$f"; done; echo "$out"; }

our_addr() { if [ "$1" = 4 ]; then echo "$A4"; else echo "$A6"; fi; }

updates_beyond() { local n; n=$(router_updates_received "$1" 2>/dev/null) && [ "${n:-0}" -gt "$2" ]; }

established() { [ "$(router_state "$1" 2>/dev/null)" = Established ]; }

check_established() { # PEERS SECONDS WHAT
	local peers=$1 limit=$2 what=$3 f bad=
	for f in $peers; do
		wait_for "$limit" established "$(our_addr "$f")" || bad="$bad $f"
	done
	if [ -z "$bad" ]; then
		ok "$what: sessions Established over $(families $peers)"
		return 0
	fi
	not_ok "$what: session over $(families $bad) not Established within ${limit}s"
	{
		for f in $bad; do echo "router says: $(router_state "$(our_addr "$f")" 2>&1)"; done
		router_view
	} | detail
	acd_log_tail
	return 1
}

# What the router shows and logs, for a failure report.
router_view() {
	echo "the router's view:"
	router_debug 2>&1 | head -n 40
	echo "the router's log (last lines):"
	tail -n 12 "$ROUTER_LOG"
}

acd_log_tail() { [ -n "$ACD_LOG" ] && tail -n 25 "$ACD_LOG" | sed 's/^/anycastd: /' | detail; }

# ---- scenarios ------------------------------------------------------------
# Each run starts the router and anycastd from scratch with its own configs.
run_begin() { # name router-AS router-password
	RUN=$1 R_AS=$2 R_PASSWORD=$3
	DNS_STATE=up
	rm -f "$MAINT_FILE"
	ROUTER_LOG=$T/router.$RUN.log
	say "--- run $RUN (router AS $R_AS${R_PASSWORD:+, TCP-MD5})"
	router_start
}

run_end() {
	[ -n "$ACD_PID" ] && stop_pid "$ACD_PID" KILL 2
	stop_pid "$ROUTER_PID" TERM 5
	ACD_PID='' ROUTER_PID=''
}

# check_stays_up WHAT SECONDS: no session flaps for SECONDS (longer than the
# 9 s hold time: keepalives flow both ways, over TCP-MD5 too).
check_stays_up() {
	local what=$1 secs=$2 f before=() i=0 now
	for f in $SESSIONS; do before+=("$(router_session_mark "$(our_addr "$f")")"); done
	sleep "$secs"
	for f in $SESSIONS; do
		now=$(router_session_mark "$(our_addr "$f")")
		if [ "$now" = "${before[$i]}" ] && established "$(our_addr "$f")"; then
			ok "$what: IPv$f session still up after ${secs}s (hold time 9s)"
		else
			not_ok "$what: IPv$f session flapped within ${secs}s (before: ${before[$i]}, after: $now)"
			{ router_view; } | detail
			acd_log_tail
		fi
		i=$((i + 1))
	done
}

# Route refresh (RFC 2918): the router asks, anycastd sends its routes again;
# the router's count of received UPDATEs grows, its routes stay the same.
check_route_refresh() { # PREFIXES now announced
	local f addr n0
	if [ -n "${ROUTER_NO_REFRESH:-}" ]; then
		ok "route refresh # SKIP $ROUTER_NO_REFRESH"
		return
	fi
	for f in $SESSIONS; do
		addr=$(our_addr "$f")
		n0=$(router_updates_received "$addr")
		router_refresh "$addr" >/dev/null 2>&1
		if wait_for 5 updates_beyond "$addr" "$n0"; then
			ok "route refresh: IPv$f: anycastd re-sent its routes (UPDATEs received: $n0 -> $(router_updates_received "$addr"))"
		else
			not_ok "route refresh: IPv$f: no UPDATE after ROUTE-REFRESH within 5s (counter $n0)"
		fi
	done
	check_routes "route refresh: routes unchanged" "$SESSIONS" 5 "$@"
}

# check_cease WHAT SIGNAL [PREFIXES]: on SIGTERM or SIGINT anycastd must
# withdraw, send Cease/Administrative Shutdown (6/2) with a shutdown
# communication (RFC 9003), and exit 0 (under ASan: also no leak).  SIGTERM
# first drains (PREFIXES: what is announced; dns has drain-time 3s, web 0s):
# the router sees dns with GRACEFUL_SHUTDOWN, web withdrawn at once, then
# after the drain-time the rest goes.
check_cease() {
	local what=$1 sig=$2 f rc
	shift 2
	if [ "$sig" = TERM ] && [ -z "${INTEROP_NO_DRAIN:-}" ]; then
		local dns_only=() p
		for p; do in_list "$p" $DNS_PREFIXES && dns_only+=("$p"); done
		DNS_STATE=up expected_routes "$SESSIONS" "$@" >"$T/cease.up"
		DNS_STATE=draining expected_routes "$SESSIONS" "${dns_only[@]}" >"$T/cease.gs"
		: >"$T/cease.gone"
		kill -TERM "$ACD_PID" 2>/dev/null
		local t0=${EPOCHREALTIME/./} t_gs
		if await_routes 3 "$T/cease.gs" "$T/cease.up"; then
			t_gs=$WATCH_T
			ok "$what: router sees dns with GRACEFUL_SHUTDOWN $(secs $((t_gs - t0)))s after SIGTERM"
			if await_routes $((DNS_DRAIN_TIME + 4)) "$T/cease.gone" "$T/cease.gs"; then
				drain_time_ok "$what: SIGTERM" $((WATCH_T - t_gs))
			else
				watch_failed "$what: SIGTERM: after GRACEFUL_SHUTDOWN" "$T/cease.gone"
			fi
		else
			watch_failed "$what: SIGTERM: GRACEFUL_SHUTDOWN" "$T/cease.gs"
		fi
		stop_pid "$ACD_PID" none 10
	else
		stop_pid "$ACD_PID" "$sig" 10
	fi
	rc=$?
	ACD_PID=
	if [ "$rc" -eq 0 ]; then
		ok "$what: anycastd exits 0 on SIG$sig"
	else
		not_ok "$what: anycastd exit status $rc on SIG$sig (255: had to be killed)"
		acd_log_tail
	fi
	for f in $SESSIONS; do
		if wait_for 5 cease_ok "$(our_addr "$f")"; then
			ok "$what: IPv$f router got Cease/Administrative Shutdown: $(router_cease_seen "$(our_addr "$f")")"
		else
			not_ok "$what: IPv$f router did not record Cease 6/2 with a message"
			echo "router recorded: $(router_cease_seen "$(our_addr "$f")" 2>&1)" | detail
		fi
	done
}

# ---- drain ---------------------------------------------------------------
# Times are microseconds since the epoch ($EPOCHREALTIME without its dot).
secs() { printf '%d.%02d' $(($1 / 1000000)) $((($1 % 1000000) / 10000)); }

# watch_routes SECONDS TARGET FROM : poll the router (every 50 ms plus the time
# it takes to answer) while its routes go from the set FROM to the set TARGET
# (files of expected lines).  Returns 0 once they are TARGET (WATCH_T: the
# start of that poll); 1 on timeout; 2 as soon as the router shows anything
# that is not on the way: a line in neither set, a line of both missing, or
# fewer lines than TARGET has (a route withdrawn that should have changed).
# A FROM line marked INVALID (FRR: a withdrawal being processed) counts as gone.
# Each route changes by itself (the two sessions, the prefixes, may come in
# different UPDATEs), so mixes of FROM and TARGET lines are on the way.
watch_routes() {
	local limit=$1 target=$2 from=$3 end t
	end=$((${EPOCHREALTIME/./} + limit * 1000000))
	while :; do
		t=${EPOCHREALTIME/./}
		routes_now
		cmp -s "$target" "$T/routes.now" && { WATCH_T=$t; return 0; }
		if ! awk -v target="$target" -v from="$from" '
			FILENAME == target { t[$0] = 1; nt++; next }
			FILENAME == from { f[$0] = 1; next }
			# FRR shows a path whose withdrawal it is processing as invalid
			/ INVALID$/ { l = $0; sub(/ INVALID$/, "", l); if ((l in f) && !(l in t)) next }
			{ n[$0] = 1; nn++ }
			END {
				for (l in n) if (!(l in t) && !(l in f)) exit 1
				for (l in t) if ((l in f) && !(l in n)) exit 1
				exit nn < nt
			}' "$target" "$from" "$T/routes.now"; then
			cp "$T/routes.now" "$T/watch.bad"
			return 2
		fi
		[ "$t" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# watch_failed WHAT TARGET: report why watch_routes did not get to TARGET.
watch_failed() {
	local what=$1 target=$2 rc=$WATCH_RC
	if [ "$rc" -eq 2 ]; then
		not_ok "$what: the router showed routes that are neither before nor after"
		{ echo "diff expected-after vs. router:"; diff "$target" "$T/watch.bad"; } | detail
	else
		not_ok "$what: not seen in time"
		{ echo "diff expected vs. router:"; diff "$target" "$T/routes.now"; cat "$T/routes.err"; router_view; } | detail
		acd_log_tail
	fi
}

await_routes() { watch_routes "$@"; WATCH_RC=$?; return $WATCH_RC; }

# drain_time_ok WHAT MICROSECONDS: the routes went that long after the router
# first showed GRACEFUL_SHUTDOWN; drain-time is 3s.  Each end is seen up to one
# poll late: allow half a second less and a second and a half more.
drain_time_ok() {
	local what=$1 us=$2 lo=$((DNS_DRAIN_TIME * 1000000 - 500000)) hi=$((DNS_DRAIN_TIME * 1000000 + 1500000))
	if [ "$us" -ge "$lo" ] && [ "$us" -le "$hi" ]; then
		ok "$what: dns withdrawn $(secs "$us")s after GRACEFUL_SHUTDOWN showed (drain-time ${DNS_DRAIN_TIME}s)"
	else
		not_ok "$what: dns withdrawn $(secs "$us")s after GRACEFUL_SHUTDOWN showed, want ${DNS_DRAIN_TIME}s (-0.5/+1.5)"
		acd_log_tail
	fi
}

# check_drain WHAT OTHERS... : drain the service dns with its maintenance file
# while OTHERS (web's prefixes) stay announced unchanged: the router sees dns
# with GRACEFUL_SHUTDOWN (65535:0) and the draining attributes (and LOCAL_PREF
# 0 on iBGP), and only after drain-time the withdrawal; with the file removed
# dns comes back with its up attributes.
check_drain() {
	local what="$1: maintenance file" t0 t_gs lp=''
	shift
	if [ -n "${INTEROP_NO_DRAIN:-}" ]; then
		ok "$what # SKIP INTEROP_NO_DRAIN"
		return
	fi
	[ "$R_AS" = "$ACD_AS" ] && lp=", LOCAL_PREF 0"
	DNS_STATE=up expected_routes "$SESSIONS" $DNS_PREFIXES "$@" >"$T/drain.up"
	DNS_STATE=draining expected_routes "$SESSIONS" $DNS_PREFIXES "$@" >"$T/drain.gs"
	expected_routes "$SESSIONS" "$@" >"$T/drain.gone"
	: >"$MAINT_FILE"
	t0=${EPOCHREALTIME/./}
	# anycastd looks for the file every second.
	if await_routes 3 "$T/drain.gs" "$T/drain.up"; then
		t_gs=$WATCH_T
		ok "$what: router sees dns with communities 64600:666 and GRACEFUL_SHUTDOWN 65535:0$lp, no MED, $(secs $((t_gs - t0)))s after the file appeared; web unchanged"
		if await_routes $((DNS_DRAIN_TIME + 3)) "$T/drain.gone" "$T/drain.gs"; then
			drain_time_ok "$what" $((WATCH_T - t_gs))
		else
			watch_failed "$what: withdrawal after the drain" "$T/drain.gone"
		fi
	else
		watch_failed "$what: GRACEFUL_SHUTDOWN" "$T/drain.gs"
	fi
	rm -f "$MAINT_FILE"
	DNS_STATE=up
	check_routes "$what removed: dns back with its up attributes" "$SESSIONS" 5 $DNS_PREFIXES "$@"
}
# The router shows code 6 subcode 2, and the communication text when it can.
cease_ok() {
	local s
	s=$(router_cease_seen "$1" 2>/dev/null) || return 1
	case $s in
	"code=6 subcode=2 text=") [ -n "${ROUTER_CANNOT_SHOW_TEXT:-}" ] ;;
	"code=6 subcode=2 text="?*) return 0 ;;
	*) return 1 ;;
	esac
}

scenario_ebgp() {
	run_begin ebgp "$EBGP_AS" ""
	SESSIONS="4 6"
	acd_config "$T/acd-ebgp.yaml" "$SESSIONS" "" "$WEB_PREFIXES_FULL"
	acd_start "$T/acd-ebgp.yaml"
	check_established "$SESSIONS" 20 "eBGP" || { run_end; return; }
	check_routes "eBGP: routes with next hop, AS path (web: prepend 2), origin, MED, communities, large communities, no LOCAL_PREF" "$SESSIONS" 10 \
		$DNS_PREFIXES $WEB_PREFIXES_FULL
	check_drain "eBGP" $WEB_PREFIXES_FULL

	# Reload: drop 192.0.2.0/24, then the whole "web" service.
	local f marks=() i
	for f in $SESSIONS; do marks+=("$(router_session_mark "$(our_addr "$f")")"); done
	acd_config "$T/acd-ebgp.yaml" "$SESSIONS" "" "$WEB_PREFIXES_RELOAD"
	kill -HUP "$ACD_PID"
	check_routes "reload: 192.0.2.0/24 withdrawn" "$SESSIONS" 5 \
		$DNS_PREFIXES $WEB_PREFIXES_RELOAD
	acd_config "$T/acd-ebgp.yaml" "$SESSIONS" "" ""
	kill -HUP "$ACD_PID"
	check_routes "reload: service web removed" "$SESSIONS" 5 $DNS_PREFIXES
	i=0
	for f in $SESSIONS; do
		local now
		now=$(router_session_mark "$(our_addr "$f")")
		if [ "$now" = "${marks[$i]}" ] && established "$(our_addr "$f")"; then
			ok "reload: IPv$f session stayed up ($now)"
		else
			not_ok "reload: IPv$f session flapped (before: ${marks[$i]}, after: $now)"
		fi
		i=$((i + 1))
	done

	check_route_refresh $DNS_PREFIXES

	# The router dies and comes back: anycastd reconnects and re-announces.
	router_restart_hard
	check_established "$SESSIONS" 15 "router restart" &&
		check_routes "router restart: routes back" "$SESSIONS" 10 $DNS_PREFIXES

	check_cease "eBGP shutdown" TERM $DNS_PREFIXES
	run_end
}

scenario_ibgp() {
	run_begin ibgp "$ACD_AS" ""
	SESSIONS="4 6"
	acd_config "$T/acd-ibgp.yaml" "$SESSIONS" "" "$WEB_PREFIXES_FULL"
	acd_start "$T/acd-ibgp.yaml"
	check_established "$SESSIONS" 20 "iBGP" || { run_end; return; }
	check_routes "iBGP: routes with next hop, empty AS path, origin, MED, communities, large communities, LOCAL_PREF (100 default, 200 set)" "$SESSIONS" 10 \
		$DNS_PREFIXES $WEB_PREFIXES_FULL
	check_drain "iBGP" $WEB_PREFIXES_FULL
	check_cease "iBGP shutdown" INT
	run_end
}

scenario_md5_good() {
	run_begin md5-good "$EBGP_AS" "$PASSWORD_GOOD"
	SESSIONS="4 6"
	acd_config "$T/acd-md5-good.yaml" "$SESSIONS" "$PASSWORD_GOOD" ""
	acd_start "$T/acd-md5-good.yaml"
	check_established "$SESSIONS" 20 "TCP-MD5 right key" &&
		check_routes "TCP-MD5 right key: routes" "$SESSIONS" 10 $DNS_PREFIXES &&
		check_stays_up "TCP-MD5 right key" 12
	run_end
}

scenario_md5_bad() {
	run_begin md5-bad "$EBGP_AS" "$PASSWORD_GOOD"
	SESSIONS="4 6"
	acd_config "$T/acd-md5-bad.yaml" "$SESSIONS" "$PASSWORD_BAD" ""
	acd_start "$T/acd-md5-bad.yaml"
	local f up=
	sleep 10
	for f in $SESSIONS; do established "$(our_addr "$f")" && up="$up $f"; done
	if [ -z "$up" ]; then
		ok "TCP-MD5 wrong key: no session after 10s"
	else
		not_ok "TCP-MD5 wrong key: session over $(families $up) Established anyway"
	fi
	# anycastd names the peer on the log line that explains the silence.
	for f in $SESSIONS; do
		local line
		line=$(grep -i md5 "$ACD_LOG" | grep -F "$ROUTER-v$f" | tail -n1)
		if [ -n "$line" ]; then
			ok "TCP-MD5 wrong key: IPv$f: anycastd log says: $line"
		else
			not_ok "TCP-MD5 wrong key: IPv$f: anycastd log has no line about MD5 and peer $ROUTER-v$f"
			acd_log_tail
		fi
	done
	run_end
}

interop_main() {
	ANYCASTD=${1:-${ANYCASTD:-}}
	[ -n "$ANYCASTD" ] || { echo "usage: $0 ANYCASTD" >&2; exit 2; }
	[ -x "$ANYCASTD" ] || { echo "$0: $ANYCASTD: not executable" >&2; exit 2; }
	ANYCASTD=$(cd "$(dirname "$ANYCASTD")" && pwd)/$(basename "$ANYCASTD")
	[ "$(id -u)" -eq 0 ] || skip_test "needs root (network namespaces)"
	need ip setsid
	router_check_installed
	topo_up
	local s
	for s in ${INTEROP_SCENARIOS:-ebgp ibgp md5_good md5_bad}; do
		"scenario_$s"
	done
	say "$CHECKS checks, $FAILS failed, ${SECONDS}s"
	[ "$FAILS" -eq 0 ]
}
