# lab/routers/bird.sh — BIRD 2 as the lab's routers (the default kind).
#
# A router kind is one file of these functions, sourced by lab/lib.sh after
# the topology is loaded (NODE_AS, NODE_RID, ADDR4/ADDR6, topo_sessions ...):
#
#   router_require          0 when the router software is installed, else
#                           says what is missing
#   router_version          its version, one word
#   router_config NODE      write NODE's configuration under $LAB_STATE/NODE/
#   router_start NODE       start it in NODE's namespace (proc_start), wait
#                           until it answers on its control socket
#   router_stop NODE
#   router_running NODE     0 while it runs
#   router_sessions NODE    its BGP sessions, one a line: "PEER STATE"
#                           (PEER: the node at the other end; STATE
#                           "Established" when up)
#   router_routes NODE PFX  its candidate routes for PFX, best first, one a
#                           line: "PEER best|alt LOCAL_PREF AS_PATH..."
#   router_show NODE PFX    the same as its own CLI shows it, for people
#   router_cli_hint NODE    the command a person types to look at NODE
# and the variables ROUTER_NAME (for people), ROUTER_PROTO (the "proto" of
# the routes it installs in the kernel), ROUTER_LOG_NAME, ROUTER_HOLD_MIN_PCT
# (how early, in % of the hold time, its hold timer may fire).
#
# What every kind configures, as operators do:
#   - eBGP with each neighbour of the topology (bgp lines), IPv4 and IPv6
#     over one session on the link's IPv4 addresses; next hop self;
#   - the routes learnt by BGP installed into the kernel, so that packets
#     follow BGP;
#   - the connected networks (clients, links) announced to the other
#     routers, so that answers find their way back to the clients;
#   - nothing announced to the sites (anycastd only announces);
#   - RFC 8326: a route carrying GRACEFUL_SHUTDOWN (65535:0) gets local
#     preference 0 on import, from sites and routers alike, so a draining
#     site is used only when nothing else is left.

ROUTER_NAME="BIRD"
ROUTER_PROTO=bird
ROUTER_LOG_NAME=bird.log
# BIRD starts every BGP timer, the hold timer included, shortened by a random
# 0..25% (RFC 4271 section 10 jitter): a silent peer is dropped between 75%
# and 100% of the hold time after its last message.
ROUTER_HOLD_MIN_PCT=75

router_require() {
	local c
	for c in bird birdc; do
		command -v "$c" >/dev/null 2>&1 || { lab_err "'$c' not installed (Debian: bird2; tools/install-deps)"; return 1; }
	done
}
router_version() { bird --version 2>&1 | awk '{ print $3 }'; }

bird_sock() { echo "$LAB_STATE/$1/bird.ctl"; }
bird_c() { local n=$1; shift; birdc -s "$(bird_sock "$n")" "$@"; }

router_config() {
	local r=$1 d=$LAB_STATE/$1 p opts kind
	{
		cat <<-EOF
			# written by lab/routers/bird.sh: router $r (AS ${NODE_AS[$r]}), lab $LAB_PREFIX
			log "$d/bird.log" all;
			timeformat log iso long ms;
			timeformat protocol iso long ms;
			timeformat route iso long ms;
			router id ${NODE_RID[$r]};

			protocol device { }

			# The connected networks (clients, sites' and routers' links),
			# announced to the other routers so that answers find the clients.
			protocol direct {
			  ipv4;
			  ipv6;
			  interface "-lo", "*";
			}

			# What BGP chose goes into the kernel: packets follow BGP.
			protocol kernel kernel4 { ipv4 { export where source = RTS_BGP; }; }
			protocol kernel kernel6 { ipv6 { export where source = RTS_BGP; }; }

			# RFC 8326 graceful shutdown, as operators configure it: a route
			# with community 65535:0 is kept but preferred last.
			filter gshut_import {
			  if (65535, 0) ~ bgp_community then bgp_local_pref = 0;
			  accept;
			}
		EOF
		while read -r p opts; do
			kind=${NODE_KIND[$p]}
			echo
			if [ "$kind" = router ]; then
				cat <<-EOF
					protocol bgp $p {
					  description "router $p (AS ${NODE_AS[$p]})";
					  local ${ADDR4[$r,$p]} as ${NODE_AS[$r]};
					  neighbor ${ADDR4[$p,$r]} as ${NODE_AS[$p]};
					  hold time 9;
					  connect delay time 1;
					  connect retry time 2;
					  error wait time 1, 4;
					  ipv4 { import filter gshut_import; export where source ~ [RTS_BGP, RTS_DEVICE]; };
					  ipv6 {
					    import filter gshut_import;
					    export where source ~ [RTS_BGP, RTS_DEVICE];
					    next hop address ${ADDR6[$r,$p]};  # the session is IPv4
					  };
					}
				EOF
			else
				cat <<-EOF
					protocol bgp $p {
					  description "anycast site $p (anycastd, AS ${NODE_AS[$p]})";
					  local ${ADDR4[$r,$p]} as ${NODE_AS[$r]};
					  neighbor ${ADDR4[$p,$r]} as ${NODE_AS[$p]};
					  hold time $LAB_HOLD;
					  connect delay time 1;
					  connect retry time 2;
					  error wait time 1, 4;
					  ipv4 { import filter gshut_import; export none; };
					  ipv6 { import filter gshut_import; export none; };
					}
				EOF
			fi
		done < <(topo_sessions "$r")
	} >"$d/bird.conf"
	bird -p -c "$d/bird.conf" >"$d/bird.parse" 2>&1 || { cat "$d/bird.parse" >&2; return 1; }
}

router_start() {
	local r=$1 d=$LAB_STATE/$1 i
	proc_start "$r" bird "$d/bird.out" bird -f -c "$d/bird.conf" -s "$(bird_sock "$r")" -P "$d/bird.pidfile"
	for ((i = 0; i < 100; i++)); do
		bird_c "$r" show status >/dev/null 2>&1 && return 0
		proc_alive "$r" bird || break
		sleep 0.05
	done
	cat "$d/bird.out" >&2
	return 1
}
router_stop() { proc_stop "$1" bird TERM; }
router_running() { proc_alive "$1" bird; }

router_sessions() {
	bird_c "$1" show protocols 2>/dev/null | awk '$2 == "BGP" {
		st = $4 # "start", "down" ... until a BGP state shows in the info
		for (i = 5; i <= NF; i++)
			if ($i ~ /^(Idle|Connect|Active|OpenSent|OpenConfirm|Established|Close)$/) { st = $i; break }
		print $1, st
	}'
}

# birdc's "show route PFX all": a route starts with "PFX  unicast [PROTO
# TIME] * (PREF) [...]" ("*" marks the best), or "  unicast [...]" for the
# next candidates; its BGP.as_path and BGP.local_pref lines follow.
router_routes() {
	bird_c "$1" show route "$2" all 2>/dev/null | awk '
		function flush() { if (peer != "") print peer, best, lp, path; peer = "" }
		/unicast \[/ {
			flush()
			s = $0; sub(/.*unicast \[/, "", s); split(s, w, " "); peer = w[1]
			best = ($0 ~ /\] \* \(/) ? "best" : "alt"; lp = "-"; path = ""
		}
		/BGP.as_path:/ { s = $0; sub(/.*BGP.as_path: */, "", s); path = s }
		/BGP.local_pref:/ { lp = $2 }
		END { flush() }' | sort -k2,2 -s # "best" before "alt", else in BIRD's order
}

router_show() { bird_c "$1" show route "$2" all 2>/dev/null | sed '/^BIRD .* ready\.$/d'; }

router_cli_hint() {
	printf 'birdc -s %s show route for %s all   # %s'"'"'s choice and why\n' "$(bird_sock "$1")" "$ANYCAST4" "$1"
}
