"""A follow-up item's due date becomes the engine's deadline row (step 1 of 3): the old
date column is kept aside as `legacy_due` while the link to the `action_item` deadline is
added; 0004 fills the link, 0005 drops the old column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0002_deadline_due_index"),
        ("meetings", "0002_role_permissions"),
    ]

    operations = [
        migrations.RenameField(
            model_name="followupitem", old_name="deadline", new_name="legacy_due"
        ),
        migrations.RenameField(
            model_name="historicalfollowupitem", old_name="deadline", new_name="legacy_due"
        ),
        # Nullable while it lasts, so that 0005 can be reversed (0004's reverse refills it).
        migrations.AlterField(
            model_name="followupitem",
            name="legacy_due",
            field=models.DateField(null=True, verbose_name="办理期限"),
        ),
        migrations.AlterField(
            model_name="historicalfollowupitem",
            name="legacy_due",
            field=models.DateField(null=True, verbose_name="办理期限"),
        ),
        migrations.AddField(
            model_name="followupitem",
            name="deadline",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="deadlines.deadline",
                verbose_name="办理期限",
            ),
        ),
        migrations.AddField(
            model_name="historicalfollowupitem",
            name="deadline",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="deadlines.deadline",
                verbose_name="办理期限",
            ),
        ),
    ]
