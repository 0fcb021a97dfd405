"""Sign in with Gatehouse from Flask, using Authlib only.

Authlib reads Gatehouse's OpenID Connect discovery document, sends the authorization request with
PKCE (S256), state and nonce, checks state on the way back, exchanges the code and validates the
ID token. The user's profile comes from the ID token; the workspaces they shared with the app
come from Gatehouse's token resources endpoint.

    CLIENT_ID=... CLIENT_SECRET=... python3 app.py      # then open http://localhost:5000
"""
import os
import secrets

from authlib.integrations.flask_client import OAuth, OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask import Flask, redirect, render_template_string, session, url_for

ISSUER = os.environ.get("GATEHOUSE_ISSUER", "http://localhost:3000")
CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]
PORT = int(os.environ.get("PORT", "5000"))
REDIRECT_URI = os.environ.get("REDIRECT_URI", f"http://localhost:{PORT}/callback")

app = Flask(__name__)
# Signs the session cookie, which holds state, nonce and PKCE verifier during sign-in and the
# tokens after it. Set SECRET_KEY in production so sessions survive restarts.
app.secret_key = os.environ.get("SECRET_KEY") or secrets.token_bytes(32)
app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

oauth = OAuth(app)
oauth.register(
    "gatehouse",
    client_id=CLIENT_ID,
    client_secret=CLIENT_SECRET,
    server_metadata_url=f"{ISSUER}/.well-known/openid-configuration",
    client_kwargs={
        "scope": "openid profile email project:read",
        "code_challenge_method": "S256",
        "token_endpoint_auth_method": "client_secret_basic",
    },
)


def back_channel():
    """An Authlib session that authenticates as this client, for Gatehouse's back-channel endpoints."""
    return OAuth2Session(CLIENT_ID, CLIENT_SECRET, token_endpoint_auth_method="client_secret_basic")


def endpoint(name):
    return oauth.gatehouse.load_server_metadata()[name]


def shared_workspaces(access_token):
    """The workspace ids the user shared with this app on the consent screen (token resources endpoint)."""
    with back_channel() as client:
        auth = client.client_auth(client.token_endpoint_auth_method)
        response = client.post(endpoint("resources_endpoint"), data={"token": access_token}, auth=auth, withhold_token=True, timeout=10)
    response.raise_for_status()
    return [wid for info in response.json().get("resource_infos", []) for wid in info["resources"]["workspace"]["ids"]]


@app.route("/")
def home():
    user = session.get("user")
    if not user:
        return render_template_string(PAGE, user=None)
    return render_template_string(PAGE, user=user, workspaces=session.get("workspaces", []))


@app.route("/login")
def login():
    return oauth.gatehouse.authorize_redirect(REDIRECT_URI)


@app.route("/callback")
def callback():
    try:
        token = oauth.gatehouse.authorize_access_token()
    except OAuthError as error:  # e.g. access_denied when the user chose Deny
        return render_template_string(PAGE, user=None, error=error.description or error.error), 400
    session.clear()
    session["user"] = dict(token["userinfo"])  # the validated ID token claims
    session["workspaces"] = shared_workspaces(token["access_token"])
    session["token"] = {k: token[k] for k in ("access_token", "refresh_token", "expires_at") if k in token}
    return redirect(url_for("home"))


@app.post("/logout")
def logout():
    token = session.get("token")
    if token:  # RFC 7009: revoking the refresh token also ends the access tokens issued with it
        hint = "refresh_token" if "refresh_token" in token else "access_token"
        with back_channel() as client:
            client.revoke_token(endpoint("revocation_endpoint"), token=token[hint], token_type_hint=hint, timeout=10)
    session.clear()
    return redirect(url_for("home"))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flask + Gatehouse</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
.user { display: flex; gap: 1rem; align-items: center; } .user img { border-radius: 50%; }</style></head>
<body>
{% if error %}<p>Sign-in failed: {{ error }}</p>{% endif %}
{% if user %}
  <h1>Your profile</h1>
  <section class="user">
    {% if user.picture %}<img src="{{ user.picture }}" alt="" width="64" height="64">{% endif %}
    <div><strong>{{ user.name or user.preferred_username }}</strong><br>
    <span id="username">@{{ user.preferred_username }}</span>{% if user.email %} · {{ user.email }}{% endif %}</div>
  </section>
  <h2>Workspaces you shared with this app</h2>
  {% if workspaces %}<ul id="workspaces">{% for id in workspaces %}<li><code>{{ id }}</code></li>{% endfor %}</ul>
  {% else %}<p>None.</p>{% endif %}
  <form method="post" action="{{ url_for('logout') }}"><button>Sign out</button></form>
{% else %}
  <h1>Welcome</h1>
  <p><a href="{{ url_for('login') }}">Sign in with Gatehouse</a></p>
{% endif %}
</body></html>"""

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=PORT)
