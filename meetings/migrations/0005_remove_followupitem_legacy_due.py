"""Step 3 of 3: the follow-up item's own copy of its due date goes; the engine's
deadline row is the one date (ordered by it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_followupitem_deadline_data")]

    operations = [
        migrations.RemoveField(model_name="followupitem", name="legacy_due"),
        migrations.RemoveField(model_name="historicalfollowupitem", name="legacy_due"),
        migrations.AlterModelOptions(
            name="followupitem",
            options={
                "ordering": ["deadline__due", "id"],
                "verbose_name": "督办事项",
                "verbose_name_plural": "督办事项",
            },
        ),
    ]
