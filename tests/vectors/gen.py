#!/usr/bin/env python3
"""Generates the golden BGP wire vectors tests/vectors/*.hex.

Every message is built from small helpers that mirror the RFC layouts, so a
reviewer can check each octet against the RFC named next to the helper.  The
vectors are canonical as anycastd's encoder writes them (see README.md), so
`bgpdecode --roundtrip` re-encodes each one byte for byte.

    python3 tests/vectors/gen.py          # rewrite every NAME.hex
    python3 tests/vectors/gen.py --list   # names only

The golden text NAME.txt is produced separately by bgpdecode and checked by
hand; see README.md.  Python 3, standard library only.
"""

import ipaddress
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- header ---
# RFC 4271 §4.1: Marker (16 x 0xff), Length (2, header included), Type (1).
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5
MAX_LEN = 4096        # RFC 4271 §4
EXT_MAX_LEN = 65535   # RFC 8654


def u8(v):
    return struct.pack("!B", v)


def u16(v):
    return struct.pack("!H", v)


def u32(v):
    return struct.pack("!I", v)


def ipv4(s):
    return ipaddress.IPv4Address(s).packed


def ipv6(s):
    return ipaddress.IPv6Address(s).packed


def message(mtype, body, max_len=MAX_LEN):
    length = 19 + len(body)
    assert length <= max_len, (mtype, length)
    return b"\xff" * 16 + u16(length) + u8(mtype) + body


def keepalive():
    """RFC 4271 §4.4: a header alone, length 19."""
    return message(KEEPALIVE, b"")


# ------------------------------------------------------------------ OPEN ---
AS_TRANS = 23456  # RFC 6793 §9

# Capability codes (IANA "Capability Codes").
CAP_MP, CAP_RR, CAP_EXT_MSG = 1, 2, 6           # RFC 4760, 2918, 8654
CAP_GR, CAP_AS4, CAP_ERR = 64, 65, 70           # RFC 4724, 6793, 7313
CAP_FQDN, CAP_SW_VERSION = 73, 75               # draft-walton, draft-abraitis
AFI_IPV4, AFI_IPV6, AFI_L2VPN = 1, 2, 25
SAFI_UNICAST, SAFI_MULTICAST, SAFI_EVPN = 1, 2, 70


def capability(code, value=b""):
    """RFC 5492 §4: Capability Code (1), Capability Length (1), Value."""
    assert len(value) <= 255
    return u8(code) + u8(len(value)) + value


def cap_mp(afi, safi):
    """RFC 4760 §8: AFI (2), Reserved (1) = 0, SAFI (1)."""
    return capability(CAP_MP, u16(afi) + u8(0) + u8(safi))


def cap_route_refresh():
    return capability(CAP_RR)  # RFC 2918 §3: length 0


def cap_enhanced_rr():
    return capability(CAP_ERR)  # RFC 7313 §3: length 0


def cap_ext_message():
    return capability(CAP_EXT_MSG)  # RFC 8654 §3: length 0


def cap_as4(asn):
    return capability(CAP_AS4, u32(asn))  # RFC 6793 §3: the 4-octet AS


def cap_gr(flags, time, families=()):
    """RFC 4724 §3: Restart Flags (4 bits: R=8, N=4 per RFC 8538), Restart
    Time (12 bits, seconds); then per family AFI (2), SAFI (1), Flags (1,
    F bit = 0x80)."""
    assert flags < 16 and time < 4096
    v = u16(flags << 12 | time)
    for afi, safi, fflags in families:
        v += u16(afi) + u8(safi) + u8(fflags)
    return capability(CAP_GR, v)


def cap_fqdn(host, domain):
    """draft-walton-bgp-hostname-capability §3: Hostname Length (1),
    Hostname, Domain Name Length (1), Domain Name."""
    h, d = host.encode(), domain.encode()
    return capability(CAP_FQDN, u8(len(h)) + h + u8(len(d)) + d)


def cap_software_version(text):
    """draft-abraitis-bgp-version-capability §3: Software Version Length (1),
    Software Version (UTF-8)."""
    t = text.encode()
    return capability(CAP_SW_VERSION, u8(len(t)) + t)


def open_msg(my_as, hold_time, bgp_id, caps=()):
    """RFC 4271 §4.2: Version (1) = 4, My AS (2), Hold Time (2), BGP
    Identifier (4), Opt Parm Len (1), Optional Parameters.  All
    capabilities go in ONE parameter of type 2 (RFC 5492 §4).  When they do
    not fit a 1-octet parameter length (more than 253 octets, since the
    parameter's own type and length count against Opt Parm Len 255), RFC
    9072 §2: Non-Ext OP Len = 255, Non-Ext OP Type = 255, Extended Opt.
    Parm. Length (2), then parameters with 2-octet lengths."""
    c = b"".join(caps)
    fixed = u8(4) + u16(my_as) + u16(hold_time) + ipv4(bgp_id)
    if not c:
        params = u8(0)
    elif len(c) <= 253:
        params = u8(len(c) + 2) + u8(2) + u8(len(c)) + c
    else:
        param = u8(2) + u16(len(c)) + c
        params = u8(255) + u8(255) + u16(len(param)) + param
    return message(OPEN, fixed + params)


# ---------------------------------------------------------- NOTIFICATION ---
def notification(code, subcode, data=b""):
    """RFC 4271 §4.5: Error code (1), Error subcode (1), Data."""
    return message(NOTIFICATION, u8(code) + u8(subcode) + data)


def shutdown_communication(text):
    """RFC 9003 §2: Length (1), then that many octets of UTF-8 text."""
    t = text.encode("utf-8")
    assert len(t) <= 255
    return u8(len(t)) + t


# --------------------------------------------------------- ROUTE-REFRESH ---
RR_REQUEST, RR_BORR, RR_EORR = 0, 1, 2  # RFC 7313 §4


def route_refresh(afi, safi, subtype=RR_REQUEST):
    """RFC 2918 §3 / RFC 7313 §3.2: AFI (2), Subtype (1, was Reserved),
    SAFI (1)."""
    return message(ROUTE_REFRESH, u16(afi) + u8(subtype) + u8(safi))


# ---------------------------------------------------------------- UPDATE ---
# Attribute flags, RFC 4271 §4.3.
OPTIONAL, TRANSITIVE, PARTIAL, EXTLEN = 0x80, 0x40, 0x20, 0x10
WELL_KNOWN = TRANSITIVE
OPT_TRANS = OPTIONAL | TRANSITIVE

# Attribute type codes (IANA "BGP Path Attributes").
ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF = 1, 2, 3, 4, 5        # RFC 4271
ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES = 6, 7, 8               # RFC 4271, 1997
ORIGINATOR_ID, CLUSTER_LIST = 9, 10                               # RFC 4456
MP_REACH_NLRI, MP_UNREACH_NLRI = 14, 15                           # RFC 4760
EXTENDED_COMMUNITIES = 16                                         # RFC 4360
AS4_PATH, AS4_AGGREGATOR = 17, 18                                 # RFC 6793
IPV6_EXT_COMMUNITIES = 25                                         # RFC 5701
LARGE_COMMUNITIES = 32                                            # RFC 8092
OTC = 35                                                          # RFC 9234

IGP, EGP, INCOMPLETE = 0, 1, 2
AS_SET, AS_SEQUENCE, AS_CONFED_SEQUENCE, AS_CONFED_SET = 1, 2, 3, 4


def attr(flags, atype, value):
    """RFC 4271 §4.3: Attr. Flags (1), Attr. Type Code (1), Attr. Length (1,
    or 2 with the Extended Length flag, which we set only above 255)."""
    assert flags & (EXTLEN | 0x0F) == 0, "pass flags without EXTLEN/low bits"
    if len(value) > 255:
        return u8(flags | EXTLEN) + u8(atype) + u16(len(value)) + value
    return u8(flags) + u8(atype) + u8(len(value)) + value


def origin(v):
    return attr(WELL_KNOWN, ORIGIN, u8(v))  # RFC 4271 §5.1.1


def as_path_value(segments, width=4):
    """RFC 4271 §4.3 / RFC 6793: segments of Type (1), Count (1), ASes of
    2 octets (old sessions) or 4 octets (both speakers NEW)."""
    pack = u32 if width == 4 else u16
    v = b""
    for seg_type, ases in segments:
        assert 0 < len(ases) <= 255
        v += u8(seg_type) + u8(len(ases)) + b"".join(pack(a) for a in ases)
    return v


def as_path(segments, width=4):
    return attr(WELL_KNOWN, AS_PATH, as_path_value(segments, width))


def seq(*ases):
    return (AS_SEQUENCE, ases)


def as_set(*ases):
    return (AS_SET, ases)


def confed_seq(*ases):
    return (AS_CONFED_SEQUENCE, ases)


def next_hop(addr):
    return attr(WELL_KNOWN, NEXT_HOP, ipv4(addr))  # RFC 4271 §5.1.3


def med(v):
    return attr(OPTIONAL, MED, u32(v))  # RFC 4271 §5.1.4: optional non-transitive


def local_pref(v):
    return attr(WELL_KNOWN, LOCAL_PREF, u32(v))  # RFC 4271 §5.1.5


def atomic_aggregate():
    return attr(WELL_KNOWN, ATOMIC_AGGREGATE, b"")  # RFC 4271 §5.1.6: length 0


def aggregator(asn, addr, width=4):
    """RFC 4271 §5.1.7 (2-octet AS) / RFC 6793 §3 (4-octet between NEW
    speakers): AS, then the aggregating speaker's BGP Identifier."""
    return attr(OPT_TRANS, AGGREGATOR, (u32 if width == 4 else u16)(asn) + ipv4(addr))


def community(hi, lo):
    return hi << 16 | lo


GRACEFUL_SHUTDOWN = community(65535, 0)   # RFC 8326
NO_EXPORT = community(65535, 65281)       # RFC 1997
NO_ADVERTISE = community(65535, 65282)    # RFC 1997
BLACKHOLE = community(65535, 666)         # RFC 7999


def communities(*values):
    return attr(OPT_TRANS, COMMUNITIES, b"".join(u32(c) for c in values))  # RFC 1997


def originator_id(addr):
    return attr(OPTIONAL, ORIGINATOR_ID, ipv4(addr))  # RFC 4456 §8


def cluster_list(*ids):
    return attr(OPTIONAL, CLUSTER_LIST, b"".join(ipv4(i) for i in ids))  # RFC 4456 §8


def mp_reach(afi, safi, nexthops, nlri):
    """RFC 4760 §3: AFI (2), SAFI (1), Length of Next Hop (1), Next Hop,
    Reserved (1) = 0, NLRI.  Optional non-transitive.  IPv6 next hop: global,
    or global + link-local (length 32), RFC 2545 §3."""
    nh = b"".join(nexthops)
    return attr(OPTIONAL, MP_REACH_NLRI, u16(afi) + u8(safi) + u8(len(nh)) + nh + u8(0) + nlri)


def mp_unreach(afi, safi, withdrawn):
    """RFC 4760 §4: AFI (2), SAFI (1), Withdrawn Routes."""
    return attr(OPTIONAL, MP_UNREACH_NLRI, u16(afi) + u8(safi) + withdrawn)


def ext_community(ctype, subtype, value6):
    """RFC 4360 §2: Type (1), Sub-Type (1), Value (6)."""
    assert len(value6) == 6
    return u8(ctype) + u8(subtype) + value6


def rt_as2(asn, local):
    return ext_community(0x00, 0x02, u16(asn) + u32(local))  # RFC 4360 §4: 2-octet AS RT


def rt_as4(asn, local):
    return ext_community(0x02, 0x02, u32(asn) + u16(local))  # RFC 5668 §2: 4-octet AS RT


def ov_state(state):
    """RFC 8097 §2: non-transitive opaque (0x43), sub-type 0x00, 5 reserved
    octets, validation state (0 valid, 1 not found, 2 invalid)."""
    return ext_community(0x43, 0x00, b"\x00" * 5 + u8(state))


def extended_communities(*values):
    return attr(OPT_TRANS, EXTENDED_COMMUNITIES, b"".join(values))


def ipv6_rt(addr, local):
    """RFC 5701 §2: Type 0x00 (transitive IPv6-address-specific), Sub-Type
    0x02 (route target), Global Administrator (16), Local Administrator (2)."""
    return u8(0x00) + u8(0x02) + ipv6(addr) + u16(local)


def ipv6_ext_communities(*values):
    return attr(OPT_TRANS, IPV6_EXT_COMMUNITIES, b"".join(values))


def as4_path(segments):
    return attr(OPT_TRANS, AS4_PATH, as_path_value(segments, 4))  # RFC 6793 §3


def as4_aggregator(asn, addr):
    return attr(OPT_TRANS, AS4_AGGREGATOR, u32(asn) + ipv4(addr))  # RFC 6793 §3


def large_communities(*triples):
    """RFC 8092 §3: Global Administrator, Local Data 1, Local Data 2 (4 each)."""
    return attr(OPT_TRANS, LARGE_COMMUNITIES, b"".join(u32(g) + u32(a) + u32(b) for g, a, b in triples))


def otc(asn):
    return attr(OPT_TRANS, OTC, u32(asn))  # RFC 9234 §5: optional transitive, 4 octets


def prefix(text):
    """RFC 4271 §4.3 / RFC 4760 §5: Length in bits (1), then the fewest
    octets that hold it; host bits must be clear (strict parsing)."""
    net = ipaddress.ip_network(text, strict=True)
    nbytes = (net.prefixlen + 7) // 8
    return u8(net.prefixlen) + net.network_address.packed[:nbytes]


def prefixes(*texts):
    return b"".join(prefix(t) for t in texts)


def attr_order(a):
    """Canonical position: MP_REACH_NLRI, MP_UNREACH_NLRI, then type code."""
    t = a[1]
    return {MP_REACH_NLRI: -2, MP_UNREACH_NLRI: -1}.get(t, t)


def update(withdrawn=b"", attrs=(), nlri=b"", max_len=MAX_LEN):
    """RFC 4271 §4.3: Withdrawn Routes Length (2), Withdrawn Routes, Total
    Path Attribute Length (2), Path Attributes, NLRI."""
    keys = [attr_order(a) for a in attrs]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), "attributes not canonical"
    pa = b"".join(attrs)
    return message(UPDATE, u16(len(withdrawn)) + withdrawn + u16(len(pa)) + pa + nlri, max_len)


# --------------------------------------------------------------- vectors ---
VECTORS = []  # (name, description, session or None, bytes)


def vector(name, description, data, session=None):
    assert all(n != name for n, *_ in VECTORS), name
    VECTORS.append((name, description, session, data))


def define_vectors():
    # KEEPALIVE
    vector("keepalive", "KEEPALIVE: header only, length 19 (RFC 4271 §4.4)", keepalive())

    # OPEN
    vector("open-minimal",
           "OPEN without optional parameters, AS 64500, hold 90 (RFC 4271 §4.2)",
           open_msg(64500, 90, "192.0.2.1"))
    vector("open-hold-zero",
           "OPEN with hold time 0, keepalives disabled (RFC 4271 §4.2, §6.2)",
           open_msg(64500, 0, "192.0.2.1", [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_as4(64500)]))
    vector("open-typical",
           "OPEN with MP IPv4+IPv6 unicast, route refresh, 4-octet AS (RFC 4271 §4.2, RFC 5492 §4, RFC 4760 §8, RFC 2918 §2, RFC 6793 §3)",
           open_msg(64501, 180, "198.51.100.7",
                    [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_mp(AFI_IPV6, SAFI_UNICAST),
                     cap_route_refresh(), cap_as4(64501)]))
    vector("open-as4-trans",
           "OPEN from a 4-octet AS: My AS = AS_TRANS 23456, real AS 4200000001 in the capability (RFC 6793 §3, §4.1)",
           open_msg(AS_TRANS, 90, "203.0.113.254",
                    [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_mp(AFI_IPV6, SAFI_UNICAST),
                     cap_route_refresh(), cap_as4(4200000001)]))
    vector("open-all-caps",
           "OPEN with every capability kind: MP (3 families), RR, enhanced RR, extended message, AS4, graceful restart with families, FQDN, software version, unknown ADD-PATH(69) and 128 (RFC 5492 §4, RFC 4760, 2918, 7313, 8654, 6793, 4724 §3, draft-walton-bgp-hostname-capability, draft-abraitis-bgp-version-capability)",
           open_msg(64500, 90, "192.0.2.1",
                    [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_mp(AFI_IPV6, SAFI_UNICAST),
                     cap_mp(AFI_L2VPN, SAFI_EVPN),
                     cap_route_refresh(), cap_enhanced_rr(), cap_ext_message(),
                     cap_as4(64500),
                     cap_gr(0x8, 120, [(AFI_IPV4, SAFI_UNICAST, 0x80), (AFI_IPV6, SAFI_UNICAST, 0x00)]),
                     cap_fqdn("edge1", "example.net"),
                     cap_software_version("anycastd/0.1"),
                     capability(69, u16(AFI_IPV4) + u8(SAFI_UNICAST) + u8(1)),
                     capability(128)]))
    vector("open-gr-helper",
           "OPEN with graceful restart, no families, N bit (helper only; RFC 4724 §3, RFC 8538 §2)",
           open_msg(64500, 90, "192.0.2.1",
                    [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_as4(64500), cap_gr(0x4, 0)]))
    gr_fams = [(afi, safi, 0x80) for afi in (AFI_IPV4, AFI_IPV6) for safi in (1, 2, 4, 128, 133)]
    vector("open-gr-many-families",
           "OPEN with graceful restart for 10 families; RFC 4724 §3 allows 0 to 63 tuples",
           open_msg(64500, 90, "192.0.2.1",
                    [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_mp(AFI_IPV6, SAFI_UNICAST), cap_as4(64500),
                     cap_gr(0x8, 120, gr_fams)]))
    big_caps = [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_mp(AFI_IPV6, SAFI_UNICAST),
                cap_mp(AFI_IPV4, SAFI_MULTICAST), cap_mp(AFI_IPV6, SAFI_MULTICAST),
                cap_mp(AFI_L2VPN, SAFI_EVPN),
                cap_route_refresh(), cap_enhanced_rr(), cap_ext_message(),
                cap_as4(4200000001),
                cap_gr(0x8, 300, [(AFI_IPV4, SAFI_UNICAST, 0x80), (AFI_IPV6, SAFI_UNICAST, 0x80)]),
                cap_fqdn("anycast-edge-router-07.fra3.pop", "dns-anycast.operations.example.net"),
                cap_software_version("anycastd/1.2.3 (Debian 12; x86_64-linux-gnu; 2024-11-25)"),
                capability(69, b"".join(u16(a) + u8(1) + u8(3) for a in (AFI_IPV4, AFI_IPV6))),
                capability(71, b"".join(u16(a) + u8(1) + u8(0x80) + b"\x00\x0e\x10" for a in (AFI_IPV4, AFI_IPV6))),
                capability(128), capability(129, bytes(range(1, 33))), capability(239, bytes(range(33, 65)))]
    assert sum(len(c) for c in big_caps) > 253
    vector("open-extended-params",
           "OPEN whose capabilities exceed 253 octets, in RFC 9072 extended optional parameters (RFC 9072 §2)",
           open_msg(AS_TRANS, 90, "192.0.2.1", big_caps))

    # Capabilities of exactly 253 octets still fit a 1-octet Opt Parm Len
    # (255 = 253 + parameter type + length); 254 octets do not.
    pad253 = [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_as4(64500), capability(129, bytes(239))]
    assert sum(len(c) for c in pad253) == 253
    vector("open-params-255",
           "OPEN with 253 octets of capabilities: Opt Parm Len 255, still the RFC 4271 encoding (RFC 4271 §4.2, RFC 9072 §2)",
           open_msg(64500, 90, "192.0.2.1", pad253))
    pad254 = [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_as4(64500), capability(129, bytes(240))]
    assert sum(len(c) for c in pad254) == 254
    vector("open-extended-params-254",
           "OPEN with 254 octets of capabilities, the smallest that needs RFC 9072 extended parameters (RFC 9072 §2)",
           open_msg(64500, 90, "192.0.2.1", pad254))

    # NOTIFICATION
    vector("notification-hold-timer-expired",
           "NOTIFICATION 4/0 Hold Timer Expired, no data (RFC 4271 §4.5, §6.5)",
           notification(4, 0))
    vector("notification-bad-message-length",
           "NOTIFICATION 1/2 Message Header Error/Bad Message Length, data = the bad length 4097 (RFC 4271 §6.1)",
           notification(1, 2, u16(4097)))
    vector("notification-unsupported-capability",
           "NOTIFICATION 2/7 OPEN Message Error/Unsupported Capability, data = the capability (RFC 5492 §5)",
           notification(2, 7, cap_mp(AFI_L2VPN, SAFI_EVPN)))
    vector("notification-malformed-as-path",
           "NOTIFICATION 3/11 UPDATE Message Error/Malformed AS_PATH (RFC 4271 §6.3)",
           notification(3, 11))
    vector("notification-max-prefix",
           "NOTIFICATION 6/1 Cease/Maximum Number of Prefixes Reached, data AFI/SAFI/limit 1000 (RFC 4486 §4)",
           notification(6, 1, u16(AFI_IPV4) + u8(SAFI_UNICAST) + u32(1000)))
    vector("notification-admin-shutdown-comm",
           "NOTIFICATION 6/2 Cease/Administrative Shutdown with a UTF-8 shutdown communication (RFC 4486 §4, RFC 9003 §2)",
           notification(6, 2, shutdown_communication("maintenance until 14:00 UTC — Wartung für 2h, ticket #4711")))
    vector("notification-admin-reset-comm",
           "NOTIFICATION 6/4 Cease/Administrative Reset with a shutdown communication (RFC 9003 §2)",
           notification(6, 4, shutdown_communication("policy change, resetting")))
    vector("notification-admin-shutdown-empty",
           "NOTIFICATION 6/2 Cease/Administrative Shutdown with an empty communication, length 0 (RFC 9003 §2)",
           notification(6, 2, shutdown_communication("")))
    vector("notification-admin-shutdown-nodata",
           "NOTIFICATION 6/2 Cease/Administrative Shutdown without data, as before RFC 9003 (RFC 4486 §4)",
           notification(6, 2))
    vector("notification-admin-shutdown-bad-utf8",
           "NOTIFICATION 6/2 whose shutdown communication is not UTF-8: logged as invalid, kept as data (RFC 9003 §2, §4)",
           notification(6, 2, u8(4) + b"ab\xc3\x28"))
    vector("notification-admin-shutdown-overrun",
           "NOTIFICATION 6/2 whose communication length 10 overruns the 3 octets present: invalid (RFC 9003 §2, §4)",
           notification(6, 2, u8(10) + b"abc"))
    vector("notification-send-hold-timer-expired",
           "NOTIFICATION 8/0 Send Hold Timer Expired (RFC 9687 §3)",
           notification(8, 0))

    # ROUTE-REFRESH
    vector("route-refresh-ipv4", "ROUTE-REFRESH request for IPv4 unicast (RFC 2918 §3)",
           route_refresh(AFI_IPV4, SAFI_UNICAST))
    vector("route-refresh-ipv6", "ROUTE-REFRESH request for IPv6 unicast (RFC 2918 §3)",
           route_refresh(AFI_IPV6, SAFI_UNICAST))
    vector("route-refresh-borr-ipv4",
           "ROUTE-REFRESH Beginning of Route Refresh (BoRR), IPv4 unicast (RFC 7313 §3.2, §4)",
           route_refresh(AFI_IPV4, SAFI_UNICAST, RR_BORR))
    vector("route-refresh-eorr-ipv6",
           "ROUTE-REFRESH End of Route Refresh (EoRR), IPv6 unicast (RFC 7313 §3.2, §4)",
           route_refresh(AFI_IPV6, SAFI_UNICAST, RR_EORR))

    vector("route-refresh-reserved-subtype",
           "ROUTE-REFRESH with reserved subtype 3, to be ignored by the receiver (RFC 7313 §3.2, §5)",
           route_refresh(AFI_IPV4, SAFI_UNICAST, 3))

    # UPDATE: IPv4
    vector("update-ipv4-announce",
           "UPDATE announcing IPv4 with ORIGIN, AS_PATH, NEXT_HOP, MED, COMMUNITIES (incl. graceful-shutdown, no-export), LARGE_COMMUNITIES (RFC 4271 §4.3, §5.1; RFC 1997; RFC 8326 §5; RFC 8092 §3)",
           update(attrs=[origin(IGP), as_path([seq(64501, 64496)]), next_hop("192.0.2.1"), med(100),
                         communities(community(64501, 100), GRACEFUL_SHUTDOWN, NO_EXPORT),
                         large_communities((64501, 1, 2), (4200000000, 4294967295, 0))],
                  nlri=prefixes("198.51.100.0/24", "203.0.113.128/25")))
    vector("update-ipv4-edge-prefixes",
           "UPDATE announcing 0.0.0.0/0, a /32, a /1 and a /9, ORIGIN egp, BLACKHOLE/no-advertise (RFC 4271 §4.3, RFC 7999 §5)",
           update(attrs=[origin(EGP), as_path([seq(64501)]), next_hop("192.0.2.1"),
                         communities(BLACKHOLE, NO_ADVERTISE)],
                  nlri=prefixes("0.0.0.0/0", "192.0.2.77/32", "128.0.0.0/1", "10.128.0.0/9")))
    vector("update-well-known-communities",
           "UPDATE with every well-known community (graceful-shutdown, accept-own, blackhole, no-export, no-advertise, no-export-subconfed, nopeer), plus plain 65534:65535 and reserved 0:1 (RFC 1997, RFC 3765, RFC 7611, RFC 7999, RFC 8326)",
           update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1"),
                         communities(GRACEFUL_SHUTDOWN, community(65535, 1), BLACKHOLE, NO_EXPORT,
                                     NO_ADVERTISE, community(65535, 65283), community(65535, 65284),
                                     community(65534, 65535), community(0, 1))],
                  nlri=prefixes("198.51.100.0/24")))
    vector("update-mp-reach-ipv4",
           "UPDATE announcing IPv4 unicast in MP_REACH_NLRI (AFI 1 SAFI 1, next hop length 4) instead of the NLRI field (RFC 4760 §3)",
           update(attrs=[mp_reach(AFI_IPV4, SAFI_UNICAST, [ipv4("192.0.2.1")], prefixes("198.51.100.0/24", "203.0.113.0/26")),
                         origin(IGP), as_path([seq(64501)])]))
    vector("update-withdraw-with-aggregator",
           "UPDATE on a 4-octet session withdrawing IPv4 and carrying ORIGIN and a 4-octet AGGREGATOR but no AS_PATH (RFC 4271 §4.3, RFC 6793 §3)",
           update(withdrawn=prefixes("198.51.100.0/24"),
                  attrs=[origin(IGP), aggregator(4200000001, "203.0.113.9")]))
    vector("update-ibgp-local-pref",
           "UPDATE on iBGP: empty AS_PATH, LOCAL_PREF 200, ORIGIN incomplete (RFC 4271 §5.1.2, §5.1.5)",
           update(attrs=[origin(INCOMPLETE), as_path([]), next_hop("10.0.0.1"), local_pref(200)],
                  nlri=prefixes("192.0.2.0/24")),
           session="as4 ibgp peer-as=64500")
    vector("update-as-set",
           "UPDATE with an AS_PATH of AS_SEQUENCE then AS_SET (RFC 4271 §4.3, §9.2.2.2)",
           update(attrs=[origin(IGP), as_path([seq(64501, 64502), as_set(64510, 64511, 4200000002)]),
                         next_hop("192.0.2.1")],
                  nlri=prefixes("198.51.100.0/23")))
    vector("update-aggregator-as4",
           "UPDATE with ATOMIC_AGGREGATE and a 4-octet AGGREGATOR on a 4-octet session (RFC 4271 §5.1.6, §5.1.7; RFC 6793 §3)",
           update(attrs=[origin(IGP), as_path([seq(64501, 4200000001)]), next_hop("192.0.2.1"),
                         atomic_aggregate(), aggregator(4200000001, "203.0.113.9")],
                  nlri=prefixes("198.51.100.0/22")))
    vector("update-aggregator-as2",
           "UPDATE on a 2-octet session with ATOMIC_AGGREGATE and a 2-octet AGGREGATOR (RFC 4271 §4.3, §5.1.7)",
           update(attrs=[origin(IGP), as_path([seq(64501, 64510)], width=2), next_hop("192.0.2.1"),
                         atomic_aggregate(), aggregator(64510, "203.0.113.9", width=2)],
                  nlri=prefixes("198.51.100.0/22")),
           session="as2")
    vector("update-as2-as4-path",
           "UPDATE on a 2-octet session: AS_TRANS in AS_PATH, AS4_PATH and AS4_AGGREGATOR, merged per RFC 6793 §4.2.3",
           update(attrs=[origin(IGP),
                         as_path([seq(64501, AS_TRANS, AS_TRANS, 64502), as_set(64510, AS_TRANS)], width=2),
                         next_hop("192.0.2.1"), atomic_aggregate(),
                         aggregator(AS_TRANS, "203.0.113.9", width=2),
                         as4_path([seq(4200000001, 4200000002, 64502), as_set(64510, 4200000003)]),
                         as4_aggregator(4200000003, "203.0.113.9")],
                  nlri=prefixes("198.51.100.0/24")),
           session="as2")
    vector("update-as2-as4-path-longer",
           "UPDATE on a 2-octet session whose AS4_PATH is longer than AS_PATH: AS4_PATH ignored (RFC 6793 §4.2.3)",
           update(attrs=[origin(IGP), as_path([seq(64501, AS_TRANS)], width=2), next_hop("192.0.2.1"),
                         as4_path([seq(64501, 4200000001, 4200000002)])],
                  nlri=prefixes("198.51.100.0/24")),
           session="as2")
    vector("update-as2-as4-path-aggregator",
           "UPDATE on a 2-octet session whose AGGREGATOR is a real 2-octet AS: AS4_PATH and AS4_AGGREGATOR ignored (RFC 6793 §4.2.3)",
           update(attrs=[origin(IGP), as_path([seq(64501, AS_TRANS, 64510)], width=2), next_hop("192.0.2.1"),
                         aggregator(64510, "203.0.113.9", width=2),
                         as4_path([seq(4200000001, 64510)]),
                         as4_aggregator(4200000003, "203.0.113.10")],
                  nlri=prefixes("198.51.100.0/24")),
           session="as2")
    vector("update-as2-as4-path-no-as4-aggregator",
           "UPDATE on a 2-octet session with a 2-octet AGGREGATOR but no AS4_AGGREGATOR: AS4_PATH still merged (RFC 6793 §4.2.3)",
           update(attrs=[origin(IGP), as_path([seq(64501, AS_TRANS, 64510)], width=2), next_hop("192.0.2.1"),
                         aggregator(64510, "203.0.113.9", width=2),
                         as4_path([seq(4200000001, 64510)])],
                  nlri=prefixes("198.51.100.0/24")),
           session="as2")
    vector("update-as2-as4-path-confed",
           "UPDATE on a 2-octet iBGP session: the leading AS_CONFED_SEQUENCE of AS_PATH is prepended to AS4_PATH (RFC 6793 §4.2.3, RFC 5065)",
           update(attrs=[origin(IGP), as_path([confed_seq(65001), seq(AS_TRANS, 64510)], width=2),
                         next_hop("10.0.0.7"), local_pref(100),
                         as4_path([seq(4200000001, 64510)])],
                  nlri=prefixes("198.51.100.0/24")),
           session="as2 ibgp peer-as=64500")
    vector("update-ipv4-withdraw",
           "UPDATE withdrawing IPv4 prefixes in Withdrawn Routes, no attributes (RFC 4271 §4.3)",
           update(withdrawn=prefixes("0.0.0.0/0", "198.51.100.0/24", "203.0.113.128/25")))
    vector("update-ipv4-withdraw-and-announce",
           "UPDATE withdrawing one IPv4 prefix and announcing another (RFC 4271 §4.3)",
           update(withdrawn=prefixes("198.51.100.0/24"),
                  attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1")],
                  nlri=prefixes("203.0.113.0/24")))
    vector("update-eor-ipv4",
           "UPDATE End-of-RIB for IPv4 unicast: 23 octets, nothing in it (RFC 4724 §2)",
           update())

    # UPDATE: IPv6 (multiprotocol)
    vector("update-ipv6-reach",
           "UPDATE announcing IPv6 in MP_REACH_NLRI with a global next hop (RFC 4760 §3, RFC 2545 §3)",
           update(attrs=[mp_reach(AFI_IPV6, SAFI_UNICAST, [ipv6("2001:db8::1")],
                                  prefixes("2001:db8:100::/48", "2001:db8:200::/40", "::/0")),
                         origin(IGP), as_path([seq(64501)]), med(0)]))
    vector("update-ipv6-reach-link-local",
           "UPDATE announcing IPv6 with global + link-local next hop, length 32 (RFC 4760 §3, RFC 2545 §3)",
           update(attrs=[mp_reach(AFI_IPV6, SAFI_UNICAST, [ipv6("2001:db8::1"), ipv6("fe80::1:2ff:fe03:405")],
                                  prefixes("2001:db8:100::/48", "2001:db8:cafe:1::/64", "2001:db8::1/128")),
                         origin(IGP), as_path([seq(64501)]),
                         communities(community(64501, 666))]))
    vector("update-ipv6-unreach",
           "UPDATE withdrawing IPv6 prefixes in MP_UNREACH_NLRI (RFC 4760 §4)",
           update(attrs=[mp_unreach(AFI_IPV6, SAFI_UNICAST,
                                    prefixes("2001:db8:100::/48", "2001:db8:cafe:1::/64", "2001:db8:8000::/33"))]))
    vector("update-ipv6-reach-and-unreach",
           "UPDATE with MP_REACH_NLRI and MP_UNREACH_NLRI for IPv6 together, reach first (RFC 4760 §3, §4)",
           update(attrs=[mp_reach(AFI_IPV6, SAFI_UNICAST, [ipv6("2001:db8::1")], prefixes("2001:db8:300::/48")),
                         mp_unreach(AFI_IPV6, SAFI_UNICAST, prefixes("2001:db8:100::/48")),
                         origin(IGP), as_path([seq(64501)])]))
    vector("update-eor-ipv6",
           "UPDATE End-of-RIB for IPv6 unicast: MP_UNREACH_NLRI with AFI 2 SAFI 1 and nothing else (RFC 4724 §2)",
           update(attrs=[mp_unreach(AFI_IPV6, SAFI_UNICAST, b"")]))
    vector("update-mp-other-family",
           "UPDATE with MP_REACH_NLRI for IPv4 multicast (AFI 1 SAFI 2), a family we do not parse, kept opaque (RFC 4760 §3)",
           update(attrs=[mp_reach(AFI_IPV4, SAFI_MULTICAST, [ipv4("192.0.2.1")], prefixes("233.252.0.0/24")),
                         origin(IGP), as_path([seq(64501)])]))

    # UPDATE: other attributes
    vector("update-unknown-transitive",
           "UPDATE with unknown optional transitive attributes 100 and 200 (Partial set) kept opaque, flags as received (RFC 4271 §5, §9)",
           update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1"),
                         attr(OPT_TRANS, 100, bytes.fromhex("0102030405")),
                         attr(OPT_TRANS | PARTIAL, 200, bytes.fromhex("deadbeef"))],
                  nlri=prefixes("198.51.100.0/24")))
    vector("update-unknown-nontransitive",
           "UPDATE with an unknown optional non-transitive attribute type 240 kept opaque (RFC 4271 §5, §9)",
           update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1"),
                         attr(OPTIONAL, 240, b"")],
                  nlri=prefixes("198.51.100.0/24")))
    many = [community(64501, i) for i in range(1, 71)]  # 70 x 4 = 280 octets
    vector("update-extended-length-communities",
           "UPDATE with a COMMUNITIES attribute of 280 octets: Extended Length flag (RFC 4271 §4.3, RFC 1997)",
           update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1"), communities(*many)],
                  nlri=prefixes("198.51.100.0/24")))
    long_path = [64501] * 10 + list(range(4200000001, 4200000061))  # 70 x 4 + 2 = 282 octets
    vector("update-extended-length-as-path",
           "UPDATE with an AS_PATH of 282 octets: Extended Length flag (RFC 4271 §4.3, RFC 6793)",
           update(attrs=[origin(IGP), as_path([seq(*long_path)]), next_hop("192.0.2.1")],
                  nlri=prefixes("198.51.100.0/24")))
    vector("update-ibgp-route-reflection",
           "UPDATE on iBGP from a route reflector: LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST, EXTENDED_COMMUNITIES, IPv6 extended communities, OTC (RFC 4456 §8, RFC 4360 §2, RFC 5701 §2, RFC 9234 §5)",
           update(attrs=[origin(IGP), as_path([seq(64501, 64496)]), next_hop("10.0.0.7"),
                         med(10), local_pref(150),
                         originator_id("10.0.0.7"), cluster_list("10.255.0.1", "10.255.0.2"),
                         extended_communities(rt_as2(64500, 100), rt_as4(4200000001, 7), ov_state(0)),
                         ipv6_ext_communities(ipv6_rt("2001:db8::ff", 42)),
                         otc(64501)],
                  nlri=prefixes("198.51.100.0/24")),
           session="as4 ibgp peer-as=64500")
    vector("update-ibgp-confed",
           "UPDATE on iBGP with an AS_CONFED_SEQUENCE and AS_CONFED_SET before the AS_SEQUENCE (RFC 5065 §3)",
           update(attrs=[origin(IGP), as_path([confed_seq(65001, 65002), (AS_CONFED_SET, (65010, 65011)), seq(64501)]),
                         next_hop("10.0.0.7"), local_pref(100)],
                  nlri=prefixes("198.51.100.0/24")),
           session="as4 ibgp peer-as=64500")
    vector("update-ebgp-ext-communities",
           "UPDATE on eBGP with EXTENDED_COMMUNITIES and OTC (RFC 4360 §2, RFC 9234 §5)",
           update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1"),
                         extended_communities(rt_as2(64501, 1)), otc(64501)],
                  nlri=prefixes("198.51.100.0/24")))

    # UPDATE: size limits
    n24 = [f"{10 + i // 65536}.{i // 256 % 256}.{i % 256}.0/24" for i in range(1012)]
    packed = update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1")],
                    nlri=prefixes(*n24, "192.0.2.1/32"))
    assert len(packed) == MAX_LEN, len(packed)
    vector("update-packed-4096",
           "UPDATE of exactly 4096 octets: 1012 IPv4 /24s and a /32 (RFC 4271 §4)",
           packed)
    big = [f"{20 + i // 65536}.{i // 256 % 256}.{i % 256}.0/24" for i in range(2500)]
    ext = update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("192.0.2.1")],
                 nlri=prefixes(*big), max_len=EXT_MAX_LEN)
    assert len(ext) > MAX_LEN
    vector("update-extended-message",
           "UPDATE of %d octets with 2500 IPv4 /24s, after the extended message capability (RFC 8654 §4)" % len(ext),
           ext, session="as4 ext-msg")

    # A TCP stream of several messages
    vector("stream-session-start",
           "Stream: OPEN, KEEPALIVE, UPDATE, End-of-RIB, KEEPALIVE as a session starts (RFC 4271 §4, §8; RFC 4724 §2)",
           open_msg(64501, 90, "198.51.100.7", [cap_mp(AFI_IPV4, SAFI_UNICAST), cap_as4(64501)])
           + keepalive()
           + update(attrs=[origin(IGP), as_path([seq(64501)]), next_hop("198.51.100.7")],
                    nlri=prefixes("203.0.113.0/24"))
           + update() + keepalive())


def hex_lines(data):
    h = data.hex()
    return [h[i:i + 64] for i in range(0, len(h), 64)]


def main():
    define_vectors()
    if "--list" in sys.argv[1:]:
        for name, *_ in VECTORS:
            print(name)
        return
    for name, desc, session, data in VECTORS:
        lines = ["# " + desc]
        if session:
            lines.append("# session: " + session)
        lines += hex_lines(data)
        with open(os.path.join(HERE, name + ".hex"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print("wrote %d vectors" % len(VECTORS))


if __name__ == "__main__":
    main()
