#!/usr/bin/env python3
# sigv4-reference.py: an independent AWS Signature Version 4 signer (Python's
# hmac and hashlib) that test-sigv4 checks Bough's C signer against.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
#
# Reads a JSON list of requests on stdin, each
#   {"method", "path" (not encoded), "query": [[name, value], ...] (not encoded),
#    "headers": [[name, value], ...], "payload_hash", "access_key", "secret_key",
#    "region", "service", "amz_date"}
# and writes a JSON list of {"canonical_request", "string_to_sign", "signature"}.
import hashlib
import hmac
import json
import sys
from urllib.parse import quote


def encode(text, keep_slash):
    # RFC 3986 unreserved characters stay; everything else is %XX (upper case).
    return quote(text.encode("utf-8"), safe="-_.~" + ("/" if keep_slash else ""))


def sign(request):
    headers = {}
    for name, value in request["headers"]:
        headers[name.strip().lower()] = " ".join(value.split())
    names = sorted(headers)
    query = sorted((encode(k, False), encode(v, False)) for k, v in request["query"])
    canonical = "\n".join([
        request["method"],
        encode(request["path"], True) or "/",
        "&".join(f"{k}={v}" for k, v in query),
        "".join(f"{n}:{headers[n]}\n" for n in names),
        ";".join(names),
        request["payload_hash"],
    ])
    date = request["amz_date"][:8]
    scope = f"{date}/{request['region']}/{request['service']}/aws4_request"
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256",
        request["amz_date"],
        scope,
        hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    ])
    key = ("AWS4" + request["secret_key"]).encode("utf-8")
    for part in (date, request["region"], request["service"], "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return {"canonical_request": canonical, "string_to_sign": string_to_sign, "signature": signature}


json.dump([sign(r) for r in json.load(sys.stdin)], sys.stdout)
