"""Production answers carry the security headers: HSTS over HTTPS, a Content-Security-Policy
without 'unsafe-inline', no framing, no sniffing, a same-origin referrer and opener."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/hankkeet/", "/haku/?q=koulutus", "/tilastot/", "/api/docs/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_public_page_forbids_inline_code_framing_and_sniffing(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_portal_page_without_inline_code_sends_no_nonce(client):
    policy = client.get("/hankkeet/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "nonce-" not in policy


def test_the_api_docs_inline_script_and_style_carry_the_nonce_of_the_policy(client):
    response = client.get("/api/docs/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    assert f'<script nonce="{nonce}">' in page
    assert f'<style nonce="{nonce}">' in page
    assert page.count("<script") == page.count("<script src=") + 1


def test_each_response_gets_a_new_nonce(client):
    first, second = (client.get("/api/docs/")["Content-Security-Policy"] for _ in range(2))
    assert first != second


def test_the_portal_does_not_share_a_browsing_context_with_other_sites(client):
    assert client.get("/")["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_answers_tell_browsers_to_stay_on_https_for_a_year(client):
    response = client.get("/", secure=True)
    hsts = response["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_when_ssl_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/hankkeet/?q=koulutus")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/hankkeet/?q=koulutus"


def test_the_session_and_csrf_cookies_are_secure_and_out_of_reach_of_scripts(client):
    response = client.get("/admin/login/")
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
