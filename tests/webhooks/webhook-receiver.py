#!/usr/bin/env python3
# webhook-receiver.py: a webhook receiver on loopback for the webhook tests. It
# checks each delivery's Standard Webhooks signature on its own (hmac/hashlib,
# and the `standardwebhooks` reference package when installed), rejects stale
# timestamps (5 min tolerance) and records what it got for the test to read.
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import argparse
import base64
import hashlib
import hmac
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 5 * 60

try:
    import standardwebhooks  # the reference implementation, when available
except ImportError:
    standardwebhooks = None


def key_bytes(secret):
    """The HMAC key: a whsec_ secret is base64, anything else its UTF-8 bytes."""
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_"):])
    return secret.encode()


def sign(secret, msg_id, timestamp, body):
    mac = hmac.new(key_bytes(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def verify(secret, headers, body):
    """Returns None when the delivery is authentic and fresh, else why not."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        return "missing signature headers"
    if not timestamp.isdigit():
        return "invalid timestamp"
    now = time.time()
    if int(timestamp) < now - TOLERANCE:
        return "timestamp too old"
    if int(timestamp) > now + TOLERANCE:
        return "timestamp too new"
    expected = sign(secret, msg_id, timestamp, body)
    if not any(hmac.compare_digest(expected, s) for s in signatures.split(" ")):
        return "no matching signature (hmac)"
    if standardwebhooks is not None:
        key = secret if secret.startswith("whsec_") else secret.encode()
        try:
            standardwebhooks.Webhook(key).verify(body, dict(headers), json_parse=False)
        except Exception as exc:  # noqa: BLE001 - any refusal is a failure
            return f"standardwebhooks: {exc}"
    return None


class State:
    def __init__(self, secret):
        self.secret = secret
        self.lock = threading.Lock()
        self.records = []
        self.counts = {}
        self.seen_ids = set()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def reply(self, status, body=b'{"ok":true}', headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        state = self.server.state
        if self.path == "/records":
            with state.lock:
                body = json.dumps(state.records).encode()
            self.reply(200, body)
        else:
            self.reply(404, b'{"error":"not found"}')

    def do_POST(self):
        state = self.server.state
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        error = verify(state.secret, headers, body) if state.secret is not None else None
        parts = self.path.strip("/").split("/")
        with state.lock:
            count = state.counts.get(self.path, 0) + 1
            state.counts[self.path] = count
            msg_id = headers.get("webhook-id")
            duplicate = msg_id is not None and msg_id in state.seen_ids
            if error is None and msg_id is not None:
                state.seen_ids.add(msg_id)
            try:
                text = body.decode()
            except UnicodeDecodeError:
                text = None
            state.records.append({
                "path": self.path, "headers": headers, "body": text, "error": error,
                "verified": state.secret is not None and error is None,
                "duplicate": duplicate, "attempt": count, "received_at": time.time(),
            })

        if error is not None:
            self.reply(401, json.dumps({"error": error}).encode())
        elif parts[0] == "status":
            extra = {"Retry-After": parts[2]} if len(parts) > 2 else {}
            self.reply(int(parts[1]), b'{"status":"as asked"}', extra)
        elif parts[0] == "flaky":
            self.reply(503 if count <= int(parts[1]) else 200)
        elif parts[0] == "slow":
            time.sleep(float(parts[1]))
            self.reply(200)
        elif parts[0] == "big":
            self.reply(200, b"x" * 100000)
        elif parts[0] == "redirect":
            self.reply(302, b"", {"Location": "/ok"})
        else:
            self.reply(200)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS")
    parser.add_argument("--sign", nargs=4, metavar=("SECRET", "ID", "TIMESTAMP", "BODY_FILE"),
                        help="print the signature of BODY_FILE's bytes and exit")
    args = parser.parse_args()
    if args.sign:
        secret, msg_id, timestamp, path = args.sign
        with open(path, "rb") as f:
            print(sign(secret, msg_id, timestamp, f.read()))
        return
    # a test that aborts cannot stop its receiver: leave with the parent
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args.secret)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"port {server.server_address[1]}", flush=True)
    print(f"reference {'standardwebhooks' if standardwebhooks else 'none'}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
