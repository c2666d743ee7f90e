"""A real OpenID provider (django-oidc-provider) for the VNeID sign-in tests, run in its own process.

It stands in for VNeID: its own settings, database (SQLite in a temporary directory) and RS256 key;
test people whose claims include a personal ID, name, birth date, phone and identity level; and two
test-only endpoints that misbehave on purpose (a JWKS with a foreign key, a token endpoint that alters
the ID token). `server.py` starts it; `conftest.py` has the pytest fixtures. To try it by hand with
`make run` (portal on 127.0.0.1:8000, provider on 127.0.0.1:8001; people and password in claims.py):

    export OP_DATA_DIR=/tmp/op OP_SITE_URL=http://127.0.0.1:8001
    python tests/oidc_provider/manage.py op_prepare --redirect-uri http://127.0.0.1:8000/tai-khoan/vneid/callback/
    python tests/oidc_provider/manage.py runserver --noreload 127.0.0.1:8001
    # then, for the portal:
    VNEID_CLIENT_ID=dichvucong VNEID_CLIENT_SECRET=dichvucong-test-secret \
    VNEID_SCOPES="openid profile phone vneid" \
    VNEID_AUTHORIZATION_ENDPOINT=http://127.0.0.1:8001/openid/authorize \
    VNEID_TOKEN_ENDPOINT=http://127.0.0.1:8001/openid/token \
    VNEID_USERINFO_ENDPOINT=http://127.0.0.1:8001/openid/userinfo \
    VNEID_JWKS_ENDPOINT=http://127.0.0.1:8001/openid/jwks VNEID_ISSUER=http://127.0.0.1:8001/openid make run
"""
