"""Staff-written text, on team and meeting pages and in the open data, from one sanitiser."""

from portal.text import govuk_html, markdown_html


def test_markdown_becomes_gov_uk_styled_html():
    html = govuk_html(
        "We police **Colchester**.\n\n- one\n- two\n\n### Parking\n\n[Email](mailto:a@b.c)"
    )
    assert '<p class="govuk-body">We police <strong>Colchester</strong>.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<h3 class="govuk-heading-s">Parking</h3>' in html
    assert '<a class="govuk-link" href="mailto:a@b.c" rel="noopener noreferrer">Email</a>' in html


def test_scripts_images_styles_and_top_level_headings_are_dropped():
    html = govuk_html(
        '# Big\n\n<script>alert(1)</script> <img src="x"> <span style="color:red">red</span> '
        "[x](javascript:alert(1))"
    )
    for dropped in ("<h1", "<script", "<img", "style=", "javascript:"):
        assert dropped not in html
    assert "Big" in html and "red" in html


def test_the_open_data_gets_the_same_html_without_page_styles():
    assert markdown_html("**Hello**") == "<p><strong>Hello</strong></p>"
    assert markdown_html("") == ""
