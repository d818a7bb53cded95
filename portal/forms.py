from django import forms


class CookiesForm(forms.Form):
    analytics = forms.TypedChoiceField(
        label="Do you want to accept analytics cookies?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want to accept analytics cookies"},
    )
