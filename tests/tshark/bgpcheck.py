#!/usr/bin/env python3
"""Check one hex stream of BGP messages with Wireshark's dissector.

    bgpcheck.py [--ours] HEXFILE DECODED WORKDIR
    bgpcheck.py --list LISTFILE WORKDIR      (many streams, two tshark runs)

HEXFILE is in the format tools/bgpdecode reads; DECODED is what bgpdecode
printed for it.  Each stream's messages are written into a pcap as a TCP
connection to port 179 (handshake, then one segment per message), dissected
by tshark (PDML; one run per AS number width, streams of 2-octet sessions
with bgp.asn_len 2), and then:

  - any malformed packet, or expert info of severity warning or error, fails;
  - what tshark decoded (prefixes, AS paths, communities, next hops, other
    attributes, OPEN fields and capabilities, NOTIFICATION data, ROUTE-REFRESH
    fields, message types and lengths) must equal what bgpdecode printed.

Limits of tshark 4.0 (Debian 12) and how they are handled:
  - It refuses any message longer than 4096 octets (no RFC 8654).  An UPDATE
    longer than that is cut into UPDATEs of at most 4096 octets carrying the
    same attributes and consecutive runs of its prefixes; the pieces are
    dissected and their prefixes compared, joined, with the original's.
  - It does not know RFC 9072 extended optional parameters: such an OPEN is
    left out of the capture and reported as not checkable.

--ours adds checks that hold for what our encoder emits but not for every
valid message (a shutdown communication must be UTF-8 as tshark reads it).

Prints `ok NAME [(note)]` or `FAIL NAME: reasons` per stream (with --list:
`INDEX<TAB>MESSAGES<TAB>` before it); exits 1 if any failed.
Standard library only.
"""
import ipaddress
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

TSHARK_MAX = 4096
SEV_WARN = 0x00600000
TYPE_NAMES = {1: "OPEN", 2: "UPDATE", 3: "NOTIFICATION", 4: "KEEPALIVE", 5: "ROUTE-REFRESH"}
CAP_CODES = {"mp": 1, "route-refresh": 2, "extended-message": 6, "graceful-restart": 64,
             "as4": 65, "enhanced-route-refresh": 70, "fqdn": 73, "software-version": 75}
FAMILIES = {"ipv4-unicast": "1/1", "ipv6-unicast": "2/1"}
ORIGINS = {"igp": "0", "egp": "1", "incomplete": "2"}
RR_SUBTYPES = {"request": "0", "begin": "1", "end": "2"}


class Bad(Exception):
    pass


# ---- input ----

def read_hex(path):
    """Returns (bytes, session words, [(offset, comment)])."""
    data = bytearray()
    session = ""
    comments = []
    half = ""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("#"):
                text = line[1:].strip()
                if text.startswith("session:"):
                    session = text[len("session:"):].strip()
                else:
                    comments.append((len(data), text))
                continue
            digits = half + "".join(line.split())
            if len(digits) % 2:
                digits, half = digits[:-1], digits[-1]
            else:
                half = ""
            data += bytes.fromhex(digits)
    return bytes(data), session.split(), comments


def frame(data):
    msgs = []
    off = 0
    while off < len(data):
        if len(data) - off < 19:
            raise Bad("stream ends inside a header at offset %d" % off)
        n = struct.unpack("!H", data[off + 16:off + 18])[0]
        if n < 19 or n > len(data) - off:
            raise Bad("header length %d at offset %d does not frame the stream" % (n, off))
        msgs.append((off, data[off:off + n]))
        off += n
    return msgs


# ---- cutting UPDATEs longer than tshark accepts ----

def split_prefixes(b, what):
    out = []
    i = 0
    while i < len(b):
        n = 1 + (b[i] + 7) // 8
        if i + n > len(b):
            raise Bad("%s: a prefix overruns its field" % what)
        out.append(b[i:i + n])
        i += n
    return out


def attr_list(b):
    out = []
    i = 0
    while i < len(b):
        if i + 3 > len(b):
            raise Bad("attribute header overruns the attributes")
        flags, typ = b[i], b[i + 1]
        hl = 4 if flags & 0x10 else 3
        if i + hl > len(b):
            raise Bad("attribute header overruns the attributes")
        n = struct.unpack("!H", b[i + 2:i + 4])[0] if hl == 4 else b[i + 2]
        if i + hl + n > len(b):
            raise Bad("attribute %d overruns the attributes" % typ)
        out.append([flags, typ, b[i + hl:i + hl + n]])
        i += hl + n
    return out


def attr_bytes(flags, typ, val):
    if flags & 0x10:
        return bytes([flags, typ]) + struct.pack("!H", len(val)) + val
    if len(val) > 255:
        raise Bad("attribute %d does not fit its length octet" % typ)
    return bytes([flags, typ, len(val)]) + val


def build_update(withdrawn, attrs, nlri):
    a = b"".join(attr_bytes(*x) for x in attrs)
    body = struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(a)) + a + nlri
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 2) + body


def cut_update(msg):
    """Cuts an UPDATE into UPDATEs of at most TSHARK_MAX octets."""
    body = msg[19:]
    wl = struct.unpack("!H", body[0:2])[0]
    if 4 + wl > len(body):
        raise Bad("withdrawn routes overrun the UPDATE")
    withdrawn = body[2:2 + wl]
    al = struct.unpack("!H", body[2 + wl:4 + wl])[0]
    if 4 + wl + al > len(body):
        raise Bad("path attributes overrun the UPDATE")
    attrs = attr_list(body[4 + wl:4 + wl + al])
    nlri = body[4 + wl + al:]
    # Which one field carries the prefixes; the others must be empty.
    carriers = []
    if withdrawn:
        carriers.append(("withdrawn", None, 0))
    if nlri:
        carriers.append(("nlri", None, 0))
    for idx, (flags, typ, val) in enumerate(attrs):
        if typ == 14:
            if len(val) < 5 or 5 + val[3] > len(val):
                raise Bad("MP_REACH_NLRI too short")
            fixed = 5 + val[3]
        elif typ == 15:
            fixed = 3
        else:
            continue
        if len(val) > fixed:
            carriers.append(("attr", idx, fixed))
    if len(carriers) != 1:
        raise Bad("an UPDATE longer than %d octets with %d prefix fields cannot be cut for tshark"
                  % (TSHARK_MAX, len(carriers)))
    kind, idx, fixed = carriers[0]
    if kind == "withdrawn":
        pfx = split_prefixes(withdrawn, "withdrawn routes")
    elif kind == "nlri":
        pfx = split_prefixes(nlri, "NLRI")
    else:
        pfx = split_prefixes(attrs[idx][2][fixed:], "MP NLRI")

    def make(run):
        b = b"".join(run)
        if kind == "withdrawn":
            return build_update(b, attrs, b"")
        if kind == "nlri":
            return build_update(b"", attrs, b)
        a = [list(x) for x in attrs]
        a[idx][2] = attrs[idx][2][:fixed] + b
        return build_update(withdrawn, a, nlri)

    pieces, run = [], []
    for p in pfx:
        if run and len(make(run + [p])) > TSHARK_MAX:
            pieces.append(make(run))
            run = []
        run.append(p)
    pieces.append(make(run))
    if any(len(x) > TSHARK_MAX for x in pieces):
        raise Bad("cannot cut into UPDATEs of at most %d octets" % TSHARK_MAX)
    return pieces


def is_rfc9072_open(msg):
    return msg[18] == 1 and len(msg) >= 31 and msg[28] == 255 and msg[29] == 255


# ---- pcap ----

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip_tcp(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp) + len(payload))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp + payload)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0,
                     src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp + payload


def write_pcap(path, conns):
    """Writes one TCP connection to port 179 per entry of conns (a list of
    lists of messages): handshake, then one segment per message.  Returns,
    per frame, (connection index, message index) or None for handshakes."""
    a, b = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
    frames, meta = [], []
    for ci, pieces in enumerate(conns):
        sport, dport, aseq, bseq = 20000 + ci, 179, 1000, 5000
        frames += [ip_tcp(a, b, sport, dport, aseq, 0, 0x02, b""),
                   ip_tcp(b, a, dport, sport, bseq, aseq + 1, 0x12, b""),
                   ip_tcp(a, b, sport, dport, aseq + 1, bseq + 1, 0x10, b"")]
        meta += [None] * 3
        seq = aseq + 1
        for k, p in enumerate(pieces):
            frames.append(ip_tcp(a, b, sport, dport, seq, bseq + 1, 0x18, p))
            meta.append((ci, k))
            seq += len(p)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 101))  # LINKTYPE_RAW
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, len(fr), len(fr)))
            f.write(fr)
    return meta


# ---- normalised facts ----

FAMILY_RE = (r"(ipv4-unicast|ipv6-unicast|afi(\d+)-safi(\d+)|afi=(\d+) safi=(\d+))"
             r"(?:/(0x[0-9a-fA-F]+))?")


def families(text):
    """bgpdecode's AFI/SAFI names in text as ["afi/safi[/flags]", ...]."""
    out = []
    for name, a1, s1, a2, s2, flags in re.findall(FAMILY_RE, text):
        fam = FAMILIES.get(name) or "%s/%s" % (a1 or a2, s1 or s2)
        out.append(fam + ("/%d" % int(flags, 16) if flags else ""))
    return out


def norm_prefix(s):
    addr, _, plen = s.rpartition("/")
    return "%s/%d" % (ipaddress.ip_address(addr), int(plen))


def norm_addr(s):
    return str(ipaddress.ip_address(s))


def community(tok):
    tok = tok.split("(", 1)[0]
    hi, lo = tok.split(":")
    return "0x%08x" % (int(hi) << 16 | int(lo))


def aspath(text):
    segs = {"set": 1, "seq": 2, "confed-seq": 3, "confed-set": 4}
    return ["%s:%s" % (segs.get(k, k), " ".join(v.split()))
            for k, v in re.findall(r"([a-z?-]+)\(([^)]*)\)", text)]


def parse_decoded(path):
    """bgpdecode's printout as a list of (type, length, facts)."""
    msgs = []
    cur = None
    section = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^(OPEN|UPDATE|NOTIFICATION|KEEPALIVE|ROUTE-REFRESH|type-(\d+)) length (\d+)$", line)
            if m:
                t = {v: k for k, v in TYPE_NAMES.items()}.get(m.group(1))
                cur = {"type": str(t if t else int(m.group(2))), "len": m.group(3)}
                msgs.append(cur)
                section = None
                continue
            if cur is None:
                raise Bad("bgpdecode printed '%s' before any message" % line[:60])
            decoded_line(cur, line, section)
            if line.startswith("attr 14 "):
                section = "mp_reach"
            elif line.startswith("attr 15 "):
                section = "mp_unreach"
            elif not line.startswith("  "):
                section = None
    return msgs


def add(facts, key, val):
    facts.setdefault(key, []).append(val)


def decoded_line(c, line, section):
    w = line.split()
    if not w:
        return
    if line.startswith("  "):
        if section == "mp_reach" and w[0] in ("next-hop", "next-hop-ll"):
            add(c, "mp_nh", norm_addr(w[1]))
        elif section == "mp_reach" and w[0] == "nlri":
            add(c, "mp_reach", norm_prefix(w[1]))
        elif section == "mp_unreach" and w[0] == "withdrawn":
            add(c, "mp_unreach", norm_prefix(w[1]))
        return
    if w[0] == "withdrawn":
        add(c, "withdrawn", norm_prefix(w[1]))
    elif w[0] == "nlri":
        add(c, "nlri", norm_prefix(w[1]))
    elif w[0] == "attr":
        add(c, "attrs", "%s/%s" % (w[1], w[2].split("=")[1]))
        kind, rest = w[3], w[4:]
        if kind == "origin":
            add(c, "origin", ORIGINS.get(rest[0], rest[0]))
        elif kind == "as-path":
            c.setdefault("as_path", []).extend(aspath(" ".join(rest)))
        elif kind == "as4-path":
            c.setdefault("as4_path", []).extend(aspath(" ".join(rest)))
        elif kind == "next-hop":
            add(c, "next_hop", norm_addr(rest[0]))
        elif kind == "med":
            add(c, "med", rest[0])
        elif kind == "local-pref":
            add(c, "local_pref", rest[0])
        elif kind == "communities":
            c.setdefault("communities", []).extend(community(t) for t in rest)
        elif kind == "large-communities":
            c.setdefault("large", []).extend(rest)
        elif kind in ("mp-reach", "mp-unreach"):
            add(c, kind.replace("-", "_") + "_family", families(" ".join(rest))[0])
    elif w[0] in ("version", "my-as", "hold-time", "bgp-id"):
        add(c, w[0], norm_addr(w[1]) if w[0] == "bgp-id" else w[1])
    elif w[0] == "cap":
        if w[1].startswith("code="):
            add(c, "caps", w[1][5:])
        elif w[1] == "ignored-malformed":
            add(c, "problems", line)
        else:
            add(c, "caps", str(CAP_CODES.get(w[1], w[1])))
        if w[1] == "mp":
            add(c, "mp", families(" ".join(w[2:]))[0])
        elif w[1] == "as4":
            add(c, "as4", w[2])
        elif w[1] == "graceful-restart":
            fl, tm = w[2].split("=")[1], w[3].split("=")[1]
            gr = ["flags=%d time=%s" % (int(fl, 16), tm)] + families(" ".join(w[4:]))
            add(c, "gr", " ".join(gr))
    elif w[0] == "notification":
        code, sub = w[1].split("/")
        add(c, "code", code)
        add(c, "subcode", sub)
    elif w[0] == "data":
        add(c, "data", w[1])
    elif w[0] == "route-refresh":
        text = line[len("route-refresh "):]
        m = re.match(FAMILY_RE, text)
        add(c, "rr_family", families(m.group(0))[0] if m else text)
        sub = text[m.end():].split() if m else ["?"]
        add(c, "rr_subtype", RR_SUBTYPES.get(sub[0], sub[0].replace("subtype=", "")))
    elif w[0] in ("error", "incomplete", "problems"):
        add(c, "problems", line)


# ---- tshark ----

def tshark_packets(pcap, asn_len, workdir):
    """Runs tshark on pcap and yields its <packet> elements (PDML) one at a
    time, read from the pipe: memory and disk stay flat."""
    conf = os.path.join(workdir, "wsconf")  # no user preferences
    os.makedirs(conf, exist_ok=True)
    env = dict(os.environ, WIRESHARK_CONFIG_DIR=conf, LC_ALL="C.UTF-8")
    cmd = ["tshark", "-n", "-r", pcap, "-d", "tcp.port==179,bgp",
           "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "bgp.desegment:TRUE",
           "-o", "bgp.asn_len:%s" % asn_len, "-T", "pdml"]
    errpath = os.path.join(workdir, "tshark.err")
    with open(errpath, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        try:
            for _, e in ET.iterparse(proc.stdout, events=("end",)):
                if e.tag == "packet":
                    yield e
                    e.clear()
        except ET.ParseError as e:
            proc.kill()
            raise Bad("tshark's PDML does not parse: %s" % e)
        finally:
            proc.stdout.close()
            rc = proc.wait()
    if rc != 0:
        with open(errpath, encoding="utf-8", errors="replace") as f:
            msg = [l.strip() for l in f if l.strip() and "Running as user" not in l]
        raise Bad("tshark failed (%d): %s" % (rc, " / ".join(msg)[:300]))


def fields(e, name):
    return [x for x in e.iter("field") if x.get("name") == name]


def first(e, name):
    for x in e.iter("field"):
        if x.get("name") == name:
            return x
    return None


def show(e, name):
    x = first(e, name)
    return x.get("show") if x is not None else None


def expert_problems(packet):
    out = []
    for x in packet.iter():
        n = x.get("name", "")
        if n == "_ws.malformed":
            out.append("malformed: " + (x.get("showname") or x.get("show") or "?"))
        elif n == "_ws.expert":
            sev = show(x, "_ws.expert.severity")
            if sev is not None and int(sev, 0) >= SEV_WARN:
                out.append("expert: " + (show(x, "_ws.expert.message") or x.get("showname", "?")))
    return out


PREFIX_RE = re.compile(r"^[0-9A-Fa-f:.]+/\d+$")


def prefixes_in(container):
    return [norm_prefix(x.get("show")) for x in container
            if x.tag == "field" and not x.get("name") and PREFIX_RE.match(x.get("show", ""))]


def tshark_update(bgp, c):
    for wr in [x for x in bgp if x.get("name") == "bgp.update.withdrawn_routes"]:
        for p in prefixes_in(wr):
            add(c, "withdrawn", p)
    for pa in fields(bgp, "bgp.update.path_attribute"):
        typ = show(pa, "bgp.update.path_attribute.type_code")
        flags = int(show(pa, "bgp.update.path_attribute.flags"), 0)
        add(c, "attrs", "%s/0x%02x" % (typ, flags))
        if typ == "1":
            add(c, "origin", show(pa, "bgp.update.path_attribute.origin"))
        elif typ in ("2", "17"):
            key = "as_path" if typ == "2" else "as4_path"
            c.setdefault(key, [])
            for seg in fields(pa, "bgp.update.path_attribute.as_path_segment"):
                asns = [x.get("show") for x in seg if x.get("name", "").startswith(
                    "bgp.update.path_attribute.as_path_segment.as")]
                add(c, key, "%s:%s" % (show(seg, "bgp.update.path_attribute.as_path_segment.type"),
                                       " ".join(asns)))
        elif typ == "3":
            add(c, "next_hop", norm_addr(show(pa, "bgp.update.path_attribute.next_hop")))
        elif typ == "4":
            add(c, "med", show(pa, "bgp.update.path_attribute.multi_exit_disc"))
        elif typ == "5":
            add(c, "local_pref", show(pa, "bgp.update.path_attribute.local_pref"))
        elif typ == "8":
            c.setdefault("communities", [])
            comms = first(pa, "bgp.update.path_attribute.communities")
            for x in comms if comms is not None else []:
                if x.get("name") == "bgp.update.path_attribute.community_wellknown":
                    add(c, "communities", "0x%08x" % int(x.get("show"), 0))
                elif x.get("name") == "bgp.update.path_attribute.community":
                    hi = int(show(x, "bgp.update.path_attribute.community_as"))
                    lo = int(show(x, "bgp.update.path_attribute.community_value"))
                    add(c, "communities", "0x%08x" % (hi << 16 | lo))
        elif typ == "32":
            c.setdefault("large", [])
            for x in fields(pa, "bgp.large_communities"):
                add(c, "large", ":".join(show(x, "bgp.large_communities." + k)
                                         for k in ("ga", "ldp1", "ldp2")))
        elif typ in ("14", "15"):
            kind = "mp_reach" if typ == "14" else "mp_unreach"
            afi = show(pa, "bgp.update.path_attribute.%s_nlri.afi" % kind)
            safi = show(pa, "bgp.update.path_attribute.%s_nlri.safi" % kind)
            add(c, kind + "_family", "%s/%s" % (afi, safi))
            if (afi, safi) not in (("1", "1"), ("2", "1")):
                continue
            if typ == "14":
                for n in ("ipv4", "ipv6", "ipv6.link_local"):
                    for x in fields(pa, "bgp.update.path_attribute.mp_reach_nlri.next_hop." + n):
                        add(c, "mp_nh", norm_addr(x.get("show")))
            for cont in fields(pa, "bgp.update.path_attribute.%s_nlri" % kind):
                for p in prefixes_in(cont):
                    add(c, kind, p)
    for nl in [x for x in bgp if x.get("name") == "bgp.update.nlri"]:
        for p in prefixes_in(nl):
            add(c, "nlri", p)


def tshark_open(bgp, c):
    add(c, "version", show(bgp, "bgp.open.version"))
    add(c, "my-as", show(bgp, "bgp.open.myas"))
    add(c, "hold-time", show(bgp, "bgp.open.holdtime"))
    add(c, "bgp-id", norm_addr(show(bgp, "bgp.open.identifier")))
    for cap in fields(bgp, "bgp.cap"):
        code = show(cap, "bgp.cap.type")
        add(c, "caps", code)
        if code == "1":
            add(c, "mp", "%s/%s" % (show(cap, "bgp.cap.mp.afi"), show(cap, "bgp.cap.mp.safi")))
        elif code == "65":
            add(c, "as4", show(cap, "bgp.cap.4as"))
        elif code == "64":
            t = int(show(cap, "bgp.cap.gr.timers"), 0)
            gr = ["flags=%d time=%d" % (t >> 12, t & 0xfff)]
            for afi, safi, fl in zip(fields(cap, "bgp.cap.gr.afi"), fields(cap, "bgp.cap.gr.safi"),
                                     fields(cap, "bgp.cap.gr.flag")):
                gr.append("%s/%s/%d" % (afi.get("show"), safi.get("show"), int(fl.get("show"), 0)))
            add(c, "gr", " ".join(gr))


def notification_data(fields_after):
    """The octets tshark decoded as the data field: a field's value, or
    its children's where it has none (capabilities)."""
    out = ""
    for x in fields_after:
        if x.get("name", "").startswith("_ws"):
            continue
        if x.get("value"):
            out += x.get("value")
        else:
            out += notification_data(list(x))
    return out


def tshark_notification(bgp, c, problems, ours):
    add(c, "code", show(bgp, "bgp.notify.major_error"))
    after = None
    for x in bgp:
        n = x.get("name", "")
        if after is not None:
            after.append(x)
        elif n.startswith("bgp.notify.minor_error"):
            add(c, "subcode", x.get("show"))
            after = []
        if ours and n == "bgp.notify.communication":
            # Our encoder cuts texts at character boundaries: tshark must
            # read valid UTF-8 and show exactly the text.
            raw = bytes.fromhex(x.get("value", ""))
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems.append("shutdown communication is not UTF-8")
                text = None
            if text is not None and text != x.get("show", ""):
                problems.append("tshark shows the shutdown communication differently")
    data = notification_data(after or [])
    if data:
        add(c, "data", data)


def tshark_facts(bgp, problems, ours):
    c = {"type": show(bgp, "bgp.type"), "len": show(bgp, "bgp.length")}
    if c["type"] == "1":
        tshark_open(bgp, c)
    elif c["type"] == "2":
        tshark_update(bgp, c)
    elif c["type"] == "3":
        tshark_notification(bgp, c, problems, ours)
    elif c["type"] == "5":
        add(c, "rr_family", "%s/%s" % (show(bgp, "bgp.route_refresh.afi"),
                                       show(bgp, "bgp.route_refresh.safi")))
        add(c, "rr_subtype", show(bgp, "bgp.route_refresh.subtype"))
    return c


PREFIX_KEYS = ("withdrawn", "nlri", "mp_reach", "mp_unreach")


def join_pieces(facts):
    """The facts of one cut UPDATE: prefixes joined, the rest the same in every piece."""
    out = dict(facts[0])
    for f in facts[1:]:
        for k in set(f) | set(out):
            if k in PREFIX_KEYS:
                out[k] = out.get(k, []) + f.get(k, [])
            elif k != "len" and f.get(k) != facts[0].get(k):
                raise Bad("pieces of a cut UPDATE differ in %s" % k)
    out.pop("len", None)
    return out


def describe(k, a, b):
    if isinstance(a, list) and isinstance(b, list) and len(a) + len(b) > 6:
        sa, sb = set(a), set(b)
        return "%s: %d vs %d entries; only bgpdecode: %s; only tshark: %s" % (
            k, len(a), len(b), sorted(sa - sb)[:3], sorted(sb - sa)[:3])
    return "%s: bgpdecode %s, tshark %s" % (k, a, b)


def compare(dec, ts):
    diffs = []
    for k in sorted(set(dec) | set(ts)):
        if k == "problems":
            continue
        a, b = dec.get(k), ts.get(k)
        if k in ("attrs", "caps", "mp") and a and b:  # bgpdecode prints these in its own order
            a, b = sorted(a), sorted(b)
        if a != b:
            diffs.append(describe(k, a, b))
    return diffs


class Stream:
    """One hex file, its bgpdecode printout, and what tshark made of it."""

    def __init__(self, name, hexfile, decoded, ours):
        self.name, self.ours = name, ours
        self.problems = []
        self.pieces, self.owner = [], []
        self.skipped = self.cut = 0
        self.msgs, self.comments, self.session = [], [], []
        self.per_msg = {}
        self.n_ts = 0
        try:
            self.prepare(hexfile, decoded)
        except Bad as e:
            self.problems.append(str(e))

    def label(self, i):
        off = self.msgs[i][0]
        what = [t for o, t in self.comments if o <= off]
        return "message %d%s" % (i + 1, " (%s)" % what[-1][:100] if what else "")

    def prepare(self, hexfile, decoded):
        data, self.session, self.comments = read_hex(hexfile)
        self.msgs = frame(data)
        self.dec = parse_decoded(decoded)
        if len(self.dec) != len(self.msgs):
            raise Bad("bgpdecode printed %d messages, the stream holds %d"
                      % (len(self.dec), len(self.msgs)))
        for i, d in enumerate(self.dec):
            if d.get("problems"):
                raise Bad("%s: bgpdecode: %s" % (self.label(i), d["problems"][0]))
        for i, (off, m) in enumerate(self.msgs):
            if is_rfc9072_open(m):
                self.skipped += 1
                continue
            if len(m) > TSHARK_MAX:
                if m[18] != 2:
                    raise Bad("%s: longer than %d octets and not an UPDATE"
                              % (self.label(i), TSHARK_MAX))
                try:
                    ps = cut_update(m)
                except Bad as e:
                    raise Bad("%s: %s" % (self.label(i), e))
                self.cut += 1
            else:
                ps = [m]
            self.pieces += ps
            self.owner += [i] * len(ps)

    def asn_len(self):
        return "2" if "as2" in self.session else "4"

    def packet(self, k, pkt):
        """tshark's dissection of our message piece k."""
        where = self.label(self.owner[k])
        for p in expert_problems(pkt):
            self.problems.append("%s: %s" % (where, p))
        bgps = [p for p in pkt if p.tag == "proto" and p.get("name") == "bgp"]
        if len(bgps) != 1:
            self.problems.append("%s: tshark found %d BGP messages in its segment" % (where, len(bgps)))
        for b in bgps:
            self.per_msg.setdefault(self.owner[k], []).append(tshark_facts(b, self.problems, self.ours))
            self.n_ts += 1

    def finish(self):
        if self.problems:
            return
        if self.n_ts != len(self.pieces):
            self.problems.append("tshark decoded %d BGP messages, %d were written"
                                 % (self.n_ts, len(self.pieces)))
        for i, facts in sorted(self.per_msg.items()):
            try:
                ts = facts[0] if len(facts) == 1 else join_pieces(facts)
            except Bad as e:
                self.problems.append("%s: %s" % (self.label(i), e))
                continue
            d = dict(self.dec[i])
            if len(facts) > 1:
                d.pop("len", None)
            for diff in compare(d, ts):
                self.problems.append("%s: %s" % (self.label(i), diff))

    def result(self):
        if self.problems:
            more = len(self.problems) - 5
            return "FAIL %s: %s%s" % (self.name, "; ".join(self.problems[:5]),
                                      "; ... and %d more" % more if more > 0 else "")
        note = []
        if self.cut:
            note.append("%d longer than %d octets checked in pieces" % (self.cut, TSHARK_MAX))
        if self.skipped:
            note.append("%d RFC 9072 OPEN not checkable by tshark 4.0" % self.skipped)
        return "ok %s%s" % (self.name, " (%s)" % ", ".join(note) if note else "")


def check(streams, workdir):
    """Dissects all streams, one tshark run per AS number width."""
    for width in ("2", "4"):
        group = [s for s in streams if not s.problems and s.asn_len() == width]
        if not group:
            continue
        pcap = os.path.join(workdir, "as%s.pcap" % width)
        meta = write_pcap(pcap, [s.pieces for s in group])
        try:
            n = 0
            for pkt in tshark_packets(pcap, width, workdir):
                if n >= len(meta):
                    raise Bad("tshark shows more frames than were written")
                if meta[n] is None:
                    for p in expert_problems(pkt):
                        group[0].problems.append("TCP handshake: " + p)
                else:
                    group[meta[n][0]].packet(meta[n][1], pkt)
                n += 1
            if n != len(meta):
                raise Bad("tshark shows %d frames, %d were written" % (n, len(meta)))
        except Bad as e:
            for s in group:
                s.problems.append(str(e))
    for s in streams:
        s.finish()


USAGE = """usage: bgpcheck.py [--ours] HEXFILE DECODED WORKDIR
       bgpcheck.py --list LISTFILE WORKDIR
LISTFILE lines: INDEX|NAME|HEXFILE|DECODED|ours-or-not"""


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--list":
        streams, index = [], []
        with open(args[1], encoding="utf-8") as f:
            for line in f:
                idx, name, hexfile, decoded, ours = line.rstrip("\n").split("|")
                streams.append(Stream(name, hexfile, decoded, ours == "yes"))
                index.append(idx)
        workdir = args[2]
    else:
        ours = bool(args) and args[0] == "--ours"
        args = args[1:] if ours else args
        if len(args) != 3:
            print(USAGE, file=sys.stderr)
            return 2
        streams, index = [Stream(os.path.basename(args[0]), args[0], args[1], ours)], None
        workdir = args[2]
    os.makedirs(workdir, exist_ok=True)
    check(streams, workdir)
    for i, s in enumerate(streams):
        if index is None:
            print(s.result())
        else:
            print("%s\t%d\t%s" % (index[i], len(s.msgs) if not s.problems else 0, s.result()))
    return 1 if any(s.problems for s in streams) else 0


if __name__ == "__main__":
    sys.exit(main())
