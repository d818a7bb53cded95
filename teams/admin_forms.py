"""Admin forms that speak like people: times as "7pm", and errors listed and linked at the top.

`StaffFormAdminMixin` is what every staff-shared ModelAdmin uses: it refuses out-of-date saves
(`EditConflictAdminMixin`), reads and shows times the way the public pages write them, and puts a
summary of the page's errors at the top, each linked to its field (the GOV.UK error summary
pattern, as far as the Django admin allows).
"""

import datetime

from django import forms
from django.contrib.admin import widgets
from django.db import models

from portal.clock import format_time, parse_time

from .admin_conflicts import EditConflictAdminMixin
from .models import Officer, Ward
from .photos import MAX_HEIGHT, MAX_WIDTH, prepare_photo

TIME_HELP = "For example 7pm, 7:30pm or 19:00."

# For `formfield_overrides`: web addresses typed without a scheme are taken as https (Django 6's
# default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class StaffTimeInput(forms.TextInput):
    """Shows a stored time as residents read it: 19:00 as "7pm"."""

    def __init__(self, attrs=None):
        super().__init__({"size": 8, "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.time):
            return format_time(value)
        return super().format_value(value)


class StaffTimeField(forms.TimeField):
    """Accepts "7pm", "7:30pm", "19:00", "midnight"."""

    widget = StaffTimeInput
    default_error_messages = {"invalid": "Enter a time, such as 7pm, 7:30pm or 19:00."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        parsed = parse_time(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class StaffSplitDateTimeWidget(widgets.AdminSplitDateTime):
    """The admin's date and time boxes, with the time shown as "7pm"."""

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, [widgets.AdminDateWidget, StaffTimeInput], attrs)


class StaffSplitDateTimeField(forms.SplitDateTimeField):
    """A date, and a time such as 7pm, 7:30pm or 19:00."""

    widget = StaffSplitDateTimeWidget

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        date_field, time_field = self.fields
        self.fields = (
            date_field,
            StaffTimeField(error_messages=time_field.error_messages, required=time_field.required),
        )


TIME_FIELDS = {
    models.TimeField: {"form_class": StaffTimeField, "widget": StaffTimeInput},
    models.DateTimeField: {
        "form_class": StaffSplitDateTimeField,
        "widget": StaffSplitDateTimeWidget,
    },
}


def error_summary(context) -> list[tuple[str, str]]:
    """(message, link) for every error on the change page: the form's, then each inline's."""
    found = []
    adminform = context.get("adminform")
    if adminform is not None:
        found += _form_errors(adminform.form, "")
    for inline_admin_formset in context.get("inline_admin_formsets", []):
        formset = inline_admin_formset.formset
        if not formset.is_bound:
            continue
        noun = str(formset.model._meta.verbose_name_plural).capitalize()
        for message in formset.non_form_errors():
            found.append((f"{noun}: {message}", f"#{formset.prefix}-group"))
        for index, form in enumerate(formset.forms):
            found += _form_errors(form, f"{noun}, row {index + 1}: ", f"#{formset.prefix}-group")
    return found


def _form_errors(form, lead: str, fallback: str = "") -> list[tuple[str, str]]:
    found = []
    for name, messages in form.errors.items():
        if name == "__all__" or name not in form.fields:
            found += [(f"{lead}{message}", fallback) for message in messages]
            continue
        bound = form[name]
        field = form.fields[name]
        if field.widget.is_hidden:
            found += [(f"{lead}{message}", fallback) for message in messages]
            continue
        anchor = f"#{bound.id_for_label or bound.auto_id}"
        found += [(f"{lead}{bound.label}: {message}", anchor) for message in messages]
    return found


class StaffTimesMixin:
    """Time fields read and shown as people write them; `time_help_texts` adds help by name."""

    time_help_texts: dict[str, str] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in TIME_FIELDS:
            help_text = self.time_help_texts.get(db_field.name) or db_field.help_text
            if isinstance(db_field, models.TimeField):
                help_text = help_text or TIME_HELP
            kwargs = {**TIME_FIELDS[type(db_field)], "help_text": help_text, **kwargs}
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class StaffFormAdminMixin(StaffTimesMixin, EditConflictAdminMixin):
    """Safe side-by-side edits, times as people write them, and an error summary."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST":
            context["staff_error_summary"] = error_summary(context)
        return super().render_change_form(request, context, add, change, form_url, obj)


class OfficerAdminForm(forms.ModelForm):
    """An officer, with a photo to upload (checked, resized and stripped of metadata by
    teams.photos before it is kept) and the wards they look after, all of their own team."""

    photo = forms.FileField(
        required=False,
        label="New photo",
        help_text=f"A JPG, PNG or WebP of the officer's head and shoulders, up to 10 MB. It is "
        f"resized to fit {MAX_WIDTH} by {MAX_HEIGHT} pixels, and the details a camera or phone "
        "adds (such as where it was taken) are removed.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(
        required=False, label="Remove the photo", help_text="Residents then see their initials."
    )

    class Meta:
        model = Officer
        fields = ["team", "name", "rank", "role", "bio", "order", "active", "wards", "reviewed_on"]

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return prepare_photo(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        team = cleaned.get("team")
        wards = cleaned.get("wards")
        if team is not None and wards:
            allowed = set(Ward.objects.policed_by([team]).values_list("pk", flat=True))
            outside = [ward.name for ward in wards if ward.pk not in allowed]
            if outside:
                self.add_error(
                    "wards",
                    f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not policed "
                    f"by {team.name}. Choose wards of the officer's own team.",
                )
        return cleaned
