#!/usr/bin/env python3
"""A small HTTP(S) server for the probe tests: fixed answers per path.

  http_server.py PORT [CERTFILE KEYFILE]

Listens on 127.0.0.1:PORT (TLS with the given certificate), one thread per
request, until killed.  Paths:
  /health    200 "ok\\n"              /fail     503 "down\\n"
  /host      200 "host=<Host header>"  /redirect 302 to /health
  /slow      sleeps 10 s, then 200     /big      200, 1 MiB of 'x' then "tail"
  anything else 404
"""
import http.server
import ssl
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, code, body, headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, b"ok\n")
        elif self.path == "/fail":
            self.reply(503, b"down\n")
        elif self.path == "/host":
            self.reply(200, ("host=%s\n" % self.headers.get("Host", "")).encode())
        elif self.path == "/redirect":
            self.reply(302, b"", [("Location", "/health")])
        elif self.path == "/slow":
            time.sleep(10)
            self.reply(200, b"late\n")
        elif self.path == "/big":
            self.reply(200, b"x" * (1 << 20) + b"tail")
        else:
            self.reply(404, b"not found\n")

    def log_message(self, fmt, *args):
        pass


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    srv.daemon_threads = True
    if len(sys.argv) > 3:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("ready", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
