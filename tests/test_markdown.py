"""The one Markdown renderer: safe output, German gender star kept as text."""

from app.web.markdown import render


def test_gender_star_is_text_not_emphasis():
    html = render("Bürger*innen und Expert*innen sind *herzlich* eingeladen, Jede*r **gern**.")
    assert "Bürger*innen und Expert*innen" in html
    assert "<em>herzlich</em>" in html and "<strong>gern</strong>" in html


def test_script_handlers_and_javascript_links_are_inert():
    html = render('<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'
                  ' [ok](https://stuttgart.de)')
    assert "<script" not in html and "<img" not in html  # shown as text, never as elements
    assert 'href="javascript' not in html
    assert 'rel="nofollow noopener"' in html
