# test_auth.py: authentication as the SDK and a hostile client see it:
# password and API token logins, expiry and refresh, logout, and refusals of
# forged, expired and orphaned credentials, leaking nothing.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from infrahub_sdk import Config, InfrahubClientSync
from infrahub_sdk.exceptions import AuthenticationError, GraphQLError

SECRET = "bough-test-signing-key-0123456789"
PROFILE = "query { AccountProfile { id name { value } password { value } } }"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims: dict, key: str = SECRET, alg: str = "HS256") -> str:
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    if alg == "none":
        return f"{head}.{body}."
    sig = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def claims_of(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def refused(response: httpx.Response, status: int = 401) -> str:
    """The API error shape with @status; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == status
    return body["errors"][0]["message"]


def gql(http: httpx.Client, query: str, headers: dict | None = None) -> httpx.Response:
    return http.post("/graphql/main", json={"query": query}, headers=headers or {})


def login(http: httpx.Client, username: str, password: str) -> httpx.Response:
    return http.post("/api/auth/login", json={"username": username, "password": password})


@pytest.fixture
def server_env():
    return {"BOUGH_SECURITY_SECRET_KEY": SECRET}


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.address, timeout=60) as h:
        yield h


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_nothing_without_credentials(http):
    refused(gql(http, "{ InfrahubInfo { version } }"))
    refused(http.get("/api/schema"))
    refused(http.get("/api/menu"))
    refused(http.get("/schema.graphql"))
    # what a client reads before it logs in stays open
    assert http.get("/api/info").status_code == 200
    assert http.get("/api/config").status_code == 200


def test_password_login_with_the_sdk(server):
    client = InfrahubClientSync(
        config=Config(address=server.address, username="admin", password=server.password)
    )
    data = client.execute_graphql(query=PROFILE)
    assert data["AccountProfile"]["name"]["value"] == "admin"
    # the hash never leaves the server
    assert data["AccountProfile"]["password"]["value"] is None
    assert client.schema.all()


def test_api_token_with_the_sdk(server, client):
    data = client.execute_graphql(query=PROFILE)
    assert data["AccountProfile"]["name"]["value"] == "admin"

    wrong = InfrahubClientSync(config=Config(address=server.address, api_token="not-a-token"))
    with pytest.raises(AuthenticationError):
        wrong.execute_graphql(query=PROFILE)


def test_wrong_password_refused(server, http):
    message = refused(login(http, "admin", server.password + "x"))
    unknown = refused(login(http, "nobody", server.password))
    # the same answer whether the account exists or not
    assert message == unknown
    refused(login(http, "admin", ""), 422)
    refused(http.post("/api/auth/login", content=b"[1]"), 422)


@pytest.mark.parametrize(
    "username",
    ["admin' OR '1'='1", "admin'--", '"; DROP TABLE commits; --', "admin\u0000", "%", "*"],
)
def test_sql_in_login_fields(server, http, username):
    status = 422 if "\u0000" in username else 401
    refused(login(http, username, "' OR '1'='1"), status)
    refused(login(http, username, server.password), status)
    refused(login(http, "admin", server.password + "\u0000tail"), 422)
    # nothing was harmed: the real login still works
    assert login(http, "admin", server.password).status_code == 200


def test_login_cookies_refresh_and_logout(server, http):
    answer = login(http, "admin", server.password)
    assert answer.status_code == 200
    tokens = answer.json()
    cookies = answer.headers.get_list("set-cookie")
    assert any(c.startswith("access_token=") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("refresh_token=") and "HttpOnly" in c for c in cookies)
    claims = claims_of(tokens["access_token"])
    assert claims["type"] == "access" and claims["fresh"] is False
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["user_claims"]["role"] == "admin"
    assert claims_of(tokens["refresh_token"])["session_id"] == claims["session_id"]

    access = tokens["access_token"]
    assert gql(http, PROFILE, bearer(access)).json()["data"]["AccountProfile"]
    # the access token is no refresh token, and the other way round
    refused(http.post("/api/auth/refresh", headers=bearer(access)))
    refused(gql(http, PROFILE, bearer(tokens["refresh_token"])))

    refreshed = http.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    assert claims_of(refreshed.json()["access_token"])["session_id"] == claims["session_id"]

    assert http.post("/api/auth/logout", headers=bearer(access)).status_code == 200
    # the session is gone: its access and refresh tokens stop at once
    refused(gql(http, PROFILE, bearer(access)))
    refused(gql(http, PROFILE, bearer(refreshed.json()["access_token"])))
    refused(http.post("/api/auth/refresh", headers=bearer(tokens["refresh_token"])))


def test_forged_tokens_refused(server, http):
    tokens = login(http, "admin", server.password).json()
    good = claims_of(tokens["access_token"])
    assert gql(http, PROFILE, bearer(jwt(good))).status_code == 200

    refused(gql(http, PROFILE, bearer(jwt(good, key="another-key-0123456789"))))
    refused(gql(http, PROFILE, bearer(jwt(good, alg="none"))))
    refused(gql(http, PROFILE, bearer(jwt(dict(good, sub="00000000-0000-4000-8000-000000000000")))))
    refused(gql(http, PROFILE, bearer(jwt(dict(good, session_id="00000000-0000-4000-8000-000000000000")))))
    refused(gql(http, PROFILE, bearer(jwt(dict(good, type="refresh")))))
    refused(gql(http, PROFILE, bearer(jwt(dict(good, sub="' OR 1=1 --")))))
    head, body, sig = tokens["access_token"].split(".")
    refused(gql(http, PROFILE, bearer(f"{head}.{b64(b'{}')}.{sig}")))
    refused(gql(http, PROFILE, bearer("garbage")))
    refused(gql(http, PROFILE, {"Authorization": "Basic YWRtaW46YWRtaW4="}))


def test_expired_token_says_expired_signature(server, http):
    tokens = login(http, "admin", server.password).json()
    now = int(time.time())
    expired = dict(claims_of(tokens["access_token"]), iat=now - 7200, nbf=now - 7200, exp=now - 3600)
    # the SDK refreshes on exactly this message
    assert refused(gql(http, PROFILE, bearer(jwt(expired)))) == "Expired Signature"


def test_sdk_refreshes_an_expired_access_token(server):
    client = InfrahubClientSync(
        config=Config(address=server.address, username="admin", password=server.password)
    )
    assert client.execute_graphql(query=PROFILE)["AccountProfile"]
    # as if an hour went by: the access token is expired, the session is not
    claims = claims_of(client.access_token)
    now = int(time.time())
    client.access_token = jwt(dict(claims, iat=now - 7200, nbf=now - 7200, exp=now - 3600))
    client.headers["Authorization"] = f"Bearer {client.access_token}"
    assert client.execute_graphql(query=PROFILE)["AccountProfile"]
    assert client.access_token != jwt(dict(claims, iat=now - 7200, nbf=now - 7200, exp=now - 3600))


def create_account(client, name: str, password: str) -> str:
    account = client.create(kind="CoreAccount", name=name, password=password, role="read-write")
    account.save()
    return account.id


def test_passwords_hashed_on_every_write_path(server, client, http):
    account_id = create_account(client, "alice", "first-password")
    assert login(http, "alice", "first-password").status_code == 200

    data = client.execute_graphql(
        query='mutation { CoreAccountUpdate(data: {id: "%s", password: {value: "second-password"}}) { ok } }'
        % account_id
    )
    assert data["CoreAccountUpdate"]["ok"]
    refused(login(http, "alice", "first-password"))
    assert login(http, "alice", "second-password").status_code == 200

    data = client.execute_graphql(
        query='mutation { CoreAccountUpsert(data: {name: {value: "alice"}, password: {value: "third-password"}}) { ok } }'
    )
    assert data["CoreAccountUpsert"]["ok"]
    assert login(http, "alice", "third-password").status_code == 200

    access = login(http, "alice", "third-password").json()["access_token"]
    r = gql(http, 'mutation { InfrahubAccountSelfUpdate(data: {password: "fourth-password"}) { ok } }',
            bearer(access))
    assert r.json()["data"]["InfrahubAccountSelfUpdate"]["ok"], r.text
    assert login(http, "alice", "fourth-password").status_code == 200

    # reads never show it, whatever is asked
    data = client.execute_graphql(
        query='{ CoreAccount(name__value: "alice") { edges { node { password { value } } } } }'
    )
    assert data["CoreAccount"]["edges"][0]["node"]["password"]["value"] is None
    with pytest.raises(GraphQLError):
        client.execute_graphql(query='{ CoreAccount(password__value: "fourth-password") { count } }')
    for text in (gql(http, '{ CoreAccount { edges { node { password { value } } } } }',
                     {"X-INFRAHUB-KEY": server.token}).text,):
        assert "argon2" not in text and "fourth-password" not in text


def test_api_tokens_create_expire_delete(server, client, http):
    data = client.execute_graphql(
        query='mutation { InfrahubAccountTokenCreate(data: {name: "ci"}) { ok object { id token { value } } } }'
    )
    created = data["InfrahubAccountTokenCreate"]["object"]
    key = {"X-INFRAHUB-KEY": created["token"]["value"]}
    assert gql(http, PROFILE, key).json()["data"]["AccountProfile"]["name"]["value"] == "admin"

    # stored as a digest that reads never show
    listed = client.execute_graphql(query="{ InternalAccountToken { edges { node { token { value } } } } }")
    assert all(e["node"]["token"]["value"] is None for e in listed["InternalAccountToken"]["edges"])

    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    short = client.execute_graphql(
        query='mutation { InfrahubAccountTokenCreate(data: {name: "short", expiration: "%s"}) { ok object { token { value } } } }'
        % soon
    )["InfrahubAccountTokenCreate"]["object"]["token"]["value"]
    assert gql(http, PROFILE, {"X-INFRAHUB-KEY": short}).status_code == 200
    time.sleep(3)
    refused(gql(http, PROFILE, {"X-INFRAHUB-KEY": short}))

    r = gql(http, 'mutation { InfrahubAccountTokenDelete(data: {id: "%s"}) { ok } }' % created["id"],
            {"X-INFRAHUB-KEY": server.token})
    assert r.json()["data"]["InfrahubAccountTokenDelete"]["ok"], r.text
    refused(gql(http, PROFILE, key))


def test_credentials_of_deleted_account_refused(server, client, http):
    account_id = create_account(client, "bob", "bob-password")
    access = login(http, "bob", "bob-password").json()["access_token"]
    r = gql(http, 'mutation { InfrahubAccountTokenCreate(data: {name: "bob"}) { object { token { value } } } }',
            bearer(access))
    token = r.json()["data"]["InfrahubAccountTokenCreate"]["object"]["token"]["value"]
    assert gql(http, PROFILE, {"X-INFRAHUB-KEY": token}).status_code == 200

    client.execute_graphql(query='mutation { CoreAccountDelete(data: {id: "%s"}) { ok } }' % account_id)
    refused(gql(http, PROFILE, bearer(access)))
    refused(gql(http, PROFILE, {"X-INFRAHUB-KEY": token}))
    refused(login(http, "bob", "bob-password"))


def test_changes_record_the_account(server, client):
    tag = client.create(kind="BuiltinTag", name="audited")
    tag.save()
    data = client.execute_graphql(
        query='{ BuiltinTag(name__value: "audited") { edges { node_metadata { created_by { id display_label } updated_by { id } } } } }'
    )
    profile = client.execute_graphql(query=PROFILE)["AccountProfile"]
    meta = data["BuiltinTag"]["edges"][0]["node_metadata"]
    assert meta["created_by"]["id"] == profile["id"]
    assert meta["updated_by"]["id"] == profile["id"]


def test_brute_force_slowed(server, http):
    for _ in range(5):
        refused(login(http, "admin", "wrong"))
    # past the limit, even the right password waits, and says how long
    throttled = login(http, "admin", server.password)
    refused(throttled, 429)
    assert int(throttled.headers["retry-after"]) >= 1
    # another account from the same address waits too
    refused(login(http, "someone", "wrong"), 429)


@pytest.mark.parametrize("server_env", [{"BOUGH_MAIN_ALLOW_ANONYMOUS_ACCESS": "true"}])
def test_anonymous_access_reads_only(server, http):
    assert http.get("/api/config").json()["main"]["allow_anonymous_access"] is True
    data = gql(http, "{ BuiltinTag { count } }").json()
    assert data["data"]["BuiltinTag"]["count"] == 0
    assert http.get("/api/schema").status_code == 200
    refused(gql(http, 'mutation { BuiltinTagCreate(data: {name: {value: "x"}}) { ok } }'))
    refused(gql(http, 'mutation { InfrahubAccountTokenCreate(data: {name: "x"}) { ok } }'))
    refused(http.post("/api/schema/load", json={"schemas": []}))
    # AccountProfile has no account to show
    assert gql(http, PROFILE).json()["data"]["AccountProfile"] is None
    # wrong credentials are refused, not taken as anonymous
    refused(gql(http, "{ BuiltinTag { count } }", {"X-INFRAHUB-KEY": "wrong"}))


def test_anonymous_access_off_by_default(http):
    assert http.get("/api/config").json()["main"]["allow_anonymous_access"] is False


def _infrahubctl_as(server, username, password, *args):
    """infrahubctl with a username and password instead of a token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFRAHUB_")}
    env.update(INFRAHUB_ADDRESS=server.address, INFRAHUB_USERNAME=username,
               INFRAHUB_PASSWORD=password, COLUMNS="200")
    binary = Path(sys.executable).parent / "infrahubctl"
    return subprocess.run([str(binary), *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_infrahubctl_password_login(server):
    ok = _infrahubctl_as(server, "admin", server.password, "branch", "list")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "main" in ok.stdout

    refused = _infrahubctl_as(server, "admin", "not-the-password", "branch", "list")
    assert refused.returncode != 0
    assert "main" not in refused.stdout
