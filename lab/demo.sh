# lab/demo.sh — `lab/lab demo`: the lab, narrated.  Sourced by lab/lab after
# lab/lib.sh, the topology and the router kind are loaded.
#
#   0. the lab comes up
#   1. who answers whom, and why (the AS paths at each router)
#   2. the DNS server of one site is killed: its clients move, with the gap
#      the clients saw; it comes back, and `rise` is respected
#   3. another site is drained (anycastctl, or its maintenance file if
#      anycastctl is not built): its clients move without losing a query
#   4. everything is torn down, on any exit
#
# Every figure is measured in this run: the clients' side by lab/probe (one
# monotonic clock for every namespace), the routers' side by polling their
# kernel tables, anycastd's side from its log.  A JSON summary goes to
# lab/out/demo-TIME.json (DEMO_OUT=DIR to change the directory).

DEMO_RATE=${DEMO_RATE:-100}     # queries/s per probe
# A pause between acts when someone is watching (DEMO_PAUSE=0: none).
if [ -t 1 ]; then DEMO_PAUSE=${DEMO_PAUSE:-3}; else DEMO_PAUSE=${DEMO_PAUSE:-0}; fi

demo_h() { printf '\n== %s\n' "$*"; }
demo_p() { printf '   %s\n' "$*"; }
demo_pause() { [ "$DEMO_PAUSE" = 0 ] || sleep "$DEMO_PAUSE"; }
# demo_t US: a time relative to the act's reference point, "+1234 ms"
demo_t() { if [ -n "${1:-}" ]; then printf '%+6d ms' $((($1 - DEMO_T0) / 1000)); else printf '     ? ms'; fi; }

# A time line of events, printed in time order: demo_ev US TEXT, demo_ev_print
DEMO_EVENTS=()
demo_ev() { DEMO_EVENTS+=("${1:-9999999999999999} $2"); }
demo_ev_print() {
	local us text
	while read -r us text; do
		if [ "$us" = 9999999999999999 ]; then demo_p "$(demo_t)  $text"; else demo_p "$(demo_t "$us")  $text"; fi
	done < <(printf '%s\n' "${DEMO_EVENTS[@]}" | sort -n -s -k1,1)
	DEMO_EVENTS=()
}

DEMO_BUILT= DEMO_FACTS=()
demo_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	probe_kill_all
	route_watch_stop "${!WATCH_PID[@]}"
	if [ -n "$DEMO_BUILT" ]; then
		demo_h "4. Tearing down"
		LAB_QUIET=1 lab_down
		demo_p "every namespace and process of the lab is gone (ip netns list: $(ip netns list | grep -c "^$LAB_PREFIX") left with prefix $LAB_PREFIX)"
	fi
	[ -n "${LAB_WORK:-}" ] && rm -rf "$LAB_WORK"
	exit "$rc"
}

# demo_fact KEY JSON: one field of the summary (KEY a dotted path)
demo_fact() { DEMO_FACTS+=("$1=$2"); }

demo_summary() { # FILE
	python3 - "$1" "${DEMO_FACTS[@]}" <<-'EOF'
		import json, sys
		out = {}
		for kv in sys.argv[2:]:
		    k, v = kv.split("=", 1)
		    node = out
		    *path, last = k.split(".")
		    for p in path:
		        node = node.setdefault(p, {})
		    node[last] = json.loads(v)
		with open(sys.argv[1], "w") as f:
		    json.dump(out, f, indent=2)
		    f.write("\n")
	EOF
}

# demo_why ROUTER: why ROUTER sends the anycast address where it does;
# remembers each route's AS path in DEMO_PATH[ROUTER,PEER]
declare -A DEMO_PATH
demo_why() {
	local r=$1 peer best lp path n why= alts=
	while read -r peer best lp path; do
		DEMO_PATH[$r,$peer]=$path
		n=$(wc -w <<<"$path")
		if [ "$best" = best ]; then
			why="$r prefers the route from $peer: AS path $path ($n AS$([ "$n" -gt 1 ] && echo es))"
			[ "$lp" != 100 ] && why+=", local-pref $lp"
		else
			alts+="${alts:+; }$peer: $path"
			[ "$lp" != 100 ] && alts+=" (local-pref $lp)"
		fi
	done < <(router_routes "$r" "$ANYCAST4/32")
	echo "$why${alts:+ (other routes: $alts)}"
}

# demo_client_line NAME CLIENT: one line per probe: where it went, what it lost
demo_client_line() {
	local name=$1 c=$2 # c: the label printed
	[ -s "$LAB_WORK/$name.json" ] || { demo_p "$c: no record (lab/probe failed: $(tail -n 1 "$LAB_WORK/$name.txt"))"; return; }
	pj "$name" '"%-10s %s; %d queries, %d answered, %d lost%s" % (sys.argv[3] + ":",
		", ".join("%s -> %s (gap %.0f ms, %d lost)" % (s["from"], s["to"], s["gap_ms"], s["lost"]) for s in d["switches"]) or "stayed with " + ", ".join(d["sites"]),
		d["sent"], d["answered"], d["lost"], ", largest gap %.0f ms" % d["max_gap_ms"] if d["max_gap_ms"] else "")' "$c" | sed "s/^/   /"
}

demo_main() {
	local c r s v4 v6 i t
	[ $# -eq 0 ] || usage
	if [ -n "$LAB_UP" ]; then
		lab_err "a lab is up ($LAB_STATE): the demo builds its own and tears it down; run lab/lab down first"
		exit 1
	fi
	lab_requirements || exit 1
	command -v dig >/dev/null 2>&1 || { lab_err "'dig' not installed (Debian: bind9-dnsutils)"; exit 1; }
	[ -x "$LAB_DIR/probe" ] || { lab_err "lab/probe is missing"; exit 1; }
	LAB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/acdlab-demo.XXXXXX")
	trap demo_cleanup EXIT
	trap 'echo; echo "demo: interrupted"; exit 130' INT TERM
	mono_init
	local stamp out
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	out=${DEMO_OUT:-$LAB_ROOT/lab/out}
	mkdir -p "$out" || { lab_err "cannot create $out"; exit 1; }
	local site_fail=${SITES[0]} site_drain=${SITES[1]}
	local how_drain
	if have_ctl; then how_drain="anycastctl ($ANYCASTCTL)"; else how_drain="the maintenance file (anycastctl not built: $ANYCASTCTL)"; fi

	cat <<-EOF
		anycastd lab demo: anycast, made visible on one machine

		Network namespaces joined by veth pairs, documentation addresses only:
		routers ${ROUTERS[*]} ($ROUTER_NAME $(router_version), one AS each, eBGP, routes in
		their kernels so that packets follow BGP), anycast sites ${SITES[*]} (NSD and
		anycastd, AS ${NODE_AS[${SITES[0]}]}) and clients ${CLIENTS[*]}.  Topology "$LAB_TOPOLOGY":
	EOF
	awk 'NR > 1 && /^#$/ { n++; next } n == 1 { sub(/^# ?/, "   "); print } n > 1 { exit }' "$LAB_DIR/topologies/$LAB_TOPOLOGY.sh"
	cat <<-EOF

		Every site has $ANYCAST4 and $ANYCAST6 on its lo.  anycastd at each site
		asks its own NSD every ${LAB_INTERVAL_MS} ms and announces both prefixes only while it
		answers (rise $LAB_RISE, fall $LAB_FALL, timeout ${LAB_TIMEOUT_MS} ms: a dead server is withdrawn within
		fall x interval + timeout = $((LAB_FALL * LAB_INTERVAL_MS + LAB_TIMEOUT_MS)) ms).  Routers give a route with
		GRACEFUL_SHUTDOWN (65535:0) local-pref 0, as operators configure them.
	EOF
	demo_fact topology "\"$LAB_TOPOLOGY\""
	demo_fact routers "\"$LAB_ROUTERS $(router_version)\""
	demo_fact anycastd "\"$ANYCASTD\""
	demo_fact drain_with "\"$(have_ctl && echo anycastctl || echo maintenance-file)\""
	demo_fact settings "{\"interval_ms\": $LAB_INTERVAL_MS, \"timeout_ms\": $LAB_TIMEOUT_MS, \"rise\": $LAB_RISE, \"fall\": $LAB_FALL, \"drain_ms\": $LAB_DRAIN_MS, \"bound_ms\": $((LAB_FALL * LAB_INTERVAL_MS + LAB_TIMEOUT_MS)), \"probe_rate\": $DEMO_RATE}"

	# ---- 0 ---------------------------------------------------------------------
	demo_h "0. Building the lab"
	SECONDS=0
	DEMO_BUILT=1
	LAB_QUIET=1 lab_up 60
	case $? in
	0) ;;
	3) DEMO_BUILT=; exit 1 ;;
	*) exit 1 ;;
	esac
	demo_p "up in ${SECONDS} s: every BGP session Established, every site announcing"
	demo_pause

	# ---- 1 ---------------------------------------------------------------------
	demo_h "1. Who answers whom, and why"
	demo_p "Each client asks $ANYCAST4 and $ANYCAST6 who is answering (dig ... id.server CH TXT):"
	for c in "${CLIENTS[@]}"; do
		r=$(topo_uplink "$c")
		v4=$(lab_ask "$c" $ANYCAST4) v6=$(lab_ask "$c" $ANYCAST6)
		demo_why "$r" >"$LAB_WORK/why"
		demo_p "$(printf '%s -> %s over IPv4, %s over IPv6.  %s' "$c" "$v4" "$v6" "$(cat "$LAB_WORK/why")")"
		demo_fact "nearest.$c" "{\"ipv4\": \"$v4\", \"ipv6\": \"$v6\", \"router\": \"$r\", \"as_path\": \"$(router_routes "$r" "$ANYCAST4/32" | awk '$2 == "best" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }')\"}"
	done
	demo_p "One address, and each client reaches the nearest site: the shortest AS path"
	demo_p "from its router.  What ${ROUTERS[0]} itself shows ($(router_cli_hint "${ROUTERS[0]}" | sed 's/ *#.*//')):"
	router_show "${ROUTERS[0]}" "$ANYCAST4/32" | grep -E 'unicast|as_path|local_pref|via' | sed 's/^/     | /'
	demo_pause

	# ---- 2 ---------------------------------------------------------------------
	local rf tk tdown tsw tfirst tn tans tup tback
	rf=$(topo_uplink "$site_fail")
	demo_h "2. A site fails: the DNS server at $site_fail is killed (SIGKILL)"
	demo_p "Every client sends $DEMO_RATE queries/s to $ANYCAST4 (lab/probe); ${CLIENTS[0]} also to $ANYCAST6."
	for c in "${CLIENTS[@]}"; do probe_bg "$c" "fail-$c" --target $ANYCAST4 --rate "$DEMO_RATE" --duration 8 --quiet; done
	probe_bg "${CLIENTS[0]}" "fail-${CLIENTS[0]}-v6" --target $ANYCAST6 --rate "$DEMO_RATE" --duration 8 --quiet
	route_watch "$rf" $ANYCAST4 9 fail-route
	sleep 2
	mono_now
	tk=$MONO DEMO_T0=$MONO
	nsd_kill "$site_fail"
	sleep 2.5
	# NSD comes back; a probe at the site itself sees when it answers again.
	probe_bg "$site_fail" "local-$site_fail" --target 127.0.0.1 --rate 200 --duration 2 --timeout 100 --quiet
	sleep 0.6
	mono_now
	tn=$MONO
	nsd_start "$site_fail"
	probe_wait "${!PROBE_PID[@]}"
	route_watch_stop fail-route
	tdown=$(acd_transition "$site_fail" "$tk" down)
	read -r tsw via < <(route_change fail-route "$tk")
	local fc=${CLIENTS[0]}
	t=$(pj "fail-$fc" 'next((s["at"] for s in d["switches"] if s["from"] == "'"$site_fail"'"), "")')
	[ -n "$t" ] && tfirst=$(s_to_us "$t") || tfirst=
	demo_ev "$tk" "NSD at $site_fail killed"
	demo_ev "$tdown" "anycastd at $site_fail: its check failed $LAB_FALL times: service down, routes withdrawn"
	demo_ev "$tsw" "$rf's kernel now sends $ANYCAST4 to ${via:-?} (AS path ${DEMO_PATH[$rf,${via:-}]:-?}; seen by polling every 10 ms)"
	demo_ev "$tfirst" "$fc's first answer from another site"
	demo_ev_print
	demo_p "What the clients saw:"
	for c in "${CLIENTS[@]}"; do demo_client_line "fail-$c" "$c"; done
	demo_client_line "fail-$fc-v6" "$fc (IPv6)"
	demo_fact "failure.site" "\"$site_fail\""
	demo_fact "failure.kill_to_withdrawn_ms" "$(ms_since "$tk" "$tdown" | sed 's/?/null/')"
	demo_fact "failure.kill_to_router_switch_ms" "$(ms_since "$tk" "$tsw" | sed 's/?/null/')"
	demo_fact "failure.kill_to_first_other_answer_ms" "$(ms_since "$tk" "$tfirst" | sed 's/?/null/')"
	for c in "${CLIENTS[@]}"; do
		demo_fact "failure.clients.$c" "$(pj "fail-$c" '{k: d[k] for k in ("sent", "answered", "lost", "sites", "switches", "max_gap_ms")}' || echo null)"
	done
	demo_fact "failure.clients.$fc-ipv6" "$(pj "fail-$fc-v6" '{k: d[k] for k in ("sent", "answered", "lost", "sites", "switches", "max_gap_ms")}' || echo null)"

	# The recovery, on its own time line (from NSD's restart).
	DEMO_T0=$tn
	# When NSD answered again: the first reply the local probe received,
	# if it had been asking before (queries lost first) and not otherwise.
	t=$(pj "local-$site_fail" 'next((q[0] + q[1] / 1000 for i, q in enumerate(d["queries"]) if q[1] is not None and i > 0), "")')
	[ -n "$t" ] && tans=$(s_to_us "$t") || tans=
	tup=$(acd_transition "$site_fail" "$tn" up)
	t=$(pj "fail-$fc" 'next((s["at"] for s in d["switches"] if s["to"] == "'"$site_fail"'"), "")')
	[ -n "$t" ] && tback=$(s_to_us "$t") || tback=
	demo_p "Then NSD at $site_fail is started again:"
	demo_ev "$tn" "NSD started"
	demo_ev "$tans" "it answers (first reply to a probe inside $site_fail, 200 queries/s)"
	demo_ev "$tup" "anycastd: up after $LAB_RISE good checks in a row (rise $LAB_RISE): announced again"
	demo_ev "$tback" "$fc answered by $site_fail again ($(pj "fail-$fc" '"%d lost on the way back" % next((s["lost"] for s in d["switches"] if s["to"] == "'"$site_fail"'"), 0)'))"
	demo_ev_print
	demo_fact "recovery.nsd_start_to_first_answer_ms" "$(ms_since "$tn" "$tans" | sed 's/?/null/')"
	demo_fact "recovery.first_answer_to_announced_ms" "$(ms_since "$tans" "$tup" | sed 's/?/null/')"
	demo_fact "recovery.nsd_start_to_client_back_ms" "$(ms_since "$tn" "$tback" | sed 's/?/null/')"
	demo_pause

	# ---- 3 ---------------------------------------------------------------------
	local rd tdr tgs twd tund tb2 dc
	rd=$(topo_uplink "$site_drain")
	dc=
	for c in "${CLIENTS[@]}"; do [ "$(topo_uplink "$c")" = "$rd" ] && dc=$c; done
	demo_h "3. Planned maintenance: $site_drain is drained, with $how_drain"
	demo_p "Every client sends $DEMO_RATE queries/s again.  Draining: anycastd announces with"
	demo_p "GRACEFUL_SHUTDOWN for drain-time ($LAB_DRAIN_MS ms) while NSD still answers, then withdraws."
	for c in "${CLIENTS[@]}"; do probe_bg "$c" "drain-$c" --target $ANYCAST4 --rate "$DEMO_RATE" --duration 10 --quiet; done
	probe_bg "$dc" "drain-$dc-v6" --target $ANYCAST6 --rate "$DEMO_RATE" --duration 10 --quiet
	route_watch "$rd" $ANYCAST4 11 drain-route
	sleep 1.5
	mono_now
	tdr=$MONO DEMO_T0=$MONO
	if have_ctl; then
		demo_p "\$ anycastctl -s $(acd_sock "$site_drain") drain $SERVICE --wait"
		ctl "$site_drain" drain "$SERVICE" --wait 2>&1 | sed 's/^/     | /'
	else
		demo_p "\$ touch $(acd_maint "$site_drain")"
		touch "$(acd_maint "$site_drain")"
		for ((i = 0; i < (LAB_DRAIN_MS / 1000 + 5) * 20; i++)); do
			router_routes "$rd" "$ANYCAST4/32" | grep -q "^$site_drain " || break
			sleep 0.05
		done
	fi
	mono_now
	twd=$MONO
	sleep 2
	mono_now
	tund=$MONO
	if have_ctl; then
		demo_p "\$ anycastctl -s $(acd_sock "$site_drain") undrain $SERVICE"
		ctl "$site_drain" undrain "$SERVICE" 2>&1 | sed 's/^/     | /'
	else
		demo_p "\$ rm $(acd_maint "$site_drain")"
		rm -f "$(acd_maint "$site_drain")"
	fi
	probe_wait "${!PROBE_PID[@]}"
	route_watch_stop drain-route
	tgs=$(acd_transition "$site_drain" "$tdr" draining)
	read -r tsw via < <(route_change drain-route "$tdr")
	local twl tup2
	twl=$(acd_transition "$site_drain" "$tdr" draining "drain time over")
	tup2=$(acd_transition "$site_drain" "$tund" up)
	t=$(pj "drain-$dc" 'next((s["at"] for s in d["switches"] if s["from"] == "'"$site_drain"'"), "")')
	[ -n "$t" ] && tfirst=$(s_to_us "$t") || tfirst=
	t=$(pj "drain-$dc" 'next((s["at"] for s in d["switches"] if s["to"] == "'"$site_drain"'"), "")')
	[ -n "$t" ] && tb2=$(s_to_us "$t") || tb2=
	demo_ev "$tdr" "drain asked for$(have_ctl || echo " (anycastd polls the file every second)")"
	demo_ev "$tgs" "anycastd at $site_drain: draining: prefixes sent again with 65535:0"
	demo_ev "$tsw" "$rd's kernel now sends $ANYCAST4 to ${via:-?} (AS path ${DEMO_PATH[$rd,${via:-}]:-?}; seen by polling): $site_drain's route has local-pref 0"
	demo_ev "$tfirst" "$dc's first answer from another site, while $site_drain still answers"
	demo_ev "$twl" "drain-time over: $site_drain's routes withdrawn (nobody is using them)"
	demo_ev "$tund" "undrain asked for"
	demo_ev "$tup2" "anycastd at $site_drain: up again after rise"
	demo_ev "$tb2" "$dc answered by $site_drain again ($(pj "drain-$dc" '"%d lost on the way back" % next((s["lost"] for s in d["switches"] if s["to"] == "'"$site_drain"'"), 0)'))"
	demo_ev_print
	demo_p "What the clients saw:"
	for c in "${CLIENTS[@]}"; do demo_client_line "drain-$c" "$c"; done
	demo_client_line "drain-$dc-v6" "$dc (IPv6)"
	demo_fact "drain.site" "\"$site_drain\""
	demo_fact "drain.request_to_router_switch_ms" "$(ms_since "$tdr" "$tsw" | sed 's/?/null/')"
	demo_fact "drain.request_to_withdrawn_ms" "$(ms_since "$tdr" "$twl" | sed 's/?/null/')"
	demo_fact "drain.undrain_to_client_back_ms" "$(ms_since "$tund" "$tb2" | sed 's/?/null/')"
	for c in "${CLIENTS[@]}"; do
		demo_fact "drain.clients.$c" "$(pj "drain-$c" '{k: d[k] for k in ("sent", "answered", "lost", "sites", "switches", "max_gap_ms")}' || echo null)"
	done
	demo_fact "drain.clients.$dc-ipv6" "$(pj "drain-$dc-v6" '{k: d[k] for k in ("sent", "answered", "lost", "sites", "switches", "max_gap_ms")}' || echo null)"
	demo_pause

	demo_summary "$out/demo-$stamp.json"
	demo_p ""
	demo_p "Summary written to $out/demo-$stamp.json"
	# demo_cleanup (on EXIT) tears the lab down and says so.
}
