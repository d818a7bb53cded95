from django import forms

from teams.models import Team


class MeetingFilterForm(forms.Form):
    """The team choice above the list of meetings, sent by GET so it works without JavaScript."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All teams in Essex",
        error_messages={
            "invalid_choice": "We don’t know that team. Choose a team from the list.",
        },
    )
