"""A conditional question may follow several answers: "Show if" becomes a set of choices."""

from django.db import migrations, models


def copy_conditions(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    for question in Question.objects.exclude(show_if__isnull=True):
        question.show_if_any.add(question.show_if_id)


def copy_back(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    for question in Question.objects.all():
        first = question.show_if_any.order_by("pk").first()
        if first is not None:
            question.show_if = first
            question.save(update_fields=["show_if"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="show_if_any",
            field=models.ManyToManyField(blank=True, related_name="+", to="surveys.choice"),
        ),
        migrations.RunPython(copy_conditions, copy_back),
        migrations.RemoveField(model_name="question", name="show_if"),
        migrations.RenameField(model_name="question", old_name="show_if_any", new_name="show_if"),
        migrations.AlterField(
            model_name="question",
            name="show_if",
            field=models.ManyToManyField(
                blank=True,
                help_text="Ask this question only of people who gave one of these answers on an "
                "earlier page. Leave empty to ask everyone.",
                related_name="conditional_questions",
                to="surveys.choice",
            ),
        ),
    ]
