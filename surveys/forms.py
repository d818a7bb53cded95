"""One form per questionnaire page, built from its questions; and the results filters."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils.html import conditional_escape

from teams.finder import normalise_postcode, team_for_postcode
from teams.models import Team

from .models import Question

SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 1000


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class PostcodeField(forms.CharField):
    """A postcode turned into the team straight away; the postcode itself is never kept."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if normalise_postcode(value) is None:
            raise forms.ValidationError("Enter a full postcode, like CM1 1AA", code="format")
        team = team_for_postcode(value)
        if team is None:
            raise forms.ValidationError(
                "We cannot find that postcode in Essex. Check it, or leave the box empty if you "
                "live outside Essex or prefer not to say",
                code="outside",
            )
        return team.pk


def _hint(*parts: str) -> str:
    """A hint of staff text and our own, escaped once (the template pack prints it |safe)."""
    return conditional_escape(" ".join(part for part in parts if part))


def _field_for(question: Question, team_name: str = "") -> forms.Field:
    # The GDS template pack prints labels and hints with |safe: what staff typed is escaped
    # here, so it always reads as text (a <meta> or <script> in a question stays visible text).
    label = conditional_escape(question.text)
    help_text = _hint(question.help_text)
    required = question.required
    # Short and specific, as GOV.UK asks: "Select how good a job the police are doing".
    short = question.short_text
    if question.has_choices:
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        if question.kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                label=label,
                help_text=help_text or "Select all that apply.",
                choices=choices,
                coerce=int,
                required=required,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": f"Select {short}" if short else "Select at least one answer"
                },
            )
        return forms.TypedChoiceField(
            label=label,
            help_text=help_text,
            choices=choices,
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect,
            error_messages={"required": f"Select {short}" if short else "Select an answer"},
        )
    if question.kind == Question.Kind.NUMBER:
        low, high = question.min_value, question.max_value
        if None not in (low, high):
            limits = f"Enter a whole number from {low} to {high}"
        elif low is not None:
            limits = f"Enter a whole number, {low} or more"
        elif high is not None:
            limits = f"Enter a whole number, {high} or less"
        else:
            limits = "Enter a whole number"
        return forms.IntegerField(
            label=label,
            # The limits are in the hint from the start, not only in an error.
            help_text=_hint(question.help_text, f"{limits}."),
            required=required,
            min_value=low,
            max_value=high,
            # GOV.UK asks for a text input with a numeric keyboard, not type="number".
            widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            error_messages={
                "required": f"Enter {short}" if short else "Enter a number",
                "invalid": limits,
                "min_value": limits,
                "max_value": limits,
            },
        )
    if question.kind == Question.Kind.WHERE:
        hint = question.help_text or (
            "For example, CM1 1AA. We use it only to find your local policing team, then "
            "forget it. Leave it empty if you prefer not to say."
        )
        told = (
            f"You told us you live in the {team_name} area: enter your postcode again to change it."
            if team_name
            else ""
        )
        return PostcodeField(
            label=label,
            help_text=_hint(hint, told),
            required=required,
            max_length=16,
            error_messages={"required": "Enter your postcode"},
        )
    limit = question.max_length or (
        LONG_TEXT_LIMIT if question.kind == Question.Kind.LONG_TEXT else SHORT_TEXT_LIMIT
    )
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=limit,
        widget=(
            # crispy-forms-gds 2.0.1 (the latest) adds the character count's id to
            # aria-describedby, which it only creates when there is a hint: without one the
            # page failed with KeyError. Starting it empty lets the count be described either way.
            forms.Textarea(attrs={"aria-describedby": ""})
            if question.kind == Question.Kind.LONG_TEXT
            else forms.TextInput
        ),
        error_messages={
            "required": f"Enter {short}" if short else "Enter your answer",
            "max_length": f"Your answer must be {limit} characters or fewer",
        },
    )


class SurveyPageForm(forms.Form):
    """The questions on one page, as GOV.UK radios, checkboxes and text inputs."""

    def __init__(self, *args, questions: list[Question], team_names: dict | None = None, **kw):
        super().__init__(*args, **kw)
        self.questions = questions
        layout = []
        team_names = team_names or {}
        for question in questions:
            name = field_name(question)
            self.fields[name] = _field_for(question, team_names.get(question.pk, ""))
            if question.kind == Question.Kind.MULTIPLE:
                layout.append(Field.checkboxes(name, legend_size=Size.MEDIUM))
            elif question.has_choices:
                layout.append(Field.radios(name, legend_size=Size.MEDIUM))
            elif question.kind == Question.Kind.LONG_TEXT:
                layout.append(
                    Field.textarea(
                        name,
                        label_size=Size.MEDIUM,
                        rows=5,
                        max_characters=self.fields[name].max_length,
                    )
                )
            elif question.kind == Question.Kind.NUMBER:
                layout.append(Field.text(name, label_size=Size.MEDIUM, field_width=5))
            elif question.kind == Question.Kind.WHERE:
                layout.append(
                    Field.text(
                        name, label_size=Size.MEDIUM, field_width=10, autocomplete="postal-code"
                    )
                )
            else:
                layout.append(Field.text(name, label_size=Size.MEDIUM))
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout, Button("continue", "Continue"))

    def answers(self) -> dict[int, object]:
        """Cleaned answers by question id, in the form the session keeps them."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            answers[question.pk] = value
        return answers

    @staticmethod
    def initial_from(questions: list[Question], answers: dict) -> dict:
        initial = {}
        for question in questions:
            value = answers.get(str(question.pk))
            if value is None or question.kind == Question.Kind.WHERE:
                continue
            if isinstance(value, list):
                initial[field_name(question)] = [str(item) for item in value]
            elif question.has_choices:
                initial[field_name(question)] = str(value)
            else:
                initial[field_name(question)] = value
        return initial


class ResultsFilterForm(forms.Form):
    """Narrow the results to one team and one quarter (GET, so the address can be shared)."""

    team = forms.ChoiceField(label="Team", required=False)
    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, quarters: list[tuple[int, int]], teams=None, **kwargs):
        """`teams`: the only teams that may be chosen, with no "All teams" (a team editor's)."""
        super().__init__(*args, **kwargs)
        if teams is None:
            self.fields["team"].choices = [("", "All teams")] + [
                (team.slug, team.name) for team in Team.objects.order_by("name")
            ]
        else:
            self.fields["team"].choices = [(team.slug, team.name) for team in teams]
        self.fields["quarter"].choices = [("", "All quarters")] + [
            (f"{year}-Q{quarter}", quarter_label(year, quarter)) for year, quarter in quarters
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("team"), Field.select("quarter"), Button("filter", "Show results")
        )

    def selected_team(self) -> Team | None:
        slug = self.cleaned_data.get("team") if self.is_valid() else ""
        return Team.objects.filter(slug=slug).first() if slug else None

    def selected_quarter(self) -> tuple[int, int] | None:
        value = self.cleaned_data.get("quarter") if self.is_valid() else ""
        if not value:
            return None
        year, quarter = value.split("-Q")
        return int(year), int(quarter)


def quarter_label(year: int, quarter: int) -> str:
    months = {
        1: "January to March",
        2: "April to June",
        3: "July to September",
        4: "October to December",
    }
    return f"{months[quarter]} {year}"
