"""The portal's {% extends %} draws exactly what Django's does, on every render."""

import pytest
from django.template import Context, Engine, engines
from django.template.loader_tags import BlockNode, ExtendsNode
from django.urls import reverse

from portal.templatetags.inheritance import KeptBlocksExtendsNode, TextBlockNode
from tests.factories import UserFactory

OURS = ["portal.templatetags.inheritance"]

CHAIN = {
    "root.html": (
        "<title>{% block title %}Root{% endblock %}</title>"
        "{% if show %}<nav>{% block nav %}root nav{% endblock %}</nav>{% endif %}"
        "<main>{% block content %}root content{% endblock %}</main>"
        "{% block footer %}root footer{% endblock %}"
        "<meta>{% block description %}The root's own words.{% endblock %}</meta>"
        "{% block empty %}{% endblock %}"
        '{% for i in "abc" %}{% block looped %}root {{ i }}{% endblock %}{% endfor %}'
        '{% for i in "ab" %}{% block looped_text %}root text{% endblock %}{% endfor %}'
    ),
    "middle.html": (
        '{% extends "root.html" %}'
        "{% block title %}Middle – {{ block.super }}{% endblock %}"
        "{% block content %}<div>{% block inner %}middle inner{% endblock %}</div>{% endblock %}"
        "{% block description %}{{ block.super }} And the middle's.{% endblock %}"
        "{% block looped_text %}middle text{% endblock %}"
    ),
    "page.html": (
        '{% extends "middle.html" %}'
        "{% block title %}Page – {{ block.super }}{% endblock %}"
        "{% block nav %}{{ block.super }} + page nav{% endblock %}"
        '{% block inner %}{% include "part.html" %} {{ block.super }}{% endblock %}'
        "{% block empty %}{% endblock %}"
        "{% block looped %}page text{% endblock %}"
        "{% block footer %}page footer, not {{ block.super }}{% endblock %}"
    ),
    "part.html": "part for {{ name }}",
    "other_root.html": "<p>{% block content %}other root{% endblock %}</p>",
    "by_variable.html": "{% extends parent %}{% block content %}chosen: {{ name }}{% endblock %}",
}


def engine(templates, builtins=()):
    """An engine over these templates through the cached loader, as the site's is."""
    return Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", templates)],
            )
        ],
        builtins=list(builtins),
    )


def draw(an_engine, template_name, **context):
    return an_engine.get_template(template_name).render(Context(context))


@pytest.mark.parametrize("show", [True, False])
def test_a_three_level_chain_draws_as_with_djangos_own_tag(show):
    ours, djangos = engine(CHAIN, OURS), engine(CHAIN)
    expected = draw(djangos, "page.html", show=show, name="Ann")
    assert "Page – Middle – Root" in expected and "part for Ann middle inner" in expected
    assert "<meta>The root's own words. And the middle's.</meta>" in expected
    assert "page footer, not root footer" in expected
    # Drawn several times: the blocks kept from the first render give the same page.
    for name in ("Ann", "Ann", "Bob"):
        assert draw(ours, "page.html", show=show, name=name) == draw(
            djangos, "page.html", show=show, name=name
        )
    assert type(ours.get_template("page.html").nodelist[0]) is KeptBlocksExtendsNode
    # The middle template, drawn on its own, has root.html for its parent too.
    assert draw(ours, "middle.html", show=show) == draw(djangos, "middle.html", show=show)


def test_a_root_template_draws_its_own_blocks_as_with_djangos_own_tag():
    ours, djangos = engine(CHAIN, OURS), engine(CHAIN)
    page = draw(ours, "root.html", show=True)
    assert page == draw(djangos, "root.html", show=True)
    assert "root aroot broot c" in page and "<meta>The root's own words.</meta>" in page


def test_text_blocks_are_drawn_without_a_context_layer():
    ours = engine(CHAIN, OURS)
    blocks = {
        n.name: n for n in ours.get_template("root.html").nodelist.get_nodes_by_type(TextBlockNode)
    }
    assert blocks["description"].text == "The root's own words." and blocks["empty"].text == ""
    assert blocks["title"].text == "Root" and blocks["looped"].text is None


def test_a_variable_parent_draws_each_parent_it_names():
    ours, djangos = engine(CHAIN, OURS), engine(CHAIN)
    for parent in ("root.html", "other_root.html", "root.html", "middle.html"):
        page = draw(ours, "by_variable.html", parent=parent, name="Cy")
        assert page == draw(djangos, "by_variable.html", parent=parent, name="Cy")
    assert draw(ours, "by_variable.html", parent="other_root.html", name="Cy") == (
        "<p>chosen: Cy</p>"
    )
    # A compiled template as the parent, as Django allows.
    parent = ours.get_template("other_root.html")
    assert draw(ours, "by_variable.html", parent=parent, name="Di") == "<p>chosen: Di</p>"


def test_a_template_extending_one_of_the_same_name_reaches_the_next_loader():
    """The admin's index.html extends "admin/index.html": the lookup skips the template itself."""
    override = {
        "index.html": '{% extends "index.html" %}{% block a %}mine, {{ block.super }}{% endblock %}'
    }
    original = {"index.html": "[{% block a %}the original{% endblock %}]"}
    loaders = [
        (
            "django.template.loaders.cached.Loader",
            [
                ("django.template.loaders.locmem.Loader", override),
                ("django.template.loaders.locmem.Loader", original),
            ],
        )
    ]
    ours = Engine(loaders=loaders, builtins=OURS)
    for _ in range(2):
        assert ours.get_template("index.html").render(Context()) == "[mine, the original]"


def test_a_changed_parent_is_drawn_once_the_cached_loader_resets():
    """The dev server resets the cached loader when a template changes; a child compiled
    earlier and kept (as bench/urls.py keeps one) draws the new parent from then on."""
    templates = {"root.html": "<title>{% block title %}Root{% endblock %}</title>"}
    ours = engine(templates, OURS)
    kept_child = ours.from_string('{% extends "root.html" %}{% block title %}kept{% endblock %}')
    assert kept_child.render(Context()) == "<title>kept</title>"
    templates["root.html"] = (
        "<h1>{% block title %}{% endblock %}|{% block extra %}new{% endblock %}</h1>"
    )
    assert kept_child.render(Context()) == "<title>kept</title>"
    for loader in ours.template_loaders:
        loader.reset()
    assert kept_child.render(Context()) == "<h1>kept|new</h1>"


def test_the_sites_templates_use_them():
    site = engines["django"].engine
    for name in ("teams/team_detail.html", "404.html", "admin/index.html"):
        first = next(n for n in site.get_template(name).nodelist if isinstance(n, ExtendsNode))
        assert type(first) is KeptBlocksExtendsNode
    assert {
        type(n) for n in site.get_template("base.html").nodelist.get_nodes_by_type(BlockNode)
    } == {TextBlockNode}


@pytest.mark.django_db
def test_admin_pages_still_draw(client):
    assert "Log in" in client.get(reverse("admin:login")).content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for _ in range(2):
        html = client.get(reverse("admin:index")).content.decode()
        assert "Teams, meetings and surveys" in html and "Log out" in html
    html = client.get(reverse("admin:teams_team_changelist")).content.decode()
    assert "Select team to change" in html
