"""Create the portal's roles as Django groups with their model permissions.

Later migrations that add models extend the groups' permissions the same way."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "office": [
        "portal.add_unit",
        "portal.change_unit",
        "portal.view_unit",
        "portal.add_person",
        "portal.change_person",
        "portal.view_person",
        "portal.add_workdayyear",
        "portal.change_workdayyear",
        "portal.view_workdayyear",
        "portal.add_workdayexception",
        "portal.change_workdayexception",
        "portal.delete_workdayexception",
        "portal.view_workdayexception",
    ],
    "leader": ["portal.view_unit", "portal.view_person", "portal.view_workdayyear"],
    "member": ["portal.view_unit", "portal.view_person", "portal.view_workdayyear"],
    "commissioner": [
        "portal.view_unit",
        "portal.view_person",
        "portal.add_person",
        "portal.change_person",
        "portal.view_workdayyear",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
