"""Static files: versioned URLs cached for a year, others revalidated; text compressed over 1 KB."""

import re


def test_layout_links_versioned_static_files_cached_for_a_year(client):
    html = client.get("/").text
    urls = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]{10})"', html)
    assert any("site.css" in u for u in urls) and any("htmx.min.js" in u for u in urls), urls
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/css/site.css")
    assert plain.headers["cache-control"] == "public, max-age=3600"
    again = client.get("/static/css/site.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304


def test_text_over_a_kilobyte_is_gzipped(client):
    css = client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["content-encoding"] == "gzip" and "Accept-Encoding" in css.headers["vary"]
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert "Rahmenkonzeption" in page.text  # httpx decompresses: the page is intact
    assert page.headers["content-security-policy"]
    tiny = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in tiny.headers
