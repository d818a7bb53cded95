"""Building surveys in the admin. Once people have answered, the questions are guarded: a
question, choice or page that has answers cannot be deleted or change type, because the
published counts would silently start to mean something else."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from teams.admin_forms import StaffFormAdminMixin

from .checks import residents_part_way, survey_problems
from .models import Choice, Page, Question, Response, Survey
from .services import question_scale_fill

GUARD_MESSAGE = (
    "People have already answered this survey, so its questions cannot be removed and their "
    "types cannot change: the results would no longer add up. You can still fix wording, add "
    "questions, or make a new survey."
)


@admin.action(description="Delete the selected %(verbose_name_plural)s", permissions=["delete"])
def delete_unanswered(modeladmin, request, queryset):
    """Django's bulk delete, refusing in plain words anything people have answered."""
    answered = [str(obj) for obj in queryset if obj.has_responses()]
    if answered:
        modeladmin.message_user(
            request,
            "Nothing was deleted. People have already answered "
            + "; ".join(f"“{name}”" for name in answered)
            + ", so deleting would change the results they gave. Untick those and try again.",
            messages.ERROR,
        )
        return None
    return delete_selected(modeladmin, request, queryset)


class AnsweredGuardMixin:
    """Bulk deletes say plainly why answered records stay."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                delete_unanswered,
                "delete_selected",
                delete_unanswered.short_description
                % {"verbose_name_plural": self.model._meta.verbose_name_plural},
            )
        return actions


class SurveyForm(forms.ModelForm):
    """A survey can only be opened once residents can answer every page of it, and closing
    it warns when residents are part-way through."""

    close_anyway = forms.BooleanField(
        label="Close now anyway",
        required=False,
        help_text="Only needed when people are part-way through the survey.",
    )

    class Meta:
        model = Survey
        fields = ["title"]  # the admin's fieldsets say which fields the page shows

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Survey.Status.OPEN:
            problems = (
                survey_problems(self.instance)
                if self.instance.pk
                else ["Save the survey as a draft and add its questions first."]
            )
            if problems:
                self.add_error(
                    "status",
                    ["This survey cannot open until these are fixed:", *problems],
                )
        closing = (
            self.instance.pk
            and self.instance.status == Survey.Status.OPEN
            and cleaned.get("status") == Survey.Status.CLOSED
        )
        if closing and not cleaned.get("close_anyway"):
            part_way = residents_part_way(self.instance)
            if part_way:
                self.add_error(
                    "status",
                    f"{part_way} {'person is' if part_way == 1 else 'people are'} part-way "
                    "through this survey now, and would lose their answers. Set a closing time "
                    "a few hours ahead so they can finish, or tick “Close now anyway”.",
                )
        return cleaned


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ["order", "title"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new survey gets rows for its first pages; empty rows are not saved.
        return 3 if obj is None else 1

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.has_responses()) and super().has_delete_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(AnsweredGuardMixin, StaffFormAdminMixin, admin.ModelAdmin):
    form = SurveyForm
    list_display = ["title", "status", "opens_at", "closes_at", "results_public", "links"]
    list_filter = ["status", "results_public"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PageInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "introduction", "privacy_notice", "minutes_to_complete"]},
        ),
        ("When it is open", {"fields": ["status", "close_anyway", "opens_at", "closes_at"]}),
        (
            "Results",
            {
                "fields": [
                    "results_public",
                    "minimum_public_count",
                    "free_text_retention_days",
                    "team_editors_read_results",
                ]
            },
        ),
    ]
    readonly_fields = ["outline"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        outline = (
            "Pages and questions",
            {
                "fields": ["outline"],
                "description": "In the order residents see them. Add pages in the table below.",
            },
        )
        return [self.fieldsets[0], outline, *self.fieldsets[1:]]

    @admin.display(description="This survey")
    def outline(self, survey):
        return survey_outline(survey)

    def save_formset(self, request, form, formset, change):
        if formset.model is Page:
            # New pages left at order 0 go after the others, in the order they were typed.
            last = max((page.order for page in form.instance.pages.all()), default=0)
            for page_form in formset.forms:
                page = page_form.instance
                if page.pk is None and not page.order and page_form.has_changed():
                    last += 1
                    page.order = last
        super().save_formset(request, form, formset, change)

    @admin.display(description="Links")
    def links(self, survey):
        return format_html(
            '<a href="{}">Preview</a> · <a href="{}">Results</a>',
            reverse("surveys:start", kwargs={"slug": survey.slug}),
            reverse("surveys:staff-results", kwargs={"slug": survey.slug}),
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.has_responses()) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        survey = self.get_object(request, object_id)
        if survey and survey.has_responses() and request.method == "GET":
            messages.warning(request, GUARD_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)


def _asked_if(question: Question) -> str:
    conditions = list(question.show_if.all())
    if not conditions:
        return ""
    answers = " or ".join(f"“{choice.label}”" for choice in conditions)
    return f"; asked of those who answered {answers} to “{conditions[0].question}”"


def survey_outline(survey: Survey) -> str:
    """Each page with its questions, each linked to its editing page, and a way to add more."""
    pages = survey.pages.prefetch_related("questions__show_if__question", "questions__choices")
    blocks = []
    for page in pages:
        add = reverse("admin:surveys_question_add") + f"?page={page.pk}"
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({}{})</li>',
            (
                (
                    reverse("admin:surveys_question_change", args=[question.pk]),
                    question.text,
                    question.get_kind_display(),
                    _asked_if(question),
                )
                for question in page.questions.all()
            ),
        )
        blocks.append(
            format_html(
                '<h3>{}</h3><ol class="survey-outline">{}</ol><p><a href="{}">'
                "Add a question to “{}”</a></p>",
                page.title,
                rows or mark_safe("<li>No questions yet.</li>"),  # noqa: S308 - a constant
                add,
                page.title,
            )
        )
    if not blocks:
        return "No pages yet: add one below, save, then add its questions here."
    return format_html_join("", "{}", ((block,) for block in blocks))


class ChoiceForm(forms.ModelForm):
    """Renaming a choice people have picked needs staff to say the meaning is unchanged."""

    same_meaning = forms.BooleanField(
        label="Same meaning",
        required=False,
        help_text="Tick when renaming an answered choice only fixes its wording.",
    )

    class Meta:
        model = Choice
        fields = ["order", "label", "positive"]

    def clean(self):
        cleaned = super().clean()
        choice = self.instance
        renamed = choice.pk and "label" in self.changed_data
        if renamed and not cleaned.get("same_meaning"):
            picked = choice.answers.count()
            if picked:
                before = Choice.objects.get(pk=choice.pk).label
                self.add_error(
                    "label",
                    f"{picked} {'person' if picked == 1 else 'people'} chose “{before}”. "
                    "Renaming it would change what they answered in the results. If the "
                    "meaning is the same, tick “Same meaning”; if not, put the old wording back "
                    "and add a new choice.",
                )
        return cleaned


class ChoiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        question = self.instance
        if question.kind and not question.has_choices:
            typed = [
                form
                for form in self.forms
                if form.cleaned_data.get("label") and not self._should_delete_form(form)
            ]
            if typed:
                raise forms.ValidationError(
                    f"A “{question.get_kind_display()}” question has no choices: clear the "
                    "choices, or change the type to a choice question."
                )


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    extra = 0
    fields = ["order", "label", "positive", "same_meaning"]
    verbose_name_plural = "choices (single and multiple choice questions only)"

    def get_extra(self, request, obj=None, **kwargs):
        # Room for five answers on a new question; agreement and rating scales fill themselves.
        return 5 if obj is None else 1

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.has_responses()) and super().has_delete_permission(request, obj)


@admin.register(Question)
class QuestionAdmin(AnsweredGuardMixin, StaffFormAdminMixin, admin.ModelAdmin):
    list_display = ["text", "page", "kind", "required", "order"]
    list_filter = ["page__survey", "kind"]
    search_fields = ["text"]
    # Survey by survey in the order they are asked (the model's own ordering stays in one page).
    ordering = ["page__survey__title", "page__order", "page_id", "order", "id"]
    inlines = [ChoiceInline]
    fields = [
        "page",
        "text",
        "help_text",
        "kind",
        "required",
        "order",
        "show_if",
        "max_length",
        ("min_value", "max_value"),
        "headline",
    ]

    def page_of(self, request) -> Page | None:
        """The page being edited: the question's own, or the one asked for in the address."""
        object_id = request.resolver_match.kwargs.get("object_id")
        if object_id:
            question = Question.objects.select_related("page").filter(pk=object_id).first()
            return question.page if question else None
        page_id = request.POST.get("page") or request.GET.get("page")
        if page_id and str(page_id).isdigit():
            return Page.objects.filter(pk=page_id).first()
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        page = self.page_of(request)
        if db_field.name == "page":
            pages = Page.objects.select_related("survey").order_by("survey__title", "order")
            if page is not None:
                pages = pages.filter(survey_id=page.survey_id)
            field = super().formfield_for_foreignkey(db_field, request, queryset=pages, **kwargs)
            field.label_from_instance = lambda item: f"{item.survey} › {item.title}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "show_if":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        page = self.page_of(request)
        choices = Choice.objects.none()
        if page is not None:
            choices = (
                Choice.objects.filter(
                    question__page__survey_id=page.survey_id,
                    question__page__order__lt=page.order,
                )
                .select_related("question__page")
                .order_by("question__page__order", "question__order", "order")
            )
        kwargs["widget"] = forms.CheckboxSelectMultiple
        field = super().formfield_for_manytomany(db_field, request, queryset=choices, **kwargs)
        field.label_from_instance = lambda item: (
            f"{item.question.page.title} › {item.question.text} › {item.label}"
        )
        field.help_text = (
            "Ask this question only of people who gave any one of the ticked answers on an "
            "earlier page of this survey. Tick none to ask everyone."
            if page is not None
            else "Save the question first: then the answers on earlier pages are listed here."
        )
        return field

    def save_model(self, request, obj, form, change):
        if not change and not obj.order:
            # A new question left at order 0 goes after the page's others.
            last = obj.page.questions.aggregate(last=Max("order"))["last"] or 0
            obj.order = last + 1
        super().save_model(request, obj, form, change)

    def _back_to_survey(self, request, question, response):
        if "_addanother" in request.POST:
            return HttpResponseRedirect(
                reverse("admin:surveys_question_add") + f"?page={question.page_id}"
            )
        if "_continue" in request.POST or "_popup" in request.POST:
            return response
        return HttpResponseRedirect(
            reverse("admin:surveys_survey_change", args=[question.page.survey_id])
        )

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._back_to_survey(request, obj, response)

    def response_change(self, request, obj):
        return self._back_to_survey(request, obj, super().response_change(request, obj))

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.has_responses():
            return ["page", "kind", "show_if", "headline"]
        return []

    def get_inlines(self, request, obj):
        # Text, number and postcode questions have no choices to edit.
        if obj is not None and not obj.has_choices:
            return []
        return super().get_inlines(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if question_scale_fill(question=form.instance):
            messages.info(request, "The question's scale was filled in; change its wording here.")

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.has_responses()) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        question = self.get_object(request, object_id)
        if question and question.has_responses() and request.method == "GET":
            messages.warning(request, GUARD_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Choice)
class ChoiceAdmin(StaffFormAdminMixin, admin.ModelAdmin):
    """Only for the conditional-question search box."""

    search_fields = ["label", "question__text"]
    form = ChoiceForm
    # Survey by survey in the order they are asked (the model's own ordering stays in one question).
    ordering = [
        "question__page__survey__title",
        "question__page__order",
        "question__page_id",
        "question__order",
        "question_id",
        "order",
        "id",
    ]

    def has_module_permission(self, request):
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read only: responses are what residents sent."""

    list_display = ["reference", "survey", "submitted_on", "team", "is_demo"]
    list_filter = ["survey", "is_demo", "team"]
    search_fields = ["reference"]
    date_hierarchy = "submitted_on"
    list_select_related = ["survey", "team"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
