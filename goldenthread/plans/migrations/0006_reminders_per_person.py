# Reminders are recorded per person (one email lists everything they owe) and per step
# of the daily job; the scheduled steps are unique so the job never sends one twice.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def people_from_posts(apps, schema_editor):
    """A reminder recorded for a post was sent to its holders: record it for the holder
    it was addressed to (the first holder when none matches); one no holder of the post
    could have received is dropped."""
    Reminder = apps.get_model("plans", "Reminder")
    for reminder in Reminder.objects.select_related("post"):
        holders = list(reminder.post.holders.order_by("pk"))
        addressed = set(reminder.recipients.split())
        person = next((u for u in holders if u.email in addressed), None) or (
            holders[0] if holders else None
        )
        if person is None:
            reminder.delete()
            continue
        reminder.person = person
        reminder.items = ""
        reminder.save(update_fields=["person", "items"])


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0005_plan_periods"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="person reminded",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="due_by",
            field=models.DateField(blank=True, null=True, verbose_name="due date given"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="items",
            field=models.TextField(
                blank=True, help_text="One per line.", verbose_name="updates listed"
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="step",
            field=models.CharField(
                choices=[
                    ("manual", "Sent from the update round"),
                    ("before", "Before the due date"),
                    ("due", "On the due date"),
                    ("overdue", "Overdue, line manager copied in"),
                ],
                default="manual",
                max_length=10,
                verbose_name="step",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="sent_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty when the daily reminder job sent it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sent by",
            ),
        ),
        migrations.RunPython(people_from_posts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reminder",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="person reminded",
            ),
        ),
        migrations.RemoveField(
            model_name="reminder",
            name="post",
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("step", "manual"), _negated=True),
                fields=("plan", "period", "person", "step"),
                name="one_scheduled_reminder_per_step",
            ),
        ),
    ]
