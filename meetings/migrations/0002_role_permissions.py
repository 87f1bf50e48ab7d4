"""Give the portal's roles their permissions on the meetings models (as portal/0002 does
for the organisation), for the admin where the office corrects mistakes: the office
adds and changes them, every role read them. The pages check roles, not these."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "meeting",
    "attendance",
    "topic",
    "agendaitem",
    "material",
    "minutes",
    "followupitem",
    "followupupdate",
]
OFFICE = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
READ = [f"view_{model}" for model in ["meeting", "topic", "agendaitem", "minutes", "followupitem"]]
ROLE_PERMISSIONS = {
    "office": OFFICE,
    "leader": READ,
    "member": READ,
    "commissioner": READ,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("meetings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="meetings", codename__in=codes)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="meetings"))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
