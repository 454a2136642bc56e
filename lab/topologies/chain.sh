# lab/topologies/chain.sh — the default lab: three routers in a chain.
#
#    c1        c2        c3          clients (they query 203.0.113.53)
#    |         |         |
#    r1 ====== r2 ====== r3          routers, AS 64501..64503, eBGP
#    |         |         |
#    s1        s2        s3          anycast sites, AS 64600 (anycastd + NSD)
#
# Each client's nearest site is its own router's site (AS path 64600); the
# next nearest is one router further (64502 64600), so a client whose site
# fails or drains moves one hop along the chain: c1 -> s2, c3 -> s2, and c2
# -> s1 (s1 and s3 are equally far from r2; BIRD then takes the route from
# the neighbour with the lower router id, r1).
#
# This file is data, read by lab/lib.sh (topo_load), one statement a line:
#   router NAME ASN ROUTER-ID     a router (its kind: --routers, lab/routers/)
#   site   NAME ASN               an anycast site: NSD + anycastd (local-as ASN)
#   client NAME                   a client namespace
#   link   A B IPV4-NET IPV6-NET  a veth pair; A takes the first host address,
#                                 B the second; each end is named after the
#                                 node at the other end (r1's link to s1 is
#                                 "s1" in r1's namespace)
#   bgp    A B [OPTION...]        a BGP session over the link between A and B
#                                 (eBGP when their ASNs differ); OPTIONs are
#                                 for the router kind (none are used yet)
# Sites and clients send everything else to the router at the other end of
# their one link (default route).  Documentation addresses only.

router r1 64501 192.0.2.1
router r2 64502 192.0.2.2
router r3 64503 192.0.2.3

site s1 64600
site s2 64600
site s3 64600

client c1
client c2
client c3

link r1 r2 198.51.100.0/30  2001:db8:12::/64
link r2 r3 198.51.100.4/30  2001:db8:23::/64

link r1 s1 198.51.100.64/30 2001:db8:a1::/64
link r2 s2 198.51.100.68/30 2001:db8:a2::/64
link r3 s3 198.51.100.72/30 2001:db8:a3::/64

link r1 c1 192.0.2.16/28    2001:db8:c1::/64
link r2 c2 192.0.2.32/28    2001:db8:c2::/64
link r3 c3 192.0.2.48/28    2001:db8:c3::/64

bgp r1 r2
bgp r2 r3
bgp r1 s1
bgp r2 s2
bgp r3 s3
