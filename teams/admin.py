"""Staff editing of teams, officers, duty hours and priorities, each editor only for their teams."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.html import format_html

from .admin_forms import URL_FIELDS, OfficerAdminForm, StaffFormAdminMixin, StaffTimesMixin
from .duty import describe_period, overlap_message
from .models import (
    CommunitySafetyPartnership,
    District,
    DutyPeriod,
    NeighbouringForce,
    Officer,
    OfficerPhoto,
    Postcode,
    Priority,
    Team,
    UnansweredQuery,
    Ward,
    is_force_administrator,
)


class TeamScopedAdminMixin:
    """Limit a ModelAdmin to the teams the signed-in member of staff edits.

    Force administrators (superusers, or members of the "Force administrators" group) see and
    edit everything. Any other member of staff sees only the records of the teams whose
    `Team.editors` include them (`Team.objects.for_editor(user)`), and:

    - the change list, change, delete and history pages show only those records: another team's
      record, even when its URL is typed, gives a page saying "This belongs to another team"
      (403); a record that does not exist still gets Django's "doesn't exist";
    - every choice of team (and of the record that leads to a team, such as a meeting's series)
      lists only their teams, so a POST naming another team fails validation; an editor of one
      team finds the record's own Team field already set to it, and hidden;
    - `has_view_permission`, `has_change_permission` and `has_delete_permission` refuse an
      object of another team, and `save_model` refuses to save one, whatever the form said.

    Model permissions still apply on top: give editors the "Team editors" group.

    Use it before `admin.ModelAdmin`, and set `team_field` to the lookup path from the model to
    its `Team` ("team" by default; "series__team" for a model reached through another; "" for
    `Team` itself)::

        @admin.register(Meeting)
        class MeetingAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
            team_field = "team"

    Inlines on a scoped admin need nothing more: Django checks the parent object's permissions.
    """

    team_field = "team"

    # Helpers other admin code may call.

    def editable_teams(self, request):
        """The teams this member of staff may edit (all of them for force administrators)."""
        return Team.objects.for_editor(request.user)

    def is_force_administrator(self, request) -> bool:
        return is_force_administrator(request.user)

    def team_ids_of(self, obj) -> set[int]:
        """The ids of the team or teams `obj` belongs to, following `team_field`."""
        if not self.team_field:
            return {obj.pk} if obj.pk is not None else set()
        current = [obj]
        parts = self.team_field.split("__")
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            found = []
            for item in current:
                model_field = type(item)._meta.get_field(part)
                if model_field.many_to_many or model_field.one_to_many:
                    if item.pk is None:
                        continue
                    related = getattr(item, part).all()
                    found.extend(related.values_list("pk", flat=True) if last else related)
                elif last:
                    value = getattr(item, model_field.attname)
                    if value is not None:
                        found.append(value)
                else:
                    value = getattr(item, part, None)
                    if value is not None:
                        found.append(value)
            current = found
        return set(current)

    def in_scope(self, request, obj) -> bool:
        """Whether this member of staff may see `obj` at all."""
        if obj is None or self.is_force_administrator(request):
            return True
        mine = set(self.editable_teams(request).values_list("pk", flat=True))
        theirs = self.team_ids_of(obj)
        return bool(theirs) and theirs <= mine

    # ModelAdmin hooks.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_force_administrator(request):
            return queryset
        teams = self.editable_teams(request)
        if not self.team_field:
            return queryset.filter(pk__in=teams)
        queryset = queryset.filter(**{f"{self.team_field}__in": teams})
        if self._path_has_many():
            queryset = queryset.distinct()
        return queryset

    def _path_has_many(self) -> bool:
        model = self.model
        for part in self.team_field.split("__"):
            try:
                model_field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False
            if model_field.many_to_many or model_field.one_to_many:
                return True
            model = model_field.related_model
        return False

    def only_team(self, request) -> Team | None:
        """The one team an editor of exactly one team edits; None for everyone else."""
        if self.is_force_administrator(request):
            return None
        if not hasattr(request, "_only_team"):
            teams = list(self.editable_teams(request)[:2])
            request._only_team = teams[0] if len(teams) == 1 else None
        return request._only_team

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limited = self._limited_choices(db_field, request)
        if limited is not None:
            kwargs["queryset"] = limited
        only = self.only_team(request) if db_field.name == self.team_field else None
        if only is not None and db_field.related_model is Team:
            # Nothing to choose: the field keeps its one value, out of the way.
            kwargs["initial"] = only.pk
            kwargs["widget"] = forms.HiddenInput()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Scoped out by get_queryset: say so, rather than pretend it was deleted.
        if not self.is_force_administrator(request) and self._exists_unscoped(object_id):
            context = {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": "This belongs to another team",
                "changelist_url": f"admin:{opts.app_label}_{opts.model_name}_changelist",
            }
            return TemplateResponse(request, "admin/another_team.html", context, status=403)
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def _exists_unscoped(self, object_id) -> bool:
        try:
            pk = self.model._meta.pk.to_python(object_id)
        except ValidationError:
            return False
        return self.model._default_manager.filter(pk=pk).exists()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limited = self._limited_choices(db_field, request)
        if limited is not None:
            kwargs["queryset"] = limited
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limited_choices(self, db_field, request):
        """Only this editor's teams, or the records that lead to them, as choices."""
        if self.is_force_administrator(request):
            return None
        teams = self.editable_teams(request)
        if db_field.related_model is Team:
            return teams
        if self.team_field:
            first, _, rest = self.team_field.partition("__")
            if db_field.name == first and rest:
                related = db_field.related_model._default_manager
                return related.filter(**{f"{rest}__in": teams}).distinct()
        return None

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def has_add_permission(self, request, *args):
        if not super().has_add_permission(request, *args):
            return False
        return self.is_force_administrator(request) or self.editable_teams(request).exists()

    def save_model(self, request, obj, form, change):
        if not self.in_scope(request, obj):
            raise PermissionDenied("You can only edit your own teams.")
        super().save_model(request, obj, form, change)


# Inlines on the team page.


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    fields = ["name", "rank", "role", "order", "active"]
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Boxes sized to what they hold, so the table fits a 1280 px screen beside the menu.
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        sizes = {"name": 18, "role": 22, "order": 3}
        if db_field.name in sizes:
            # Without the admin's vTextField class (20em wide), the box takes its size.
            formfield.widget.attrs.update(size=sizes[db_field.name], **{"class": ""})
        if db_field.name == "order":
            formfield.widget.attrs["class"] = "vIntegerField"
        return formfield


class DutyPeriodFormSet(BaseInlineFormSet):
    """Checks the team's hours against each other as edited, not as they were saved, so that
    swapping two days in one save is not refused."""

    def clean(self):
        super().clean()
        message = overlap_message(
            form.instance
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        )
        if message:
            raise ValidationError(message)


class DutyPeriodForm(forms.ModelForm):
    """One period on its own page: checked against the team's other saved hours."""

    def clean(self):
        cleaned_data = super().clean()
        fields = {name: cleaned_data.get(name) for name in ("team", "weekday", "start", "end")}
        # Missing or equal times have their own message, from the field or the constraint.
        if None in fields.values() or fields["start"] == fields["end"]:
            return cleaned_data
        period = DutyPeriod(pk=self.instance.pk, **fields)
        others = DutyPeriod.objects.filter(team=period.team).exclude(pk=period.pk)
        message = overlap_message([period, *others])
        if message:
            raise ValidationError(message)
        return cleaned_data


DUTY_HELP = {
    "end": "An end before the start runs past midnight: Friday 10pm to 2am covers Friday night "
    "into Saturday morning. For example 2am, 10:30pm or 22:30.",
}


class DutyPeriodInline(StaffTimesMixin, admin.TabularInline):
    model = DutyPeriod
    formset = DutyPeriodFormSet
    extra = 0
    fields = ["weekday", "start", "end"]
    time_help_texts = DUTY_HELP


# A priority's life, stage by stage: raised, what the team is doing, the outcome.
PRIORITY_FIELDS = [
    ("title", "raised_on"),
    ("action", "actioned_on"),
    ("outcome", "outcome_on"),
    "status",
    "reviewed_on",
]


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    fields = PRIORITY_FIELDS


@admin.register(Team)
class TeamAdmin(StaffFormAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    team_field = ""
    list_display = ["name", "inspector", "officer_count", "updated_at"]
    search_fields = ["name", "slug", "districts__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["editors"]
    inlines = [OfficerInline, DutyPeriodInline, PriorityInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "description"]}),
        (
            "Contact",
            {
                "fields": ["email", "phone", "facebook_url", "x_url", "instagram_url"],
                "description": "Shown to residents on the team's page; not for emergencies.",
            },
        ),
        ("Command and hours", {"fields": ["inspector", "duty_note", "covers"]}),
        ("Staff who may edit this team", {"fields": ["editors"]}),
    ]
    readonly_fields = ["covers"]

    @admin.display(description="Officers", ordering="officer_count")
    def officer_count(self, team):
        return team.officer_count

    @admin.display(description="Districts covered")
    def covers(self, team):
        names = [district.name for district in team.districts.all()]
        covered = ", ".join(names) or "None yet."
        return f"{covered} (Force administrators change this on each district.)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("inspector")
            .annotate(officer_count=Count("officers", distinct=True))
        )

    def get_readonly_fields(self, request, obj=None):
        if self.is_force_administrator(request):
            return self.readonly_fields
        # Editors keep their team's page true; its name, address and editors are the force's.
        return [*self.readonly_fields, "name", "slug", "editors"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.is_force_administrator(request) else {}

    def has_add_permission(self, request, *args):
        return self.is_force_administrator(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.is_force_administrator(request) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "inspector":
            team_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Officer.objects.filter(team_id=team_id).order_by("rank", "name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        messages.info(request, f"{obj.name}'s page now shows these details to residents.")


@admin.register(Officer)
class OfficerAdmin(StaffFormAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    form = OfficerAdminForm
    list_display = ["name", "rank", "role", "team", "active", "has_photo"]
    list_filter = ["rank", "active", ("team", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "role", "team__name"]
    list_select_related = ["team", "photo"]
    fieldsets = [
        (None, {"fields": ["team", "name", "rank", "role", "bio", "order", "active"]}),
        ("Photo", {"fields": ["current_photo", "photo", "remove_photo"]}),
        ("Ward officer", {"fields": ["wards"]}),
        (None, {"fields": ["reviewed_on"]}),
    ]
    readonly_fields = ["current_photo"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("photo__image")

    @admin.display(description="Photo", boolean=True)
    def has_photo(self, officer):
        return hasattr(officer, "photo")

    @admin.display(description="Current photo")
    def current_photo(self, officer):
        photo = getattr(officer, "photo", None) if officer.pk else None
        if photo is None:
            return "No photo: residents see the officer's initials in a circle."
        return format_html(
            '<img src="{}" alt="The current photo of {}" width="{}" height="{}">',
            photo.get_absolute_url(),
            officer.name,
            photo.width,
            photo.height,
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "wards":
            # The wards of the officer's team (or of this editor's teams, for a new officer):
            # the form refuses a ward of another team (OfficerAdminForm.clean).
            object_id = request.resolver_match.kwargs.get("object_id")
            officer = Officer.objects.filter(pk=object_id).only("team").first()
            teams = [officer.team_id] if officer is not None else self.editable_teams(request)
            kwargs["queryset"] = Ward.objects.policed_by(teams).order_by("name")
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        officer = form.instance
        photo = form.cleaned_data.get("photo")
        if photo is not None:
            OfficerPhoto.objects.update_or_create(
                officer=officer,
                defaults={
                    "image": photo.image,
                    "content_type": photo.content_type,
                    "digest": photo.digest,
                    "width": photo.width,
                    "height": photo.height,
                },
            )
            messages.info(request, f"{officer.name}'s photo was resized and its details removed.")
        elif form.cleaned_data.get("remove_photo"):
            OfficerPhoto.objects.filter(officer=officer).delete()


@admin.register(DutyPeriod)
class DutyPeriodAdmin(StaffFormAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    form = DutyPeriodForm
    list_display = ["team", "weekday", "hours"]
    time_help_texts = DUTY_HELP
    list_filter = ["weekday", ("team", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["team__name"]
    list_select_related = ["team"]

    @admin.display(description="Hours", ordering="start")
    def hours(self, period):
        return describe_period(period)


@admin.register(Priority)
class PriorityAdmin(StaffFormAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "team", "status", "raised_on", "actioned_on", "outcome_on"]
    list_filter = ["status", ("team", admin.RelatedOnlyFieldListFilter), "raised_on"]
    search_fields = ["title", "action", "outcome", "team__name"]
    list_select_related = ["team"]
    date_hierarchy = "raised_on"
    fields = ["team", *PRIORITY_FIELDS]


# Force-wide reference data: only force administrators have the permissions for these.


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "team", "partnership", "force"]
    list_filter = ["team", "partnership", "force"]
    search_fields = ["name", "code"]
    list_select_related = ["team", "partnership", "force"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "district", "team"]
    list_filter = ["district", "team"]
    search_fields = ["name", "code"]
    list_select_related = ["district", "team"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "district", "ward", "easting", "northing"]
    search_fields = ["postcode"]
    raw_id_fields = ["district", "ward"]
    list_select_related = ["district", "ward"]
    show_full_result_count = False


@admin.register(CommunitySafetyPartnership)
class CommunitySafetyPartnershipAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "website"]
    search_fields = ["name", "districts__name"]


@admin.register(NeighbouringForce)
class NeighbouringForceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "website"]
    search_fields = ["name"]


@admin.register(UnansweredQuery)
class UnansweredQueryAdmin(admin.ModelAdmin):
    """What residents searched for and found nothing: most asked first, day by day. Read only;
    counted by teams.unanswered and kept 90 days."""

    list_display = ["day", "text", "count"]
    list_filter = ["day"]
    search_fields = ["text"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
