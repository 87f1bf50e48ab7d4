"""The six situations for an admonition talk that seed 000 §三(五) lists, and the
office's permission to keep the list in the admin."""

from django.db import migrations

from portal.migration_roles import role_permissions

TRIGGERS = [
    "贯彻落实习近平总书记关于加强和改进统一战线工作的重要思想出现重大偏差、不到位",
    "贯彻落实党中央和自治区党委关于统战工作重大决策部署出现重大偏差、不到位",
    "对领导小组的工作部署推进不力、进度滞后、未按要求完成",
    "被通报、点名批评或要求整改且整改落实不到位",
    "因处置不当发生损害统一战线工作、造成较大负面影响的政治事件、社会事件",
    "发生涉及民族宗教领域群体性事件",
]


def add_triggers(apps, schema_editor):
    Trigger = apps.get_model("inspections", "AdmonitionTrigger")
    for position, name in enumerate(TRIGGERS, start=1):
        Trigger.objects.get_or_create(name=name, defaults={"position": position})


def remove_triggers(apps, schema_editor):
    apps.get_model("inspections", "AdmonitionTrigger").objects.filter(name__in=TRIGGERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_admonitions"),
        ("portal", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(add_triggers, remove_triggers),
        role_permissions(
            "inspections",
            {
                "office": [
                    "add_admonitiontrigger",
                    "change_admonitiontrigger",
                    "view_admonitiontrigger",
                ]
            },
        ),
    ]
