"""Find your Community Policing Team."""

from django.shortcuts import redirect
from django.views.generic import TemplateView

from ..finder import normalise_postcode, team_for_postcode


class FindView(TemplateView):
    template_name = "teams/find.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.get("postcode")
        error = None
        if query is not None:
            postcode = normalise_postcode(query)
            team = team_for_postcode(postcode) if postcode else None
            if team is not None:
                return redirect(team)
            error = "Enter a full postcode in Essex, like CM1 1AA"
        return self.render_to_response(self.get_context_data(query=query, error=error))
