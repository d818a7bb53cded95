from django.views.generic import TemplateView


class SurveyListView(TemplateView):
    template_name = "surveys/survey_list.html"
