"""Step 2 of 3: link every follow-up item to its `action_item` deadline. An item that has
one keeps its date (the engine's: an approved extension may have moved it); an item
without one (entered before the engine) gets one opened on its own date, met when the
item was reported or closed. Its history rows point at the same deadline."""

from django.db import migrations
from django.utils import timezone

ACTION_ITEM = "action_item"  # portal.deadlines rule code (a migration keeps its own copy)
DONE = {"reported", "closed"}


def link(apps, schema_editor):
    FollowUpItem = apps.get_model("meetings", "FollowUpItem")
    HistoricalFollowUpItem = apps.get_model("meetings", "HistoricalFollowUpItem")
    Deadline = apps.get_model("deadlines", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="meetings", model="followupitem")
    now = timezone.now()
    existing = dict(
        Deadline.objects.filter(rule=ACTION_ITEM, content_type=content_type, period="").values_list(
            "object_id", "pk"
        )
    )
    for item in FollowUpItem.objects.filter(deadline__isnull=True).iterator():
        deadline_id = existing.get(item.pk)
        if deadline_id is None:
            done = item.status in DONE
            deadline_id = Deadline.objects.create(
                rule=ACTION_ITEM,
                content_type=content_type,
                object_id=item.pk,
                period="",
                title=item.task[:80],
                due=item.legacy_due,
                original_due=item.legacy_due,
                responsible_unit_id=item.owner_unit_id,
                state="met" if done else "open",
                opened_at=item.created_at or now,
                closed_at=(item.closed_at or now) if done else None,
                # The scan looks at it now and sends only what falls due from here on.
                next_reminder_at=None if done else now,
            ).pk
        FollowUpItem.objects.filter(pk=item.pk).update(deadline_id=deadline_id)
        HistoricalFollowUpItem.objects.filter(id=item.pk).update(deadline_id=deadline_id)


def unlink(apps, schema_editor):
    """Back to a date column: the engine's date, copied (history rows too)."""
    FollowUpItem = apps.get_model("meetings", "FollowUpItem")
    HistoricalFollowUpItem = apps.get_model("meetings", "HistoricalFollowUpItem")
    Deadline = apps.get_model("deadlines", "Deadline")
    dues = dict(Deadline.objects.filter(rule=ACTION_ITEM).values_list("pk", "due"))
    by_item = {}
    for item in FollowUpItem.objects.all():
        by_item[item.pk] = dues.get(item.deadline_id) or item.created_at.date()
        FollowUpItem.objects.filter(pk=item.pk).update(legacy_due=by_item[item.pk])
    for row in HistoricalFollowUpItem.objects.filter(legacy_due__isnull=True):
        due = dues.get(row.deadline_id) or by_item.get(row.id) or row.history_date.date()
        HistoricalFollowUpItem.objects.filter(pk=row.pk).update(legacy_due=due)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0003_followupitem_deadline_row"),
    ]

    operations = [migrations.RunPython(link, unlink)]
