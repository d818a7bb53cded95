"""The open data's pages for people: the documentation, and the finder others can embed."""

from csp.decorators import csp_replace
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView

from teams.models import Team


class DocsView(TemplateView):
    """How to use the API: each endpoint with an example, the licence, the embed snippet."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = Team.objects.order_by("name").first()
        context.update(
            example_slug=team.slug if team else "chelmsford-maldon",
            api_root=self.request.build_absolute_uri("/api/"),
            embed_url=self.request.build_absolute_uri("/embed/find/"),
        )
        return context


# The one page any site may put in a frame; every other page refuses (frame-ancestors 'none'
# and X-Frame-Options: DENY in settings).
@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class EmbedFindView(TemplateView):
    """The postcode finder for a parish council's or Neighbourhood Watch's own site.

    It sets no cookies and shows no cookie banner (it uses none), and its answers open in the
    top window, so that the resident lands on their team's page on this site, not inside
    someone else's."""

    template_name = "api/embed_find.html"
