"""Admin edits that never silently overwrite a colleague's.

The change page carries a signed copy of the record (and of its inline rows) as it was when the
page was opened. Saving compares that copy with the database, under a row lock: if anything
changed meanwhile, the save is refused, what the person typed stays in the form, and the page
lists what changed and who changed it (from the admin's own history). Fields the person did not
touch are brought up to date in the form, so saving again keeps the colleague's work; fields both
changed keep what this person typed, for them to decide.

No version column is needed, so every model the admin edits is covered without a migration; a
record changed outside the admin is caught too, because the copy is of the data itself.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import MultiWidget
from django.forms.models import _get_foreign_key
from django.utils import timezone

SNAPSHOT_FIELD = "_edit_snapshot"
SALT = "admin-edit-snapshot"
CONFLICT_MESSAGE = (
    "A colleague changed this record after you opened it, so your changes have not been saved "
    "yet. What they changed is listed below; your typing is kept. Check the form, then save again."
)


@dataclass
class Change:
    """One difference between the page as opened and the record as saved now."""

    what: str
    before: str
    now: str


@dataclass
class Conflict:
    changes: list[Change] = field(default_factory=list)
    history: list[LogEntry] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)


def _compared_fields(model) -> list[models.Field]:
    """The fields staff edit: concrete, not the primary key, not stamped on every save."""
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if not model_field.primary_key and not getattr(model_field, "auto_now", False)
    ]


def _display(obj, model_field) -> str:
    value = getattr(obj, model_field.attname)
    if value is None or value == "":
        return "(blank)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return str(getattr(obj, model_field.name))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.time):
        from portal.clock import format_time

        return format_time(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M")
    return str(value)


def _row(obj) -> dict[str, list[str]]:
    return {
        model_field.name: [model_field.value_to_string(obj), _display(obj, model_field)]
        for model_field in _compared_fields(type(obj))
    }


def snapshot(obj, inline_models) -> dict:
    """The record and its inline rows, field by field, as stored now."""
    rows = {"": _row(obj)}
    for label, model, fk in inline_models:
        related = model._default_manager.filter(**{fk.name: obj}).order_by("pk")
        rows[label] = {str(row.pk): {"name": str(row), **_row(row)} for row in related}
    return rows


def sign(data: dict) -> str:
    return signing.dumps({"rows": data, "at": timezone.now().isoformat()}, salt=SALT, compress=True)


def unsign(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def _label(model_field) -> str:
    return str(model_field.verbose_name).capitalize()


def differences(model, inline_models, before: dict, now: dict) -> list[Change]:
    """What changed between two snapshots, in staff's words."""
    changes = []
    for model_field in _compared_fields(model):
        old, new = before[""].get(model_field.name), now[""].get(model_field.name)
        if old != new:
            changes.append(
                Change(_label(model_field), old[1] if old else "", new[1] if new else "")
            )
    for label, inline_model, _fk in inline_models:
        noun = str(inline_model._meta.verbose_name)
        old_rows, new_rows = before.get(label, {}), now.get(label, {})
        for pk, row in old_rows.items():
            if pk not in new_rows:
                changes.append(Change(f"{noun.capitalize()} “{row['name']}”", "there", "deleted"))
        for pk, row in new_rows.items():
            if pk not in old_rows:
                changes.append(Change(f"{noun.capitalize()} “{row['name']}”", "not there", "added"))
                continue
            for model_field in _compared_fields(inline_model):
                old, new = old_rows[pk].get(model_field.name), row.get(model_field.name)
                if old != new:
                    changes.append(
                        Change(
                            f"{_label(model_field)} of {noun} “{row['name']}”",
                            old[1] if old else "",
                            new[1] if new else "",
                        )
                    )
    return changes


class EditConflictAdminMixin:
    """Refuse a save made from an out-of-date change page; show what changed and who changed it.

    Use it before `admin.ModelAdmin` (it also covers the admin's inlines). A POST without the
    snapshot (a script, an old page) is saved as before; the check guards people, not forgeries.
    """

    change_form_template = "admin/staff_change_form.html"

    def edit_inline_models(self) -> list[tuple[str, type[models.Model], models.ForeignKey]]:
        found = []
        for inline in self.inlines:
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            found.append((inline.model._meta.label_lower, inline.model, fk))
        return found

    def edit_snapshot(self, obj) -> dict:
        return snapshot(obj, self.edit_inline_models())

    def edit_conflict(self, request, obj) -> Conflict | None:
        """Compare the page as it was opened with the record as stored now (locking its row)."""
        opened = unsign(request.POST.get(SNAPSHOT_FIELD, ""))
        if opened is None:
            return None
        current = self.model._default_manager.select_for_update().filter(pk=obj.pk).first()
        if current is None:
            return None
        now = self.edit_snapshot(current)
        if now == opened["rows"]:
            return None
        changes = differences(self.model, self.edit_inline_models(), opened["rows"], now)
        return Conflict(changes=changes, history=self._history_since(current, opened))

    def _history_since(self, obj, opened) -> list[LogEntry]:
        since = datetime.datetime.fromisoformat(opened["at"])
        wanted = [(ContentType.objects.get_for_model(self.model), [str(obj.pk)])]
        for label, inline_model, _fk in self.edit_inline_models():
            keys = set(opened["rows"].get(label, {}))
            if keys:
                wanted.append((ContentType.objects.get_for_model(inline_model), sorted(keys)))
        query = models.Q()
        for content_type, keys in wanted:
            query |= models.Q(content_type=content_type, object_id__in=keys)
        return list(
            LogEntry.objects.filter(query, action_time__gte=since)
            .select_related("user")
            .order_by("action_time")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or request.method != "POST":
            return form
        admin = self

        class ConflictCheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                conflict = admin.edit_conflict(request, obj)
                if conflict is not None:
                    request.edit_conflict = conflict
                    raise ValidationError(CONFLICT_MESSAGE, code="edit_conflict")
                return cleaned

        ConflictCheckedForm.__name__ = form.__name__
        return ConflictCheckedForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if "data" in kwargs and obj is not None and obj.pk is not None:
            kwargs["data"] = without_rows_deleted_meanwhile(kwargs["data"], prefix, inline.model)
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None:
            conflict = getattr(request, "edit_conflict", None)
            submitted = request.POST.get(SNAPSHOT_FIELD) if request.method == "POST" else None
            if conflict is not None or not submitted or unsign(submitted) is None:
                current = self.model._default_manager.get(pk=obj.pk)
                token = sign(self.edit_snapshot(current))
                if conflict is not None:
                    opened = unsign(submitted)["rows"]
                    conflict.refreshed = _refresh_all(
                        context, self.model, current, opened, self.edit_inline_models()
                    )
            else:
                # A form with a mistake in it keeps the page's first copy: a colleague's save
                # while the mistake is being fixed is still caught.
                token = submitted
            context.update({"edit_snapshot": token, "edit_conflict": conflict})
        return super().render_change_form(request, context, add, change, form_url, obj)


def without_rows_deleted_meanwhile(data, prefix: str, model):
    """The posted inline rows less those a colleague has deleted, renumbered.

    Left in, such a row fails Django's check of its hidden id ("Select a valid choice"), which the
    admin never shows: the save fails with no error to read. The parent form's check has already
    told the person the row was deleted.
    """
    try:
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", ""))
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return data  # Django reports a damaged form itself
    pk_name = model._meta.pk.name
    posted = {index: data.get(f"{prefix}-{index}-{pk_name}", "") for index in range(initial)}
    wanted = []
    for value in posted.values():
        try:
            wanted.append(model._meta.pk.to_python(value))
        except ValidationError:
            continue
    existing = {
        str(pk) for pk in model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True)
    }
    gone = {index for index, value in posted.items() if value and value not in existing}
    if not gone:
        return data
    kept = data.copy()
    for key in list(kept):
        if key.startswith(f"{prefix}-") and key[len(prefix) + 1 : len(prefix) + 2].isdigit():
            del kept[key]
    new_index = 0
    for index in range(total):
        if index in gone:
            continue
        old, new = f"{prefix}-{index}-", f"{prefix}-{new_index}-"
        for key in data:
            if key.startswith(old):
                kept.setlist(new + key[len(old) :], data.getlist(key))
        new_index += 1
    kept[f"{prefix}-INITIAL_FORMS"] = str(initial - len(gone))
    kept[f"{prefix}-TOTAL_FORMS"] = str(total - len(gone))
    return kept


def _refresh_all(context, model, current, opened_rows: dict, inline_models) -> list[str]:
    """Refresh the parent form and every inline row the person left alone; what was refreshed."""
    refreshed = _refresh_untouched(context["adminform"].form, current, opened_rows[""])
    labels = {inline_model: label for label, inline_model, _fk in inline_models}
    for inline_admin_formset in context.get("inline_admin_formsets", []):
        formset = inline_admin_formset.formset
        label = labels.get(formset.model)
        if label is None:
            continue
        saved = formset.model._default_manager.in_bulk(
            [form.instance.pk for form in formset.initial_forms if form.instance.pk]
        )
        for form in formset.initial_forms:
            row = saved.get(form.instance.pk)
            opened_row = opened_rows.get(label, {}).get(str(form.instance.pk))
            if row is not None and opened_row is not None:
                noun = f"{formset.model._meta.verbose_name} “{row}”"
                refreshed += [
                    f"{name} of {noun}" for name in _refresh_untouched(form, row, opened_row)
                ]
    return refreshed


def _refresh_untouched(form, current, opened_values: dict) -> list[str]:
    """Bring the fields this person left alone up to date with the record as stored now.

    A field they changed keeps their typing. Returns the labels of the fields refreshed.
    """
    opened = _as_opened(type(current)._default_manager.get(pk=current.pk), opened_values)
    opened_form = form.__class__(instance=opened)
    current_form = form.__class__(instance=current)
    data = form.data.copy()
    refreshed = []
    for name, form_field in form.fields.items():
        # Fields a formset adds (id, delete, the parent) are not the row's to refresh.
        if form_field.disabled or name not in opened_values or name not in opened_form.fields:
            continue
        submitted = form[name].data
        opened_value = opened_form[name].initial
        current_value = current_form[name].initial
        if not form_field.has_changed(current_value, submitted):
            continue  # already what is stored
        if form_field.has_changed(opened_value, submitted):
            continue  # they typed something of their own: keep it
        widget = form_field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(form_field.prepare_value(current_value))
            for index, part in enumerate(parts):
                data[form.add_prefix(f"{name}_{index}")] = "" if part is None else str(part)
        elif isinstance(current_value, bool):
            if current_value:
                data[form.add_prefix(name)] = "on"
            else:
                data.pop(form.add_prefix(name), None)
        else:
            value = form_field.prepare_value(current_value)
            data[form.add_prefix(name)] = "" if value is None else str(value)
        refreshed.append(str(form_field.label or name))
    form.data = data
    # The form's bound values are cached; drop them so the refreshed data shows.
    form._bound_fields_cache.clear()
    return refreshed


def _as_opened(obj, opened_values: dict):
    """`obj` with the field values the page had when it was opened."""
    for model_field in _compared_fields(type(obj)):
        stored = opened_values.get(model_field.name)
        if stored is None:
            continue
        raw = stored[0]
        value = None if raw in ("None", "") and model_field.null else model_field.to_python(raw)
        setattr(obj, model_field.attname, value)
    return obj
