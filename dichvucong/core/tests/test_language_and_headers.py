import pytest


@pytest.mark.django_db
def test_pages_are_vietnamese_even_when_the_browser_prefers_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()
    assert "Tìm thủ tục hành chính" in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_switches_the_interface(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Find an administrative procedure" in page


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "vi"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_load_nothing_from_other_origins(client):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    for marker in ("http://", "https://", "//cdn", "fonts.googleapis"):
        assert all(marker not in line for line in page.splitlines() if "<script" in line or "<link" in line)
