"""The site's fixed parts and URLs, drawn by their own tags as simple_tag drew them."""

import pytest
from django.template import Context, engines
from django.template.base import Parser
from django.test import RequestFactory
from django.urls import resolve, reverse

from portal.templatetags.site_parts import OneArgumentNode, _drawn

SITE = engines["django"]


def draw(source, **context):
    return SITE.from_string("{% load site_parts %}" + source).render(context)


def test_site_url_gives_the_address_of_a_fixed_page():
    assert draw("{% site_url 'cookies' %}") == reverse("cookies")
    assert draw("{% site_url name %}", name="teams:find") == reverse("teams:find")


def test_site_static_gives_the_stylesheets_address():
    assert draw("{% site_static 'js/use-my-location.mjs' %}").endswith("js/use-my-location.mjs")


def test_a_plain_string_is_escaped_under_autoescape_as_simple_tag_escapes_it():
    shout = OneArgumentNode(str.upper, Parser([]).compile_filter('"<b>"'), takes_context=False)
    assert shout.render(Context()) == "&lt;B&gt;"
    assert shout.render(Context(autoescape=False)) == "<B>"
    # The parts are safe strings: drawn as they are.
    assert '<div class="govuk-generic-header app-header">' in draw('{% site_part "header" %}')


@pytest.mark.parametrize("path,current", [("/", None), (reverse("teams:find"), "Find your team")])
def test_the_header_marks_the_section_of_the_page(path, current):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    header = draw('{% site_part "header" %}', request=request)
    assert header == _drawn("header", request.resolver_match.namespace)
    if current:
        marked = header[: header.index(current)].rsplit("<li", 1)[1]
        assert "govuk-service-navigation__item--active" in marked
    else:
        assert "govuk-service-navigation__item--active" not in header


def test_a_tag_takes_exactly_one_argument():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        draw("{% site_url 'home' 'cookies' %}")
