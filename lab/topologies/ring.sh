# lab/topologies/ring.sh — three routers in a ring (lab/lab --topology ring).
#
#           c1
#           |
#     s1 -- r1
#          /  \
#   c2 -- r2 == r3 -- c3
#         |      |
#         s2     s3
#
# Every other site is one router away from every router, so a client whose
# site goes moves to whichever of the two BIRD prefers at equal AS path
# length (the lower router id).  Format: see chain.sh.

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
link r1 r3 198.51.100.8/30  2001:db8:13::/64

link r1 s1 198.51.100.64/30 2001:db8:a1::/64
link r2 s2 198.51.100.68/30 2001:db8:a2::/64
link r3 s3 198.51.100.72/30 2001:db8:a3::/64

link r1 c1 192.0.2.16/28    2001:db8:c1::/64
link r2 c2 192.0.2.32/28    2001:db8:c2::/64
link r3 c3 192.0.2.48/28    2001:db8:c3::/64

bgp r1 r2
bgp r2 r3
bgp r1 r3
bgp r1 s1
bgp r2 s2
bgp r3 s3
