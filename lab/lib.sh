# lab/lib.sh — the anycast lab's building blocks.  Sourced, not run: by
# lab/lab (up, down, status, demo) and by tests/lab/run, which builds its own
# lab under another prefix and state directory.
#
# What a lab is:
#   - one network namespace per node of a topology (lab/topologies/NAME.sh,
#     data: routers, sites, clients, links, BGP sessions), named
#     $LAB_PREFIX<node> (acdlab-r1 ...), joined by veth pairs;
#   - on each router, a router daemon of kind $LAB_ROUTERS
#     (lab/routers/KIND.sh: a file of router_* functions), eBGP with its
#     neighbours, routes installed into the namespace's kernel table;
#   - on each site, NSD (answers for example.com., says who it is: NSID and
#     CHAOS TXT id.server = the site's name) and anycastd announcing the
#     service dns (203.0.113.53/32, 2001:db8:53::53/128, on the site's lo)
#     while its dns check of NSD passes;
#   - clients with a default route to their router.
#
# Everything the lab creates is recorded under $LAB_STATE: the namespaces it
# created (file "netns"), each process it started ("NODE/NAME.pid": pid and
# start time, so that a recycled pid is never signalled), configs, logs and
# the control sockets.  `down` removes only what is recorded there; `up`
# refuses to start when a namespace name it needs exists but is not recorded.
#
# Network safety: documentation addresses only (192.0.2.0/24,
# 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), inside the namespaces;
# nothing is configured in the namespace the script runs in.

export LC_ALL=C
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ROOT=$(cd "$LAB_DIR/.." && pwd)

# ---- settings (environment overrides; `lab up` records them in lab.env) ----
LAB_PREFIX=${LAB_PREFIX:-acdlab-}        # namespace names: ${LAB_PREFIX}r1 ...
LAB_STATE=${LAB_STATE:-/run/anycastd-lab} # what this lab created
LAB_TOPOLOGY=${LAB_TOPOLOGY:-chain}      # lab/topologies/NAME.sh
LAB_ROUTERS=${LAB_ROUTERS:-bird}         # lab/routers/KIND.sh
ANYCASTD=${ANYCASTD:-$LAB_ROOT/build/anycastd}
ANYCASTCTL=${ANYCASTCTL:-$LAB_ROOT/build/anycastctl}
# anycastd's timings.  The dns check is the one of docs/operations.md: a
# failed server is withdrawn within fall x interval + timeout = 280 ms.
LAB_INTERVAL_MS=${LAB_INTERVAL_MS:-100}
LAB_TIMEOUT_MS=${LAB_TIMEOUT_MS:-80}
LAB_RISE=${LAB_RISE:-3}
LAB_FALL=${LAB_FALL:-2}
LAB_DRAIN_MS=${LAB_DRAIN_MS:-3000}       # drain-time: short, for the demo
LAB_HOLD=${LAB_HOLD:-9}                  # BGP hold time (s) between site and router
LAB_DAMPING=${LAB_DAMPING:-true}         # anycastd's damping at its defaults

ANYCAST4=203.0.113.53
ANYCAST6=2001:db8:53::53
ANYCAST_PREFIXES="$ANYCAST4/32 $ANYCAST6/128"
SERVICE=dns

# ---- output -----------------------------------------------------------------
lab_err() { printf 'lab: %s\n' "$*" >&2; }
lab_info() { [ -n "${LAB_QUIET:-}" ] || printf '%s\n' "$*"; }

# ---- the topology -----------------------------------------------------------
declare -A NODE_KIND NODE_AS NODE_RID ADDR4 ADDR6 PLEN4 PLEN6
NODES=() ROUTERS=() SITES=() CLIENTS=() LINKS=() SESSIONS=()

# ip4_host NET N: the Nth address of NET (198.51.100.64/30 2 -> .66)
ip4_host() {
	local net=${1%/*} a b c d
	IFS=. read -r a b c d <<<"$net"
	echo "$a.$b.$c.$((d + $2))"
}
# ip6_host NET N: the Nth address of a /64 written as X::/64 (N < 10)
ip6_host() { local net=${1%/*}; echo "${net%::}::$2"; }

topo_load() { # NAME
	local file=$LAB_DIR/topologies/$1.sh
	[ -r "$file" ] || { lab_err "no topology '$1' (lab/topologies/: $(cd "$LAB_DIR/topologies" && ls | sed 's/\.sh$//' | tr '\n' ' '))"; return 1; }
	# The statements of the data file, defined only while it is read.
	router() { NODE_KIND[$1]=router NODE_AS[$1]=$2 NODE_RID[$1]=$3; NODES+=("$1"); ROUTERS+=("$1"); }
	site() { NODE_KIND[$1]=site NODE_AS[$1]=$2; NODES+=("$1"); SITES+=("$1"); }
	client() { NODE_KIND[$1]=client; NODES+=("$1"); CLIENTS+=("$1"); }
	link() {
		LINKS+=("$1 $2")
		ADDR4[$1,$2]=$(ip4_host "$3" 1) ADDR4[$2,$1]=$(ip4_host "$3" 2)
		ADDR6[$1,$2]=$(ip6_host "$4" 1) ADDR6[$2,$1]=$(ip6_host "$4" 2)
		PLEN4[$1,$2]=${3#*/} PLEN4[$2,$1]=${3#*/}
		PLEN6[$1,$2]=${4#*/} PLEN6[$2,$1]=${4#*/}
	}
	bgp() { SESSIONS+=("$*"); }
	# shellcheck disable=SC1090
	. "$file"
	unset -f router site client link bgp
	LAB_TOPOLOGY=$1
}

# topo_peers NODE: the nodes at the other end of NODE's links
topo_peers() {
	local l a b
	for l in "${LINKS[@]}"; do
		read -r a b <<<"$l"
		[ "$a" = "$1" ] && echo "$b"
		[ "$b" = "$1" ] && echo "$a"
	done
	return 0
}
# topo_sessions NODE: NODE's BGP sessions, one a line: "PEER OPTION..."
topo_sessions() {
	local s a b rest
	for s in "${SESSIONS[@]}"; do
		read -r a b rest <<<"$s"
		[ "$a" = "$1" ] && echo "$b $rest"
		[ "$b" = "$1" ] && echo "$a $rest"
	done
	return 0
}
# topo_uplink NODE: the router a site or client hangs off (its one link)
topo_uplink() { topo_peers "$1" | head -n 1; }
# topo_site_of ROUTER: the site attached to ROUTER (empty if none)
topo_site_of() {
	local p
	for p in $(topo_peers "$1"); do
		[ "${NODE_KIND[$p]}" = site ] && { echo "$p"; return 0; }
	done
	return 0
}

ns() { echo "$LAB_PREFIX$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; } # run in NODE's namespace

# ---- state and ownership ------------------------------------------------------
ns_exists() { [ -e "/run/netns/$1" ]; }
ns_ours() { [ -f "$LAB_STATE/netns" ] && grep -qxF -- "$1" "$LAB_STATE/netns"; }

# lab_save_env: what `up` was built with, so that status/down/demo later act
# on the same topology, router kind and binaries whatever their environment.
lab_save_env() {
	{
		echo "# written by lab/lib.sh at $(date -u +%FT%TZ); read by lab/lab"
		declare -p LAB_PREFIX LAB_TOPOLOGY LAB_ROUTERS ANYCASTD ANYCASTCTL \
			LAB_INTERVAL_MS LAB_TIMEOUT_MS LAB_RISE LAB_FALL LAB_DRAIN_MS LAB_HOLD LAB_DAMPING
	} >"$LAB_STATE/lab.env"
}
lab_load_env() { # 0 when a lab was recorded in $LAB_STATE
	[ -f "$LAB_STATE/lab.env" ] || return 1
	# shellcheck disable=SC1091
	. "$LAB_STATE/lab.env"
}

# Loads the topology and the router kind.
lab_init() {
	topo_load "$LAB_TOPOLOGY" || return 1
	local rk=$LAB_DIR/routers/$LAB_ROUTERS.sh
	[ -r "$rk" ] || { lab_err "no router kind '$LAB_ROUTERS' (lab/routers/: $(cd "$LAB_DIR/routers" && ls | sed 's/\.sh$//' | tr '\n' ' '))"; return 1; }
	# shellcheck disable=SC1090
	. "$rk"
}

# ---- processes ----------------------------------------------------------------
# A started process is recorded as "PID STARTTIME" in $LAB_STATE/NODE/NAME.pid
# (STARTTIME: field 22 of /proc/PID/stat), so that `down`, run much later,
# signals it only if that pid is still the same process.
proc_starttime() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
proc_state() { awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null; }

# proc_pid NODE NAME: the recorded pid if that process still runs (not a zombie)
proc_pid() {
	local f=$LAB_STATE/$1/$2.pid pid st
	[ -f "$f" ] || return 1
	read -r pid st <"$f"
	[ -n "$pid" ] && [ "$(proc_starttime "$pid")" = "$st" ] || return 1
	[ "$(proc_state "$pid")" != Z ] || return 1
	echo "$pid"
}
proc_alive() { proc_pid "$1" "$2" >/dev/null; }

# proc_start [--here] NODE NAME LOG CMD...: CMD in NODE's namespace (with
# --here: in ours, recorded under NODE), in a session of its own (so it
# outlives `lab up`, and its process group, e.g. NSD's children, can be
# signalled as one), output appended to LOG.  `ip netns exec` and `setsid`
# (not a group leader here) both exec, so $! is CMD's own pid.
proc_start() {
	local here= node name log pid
	[ "$1" = --here ] && { here=1; shift; }
	node=$1 name=$2 log=$3
	shift 3
	mkdir -p "$LAB_STATE/$node"
	if [ -n "$here" ]; then
		setsid "$@" >>"$log" 2>&1 </dev/null &
	else
		ip netns exec "$(ns "$node")" setsid "$@" >>"$log" 2>&1 </dev/null &
	fi
	pid=$!
	disown "$pid" # not our job to reap or report: it is recorded instead
	echo "$pid $(proc_starttime "$pid")" >"$LAB_STATE/$node/$name.pid"
	PROC_PID=$pid
}

# proc_signal NODE NAME SIGNAL: signal the process (and its group), if ours
proc_signal() {
	local pid
	pid=$(proc_pid "$1" "$2") || return 1
	kill -"$3" -- -"$pid" 2>/dev/null
	kill -"$3" "$pid" 2>/dev/null
	return 0
}

# proc_stop NODE NAME [SIGNAL]: signal (TERM by default), wait up to 3 s,
# then KILL; forget the record.
proc_stop() {
	local node=$1 name=$2 sig=${3:-TERM} pid i
	if pid=$(proc_pid "$node" "$name"); then
		kill -CONT -- -"$pid" 2>/dev/null
		kill -"$sig" -- -"$pid" 2>/dev/null
		kill -"$sig" "$pid" 2>/dev/null
		for ((i = 0; i < 300; i++)); do
			proc_alive "$node" "$name" || break
			sleep 0.01
		done
		if proc_alive "$node" "$name"; then
			kill -KILL -- -"$pid" 2>/dev/null
			kill -KILL "$pid" 2>/dev/null
			for ((i = 0; i < 100; i++)); do
				proc_alive "$node" "$name" || break
				sleep 0.01
			done
		fi
	fi
	rm -f "$LAB_STATE/$node/$name.pid"
}

# ---- monotonic time -------------------------------------------------------------
# lab/probe stamps its records with CLOCK_MONOTONIC (one clock for every
# namespace).  Reading it from bash would cost a python start each time;
# instead the offset to the wall clock is read once and $EPOCHREALTIME
# converted (the wall clock does not step during a demo or a test run).
MONO_OFF_US=
mono_init() {
	MONO_OFF_US=$(python3 -c 'import time; print(round((time.time() - time.monotonic()) * 1e6))')
}
mono_now() { # sets MONO (microseconds)
	[ -n "$MONO_OFF_US" ] || mono_init
	local t=$EPOCHREALTIME
	MONO=$((${t/./} - MONO_OFF_US))
}
# mono_of_stamp SECONDS.MICROS (wall clock, as in the stamped logs) -> MONO us
mono_of_stamp() { [ -n "$MONO_OFF_US" ] || mono_init; echo $((${1/./} - MONO_OFF_US)); }

# ---- namespaces and links -------------------------------------------------------
# lab_refusals: the namespace names this lab needs that exist but are not
# recorded as ours; prints them, 1 if there are any.
lab_refusals() {
	local n name bad=0
	for n in "${NODES[@]}"; do
		name=$(ns "$n")
		if ns_exists "$name" && ! ns_ours "$name"; then
			echo "$name"
			bad=1
		fi
	done
	return $bad
}

net_up() {
	local n name l a b i
	for n in "${NODES[@]}"; do
		name=$(ns "$n")
		ip netns add "$name" || { lab_err "cannot create namespace $name"; return 1; }
		echo "$name" >>"$LAB_STATE/netns"
		ip -n "$name" link set lo up
		mkdir -p "$LAB_STATE/$n"
	done
	for n in "${ROUTERS[@]}"; do
		nsx "$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
	# One veth pair per link, each end named after the node at the other end.
	for l in "${LINKS[@]}"; do
		read -r a b <<<"$l"
		ip -n "$(ns "$a")" link add "$b" type veth peer name "$a" netns "$(ns "$b")" ||
			{ lab_err "cannot create the link $a-$b"; return 1; }
		ip -n "$(ns "$a")" addr add "${ADDR4[$a,$b]}/${PLEN4[$a,$b]}" dev "$b"
		ip -n "$(ns "$b")" addr add "${ADDR4[$b,$a]}/${PLEN4[$b,$a]}" dev "$a"
		ip -n "$(ns "$a")" addr add "${ADDR6[$a,$b]}/${PLEN6[$a,$b]}" dev "$b" nodad
		ip -n "$(ns "$b")" addr add "${ADDR6[$b,$a]}/${PLEN6[$b,$a]}" dev "$a" nodad
		ip -n "$(ns "$a")" link set "$b" up
		ip -n "$(ns "$b")" link set "$a" up
	done
	# Sites and clients: everything else through their router.  Sites carry
	# the anycast addresses on lo (this kernel has no dummy links).
	for n in "${SITES[@]}" "${CLIENTS[@]}"; do
		local up
		up=$(topo_uplink "$n")
		ip -n "$(ns "$n")" route add default via "${ADDR4[$up,$n]}"
		ip -n "$(ns "$n")" -6 route add default via "${ADDR6[$up,$n]}"
	done
	for n in "${SITES[@]}"; do
		ip -n "$(ns "$n")" addr add "$ANYCAST4/32" dev lo
		ip -n "$(ns "$n")" addr add "$ANYCAST6/128" dev lo
	done
	# The default routes above need the links' IPv6 addresses usable (nodad
	# makes that immediate; wait anyway, bounded, in case it did not).
	for ((i = 0; i < 50; i++)); do
		local tentative=
		for n in "${NODES[@]}"; do
			ip -n "$(ns "$n")" -6 addr show tentative | grep -q inet6 && tentative=1
		done
		[ -z "$tentative" ] && break
		sleep 0.1
	done
}

# ---- sites: NSD ------------------------------------------------------------------
nsd_config() { # SITE
	local s=$1 d=$LAB_STATE/$1
	cat >"$d/nsd.conf" <<-EOF
		# written by lab/lib.sh: NSD of anycast site $s
		server:
		    ip-address: 127.0.0.1
		    ip-address: ::1
		    ip-address: $ANYCAST4
		    ip-address: $ANYCAST6
		    ip-freebind: yes
		    port: 53
		    # Say which site answered: EDNS NSID and CHAOS TXT id.server.
		    identity: "$s"
		    nsid: "ascii_$s"
		    hide-identity: no
		    # No response rate limiting: the clients share a /24, and the
		    # probes send hundreds of queries a second on purpose.
		    rrl-ratelimit: 0
		    rrl-whitelist-ratelimit: 0
		    username: ""
		    chroot: ""
		    zonesdir: "$d"
		    pidfile: "$d/nsd.pidfile"
		    database: ""
		    xfrdfile: "$d/xfrd.state"
		    xfrdir: "$d"
		    zonelistfile: "$d/zone.list"
		    logfile: "$d/nsd.log"
		    server-count: 1
		    verbosity: 1
		remote-control:
		    control-enable: no
		zone:
		    name: example.com
		    zonefile: example.com.zone
	EOF
	cat >"$d/example.com.zone" <<-EOF
		\$ORIGIN example.com.
		\$TTL 300
		@     IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300
		@     IN NS  ns.example.com.
		ns    IN A   192.0.2.1
		@     IN A   192.0.2.1
		site  IN TXT "$s"
	EOF
}
nsd_start() { proc_start "$1" nsd "$LAB_STATE/$1/nsd.out" nsd -d -c "$LAB_STATE/$1/nsd.conf"; }
nsd_kill() { proc_stop "$1" nsd KILL; }

# ---- sites: anycastd -----------------------------------------------------------------
acd_sock() { echo "$LAB_STATE/$1.sock"; }
acd_maint() { echo "$LAB_STATE/$1/$SERVICE.maintenance"; }
acd_log() { echo "$LAB_STATE/$1/anycastd.log"; }

acd_config() { # SITE
	local s=$1 r p opts
	r=$(topo_uplink "$s")
	{
		cat <<-EOF
			# written by lab/lib.sh: anycastd of anycast site $s
			router-id: ${ADDR4[$s,$r]}
			local-as: ${NODE_AS[$s]}
			control-socket: $(acd_sock "$s")
			peers:
		EOF
		while read -r p opts; do
			cat <<-EOF
				  - name: $p
				    address: ${ADDR4[$p,$s]}
				    local-address: ${ADDR4[$s,$p]}
				    remote-as: ${NODE_AS[$p]}
				    hold-time: ${LAB_HOLD}s
				    next-hop: {ipv6: "${ADDR6[$s,$p]}"}
			EOF
		done < <(topo_sessions "$s")
		cat <<-EOF
			services:
			  - name: $SERVICE
			    prefixes: [$ANYCAST4/32, "$ANYCAST6/128"]
			    drain-time: ${LAB_DRAIN_MS}ms
			    maintenance-file: $(acd_maint "$s")
			    address: {interface: lo}
			    damping: {enabled: $LAB_DAMPING}
			    checks:
			      - type: dns
			        server: 127.0.0.1
			        query: example.com.
			        interval: ${LAB_INTERVAL_MS}ms
			        timeout: ${LAB_TIMEOUT_MS}ms
			        rise: $LAB_RISE
			        fall: $LAB_FALL
		EOF
	} >"$LAB_STATE/$s/anycastd.yaml"
}

# anycastd logs in logfmt on stderr, without a time.  A small reader stamps
# each line with the wall clock as it arrives ("SECONDS.MICROS line"), so
# that its state changes can be put on the probes' timeline; the log is
# appended to across restarts.
acd_stamper() { # FIFO LOG
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
	done <"$1" >>"$2"
}
acd_start() { # SITE
	local s=$1 fifo=$LAB_STATE/$1/anycastd.fifo
	rm -f "$fifo"
	mkfifo "$fifo"
	proc_start --here "$s" stamp /dev/null bash -c "$(declare -f acd_stamper); acd_stamper '$fifo' '$(acd_log "$s")'"
	proc_start "$s" anycastd "$fifo" "$ANYCASTD" -c "$LAB_STATE/$s/anycastd.yaml"
}
acd_stop() { proc_stop "$1" anycastd "${2:-INT}"; proc_stop "$1" stamp TERM; }

# acd_log_lines SITE REGEX [FROM_LINE]: matching lines of SITE's anycastd log
acd_log_lines() { tail -n +"${3:-1}" "$(acd_log "$1")" 2>/dev/null | grep -E -- "$2"; }
acd_log_count() { wc -l <"$(acd_log "$1")" 2>/dev/null || echo 0; }

# acd_service_state SITE: up, down, draining, suppressed, ... from anycastctl
# when it is there, else the last "state change" line of the log.
acd_service_state() {
	local st
	if have_ctl; then
		st=$("$ANYCASTCTL" -s "$(acd_sock "$1")" --json status 2>/dev/null |
			python3 -c 'import json,sys
d = json.load(sys.stdin)
print(next((s["state"] for s in d.get("services", []) if s.get("name") == sys.argv[1]), ""))' "$SERVICE" 2>/dev/null)
		[ -n "$st" ] && { echo "$st"; return 0; }
	fi
	acd_log_lines "$1" "msg=\"state change\" service=$SERVICE " | tail -n 1 | sed -n 's/.* to=\([a-z]*\).*/\1/p'
}

have_ctl() { [ -x "$ANYCASTCTL" ]; }
ctl() { local s=$1; shift; "$ANYCASTCTL" -s "$(acd_sock "$s")" "$@"; }

# ---- up / down -------------------------------------------------------------------
# lab_route_via ROUTER PREFIX: the node the router's kernel sends PREFIX to
# (its interfaces are named after their neighbours), empty when it has no route.
lab_route_via() {
	local fam=-4
	case $2 in *:*) fam=-6 ;; esac
	ip -n "$(ns "$1")" "$fam" route show "$2" proto "${ROUTER_PROTO:-bird}" 2>/dev/null |
		sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1
}

# lab_converged: every session Established, every site's router has both
# anycast prefixes from its site in the kernel.
lab_converged() {
	local r s p peer st
	for r in "${ROUTERS[@]}"; do
		while read -r peer st; do
			[ "$st" = Established ] || return 1
		done < <(router_sessions "$r")
		[ "$(router_sessions "$r" | wc -l)" -eq "$(topo_sessions "$r" | wc -l)" ] || return 1
		s=$(topo_site_of "$r")
		[ -n "$s" ] || continue
		for p in $ANYCAST4 $ANYCAST6; do
			[ "$(lab_route_via "$r" "$p")" = "$s" ] || return 1
		done
	done
	return 0
}

# lab_healthy: the recorded lab is complete: namespaces and every process.
lab_healthy() {
	local n
	for n in "${NODES[@]}"; do
		ns_ours "$(ns "$n")" && ns_exists "$(ns "$n")" || return 1
	done
	for n in "${ROUTERS[@]}"; do router_running "$n" || return 1; done
	for n in "${SITES[@]}"; do
		proc_alive "$n" nsd && proc_alive "$n" anycastd || return 1
	done
	return 0
}

lab_requirements() {
	local c missing=()
	for c in ip setsid nsd python3 mkfifo; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] || { lab_err "not installed: ${missing[*]} (tools/install-deps)"; return 1; }
	[ -x "$ANYCASTD" ] || { lab_err "$ANYCASTD: not executable (make, or ANYCASTD=...)"; return 1; }
	router_require || return 1
}

# lab_up [WAIT_S]: build the lab and wait (bounded) until it has converged.
# 0 up, 3 refused (names not ours: nothing touched), 1 failed half-way.
lab_up() {
	local wait_s=${1:-60} n bad i
	lab_requirements || return 1
	if lab_healthy 2>/dev/null; then
		lab_info "lab: already up (state in $LAB_STATE)"
		return 0
	fi
	if bad=$(lab_refusals); then :; else
		lab_err "refusing to start: these namespaces exist but this lab did not create them (not in $LAB_STATE/netns):"
		printf '  %s\n' $bad >&2
		lab_err "remove them yourself if they are leftovers (ip netns del NAME), or use another LAB_PREFIX"
		return 3 # nothing was built: nothing to clean up
	fi
	if [ -f "$LAB_STATE/netns" ]; then
		lab_info "lab: a previous lab is partly there; removing it first"
		lab_down >/dev/null
	fi
	mkdir -p "$LAB_STATE" && chmod 755 "$LAB_STATE"
	: >>"$LAB_STATE/netns"
	lab_save_env
	lab_info "lab: namespaces ${LAB_PREFIX}{$(IFS=,; echo "${NODES[*]}")}, topology $LAB_TOPOLOGY"
	net_up || return 1
	lab_info "lab: routers: $ROUTER_NAME $(router_version)"
	for n in "${ROUTERS[@]}"; do
		router_config "$n" && router_start "$n" || { lab_err "router $n did not start (log: $LAB_STATE/$n/)"; return 1; }
	done
	lab_info "lab: sites: NSD $(nsd -v 2>&1 | awk 'NR == 1 { print $3 }') and anycastd ($ANYCASTD)"
	for n in "${SITES[@]}"; do
		nsd_config "$n"
		acd_config "$n"
		if ! "$ANYCASTD" -n -c "$LAB_STATE/$n/anycastd.yaml" >"$LAB_STATE/$n/anycastd.normal" 2>&1; then
			lab_err "anycastd refuses the configuration of $n:"
			cat "$LAB_STATE/$n/anycastd.normal" >&2
			return 1
		fi
		nsd_start "$n"
		acd_start "$n"
	done
	lab_info "lab: waiting for BGP and the first announcements (at most $wait_s s)"
	for ((i = 0; i < wait_s * 10; i++)); do
		lab_converged && break
		sleep 0.1
	done
	if ! lab_converged; then
		lab_err "the lab did not converge within $wait_s s:"
		lab_status >&2
		return 1
	fi
	lab_info "lab: up in ${SECONDS}s"
}

# lab_down: stop what we started, delete the namespaces we created, forget.
lab_down() {
	local f node name ns pid
	if [ ! -d "$LAB_STATE" ]; then
		local n others=()
		for n in "${NODES[@]}"; do ns_exists "$(ns "$n")" && others+=("$(ns "$n")"); done
		[ ${#others[@]} -eq 0 ] || lab_err "not touching ${others[*]}: not created by this lab (no $LAB_STATE)"
		lab_info "lab: nothing to take down"
		return 0
	fi
	# Daemons first (anycastd with SIGINT: withdraw and close cleanly), then
	# whatever else still runs inside our namespaces, then the namespaces.
	for f in "$LAB_STATE"/*/*.pid; do
		[ -e "$f" ] || continue
		node=$(basename "$(dirname "$f")") name=$(basename "$f" .pid)
		case $name in
		anycastd) proc_stop "$node" "$name" INT ;;
		*) proc_stop "$node" "$name" TERM ;;
		esac
	done
	if [ -f "$LAB_STATE/netns" ]; then
		while read -r ns; do
			[ -n "$ns" ] && ns_exists "$ns" || continue
			for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
			ip netns del "$ns" 2>/dev/null || lab_err "could not delete namespace $ns"
		done <"$LAB_STATE/netns"
	fi
	if [ -n "${LAB_KEEP:-}" ]; then
		rm -f "$LAB_STATE/netns" "$LAB_STATE/lab.env"
		lab_info "lab: down; configs and logs kept in $LAB_STATE (LAB_KEEP)"
	else
		rm -rf "$LAB_STATE"
		lab_info "lab: down"
	fi
}

# ---- status -----------------------------------------------------------------------
# lab_ask CLIENT ADDR: which site answers CLIENT at ADDR (CHAOS TXT
# id.server), "-" when nobody does within a second.
lab_ask() {
	local a
	a=$(nsx "$1" dig +short +time=1 +tries=1 @"$2" id.server CH TXT 2>/dev/null | tr -d '"' | head -n 1)
	case $a in ''|';'*) echo - ;; *) echo "$a" ;; esac
}

lab_status() {
	local n r s peer st line
	echo "anycastd lab: prefix $LAB_PREFIX, topology $LAB_TOPOLOGY, routers $LAB_ROUTERS, state $LAB_STATE"
	for r in "${ROUTERS[@]}"; do
		st=down
		router_running "$r" && st="running ($ROUTER_NAME)"
		line=
		while read -r peer s; do line+=" $peer:$s"; done < <(router_sessions "$r" 2>/dev/null)
		printf '  %-3s AS %-6s %s; sessions:%s\n' "$r" "${NODE_AS[$r]}" "$st" "${line:- none}"
		printf '      %s -> %s, %s -> %s\n' "$ANYCAST4" "$(lab_route_via "$r" $ANYCAST4 || true)" \
			"$ANYCAST6" "$(lab_route_via "$r" $ANYCAST6 || true)"
	done
	for s in "${SITES[@]}"; do
		local a=down b=down
		proc_alive "$s" nsd && a=running
		proc_alive "$s" anycastd && b=running
		printf '  %-3s AS %-6s NSD %s, anycastd %s, service %s: %s\n' "$s" "${NODE_AS[$s]}" "$a" "$b" \
			"$SERVICE" "$(acd_service_state "$s" 2>/dev/null)"
	done
	if command -v dig >/dev/null 2>&1; then
		for n in "${CLIENTS[@]}"; do
			ns_exists "$(ns "$n")" || continue
			printf '  %-3s reaches %s over IPv4, %s over IPv6\n' "$n" \
				"$(lab_ask "$n" $ANYCAST4)" "$(lab_ask "$n" $ANYCAST6)"
		done
	fi
}

lab_explore_hints() {
	local c=${CLIENTS[0]} r=${ROUTERS[0]} s=${SITES[0]} ctl=anycastctl
	have_ctl && ctl=$ANYCASTCTL
	cat <<-EOF
		Explore it (as root):
		  ip netns exec $(ns "$c") dig @$ANYCAST4 id.server CH TXT +short     # which site answers $c
		  ip netns exec $(ns "$c") dig +nsid @$ANYCAST6 example.com        # NSID over IPv6
		  $(router_cli_hint "$r")
		  ip -n $(ns "$r") route; ip -n $(ns "$r") -6 route                  # what BGP put in the kernel
		  $ctl -s $(acd_sock "$s") status                # the agent at $s
		  touch $(acd_maint "$s")                    # drain $s (rm: back)
		  lab/lab probe $c --rate 100 --duration 10                           # watch $c's answers
		  logs: $LAB_STATE/<node>/ (anycastd.log, nsd.log, ${ROUTER_LOG_NAME:-router log})
		Take it down with: lab/lab down
	EOF
}

# ---- measuring -----------------------------------------------------------------------
# Probes, route watchers and their files live in $LAB_WORK (a directory of
# the caller's: the demo's or the test's).
declare -A PROBE_PID
# probe_bg NODE NAME PROBE-ARGS...: lab/probe in NODE's namespace, in the
# background (a child of ours: `probe_wait` waits for it); its time line in
# $LAB_WORK/NAME.txt, its record in $LAB_WORK/NAME.json.
probe_bg() {
	local node=$1 name=$2
	shift 2
	rm -f "$LAB_WORK/$name.json"
	nsx "$node" "$LAB_DIR/probe" --json "$LAB_WORK/$name.json" "$@" >"$LAB_WORK/$name.txt" 2>&1 &
	PROBE_PID[$name]=$!
}
probe_wait() { # NAME...
	local n
	for n in "$@"; do
		[ -n "${PROBE_PID[$n]:-}" ] && wait "${PROBE_PID[$n]}" 2>/dev/null
		unset "PROBE_PID[$n]"
	done
	return 0
}
probe_kill_all() {
	local n
	for n in "${!PROBE_PID[@]}"; do kill -TERM "${PROBE_PID[$n]}" 2>/dev/null; done
}
# pj NAME PYTHON-EXPRESSION [ARG]: evaluate over the probe record d (json;
# ARG is sys.argv[3]), print it (dicts and lists as JSON)
pj() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$LAB_WORK/$1.json" "$2" "${3:-}" 2>/dev/null
}

# route_watch ROUTER PREFIX SECONDS NAME: in the background, poll ROUTER's
# kernel route for PREFIX every 10 ms for SECONDS; $LAB_WORK/NAME.route gets
# "MONO_US VIA" first and at each change (VIA "-": no route).  MONO_US is
# taken when the `ip route` that saw the change has returned: the change
# happened before, at most one poll (10 ms plus the time of an `ip route`).
declare -A WATCH_PID
route_watch() {
	local r=$1 p=$2 secs=$3 name=$4
	[ -n "$MONO_OFF_US" ] || mono_init
	(
		local last=none via end
		mono_now
		end=$((MONO + secs * 1000000))
		while [ "$MONO" -lt "$end" ]; do
			via=$(lab_route_via "$r" "$p")
			mono_now
			via=${via:--}
			[ "$via" = "$last" ] || { echo "$MONO $via"; last=$via; }
			sleep 0.01
		done
	) >"$LAB_WORK/$name.route" 2>/dev/null &
	WATCH_PID[$name]=$!
}
route_watch_stop() { # NAME...
	local n
	for n in "$@"; do
		[ -n "${WATCH_PID[$n]:-}" ] && { kill "${WATCH_PID[$n]}" 2>/dev/null; wait "${WATCH_PID[$n]}" 2>/dev/null; }
		unset "WATCH_PID[$n]"
	done
	return 0
}
# route_change NAME AFTER_US [VIA]: the first change (to VIA, or to anything
# else than the route held at AFTER_US) seen after AFTER_US: "MONO_US VIA"
route_change() {
	awk -v t="$2" -v want="${3:-}" '
		$1 <= t { cur = $2; next }
		want != "" && $2 == want { print; exit }
		want == "" && $2 != cur { print; exit }' "$LAB_WORK/$1.route"
}

# acd_event SITE FROM_LINE REGEX: the time (MONO_US) of the first line of
# SITE's anycastd log after line FROM_LINE that matches REGEX
acd_event() {
	local st
	st=$(tail -n +"$(($2 + 1))" "$(acd_log "$1")" 2>/dev/null | grep -E -m1 -- "$3" | cut -d' ' -f1)
	[ -n "$st" ] && mono_of_stamp "$st"
}

# acd_transition SITE AFTER_US TO [CAUSE_REGEX]: the time (MONO_US) of the
# first transition of SITE's service to state TO after AFTER_US.  From
# `anycastctl events` when it is built (the daemon's own clock, in ms), else
# from the stamped log (stamped as read: a few ms late when busy).
acd_transition() {
	local site=$1 after=$2 to=$3 re=${4:-} t
	[ -n "$MONO_OFF_US" ] || mono_init
	if have_ctl; then
		t=$(ctl "$site" --json events -n 100 2>/dev/null | python3 -c '
import json, re, sys
off, after, to, cause = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ev = [e for e in json.load(sys.stdin)["events"] if e.get("to") == to
      and e["time_ms"] * 1000 - off > after and re.search(cause, e.get("cause", ""))]
if ev:
    print(min(e["time_ms"] * 1000 - off for e in ev))' "$MONO_OFF_US" "$after" "$to" "$re")
		[ -n "$t" ] && { echo "$t"; return 0; }
	fi
	awk -v off="$MONO_OFF_US" -v after="$after" -v to="$to" -v re="$re" '
		/msg="state change"/ && $0 ~ (" to=" to " ") && $0 ~ re {
			t = $1; sub(/\./, "", t); t -= off
			if (t > after) { print t; exit }
		}' "$(acd_log "$site")" 2>/dev/null
}

# ms_since FROM_US TO_US: whole milliseconds, "?" if either is missing
ms_since() { if [ -n "${1:-}" ] && [ -n "${2:-}" ]; then echo $((($2 - $1) / 1000)); else echo "?"; fi; }
# s_to_us SECONDS.FRACTION (the probe's times) -> microseconds
s_to_us() { awk -v s="$1" 'BEGIN { printf "%.0f\n", s * 1e6 }'; }
