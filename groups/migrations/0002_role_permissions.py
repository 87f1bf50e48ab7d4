"""Give the portal's roles their permissions on the groups models (as portal/0002 does
for the organisation): the office changes them, every role reads them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "leadinggroup",
    "office",
    "groupmembership",
    "officemember",
    "branchcommissioner",
    "workpoints",
    "workpointssection",
    "workpointsitem",
    "progressreport",
]
OFFICE = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
OFFICE += ["delete_workpointssection", "delete_workpointsitem"]
READ = [f"view_{model}" for model in MODELS]
ROLE_PERMISSIONS = {
    "office": OFFICE,
    "leader": READ,
    "member": [*READ, "add_progressreport"],
    "commissioner": [*READ, "add_progressreport"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("groups")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="groups", codename__in=codes)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="groups"))


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
