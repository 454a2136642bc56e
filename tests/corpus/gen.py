#!/usr/bin/env python3
"""Generates the malformed-input regression corpus: tests/corpus/NAME.hex.

Every message is built from readable parts (header, OPEN parameters,
capabilities, path attributes, NLRI) so a reviewer can check the bytes
against the RFC figure.  Each file starts with

    # <source: RFC section / CVE / incident> / <expected action in words>
    # session: ...            (only when the default session does not fit)
    # expect: <outcome>

followed by the message in hex.  The expectation is what the RFCs require,
not what any decoder happens to do; see README.md for the vocabulary and
for our documented deviations.

    python3 tests/corpus/gen.py          write every file
    python3 tests/corpus/gen.py --check  exit 1 if a file is missing or stale

Stdlib only.
"""
import os
import sys

sys.dont_write_bytecode = True  # keep tests/corpus free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bgpwire import *  # noqa: E402,F401,F403  (the wire vocabulary the cases are written in)

# ---------------------------------------------------------------- the cases

CASES = []


def case(name, source, action, expect, data, session=None):
    assert name not in (c[0] for c in CASES), name
    assert " / " not in source, "the header line splits source from action at ' / ': " + name
    CASES.append((name, source, action, expect, data, session))


TAW = "verdict treat-as-withdraw"
DISCARD = "verdict attribute-discard"
IBGP = "as4 ibgp peer-as=64500"
AS2 = "as2"


def reset(code, sub):
    return "verdict session-reset %d/%d" % (code, sub)


def header_cases():
    case("hdr_bad_marker", "RFC 4271 §6.1 (marker not all ones)",
         "NOTIFICATION 1/1 Connection Not Synchronized", "notify 1/1",
         message(KEEPALIVE, b"", marker=b"\xff" * 15 + b"\x00"))
    case("hdr_marker_zero", "RFC 4271 §6.1 (all-zero marker, pre-RFC 4271 MD5 style)",
         "NOTIFICATION 1/1 Connection Not Synchronized", "notify 1/1",
         message(KEEPALIVE, b"", marker=b"\x00" * 16))
    case("hdr_len_0", "RFC 4271 §6.1 (Length < 19)", "NOTIFICATION 1/2 Bad Message Length",
         "notify 1/2", message(KEEPALIVE, b"", length=0))
    case("hdr_len_18", "RFC 4271 §6.1 (Length 18 in a complete 19-octet header)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(KEEPALIVE, b"", length=18))
    case("hdr_len_4097", "RFC 4271 §6.1, RFC 8654 §4 (UPDATE of 4097 octets, no Extended Message)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(UPDATE, update_body(attrs=BASE, nlri_bytes=NLRI), length=4097))
    case("hdr_len_65535", "RFC 4271 §6.1 (Length 65535, no Extended Message)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(UPDATE, update_body(attrs=BASE, nlri_bytes=NLRI), length=65535))
    case("hdr_open_4097_ext", "RFC 8654 §4 (Extended Message never applies to OPEN)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(OPEN, open_body(), length=4097), session="as4 ext-msg")
    case("hdr_keepalive_4097_ext", "RFC 8654 §4 (Extended Message never applies to KEEPALIVE)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(KEEPALIVE, b"", length=4097), session="as4 ext-msg")
    case("hdr_keepalive_len_20", "RFC 4271 §6.1 (KEEPALIVE length must be 19)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2", message(KEEPALIVE, b"\x00"))
    case("hdr_open_len_28", "RFC 4271 §6.1 (OPEN shorter than 29)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(OPEN, open_body(params=b"")[:-1]))
    case("hdr_update_len_22", "RFC 4271 §6.1 (UPDATE shorter than 23)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2", message(UPDATE, b"\x00\x00\x00"))
    case("hdr_notification_len_20", "RFC 4271 §6.1 (NOTIFICATION shorter than 21)",
         "NOTIFICATION 1/2 Bad Message Length", "notify 1/2", message(NOTIFICATION, b"\x06"))
    case("hdr_route_refresh_len_22", "RFC 2918 §3 + RFC 4271 §6.1 (ROUTE-REFRESH request shorter "
         "than 23)", "NOTIFICATION 1/2 Bad Message Length", "notify 1/2",
         message(ROUTE_REFRESH, u16(1) + u8(0)))
    for t in (0, 6, 7, 255):
        case("hdr_type_%d" % t, "RFC 4271 §6.1 (unrecognized message type %d)" % t,
             "NOTIFICATION 1/3 Bad Message Type", "notify 1/3", message(t, b""))
    case("hdr_incomplete_header", "framing: 18 octets, header not complete yet",
         "wait for more octets", "incomplete", message(KEEPALIVE, b"")[:18])
    case("hdr_incomplete_body", "framing: header says 23 octets, 21 present",
         "wait for more octets", "incomplete", message(UPDATE, b"\x00\x00\x00\x00")[:21])
    case("stream_50_keepalives", "robustness.md §2.3 (50 messages coalesced in one segment)",
         "accept (first of 50 KEEPALIVEs)", "ok", KEEPALIVE_MSG * 50)


def open_cases():
    case("open_ok", "RFC 4271 §4.2 + RFC 5492 (control: valid OPEN, MP v4/v6, RR, AS4)",
         "accept", "ok", open_msg())
    case("open_no_params", "RFC 4271 §4.2 (control: Opt Parm Len 0)", "accept", "ok",
         open_msg(params=b""))
    for v in (3, 5):
        case("open_version_%d" % v, "RFC 4271 §6.2 (version %d)" % v,
             "NOTIFICATION 2/1 Unsupported Version Number", "notify 2/1", open_msg(version=v))
    for h in (1, 2):
        case("open_hold_%d" % h, "RFC 4271 §6.2 (Hold Time %d MUST be rejected)" % h,
             "NOTIFICATION 2/6 Unacceptable Hold Time", "notify 2/6", open_msg(hold=h))
    case("open_hold_0", "RFC 4271 §4.2 (Hold Time 0 is legal; refusing it is local policy at "
         "negotiation, not a decoding error)", "accept", "ok", open_msg(hold=0))
    case("open_hold_3", "RFC 4271 §4.2 (Hold Time 3, the smallest non-zero legal value)",
         "accept", "ok", open_msg(hold=3))
    case("open_bgp_id_0", "RFC 4271 §6.2, RFC 6286 §2.2 (BGP Identifier 0)",
         "NOTIFICATION 2/3 Bad BGP Identifier", "notify 2/3", open_msg(bgp_id="0.0.0.0"))
    case("open_bgp_id_all_ones", "RFC 6286 §2.1 (any non-zero 32-bit BGP Identifier is valid)",
         "accept", "ok", open_msg(bgp_id="255.255.255.255"))
    case("open_my_as_0", "RFC 7607 §2 (AS 0 in OPEN My Autonomous System)",
         "NOTIFICATION 2/2 Bad Peer AS", "notify 2/2",
         open_msg(my_as=0, params=param(2, cap_mp(1, 1))))
    case("open_as4_cap_0", "RFC 7607 §2 (AS 0 in the 4-octet AS capability)",
         "NOTIFICATION 2/2 Bad Peer AS", "notify 2/2",
         open_msg(my_as=AS_TRANS, params=param(2, cap_mp(1, 1) + cap_as4(0))))
    case("open_as4_cap_as_trans", "RFC 6793 §2/§9 (AS_TRANS is reserved, never a speaker's own "
         "AS) + RFC 4271 §6.2", "NOTIFICATION 2/2 Bad Peer AS", "notify 2/2",
         open_msg(my_as=AS_TRANS, params=param(2, cap_mp(1, 1) + cap_as4(AS_TRANS))))
    case("open_as4_cap_4byte", "RFC 6793 §4.2.1 (control: My AS AS_TRANS, capability "
         "4200000000)", "accept", "ok",
         open_msg(my_as=AS_TRANS, params=param(2, cap_mp(1, 1) + cap_as4(4200000000))))
    case("open_param_type_1", "RFC 4271 §6.2, RFC 5492 (deprecated Authentication parameter 1)",
         "NOTIFICATION 2/4 Unsupported Optional Parameters", "notify 2/4",
         open_msg(params=param(1, b"\x01\x02\x03\x04")))
    case("open_param_type_255_not_first", "RFC 9072 §3 (type 255 other than as Non-Ext OP Type "
         "is an unrecognized parameter)", "NOTIFICATION 2/4 Unsupported Optional Parameters",
         "notify 2/4", open_msg(params=param(2, STD_CAPS) + param(255, b"\x00\x00")))
    case("open_optlen_overrun", "RFC 4271 §6.2 (Opt Parm Len 40 larger than the 22 octets present)",
         "NOTIFICATION 2/0 (malformed optional parameters)", "notify 2/0",
         open_msg(optlen=40))
    case("open_optlen_short", "RFC 4271 §6.2 (Opt Parm Len smaller than the octets that follow)",
         "NOTIFICATION 2/0 (malformed optional parameters)", "notify 2/0",
         open_msg(params=param(2, cap_mp(1, 1)), trailer=param(2, CAP_RR)))
    case("open_param_len_overrun", "RFC 4271 §6.2 (parameter length runs past Opt Parm Len)",
         "NOTIFICATION 2/0 (malformed optional parameters)", "notify 2/0",
         open_msg(params=u8(2) + u8(30) + cap_mp(1, 1)))
    case("open_cve_2022_43681", "CVE-2022-43681 Forescout PoC (Opt Parm Len 0xff, nothing after)",
         "NOTIFICATION 2/0 (malformed optional parameters), no out-of-bounds read", "notify 2/0",
         bytes.fromhex("ff" * 16 + "001d 01 04 dead 00de adbeef6b ff".replace(" ", "")))
    case("open_cve_2022_40302", "CVE-2022-40302/CVE-2022-40318 Forescout PoC (RFC 9072 param "
         "header overruns the extended block)", "NOTIFICATION 2/0 (malformed optional "
         "parameters), no out-of-bounds read", "notify 2/0",
         bytes.fromhex("ff" * 16 + "0022 01 04 dead 0005 c0a83901 ff ff 0002 0001"
                       .replace(" ", "")))
    # capabilities
    case("open_cap_mp_len0", "RFC 4760 §8 + RFC 4271 §6.2 (MP capability of length 0)",
         "NOTIFICATION 2/0 (recognized parameter malformed)", "notify 2/0",
         open_msg(params=param(2, cap(1, b"") + CAP_RR)))
    case("open_cap_as4_len2", "RFC 6793 §3 + RFC 4271 §6.2 (4-octet AS capability of length 2)",
         "NOTIFICATION 2/0 (recognized parameter malformed)", "notify 2/0",
         open_msg(params=param(2, cap_mp(1, 1) + cap(65, u16(64501)))))
    case("open_cap_overrun", "RFC 5492 §4 + RFC 4271 §6.2 (capability length runs past its "
         "parameter)", "NOTIFICATION 2/0 (recognized parameter malformed)", "notify 2/0",
         open_msg(params=param(2, cap_mp(1, 1) + cap_raw(200, 10, b"\x01\x02\x03"))))
    case("open_cap_truncated_header", "RFC 5492 §4 + RFC 4271 §6.2 (1 octet left: capability "
         "code without length)", "NOTIFICATION 2/0 (recognized parameter malformed)",
         "notify 2/0", open_msg(params=param(2, cap_mp(1, 1) + b"\x02")))
    case("open_cap_duplicates", "RFC 5492 §4 (identical capabilities repeated: MUST be accepted)",
         "accept", "ok",
         open_msg(params=param(2, STD_CAPS + cap_mp(1, 1) + CAP_RR + cap_as4(PEER_AS))))
    case("open_cap_multiple_params", "RFC 5492 §4 (several Capabilities parameters: MUST be "
         "accepted)", "accept", "ok",
         open_msg(params=param(2, cap_mp(1, 1)) + param(2, cap_mp(2, 1)) + param(2, CAP_RR)))
    case("open_cap_unknown", "RFC 5492 §3 (unrecognized capability 200: MUST be ignored)",
         "accept (ignore capability)", "ok",
         open_msg(params=param(2, STD_CAPS + cap(200, b"\xde\xad\xbe\xef\x00"))))
    case("open_cap_code_0", "RFC 5492 §3 (reserved capability code 0: unrecognized, ignored)",
         "accept (ignore capability)", "ok", open_msg(params=param(2, STD_CAPS + cap(0, b"\x01"))))
    case("open_cap_mp_unknown_family", "RFC 4760 §8 (MP capability for AFI 25, SAFI 65)",
         "accept (family not used)", "ok", open_msg(params=param(2, STD_CAPS + cap_mp(25, 65))))
    sw250 = b"anycastd-corpus/" + b"v" * (250 - 16)
    case("open_cap_software_version_classic_max", "CVE-2023-41361 (Software Version "
         "capability, the largest a classic parameter holds: 250 octets of text)", "accept",
         "ok", open_msg(params=param(2, cap_software_version(sw250))))
    sw254 = b"anycastd-corpus/" + b"v" * (254 - 16)
    case("open_cap_software_version_255", "CVE-2023-41361 (Software Version capability value of "
         "255 octets in RFC 9072 extended parameters)", "accept", "ok",
         message(OPEN, open_ext_body(ext_param(2, STD_CAPS + cap_software_version(sw254)))))
    case("open_cap_software_version_bad_len", "CVE-2023-41361 (Software Version length 200 in a "
         "10-octet capability)", "accept: malformed informational capability ignored "
         "(documented policy)", "ok",
         open_msg(params=param(2, STD_CAPS + cap(75, u8(200) + b"frr/9.0.1"))))
    case("open_cap_software_version_empty", "draft-abraitis-bgp-version-capability (Software "
         "Version capability of length 0)", "accept: malformed informational capability "
         "ignored (documented policy)", "ok", open_msg(params=param(2, STD_CAPS + cap(75, b""))))
    case("open_cap_fqdn_ok", "draft-walton-bgp-hostname-capability (control: FQDN capability)",
         "accept", "ok", open_msg(params=param(2, STD_CAPS + cap_fqdn(b"edge1", b"example.net"))))
    case("open_cap_fqdn_bad_len", "draft-walton-bgp-hostname-capability (hostname length 50 in a "
         "7-octet capability)", "accept: malformed informational capability ignored "
         "(documented policy)", "ok",
         open_msg(params=param(2, STD_CAPS + cap(73, u8(50) + b"edge1" + u8(0)))))
    case("open_cap_graceful_restart_len1", "RFC 4724 §3 (Graceful Restart capability of length "
         "1)", "accept: malformed informational capability ignored (documented policy)", "ok",
         open_msg(params=param(2, STD_CAPS + cap(64, b"\x80"))))
    case("open_ext_params_ok", "RFC 9072 §2 (extended optional parameters, used although short)",
         "accept", "ok", message(OPEN, open_ext_body(ext_param(2, STD_CAPS))))
    case("open_ext_params_non_ext_len_1", "RFC 9072 §3 (Non-Ext OP Len not 255 but Non-Ext OP "
         "Type 255: decode as extended)", "accept", "ok",
         message(OPEN, open_ext_body(ext_param(2, STD_CAPS), non_ext_len=1)))
    case("open_ext_params_empty", "RFC 9072 §2 (Extended Opt. Parm. Length 0: no parameters)",
         "accept", "ok", message(OPEN, open_ext_body(b"")))
    case("open_ext_params_overrun", "RFC 9072 §2 + RFC 4271 §6.2 (Extended Opt. Parm. Length 100, "
         "fewer octets present)", "NOTIFICATION 2/0 (malformed optional parameters)",
         "notify 2/0", message(OPEN, open_ext_body(ext_param(2, STD_CAPS), ext_len=100)))
    big_cap = cap(200, b"\x00" * 245)  # MP (6) + 247 = 253 octets of capabilities
    case("open_classic_optlen_255", "RFC 9072 §2 (classic encoding with Opt Parm Len 255 whose "
         "first type is 2, not 255)", "accept", "ok",
         open_msg(params=param(2, cap_mp(1, 1) + big_cap)))


def update_framing_cases():
    case("upd_ok", "RFC 4271 §4.3 (control: ORIGIN, AS_PATH, NEXT_HOP, one prefix)", "accept",
         "ok", upd(BASE))
    case("upd_eor_ipv4", "RFC 4724 §2 (End-of-RIB: empty UPDATE)", "accept", "ok",
         message(UPDATE, update_body()))
    case("upd_eor_ipv6", "RFC 4724 §2 (End-of-RIB: MP_UNREACH_NLRI with no NLRI)", "accept", "ok",
         upd(mp_unreach(2, 1, b""), nl=b""))
    case("upd_withdraw_only", "RFC 4271 §4.3 (control: withdrawn routes, no attributes)",
         "accept", "ok", upd(b"", nl=b"", withdrawn=nlri("198.51.100.0/24", "203.0.113.0/25")))
    case("upd_withdrawn_len_overrun", "RFC 4271 §6.3, RFC 7606 §3(b) (Withdrawn Routes Length "
         "exceeds the message)", "NOTIFICATION 3/1 Malformed Attribute List (session reset)",
         reset(3, 1), upd(BASE, wlen=200))
    case("upd_withdrawn_len_hides_attr_len", "RFC 4271 §6.3, RFC 7606 §3(b) (Withdrawn Routes "
         "Length leaves no room for Total Attribute Length)",
         "NOTIFICATION 3/1 Malformed Attribute List (session reset)", reset(3, 1),
         message(UPDATE, u16(2) + b"\x00\x00"))
    case("upd_total_attr_len_overrun", "RFC 4271 §6.3, RFC 7606 §3(b) (Total Attribute Length "
         "exceeds the message)", "NOTIFICATION 3/1 Malformed Attribute List (session reset)",
         reset(3, 1), upd(BASE, alen=len(BASE) + 20))
    case("upd_attr_len_overruns_block", "RFC 7606 §4 case 1 (last attribute's length runs past "
         "Total Attribute Length; NLRI found from Total Attribute Length)",
         "treat-as-withdraw", TAW, upd(BASE + attr_raw(OPT, 4, 10, u32(5))))
    case("upd_attr_trailing_1", "RFC 7606 §4 case 2 (1 octet left in the attribute block)",
         "treat-as-withdraw", TAW, upd(BASE + b"\x80"))
    case("upd_attr_trailing_2", "RFC 7606 §4 case 2 (2 octets left in the attribute block)",
         "treat-as-withdraw", TAW, upd(BASE + b"\x80\x04"))
    case("upd_attr_trailing_3_extlen", "RFC 7606 §4 case 2 (3 octets left but the Extended "
         "Length bit asks for 4)", "treat-as-withdraw", TAW, upd(BASE + b"\x90\x04\x00"))
    case("upd_attr_zero_len", "RFC 7606 §4 (zero length is a syntax error except AS_PATH and "
         "ATOMIC_AGGREGATE: MED of length 0)", "treat-as-withdraw", TAW,
         upd(BASE + attr(OPT, 4, b"")))
    case("upd_missing_origin", "RFC 7606 §3(d) (ORIGIN missing with NLRI)", "treat-as-withdraw",
         TAW, upd(PATH + NH))
    case("upd_missing_as_path", "RFC 7606 §3(d) (AS_PATH missing with NLRI)",
         "treat-as-withdraw", TAW, upd(ORIGIN_IGP + NH))
    case("upd_missing_next_hop", "RFC 7606 §3(d) (NEXT_HOP missing with IPv4 NLRI field)",
         "treat-as-withdraw", TAW, upd(ORIGIN_IGP + PATH))
    case("upd_missing_next_hop_mp_present", "RFC 4760 §3 + RFC 7606 §3(d) (MP_REACH_NLRI present "
         "but the classic IPv4 NLRI field still needs NEXT_HOP)", "treat-as-withdraw", TAW,
         upd(mp_reach(2, 1, V6_NH, V6_NLRI) + ORIGIN_IGP + PATH))
    case("upd_cve_2023_41358", "CVE-2023-41358 (NLRI with Total Attribute Length 0)",
         "treat-as-withdraw (mandatory attributes missing)", TAW, upd(b""))
    case("upd_cve_2023_46753", "CVE-2023-46753 (only an unknown optional transitive attribute, "
         "type 31 length 16, plus NLRI)", "treat-as-withdraw (mandatory attributes missing)",
         TAW, upd(attr(OPT_T, 31, bytes(range(16)))))
    case("upd_cve_2023_47234", "CVE-2023-47234 (MP_UNREACH_NLRI plus NLRI, no mandatory "
         "attributes)", "treat-as-withdraw (mandatory attributes missing)", TAW,
         upd(mp_unreach(2, 1, V6_NLRI)))
    # RFC 7606 §5.2: attributes other than MP_UNREACH_NLRI, no reachable NLRI
    case("upd_noreach_origin_invalid", "RFC 7606 §5.2 (ORIGIN value 3, attributes but no "
         "reachable NLRI: treat-as-withdraw escalates)", "NOTIFICATION 3/6 Invalid ORIGIN "
         "Attribute (session reset)", reset(3, 6), upd(origin(3) + PATH + NH, nl=b""))
    case("upd_noreach_withdrawn_med_len2", "RFC 7606 §5.2 (withdrawn routes plus MED of length "
         "2, no reachable NLRI: treat-as-withdraw escalates)", "NOTIFICATION 3/5 Attribute "
         "Length Error (session reset)", reset(3, 5),
         upd(BASE + attr(OPT, 4, b"\x00\x01"), nl=b"", withdrawn=nlri("203.0.113.0/24")))
    case("upd_noreach_atomic_aggregate_len1", "RFC 7606 §5.2 (only an attribute-discard error: "
         "no escalation)", "attribute discard", DISCARD,
         upd(BASE + attr(WK, 6, b"\x00"), nl=b""))
    case("upd_multiple_errors_strongest", "RFC 7606 §3(h) (ATOMIC_AGGREGATE length 1 and MED "
         "length 2: the strongest wins)", "treat-as-withdraw", TAW,
         upd(BASE + attr(WK, 6, b"\x00") + attr(OPT, 4, b"\x00\x01")))
    case("upd_multiple_errors_nlri_wins", "RFC 7606 §3(h), §3(j) (MED length 2 and NLRI prefix "
         "length 33)", "NOTIFICATION 3/10 Invalid Network Field (session reset)", reset(3, 10),
         upd(BASE + attr(OPT, 4, b"\x00\x01"), nl=b"\x21\xc6\x33\x64\x00\x00"))


def update_attr_cases():
    # ORIGIN (RFC 7606 §7.1)
    case("attr_origin_len0", "RFC 7606 §7.1 (ORIGIN length 0)", "treat-as-withdraw", TAW,
         upd(attr(WK, 1, b"") + PATH + NH))
    case("attr_origin_len2", "RFC 7606 §7.1 (ORIGIN length 2)", "treat-as-withdraw", TAW,
         upd(attr(WK, 1, b"\x00\x00") + PATH + NH))
    case("attr_origin_value3", "RFC 7606 §7.1 (undefined ORIGIN value 3)", "treat-as-withdraw",
         TAW, upd(origin(3) + PATH + NH))
    case("attr_origin_flags_optional", "RFC 7606 §3(c) (ORIGIN flagged optional, 0xC0)",
         "treat-as-withdraw", TAW, upd(origin(0, flags=OPT_T) + PATH + NH))
    case("attr_origin_gobgp_3392", "GoBGP #3392; RFC 7606 §3(c) (ORIGIN without the Transitive "
         "flag, 0x00)", "treat-as-withdraw, no crash", TAW, upd(origin(0, flags=0) + PATH + NH))
    case("attr_origin_partial_bit", "RFC 7606 §3(c) (only Optional/Transitive conflicts count: "
         "Partial bit on ORIGIN)", "accept", "ok", upd(origin(0, flags=WK | P) + PATH + NH))
    case("attr_origin_extlen", "RFC 4271 §4.3 (Extended Length bit on a 1-octet ORIGIN)",
         "accept", "ok", upd(attr(WK, 1, b"\x00", extlen=True) + PATH + NH))
    case("attr_origin_reserved_bits", "RFC 4271 §4.3 (low-order flag bits MUST be ignored: "
         "ORIGIN flags 0x4F)", "accept", "ok", upd(origin(0, flags=0x4F) + PATH + NH))
    # AS_PATH (RFC 7606 §7.2)
    case("attr_aspath_bad_seg_type", "RFC 7606 §7.2 (AS_PATH segment type 5)",
         "treat-as-withdraw", TAW, upd(ORIGIN_IGP + as_path(seg(5, [PEER_AS])) + NH))
    case("attr_aspath_seg_type_0", "RFC 7606 §7.2 (AS_PATH segment type 0)",
         "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS]) + seg(0, [64510])) + NH))
    case("attr_aspath_zero_seg_len", "RFC 7606 §7.2 (AS_PATH segment of length 0)",
         "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS]) + seg(AS_SEQ, [])) + NH))
    case("attr_aspath_overrun", "RFC 7606 §7.2 (AS_PATH segment length 3, 2 ASNs present)",
         "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(u8(AS_SEQ) + u8(3) + u32(PEER_AS) + u32(64510)) + NH))
    case("attr_aspath_underrun", "RFC 7606 §7.2 (AS_PATH: 1 octet left after the last segment)",
         "treat-as-withdraw", TAW, upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS]) + b"\x02")
                                       + NH))
    case("attr_aspath_2octet_on_as4", "RFC 6793 §4.1 + RFC 7606 §7.2 (2-octet AS_PATH on a "
         "4-octet session: segment overruns)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS, 64510, 64511], width=2)) + NH))
    case("attr_aspath_flags_optional", "RFC 7606 §3(c) (AS_PATH flagged optional, 0xC0)",
         "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS]), flags=OPT_T) + NH))
    case("attr_aspath_leftmost_not_peer", "RFC 4271 §6.3, RFC 7606 §7.2 (eBGP leftmost AS 64999 "
         "is not the peer's 64501)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [64999, 64510])) + NH))
    case("attr_aspath_as0", "RFC 7607 §2 (AS 0 in AS_PATH)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS, 0, 64510])) + NH))
    case("attr_aspath_confed_from_ebgp", "RFC 5065 §5 + RFC 7606 §7.2 (AS_CONFED_SEQUENCE from "
         "an eBGP peer outside the confederation)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path(seg(CONFED_SEQ, [PEER_AS]) + seg(AS_SEQ, [PEER_AS])) + NH))
    case("attr_aspath_set_ok", "RFC 4271 §5.1.2 (control: AS_SEQUENCE then AS_SET)", "accept",
         "ok", upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS]) + seg(AS_SET, [64510, 64511]))
                   + NH))
    case("attr_aspath_2octet_ok", "RFC 4271 §4.3 (control: 2-octet AS_PATH on a 2-octet "
         "session)", "accept", "ok", upd(BASE2), session=AS2)
    case("attr_aspath_300_asns", "2009 OpenBGPD over-prepending crash (AS_PATH of 300 ASNs, "
         "extended length)", "accept", "ok",
         upd(ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS] * 255) + seg(AS_SEQ, [64510] * 45)) + NH))
    long_path = b"".join(seg(AS_SEQ, [PEER_AS] + [4200000000 + i for i in range(254)])
                         for _ in range(9))
    case("attr_aspath_9x255_ext_msg", "CVE-2026-49943 BIRD (AS_PATH of 9 x 255 = 2295 ASNs, "
         "extended-length attribute in an RFC 8654 extended message)", "accept", "ok",
         upd(ORIGIN_IGP + as_path(long_path) + NH), session="as4 ext-msg")
    # NEXT_HOP (RFC 7606 §7.3)
    case("attr_next_hop_len3", "RFC 7606 §7.3 (NEXT_HOP length 3)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + PATH + attr(WK, 3, b"\xc0\x00\x02")))
    case("attr_next_hop_len16", "RFC 7606 §7.3 (NEXT_HOP length 16)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + PATH + attr(WK, 3, V6_NH)))
    case("attr_next_hop_flags_optional", "RFC 7606 §3(c) (NEXT_HOP flagged optional, 0xC0)",
         "treat-as-withdraw", TAW, upd(ORIGIN_IGP + PATH + next_hop(flags=OPT_T)))
    # MULTI_EXIT_DISC (RFC 7606 §7.4)
    case("attr_med_len2", "RFC 7606 §7.4 (MED length 2)", "treat-as-withdraw", TAW,
         upd(BASE + attr(OPT, 4, b"\x00\x01")))
    case("attr_med_len8", "RFC 7606 §7.4 (MED length 8)", "treat-as-withdraw", TAW,
         upd(BASE + attr(OPT, 4, u32(1) + u32(2))))
    case("attr_med_flags_wellknown", "RFC 7606 §3(c) (MED flagged well-known, 0x40)",
         "treat-as-withdraw", TAW, upd(BASE + med(flags=WK)))
    case("attr_med_flags_transitive", "RFC 7606 §3(c) (MED flagged optional transitive, 0xC0)",
         "treat-as-withdraw", TAW, upd(BASE + med(flags=OPT_T)))
    case("attr_med_ok", "RFC 4271 §5.1.4 (control: MED)", "accept", "ok", upd(BASE + med()))
    # LOCAL_PREF (RFC 7606 §7.5)
    case("attr_local_pref_ebgp", "RFC 7606 §7.5 (LOCAL_PREF from an eBGP peer)",
         "attribute discard", DISCARD, upd(BASE + local_pref()))
    case("attr_local_pref_ebgp_len2", "RFC 7606 §7.5 (LOCAL_PREF of length 2 from an eBGP peer: "
         "discarded whatever its form)", "attribute discard", DISCARD,
         upd(BASE + attr(WK, 5, b"\x00\x64")))
    case("attr_local_pref_ibgp_ok", "RFC 4271 §5.1.5 (control: LOCAL_PREF on iBGP)", "accept",
         "ok", upd(IBGP_BASE), session=IBGP)
    case("attr_local_pref_ibgp_len2", "RFC 7606 §7.5 (LOCAL_PREF length 2 on iBGP)",
         "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path() + NH + attr(WK, 5, b"\x00\x64")), session=IBGP)
    case("attr_local_pref_ibgp_flags_optional", "RFC 7606 §3(c) (LOCAL_PREF flagged optional "
         "on iBGP, 0x80)", "treat-as-withdraw", TAW,
         upd(ORIGIN_IGP + as_path() + NH + local_pref(flags=OPT)), session=IBGP)
    # ATOMIC_AGGREGATE (RFC 7606 §7.6)
    case("attr_atomic_aggregate_ok", "RFC 4271 §5.1.6 (control: ATOMIC_AGGREGATE)", "accept",
         "ok", upd(BASE + atomic_aggregate()))
    case("attr_atomic_aggregate_len1", "RFC 7606 §7.6 (ATOMIC_AGGREGATE length 1)",
         "attribute discard", DISCARD, upd(BASE + attr(WK, 6, b"\x00")))
    case("attr_atomic_aggregate_flags_optional", "RFC 7606 §3(c) with §3(f) and §7.6 (ATOMIC_AGGREGATE "
         "flagged optional, 0xC0: malformed, and a malformed ATOMIC_AGGREGATE is discarded)",
         "attribute discard", DISCARD,
         upd(BASE + atomic_aggregate(flags=OPT_T)))
    # AGGREGATOR (RFC 7606 §7.7)
    case("attr_aggregator_ok", "RFC 6793 §4.1 (control: 8-octet AGGREGATOR on a 4-octet "
         "session)", "accept", "ok", upd(BASE + aggregator()))
    case("attr_aggregator_len6_on_as4", "RFC 7606 §7.7 (AGGREGATOR length 6 on a 4-octet "
         "session)", "attribute discard", DISCARD, upd(BASE + aggregator(width=2)))
    case("attr_aggregator_len8_on_as2", "RFC 7606 §7.7 (AGGREGATOR length 8 on a 2-octet "
         "session)", "attribute discard", DISCARD, upd(BASE2 + aggregator()), session=AS2)
    case("attr_aggregator_len7", "RFC 7606 §7.7 (AGGREGATOR length 7)", "attribute discard",
         DISCARD, upd(BASE + attr(OPT_T, 7, u32(PEER_AS) + b"\xc0\x00\x02")))
    case("attr_aggregator_flags_wellknown", "RFC 7606 §3(c) with §3(f) and §7.7 (AGGREGATOR flagged "
         "well-known, 0x40: malformed, and a malformed AGGREGATOR is discarded)",
         "attribute discard", DISCARD,
         upd(BASE + aggregator(flags=WK)))
    case("attr_aggregator_reserved_bits_c8", "2012 OpenBGPD reserved-bits incident; RFC 4271 "
         "§4.3 (AGGREGATOR flags 0xC8: low bits MUST be ignored)", "accept", "ok",
         upd(BASE + aggregator(flags=0xC8)))
    # COMMUNITIES (RFC 7606 §7.8)
    case("attr_communities_ok", "RFC 1997 (control: two communities)", "accept", "ok",
         upd(BASE + communities(0xFBF50064, 0xFFFFFF01)))
    case("attr_communities_len0", "RFC 7606 §7.8 (COMMUNITIES length 0)", "treat-as-withdraw",
         TAW, upd(BASE + attr(OPT_T, 8, b"")))
    case("attr_communities_len5", "RFC 7606 §7.8 (COMMUNITIES length 5)", "treat-as-withdraw",
         TAW, upd(BASE + attr(OPT_T, 8, u32(0xFBF50064) + b"\x01")))
    case("attr_communities_flags_nontransitive", "RFC 7606 §3(c) (COMMUNITIES flagged optional "
         "non-transitive, 0x80)", "treat-as-withdraw", TAW,
         upd(BASE + communities(0xFBF50064, flags=OPT)))
    case("attr_communities_duplicate", "RFC 7606 §3(g) (COMMUNITIES twice: keep the first)",
         "attribute discard (the second)", DISCARD,
         upd(BASE + communities(0xFBF50064) + communities(0xFBF500C8)))
    # ORIGINATOR_ID / CLUSTER_LIST (RFC 7606 §7.9, §7.10)
    case("attr_originator_id_ebgp", "RFC 7606 §7.9 (ORIGINATOR_ID from an eBGP peer)",
         "attribute discard", DISCARD, upd(BASE + attr(OPT, 9, ip4("192.0.2.7"))))
    case("attr_originator_id_ibgp_ok", "RFC 4456 §8 (control: ORIGINATOR_ID on iBGP)", "accept",
         "ok", upd(IBGP_BASE + attr(OPT, 9, ip4("192.0.2.7"))), session=IBGP)
    case("attr_originator_id_ibgp_len3", "RFC 7606 §7.9 (ORIGINATOR_ID length 3 on iBGP)",
         "treat-as-withdraw", TAW, upd(IBGP_BASE + attr(OPT, 9, b"\xc0\x00\x02")), session=IBGP)
    case("attr_originator_id_ibgp_flags", "RFC 7606 §3(c) (ORIGINATOR_ID flagged transitive on "
         "iBGP, 0xC0)", "treat-as-withdraw", TAW,
         upd(IBGP_BASE + attr(OPT_T, 9, ip4("192.0.2.7"))), session=IBGP)
    case("attr_cluster_list_ebgp", "RFC 7606 §7.10 (CLUSTER_LIST from an eBGP peer)",
         "attribute discard", DISCARD, upd(BASE + attr(OPT, 10, ip4("192.0.2.8"))))
    case("attr_cluster_list_ibgp_ok", "RFC 4456 §8 (control: CLUSTER_LIST of two on iBGP)",
         "accept", "ok", upd(IBGP_BASE + attr(OPT, 10, ip4("192.0.2.8") + ip4("192.0.2.9"))),
         session=IBGP)
    case("attr_cluster_list_ibgp_len0", "RFC 7606 §7.10 (CLUSTER_LIST length 0 on iBGP)",
         "treat-as-withdraw", TAW, upd(IBGP_BASE + attr(OPT, 10, b"")), session=IBGP)
    case("attr_cluster_list_ibgp_len6", "RFC 7606 §7.10 (CLUSTER_LIST length 6 on iBGP)",
         "treat-as-withdraw", TAW, upd(IBGP_BASE + attr(OPT, 10, ip4("192.0.2.8") + b"\x00\x00")),
         session=IBGP)
    case("attr_cluster_list_ibgp_flags", "RFC 7606 §3(c) (CLUSTER_LIST flagged well-known on "
         "iBGP, 0x40)", "treat-as-withdraw", TAW,
         upd(IBGP_BASE + attr(WK, 10, ip4("192.0.2.8"))), session=IBGP)
    # EXTENDED COMMUNITIES (RFC 7606 §7.14)
    rt = b"\x00\x02" + u16(PEER_AS) + u32(100)
    case("attr_ext_communities_ok", "RFC 4360 (control: one route target)", "accept", "ok",
         upd(BASE + attr(OPT_T, 16, rt)))
    case("attr_ext_communities_unknown_type", "RFC 7606 §7.14 (unrecognized type 0xAB is not an "
         "error)", "accept", "ok", upd(BASE + attr(OPT_T, 16, b"\xab\xcd" + b"\x00" * 6)))
    case("attr_ext_communities_len0", "RFC 7606 §7.14 (EXTENDED COMMUNITIES length 0)",
         "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 16, b"")))
    case("attr_ext_communities_len12", "RFC 7606 §7.14 (EXTENDED COMMUNITIES length 12)",
         "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 16, rt + b"\x00" * 4)))
    case("attr_ext_communities_flags", "RFC 7606 §3(c) (EXTENDED COMMUNITIES flagged "
         "non-transitive, 0x80)", "treat-as-withdraw", TAW, upd(BASE + attr(OPT, 16, rt)))
    # AS4_PATH / AS4_AGGREGATOR (RFC 6793 §6)
    as4_base = ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS, AS_TRANS], width=2)) + NH
    case("attr_as4_path_ok", "RFC 6793 §4.2.3 (control: AS4_PATH from an OLD speaker)",
         "accept", "ok", upd(as4_base + attr(OPT_T, 17, seg(AS_SEQ, [4200000000]))), session=AS2)
    case("attr_as4_path_bad_seg_type", "RFC 6793 §6 (AS4_PATH segment type 7)",
         "attribute discard", DISCARD, upd(as4_base + attr(OPT_T, 17, seg(7, [4200000000]))),
         session=AS2)
    case("attr_as4_path_zero_seg", "RFC 6793 §6 (AS4_PATH segment of length 0)",
         "attribute discard", DISCARD,
         upd(as4_base + attr(OPT_T, 17, seg(AS_SEQ, [4200000000]) + seg(AS_SEQ, []))),
         session=AS2)
    case("attr_as4_path_len5", "RFC 6793 §6 (AS4_PATH shorter than 6 octets)",
         "attribute discard", DISCARD,
         upd(as4_base + attr(OPT_T, 17, u8(AS_SEQ) + u8(1) + b"\xfa\x56\xea")), session=AS2)
    case("attr_as4_path_overrun", "RFC 6793 §6 (AS4_PATH segment length inconsistent with the "
         "attribute length)", "attribute discard", DISCARD,
         upd(as4_base + attr(OPT_T, 17, u8(AS_SEQ) + u8(2) + u32(4200000000))), session=AS2)
    case("attr_as4_path_confed", "Feb 2009 OpenBGPD session drops; RFC 6793 §6 (AS4_PATH with "
         "AS_CONFED_SEQUENCE from an OLD speaker)", "discard the confederation segments, keep "
         "the route (attribute discard)", DISCARD,
         upd(as4_base + attr(OPT_T, 17, seg(CONFED_SEQ, [65000]) + seg(AS_SEQ, [4200000000]))),
         session=AS2)
    case("attr_as4_path_as0", "RFC 7607 §2 + RFC 6793 §6 (AS 0 in AS4_PATH)",
         "attribute discard", DISCARD, upd(as4_base + attr(OPT_T, 17, seg(AS_SEQ, [0]))),
         session=AS2)
    case("attr_as4_aggregator_len6", "RFC 6793 §6 (AS4_AGGREGATOR length 6)",
         "attribute discard", DISCARD,
         upd(as4_base + aggregator(AS_TRANS, width=2)
             + attr(OPT_T, 18, u16(64999) + ip4("192.0.2.9"))), session=AS2)
    case("attr_as4_path_from_new_speaker", "RFC 6793 §6 (AS4_PATH between NEW speakers MUST be "
         "discarded)", "attribute discard", DISCARD,
         upd(BASE + attr(OPT_T, 17, seg(AS_SEQ, [PEER_AS, 64510]))))
    # IPv6 address specific extended communities (RFC 7606 §7.15)
    v6ec = b"\x00\x02" + V6_NH + u16(100)
    case("attr_ipv6_ext_communities_ok", "RFC 5701 (control: one IPv6 route target)", "accept",
         "ok", upd(BASE + attr(OPT_T, 25, v6ec)))
    case("attr_ipv6_ext_communities_len19", "RFC 7606 §7.15 (IPv6 extended communities length "
         "19)", "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 25, v6ec[:19])))
    case("attr_ipv6_ext_communities_len0", "RFC 7606 §7.15 (IPv6 extended communities length "
         "0)", "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 25, b"")))
    case("attr_ipv6_ext_communities_flags", "RFC 7606 §3(c) (IPv6 extended communities flagged "
         "non-transitive, 0x80)", "treat-as-withdraw", TAW, upd(BASE + attr(OPT, 25, v6ec)))
    # LARGE_COMMUNITY (RFC 8092 §6)
    lc = u32(PEER_AS) + u32(1) + u32(2)
    case("attr_large_communities_ok", "RFC 8092 (control: one large community)", "accept", "ok",
         upd(BASE + attr(OPT_T, 32, lc)))
    case("attr_large_communities_len0", "RFC 8092 §6 (LARGE_COMMUNITY length 0)",
         "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 32, b"")))
    case("attr_large_communities_len13", "RFC 8092 §6 (LARGE_COMMUNITY length 13)",
         "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 32, lc + b"\x00")))
    case("attr_large_communities_flags", "RFC 7606 §3(c) (LARGE_COMMUNITY flagged "
         "non-transitive, 0x80)", "treat-as-withdraw", TAW, upd(BASE + attr(OPT, 32, lc)))
    # OTC (RFC 9234 §5)
    case("attr_otc_ok", "RFC 9234 §5 (control: OTC from a peer)", "accept", "ok",
         upd(BASE + attr(OPT_T, 35, u32(PEER_AS))))
    case("attr_otc_len1024", "Oct 2025 BIRD OTC incidents; RFC 9234 §5 (OTC length 1024)",
         "treat-as-withdraw", TAW, upd(BASE + attr(OPT_T, 35, u32(PEER_AS) * 256)))
    case("attr_otc_len3", "RFC 9234 §5 (OTC length 3)", "treat-as-withdraw", TAW,
         upd(BASE + attr(OPT_T, 35, b"\x00\xfb\xf5")))
    case("attr_otc_flags", "RFC 7606 §3(c) (OTC flagged non-transitive, 0x80)",
         "treat-as-withdraw", TAW, upd(BASE + attr(OPT, 35, u32(PEER_AS))))
    # duplicates (RFC 7606 §3(g))
    case("attr_origin_duplicate", "RFC 7606 §3(g) (ORIGIN twice: keep the first)",
         "attribute discard (the second)", DISCARD, upd(BASE + origin(2)))
    case("attr_unknown_duplicate", "RFC 7606 §3(g) (unrecognized attribute 250 twice: keep the "
         "first)", "attribute discard (the second)", DISCARD,
         upd(BASE + attr(OPT_T, 250, b"\x01") + attr(OPT_T, 250, b"\x02")))


def update_unknown_cases():
    garbage = bytes.fromhex("ffff0003deadbeef00")
    case("attr_unknown_28_entropy", "2023-06 Juniper attribute-28 worm (deprecated Entropy Label "
         "attribute with garbage)", "accept, unrecognized optional attribute kept opaque", "ok",
         upd(BASE + attr(OPT_T, 28, garbage)))
    case("attr_unknown_28_partial", "RFC 4271 §5 (attribute 28 with the Partial bit, 0xE0)",
         "accept, unrecognized optional attribute kept opaque", "ok",
         upd(BASE + attr(OPT_T | P, 28, garbage)))
    case("attr_unknown_23_tunnel_encap", "CVE-2023-38802 FRR, FRR #3656, CVE-2024-44070 (Tunnel "
         "Encapsulation, sub-TLV length 48582 > remaining)", "accept, unrecognized optional "
         "attribute kept opaque", "ok",
         upd(BASE + attr(OPT_T, 23, u16(7) + u16(28) + u8(1) + u16(48582) + b"\x00" * 23)))
    case("attr_unknown_40_prefix_sid", "FRR #19336 (Prefix-SID garbage)", "accept, unrecognized "
         "optional attribute kept opaque", "ok",
         upd(BASE + attr(OPT_T, 40, b"\x01\x00\x07\x00\x00\x00\xff\xff")))
    case("attr_unknown_26_aigp", "CVE-2023-41359 FRR (AIGP TLV overrunning)", "accept, "
         "unrecognized optional attribute ignored", "ok",
         upd(BASE + attr(OPT, 26, b"\x01\x00\x30\x00\x00")))
    case("attr_unknown_21_extreme", "CVE-2023-40457 ExtremeXOS (attribute 21 AS_PATHLIMIT "
         "garbage)", "accept, unrecognized optional attribute kept opaque", "ok",
         upd(BASE + attr(OPT_T, 21, b"\x01")))
    case("attr_unknown_255", "RFC 4271 §5 (reserved attribute type 255, optional transitive)",
         "accept, unrecognized optional attribute kept opaque", "ok",
         upd(BASE + attr(OPT_T, 255, b"\x00\x01\x02")))
    case("attr_unknown_wellknown_200", "RFC 4271 §6.3 (unrecognized well-known attribute 200, "
         "flags 0x40)", "NOTIFICATION 3/2 Unrecognized Well-known Attribute (session reset)",
         reset(3, 2), upd(BASE + attr(WK, 200, b"\x01\x02")))
    case("attr_unknown_wellknown_000", "openbgpd-portable #64 (attribute bytes 00 00 00: "
         "well-known type 0)", "NOTIFICATION 3/2 Unrecognized Well-known Attribute (session "
         "reset)", reset(3, 2), upd(BASE + b"\x00\x00\x00"))
    case("upd_gobgp_3308", "GoBGP #3308, CVE-2026-41643 exact bytes (AS4_PATH 0x40 len 1 before "
         "AS_PATH with segment type 0xff; no NLRI)", "AS4_PATH discarded (NEW speaker), "
         "malformed AS_PATH without reachable NLRI escalates per RFC 7606 §5.2: NOTIFICATION "
         "3/11 Malformed AS_PATH (session reset)", reset(3, 11),
         bytes.fromhex("ff" * 16 + "0022 02 0000 000b 40110102 400204ffffdead".replace(" ", "")))


def update_mp_cases():
    case("mp_reach_v6_ok", "RFC 4760 §3 (control: IPv6 unicast, 16-octet next hop)", "accept",
         "ok", upd_v6())
    case("mp_reach_v6_ll_ok", "RFC 2545 §3 (control: 32-octet next hop with link-local)",
         "accept", "ok", upd_v6(nh=V6_NH + ip6("fe80::1")))
    case("mp_reach_v4_ok", "RFC 4760 §3 (control: IPv4 unicast in MP_REACH_NLRI)", "accept",
         "ok", upd(mp_reach(1, 1, ip4("192.0.2.1"), NLRI) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_reserved_nonzero", "RFC 4760 §3 (Reserved octet 0x5a SHOULD be ignored)",
         "accept", "ok",
         upd(mp_reach(2, 1, V6_NH, V6_NLRI, reserved=0x5A) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_with_next_hop", "RFC 4760 §3 (NEXT_HOP next to MP_REACH_NLRI only is ignored)",
         "accept", "ok", upd_v6(extra=NH))
    case("mp_reach_missing_origin", "RFC 7606 §3(d) (MP_REACH_NLRI without ORIGIN)",
         "treat-as-withdraw", TAW, upd(mp_reach(2, 1, V6_NH, V6_NLRI) + PATH, nl=b""))
    for n in (5, 33):
        case("mp_reach_nh_len%d" % n, "RFC 7606 §7.11, tcpdump CVE-2018-16230 (IPv6 next hop "
             "length %d)" % n, "NOTIFICATION 3/9 Optional Attribute Error (session reset)",
             reset(3, 9), upd_v6(nh=(V6_NH * 3)[:n]))
    case("mp_reach_nh_len255", "RFC 7606 §7.11, tcpdump CVE-2018-16230 (next hop length 255 "
         "runs past the attribute)", "NOTIFICATION 3/9 Optional Attribute Error (session reset)",
         reset(3, 9), upd(mp_reach(2, 1, V6_NH, V6_NLRI, nh_len=255) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_v4_nh_len5", "RFC 7606 §7.11 (IPv4 unicast next hop length 5)",
         "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd(mp_reach(1, 1, ip4("192.0.2.1") + b"\x00", NLRI) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_v4_nh_len16", "RFC 7606 §7.11 (IPv4 unicast with a 16-octet next hop while "
         "RFC 8950 is not negotiated)", "NOTIFICATION 3/9 Optional Attribute Error (session "
         "reset)", reset(3, 9),
         upd(mp_reach(1, 1, V6_NH, NLRI) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_len4", "RFC 7606 §5.3 (MP_REACH_NLRI shorter than 5)",
         "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd(attr(OPT, 14, u16(2) + u8(1) + u8(0)) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_prefix_129", "RFC 7606 §5.3 (IPv6 prefix length 129)",
         "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd_v6(nl=u8(129) + b"\x20\x01\x0d\xb8" + b"\x00" * 13))
    case("mp_reach_nlri_overrun", "RFC 7606 §5.3 (last IPv6 prefix /64 with 3 octets left)",
         "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd_v6(nl=V6_NLRI + u8(64) + b"\x20\x01\x0d"))
    case("mp_reach_flags_wellknown", "RFC 7606 §5.3 (MP_REACH_NLRI flags 0x40, inconsistent with "
         "RFC 4760)", "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd(mp_reach(2, 1, V6_NH, V6_NLRI, flags=WK) + ORIGIN_IGP + PATH, nl=b""))
    case("mp_reach_duplicate", "RFC 7606 §3(g) (MP_REACH_NLRI twice)", "NOTIFICATION 3/1 "
         "Malformed Attribute List (session reset)", reset(3, 1),
         upd(mp_reach(2, 1, V6_NH, V6_NLRI) + mp_reach(2, 1, V6_NH, nlri("2001:db8:200::/48"))
             + ORIGIN_IGP + PATH, nl=b""))
    case("mp_unreach_duplicate", "RFC 7606 §3(g) (MP_UNREACH_NLRI twice)", "NOTIFICATION 3/1 "
         "Malformed Attribute List (session reset)", reset(3, 1),
         upd(mp_unreach(2, 1, V6_NLRI) + mp_unreach(2, 1, nlri("2001:db8:200::/48")), nl=b""))
    case("mp_unreach_len2", "RFC 7606 §5.3 (MP_UNREACH_NLRI shorter than 3)",
         "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd(attr(OPT, 15, u16(2)), nl=b""))
    case("mp_unreach_prefix_129", "RFC 7606 §5.3 (withdrawn IPv6 prefix length 129)",
         "NOTIFICATION 3/9 Optional Attribute Error (session reset)", reset(3, 9),
         upd(mp_unreach(2, 1, u8(129) + b"\x20\x01\x0d\xb8" + b"\x00" * 13), nl=b""))
    case("mp_unreach_overrun", "RFC 7606 §5.3, CVE-2023-46752 (last withdrawn IPv6 prefix runs "
         "past the attribute)", "NOTIFICATION 3/9 Optional Attribute Error (session reset)",
         reset(3, 9), upd(mp_unreach(2, 1, u8(48) + b"\x20\x01"), nl=b""))
    case("mp_unreach_flags_transitive", "RFC 7606 §5.3 (MP_UNREACH_NLRI flags 0xC0, "
         "inconsistent with RFC 4760)", "NOTIFICATION 3/9 Optional Attribute Error (session "
         "reset)", reset(3, 9), upd(mp_unreach(2, 1, V6_NLRI, flags=OPT_T), nl=b""))


def update_nlri_cases():
    case("nlri_prefix_33", "RFC 7606 §5.3, RFC 4271 §6.3 (NLRI prefix length 33)",
         "NOTIFICATION 3/10 Invalid Network Field (session reset)", reset(3, 10),
         upd(BASE, nl=NLRI + b"\x21\xc6\x33\x64\x00\x00"))
    case("nlri_overrun", "RFC 7606 §5.3 (last NLRI /24 with 2 octets left)",
         "NOTIFICATION 3/10 Invalid Network Field (session reset)", reset(3, 10),
         upd(BASE, nl=NLRI + b"\x18\xcb\x00"))
    case("withdrawn_prefix_33", "RFC 7606 §3(i), §5.3 (Withdrawn Routes prefix length 33)",
         "NOTIFICATION 3/10 Invalid Network Field (session reset)", reset(3, 10),
         upd(b"", nl=b"", withdrawn=b"\x21\xc6\x33\x64\x00\x00"))
    case("withdrawn_overrun", "RFC 7606 §3(i), §5.3 (last withdrawn /24 with 1 octet left)",
         "NOTIFICATION 3/10 Invalid Network Field (session reset)", reset(3, 10),
         upd(b"", nl=b"", withdrawn=nlri("203.0.113.0/24") + b"\x18\xcb"))
    case("nlri_default_route", "RFC 4271 §4.3 (control: 0.0.0.0/0, a lone length octet)",
         "accept", "ok", upd(BASE, nl=nlri("0.0.0.0/0")))
    case("nlri_trailing_bits", "RFC 4271 §4.3 (bits past the prefix length are irrelevant: "
         "198.51.101.0/23 on the wire)", "accept", "ok", upd(BASE, nl=b"\x17\xc6\x33\x65"))
    attrs = ORIGIN_IGP + as_path(seg(AS_SEQ, [PEER_AS])) + NH + atomic_aggregate()  # 23 octets: 4096 - 19 - 4 - 23 = 4050 = 810 x /32
    full = b"".join(pfx("10.%d.%d.%d/32" % (i >> 16, (i >> 8) & 255, i & 255))
                    for i in range(810))
    m = upd(attrs, nl=full)
    assert len(m) == 4096, len(m)
    case("nlri_4096_of_slash32", "robustness.md §2.3 (4096-octet UPDATE of 810 /32 prefixes)",
         "accept", "ok", m)


def notification_cases():
    comm = lambda text: u8(len(text)) + text  # noqa: E731  RFC 9003 length + text
    case("notif_shutdown_ok", "RFC 9003 §2 (control: Administrative Shutdown with UTF-8 text)",
         "log the communication", "ok",
         notification(6, 2, comm("maintenance \u2615 back at 14:00 UTC".encode())))
    case("notif_shutdown_len255_3_octets", "RFC 9003 §2 (communication length 255, 3 octets "
         "present)", "log as invalid communication (no over-read)", "comm-invalid",
         notification(6, 2, u8(255) + b"abc"))
    case("notif_shutdown_bad_utf8", "RFC 9003 §2, §4 (invalid UTF-8 0xff 0xfe)", "log as invalid "
         "communication, do not interpret", "comm-invalid",
         notification(6, 2, comm(b"down \xff\xfe")))
    case("notif_shutdown_overlong_utf8", "RFC 9003 §2 (overlong UTF-8 0xc0 0xaf; Shortest Form "
         "REQUIRED)", "log as invalid communication", "comm-invalid",
         notification(6, 2, comm(b"a\xc0\xafb")))
    case("notif_shutdown_surrogate_utf8", "RFC 9003 §2, RFC 3629 §3 (UTF-16 surrogate encoded "
         "as UTF-8, 0xed 0xa0 0x80)", "log as invalid communication", "comm-invalid",
         notification(6, 2, comm(b"\xed\xa0\x80")))
    case("notif_shutdown_truncated_utf8", "RFC 9003 §2 (communication ends inside a multi-octet "
         "character)", "log as invalid communication", "comm-invalid",
         notification(6, 2, comm(b"caf\xc3")))
    case("notif_reset_bad_utf8", "RFC 9003 §2 (Administrative Reset with invalid UTF-8)",
         "log as invalid communication", "comm-invalid", notification(6, 4, comm(b"\x80")))
    case("notif_shutdown_empty_data", "RFC 4486 §4 (Administrative Shutdown with no data)",
         "close, nothing to log", "ok", notification(6, 2))
    case("notif_shutdown_len0", "RFC 9003 §2 (communication length 0)", "close, nothing to log",
         "ok", notification(6, 2, u8(0)))
    case("notif_cease_other_binary", "RFC 4486 (Cease/Out of Resources with binary data: no "
         "communication there)", "close, log data as hex", "ok",
         notification(6, 8, b"\xff\xfe\x00"))
    case("notif_unknown_code", "RFC 4271 §6.4 (unrecognized error code 99: log, never answer "
         "a NOTIFICATION)", "close, log", "ok", notification(99, 7, b"\x01"))


def route_refresh_cases():
    case("rr_ok", "RFC 2918 §3 (control: IPv4 unicast request)", "accept", "ok",
         route_refresh())
    case("rr_borr_ok", "RFC 7313 §3 (control: BoRR)", "accept", "ok", route_refresh(subtype=1))
    case("rr_borr_extra", "RFC 7313 §5 (BoRR with 2 extra octets)", "NOTIFICATION 7/1 Invalid "
         "Message Length", "notify 7/1", route_refresh(subtype=1, extra=b"\x00\x00"))
    case("rr_eorr_extra", "RFC 7313 §5 (EoRR with 1 extra octet)", "NOTIFICATION 7/1 Invalid "
         "Message Length", "notify 7/1", route_refresh(subtype=2, extra=b"\x00"))
    case("rr_unknown_afi", "RFC 2918 §4 (AFI 99 never advertised: ignore)", "ignore", "ok",
         route_refresh(afi=99))
    case("rr_unknown_safi", "RFC 2918 §4 (SAFI 128 never advertised: ignore)", "ignore", "ok",
         route_refresh(safi=128))
    case("rr_unknown_subtype", "RFC 7313 §5 (subtype 3: MUST ignore)", "ignore", "ok",
         route_refresh(subtype=3, extra=b"\x01\x02"))
    case("rr_subtype_255", "RFC 7313 §6 (reserved subtype 255: ignore)", "ignore", "ok",
         route_refresh(subtype=255))
    orf = u8(1) + u8(64) + u16(7) + u8(0) + u32(10) + u8(0)  # immediate, prefix ORF, 1 entry
    case("rr_with_orf", "RFC 5291 §4 (request carrying ORF entries; ORF is never negotiated)",
         "accept the request, ignore the ORF octets", "ok", route_refresh(extra=orf))
    case("rr_cve_2023_41360_truncated_orf", "CVE-2023-41360 FRR (ORF header cut after the "
         "When-to-refresh octet)", "accept the request, ignore the ORF octets, no over-read",
         "ok", route_refresh(extra=b"\x01"))


def keepalive_cases():
    case("keepalive_ok", "RFC 4271 §4.4 (control: KEEPALIVE)", "accept", "ok", KEEPALIVE_MSG)


# ---------------------------------------------------------------- output

def render(source, action, expect, data, session):
    lines = ["# %s / %s" % (source, action)]
    if session:
        lines.append("# session: %s" % session)
    lines.append("# expect: %s" % expect)
    hx = data.hex()
    for i in range(0, len(hx), 64):
        lines.append(hx[i:i + 64])
    return "\n".join(lines) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    for fn in (header_cases, open_cases, update_framing_cases, update_attr_cases,
               update_unknown_cases, update_mp_cases, update_nlri_cases, notification_cases,
               route_refresh_cases, keepalive_cases):
        fn()
    stale = 0
    names = set()
    for name, source, action, expect, data, session in CASES:
        names.add(name + ".hex")
        path = os.path.join(HERE, name + ".hex")
        text = render(source, action, expect, data, session)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                print("stale or missing: %s" % path)
                stale += 1
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    for extra in sorted(set(f for f in os.listdir(HERE) if f.endswith(".hex")) - names):
        print("not generated by gen.py: %s" % os.path.join(HERE, extra))
    if check:
        print("gen.py: %d files, %d stale" % (len(CASES), stale))
        return 1 if stale else 0
    print("gen.py: wrote %d files" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
