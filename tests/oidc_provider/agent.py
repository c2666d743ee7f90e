"""A minimal browser for the code flow, over `requests`: it follows redirects one by one, fills the
provider's sign-in form and accepts its consent form, and stops when the provider sends the browser
back to the portal's callback (so that a test can deliver, or tamper with, that last request)."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import requests

from .claims import PASSWORD


class _Forms(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "buttons": {}})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            kind = attrs.get("type") or ("text" if tag == "input" else "submit")
            target = self.forms[-1]["buttons" if kind == "submit" else "fields"]
            target[attrs["name"]] = attrs.get("value") or ""


class Agent:
    def __init__(self, portal_url: str):
        self.portal_url = portal_url
        self.http = requests.Session()
        self.pages: list[str] = []  # every URL visited, for failure messages

    def get(self, url: str, **params) -> requests.Response:
        self.pages.append(url)
        return self.http.get(url, params=params or None, allow_redirects=False, timeout=20)

    def start_vneid_sign_in(self, **params) -> str:
        """Click "Đăng nhập bằng VNeID": the provider's authorization URL the portal redirects to."""
        response = self.get(self.portal_url + "/tai-khoan/vneid/dang-nhap/", **params)
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return response.headers["Location"]

    def sign_in_at_provider(
        self, authorization_url: str, username: str, password: str = PASSWORD, *, decline: bool = False
    ) -> str:
        """Sign in and consent (or decline) at the provider; returns the callback URL it sends the
        browser to."""
        callback = self.portal_url + "/tai-khoan/vneid/callback/"
        response = self.get(authorization_url)
        for _ in range(10):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith(callback):
                    return location
                response = self.get(location)
                continue
            assert response.status_code == 200, (response.status_code, response.text[:500], self.pages)
            form = _Forms(response.text).forms[0]
            data = dict(form["fields"])
            if "password" in data:
                data.update(username=username, password=password)
            elif not decline:  # the consent page: "Authorize" (declining sends no button name)
                data["allow"] = form["buttons"]["allow"]
            action = urljoin(response.url, form["action"])
            self.pages.append(f"POST {action}")
            response = self.http.post(action, data=data, allow_redirects=False, timeout=20)
        raise AssertionError(f"the provider never sent the browser back to the portal: {self.pages}")

    def sign_in_with_vneid(self, username: str, **params) -> requests.Response:
        """The whole journey; returns the portal's answer to the callback."""
        return self.get(self.sign_in_at_provider(self.start_vneid_sign_in(**params), username))

    @property
    def session_key(self) -> str | None:
        return self.http.cookies.get("sessionid")


def with_query(url: str, **changes) -> str:
    """`url` with some query parameters replaced."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))
