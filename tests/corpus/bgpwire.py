"""BGP wire-format building blocks for the corpus generator (gen.py).

Each function returns bytes for one protocol element, named after the RFC
figure it encodes; functions taking an explicit length (cap_raw, attr_raw)
exist to write lies.  Stdlib only.
"""
import ipaddress
import struct

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5

PEER_AS = 64501  # bgpdecode's default peer AS (eBGP, leftmost-AS check on)
AS_TRANS = 23456

# path attribute flags
O, T, P, X = 0x80, 0x40, 0x20, 0x10  # optional, transitive, partial, ext-length
WK = T  # well-known: not optional, transitive
OPT = O  # optional non-transitive
OPT_T = O | T  # optional transitive

# AS_PATH segment types
AS_SET, AS_SEQ, CONFED_SEQ, CONFED_SET = 1, 2, 3, 4


def u8(v):
    return struct.pack("!B", v)


def u16(v):
    return struct.pack("!H", v)


def u32(v):
    return struct.pack("!I", v)


def ip4(s):
    return ipaddress.IPv4Address(s).packed


def ip6(s):
    return ipaddress.IPv6Address(s).packed


def message(mtype, body, length=None, marker=MARKER):
    """A BGP message: marker, length (computed unless given), type, body."""
    if length is None:
        length = 19 + len(body)
    return marker + u16(length) + u8(mtype) + body


# ---- OPEN (RFC 4271 §4.2, RFC 5492, RFC 9072)

def cap(code, value):
    return u8(code) + u8(len(value)) + value


def cap_raw(code, length, value):
    """A capability whose length field is given explicitly (may lie)."""
    return u8(code) + u8(length) + value


def cap_mp(afi, safi):
    return cap(1, u16(afi) + b"\x00" + u8(safi))


def cap_as4(asn):
    return cap(65, u32(asn))


CAP_RR = cap(2, b"")
CAP_EXT_MSG = cap(6, b"")


def cap_software_version(text):
    """draft-abraitis-bgp-version-capability: code 75, value = len + text."""
    return cap(75, u8(len(text)) + text)


def cap_fqdn(host, domain):
    """draft-walton-bgp-hostname-capability: code 73."""
    return cap(73, u8(len(host)) + host + u8(len(domain)) + domain)


STD_CAPS = cap_mp(1, 1) + cap_mp(2, 1) + CAP_RR + cap_as4(PEER_AS)


def param(ptype, value):
    return u8(ptype) + u8(len(value)) + value


def ext_param(ptype, value):
    """RFC 9072 extended parameter: two-octet Parameter Length."""
    return u8(ptype) + u16(len(value)) + value


def open_body(version=4, my_as=PEER_AS, hold=90, bgp_id="192.0.2.2", params=None, optlen=None,
              trailer=b""):
    """Fixed OPEN fields + Opt Parm Len + parameters (+ junk after them)."""
    if params is None:
        params = param(2, STD_CAPS)
    if optlen is None:
        optlen = len(params)
    return (u8(version) + u16(my_as) + u16(hold) + ip4(bgp_id) + u8(optlen) + params
            + trailer)


def open_ext_body(ext_params, ext_len=None, non_ext_len=255, my_as=PEER_AS, hold=90,
                  bgp_id="192.0.2.2"):
    """RFC 9072 §2 Figure 1: Non-Ext OP Len, Non-Ext OP Type 255, Extended Opt. Parm. Length."""
    if ext_len is None:
        ext_len = len(ext_params)
    return (u8(4) + u16(my_as) + u16(hold) + ip4(bgp_id) + u8(non_ext_len) + u8(255)
            + u16(ext_len) + ext_params)


def open_msg(**kw):
    return message(OPEN, open_body(**kw))


# ---- UPDATE (RFC 4271 §4.3, RFC 4760)

def attr(flags, atype, value, extlen=False):
    """A path attribute; the Extended Length bit is set when needed or asked."""
    if extlen or len(value) > 255:
        return u8(flags | X) + u8(atype) + u16(len(value)) + value
    return u8(flags & ~X) + u8(atype) + u8(len(value)) + value


def attr_raw(flags, atype, length, value):
    """A path attribute whose length field is given explicitly (may lie)."""
    if flags & X:
        return u8(flags) + u8(atype) + u16(length) + value
    return u8(flags) + u8(atype) + u8(length) + value


def seg(stype, asns, width=4):
    fmt = u32 if width == 4 else u16
    return u8(stype) + u8(len(asns)) + b"".join(fmt(a) for a in asns)


def origin(value=0, flags=WK):
    return attr(flags, 1, u8(value))


def as_path(*segs, flags=WK):
    return attr(flags, 2, b"".join(segs))


def next_hop(addr="192.0.2.1", flags=WK):
    return attr(flags, 3, ip4(addr))


def med(v=10, flags=OPT):
    return attr(flags, 4, u32(v))


def local_pref(v=100, flags=WK):
    return attr(flags, 5, u32(v))


def atomic_aggregate(flags=WK):
    return attr(flags, 6, b"")


def aggregator(asn=PEER_AS, addr="192.0.2.9", width=4, flags=OPT_T):
    return attr(flags, 7, (u32(asn) if width == 4 else u16(asn)) + ip4(addr))


def communities(*vals, flags=OPT_T):
    return attr(flags, 8, b"".join(u32(v) for v in vals))


def pfx(s):
    """One NLRI entry: prefix length octet + the significant prefix octets."""
    net = ipaddress.ip_network(s, strict=False)
    return u8(net.prefixlen) + net.network_address.packed[: (net.prefixlen + 7) // 8]


def nlri(*prefixes):
    return b"".join(pfx(p) for p in prefixes)


def mp_reach(afi, safi, nh, nlri_bytes, nh_len=None, reserved=0, flags=OPT):
    nh_len = len(nh) if nh_len is None else nh_len
    return attr(flags, 14, u16(afi) + u8(safi) + u8(nh_len) + nh + u8(reserved) + nlri_bytes)


def mp_unreach(afi, safi, nlri_bytes, flags=OPT):
    return attr(flags, 15, u16(afi) + u8(safi) + nlri_bytes)


def update_body(withdrawn=b"", attrs=b"", nlri_bytes=b"", wlen=None, alen=None):
    wlen = len(withdrawn) if wlen is None else wlen
    alen = len(attrs) if alen is None else alen
    return u16(wlen) + withdrawn + u16(alen) + attrs + nlri_bytes


ORIGIN_IGP = origin(0)
PATH = as_path(seg(AS_SEQ, [PEER_AS, 64510]))
PATH2 = as_path(seg(AS_SEQ, [PEER_AS, 64510], width=2))  # 2-octet session
NH = next_hop()
BASE = ORIGIN_IGP + PATH + NH  # the mandatory attributes, valid
BASE2 = ORIGIN_IGP + PATH2 + NH
IBGP_BASE = ORIGIN_IGP + as_path() + NH + local_pref(100)
NLRI = nlri("198.51.100.0/24")
V6_NLRI = nlri("2001:db8:100::/48")
V6_NH = ip6("2001:db8::1")


def upd(attrs, nl=NLRI, withdrawn=b"", **kw):
    return message(UPDATE, update_body(withdrawn, attrs, nl, **kw))


def upd_v6(extra=b"", nh=V6_NH, nl=V6_NLRI):
    """IPv6 announcement the RFC 7606 §5.1 way: MP_REACH_NLRI first."""
    return upd(mp_reach(2, 1, nh, nl) + ORIGIN_IGP + PATH + extra, nl=b"")


# ---- NOTIFICATION, ROUTE-REFRESH

def notification(code, sub, data=b""):
    return message(NOTIFICATION, u8(code) + u8(sub) + data)


def route_refresh(afi=1, subtype=0, safi=1, extra=b""):
    return message(ROUTE_REFRESH, u16(afi) + u8(subtype) + u8(safi) + extra)


KEEPALIVE_MSG = message(KEEPALIVE, b"")
