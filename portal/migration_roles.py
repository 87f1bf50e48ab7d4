"""Give the portal's roles their model permissions on one app's models, from that app's
data migration (as `portal/0002_roles` does for the organisation). Migrations import
this, so it keeps its behaviour: a change here would change what old migrations did."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations


def role_permissions(app_label: str, codenames: dict[str, list[str]]) -> migrations.RunPython:
    """A reversible operation granting each role (a Django group, created if missing)
    the permissions `codenames[role]` of `app_label`; reversing takes them away."""

    def grant(apps: Any, schema_editor: Any) -> None:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # the historical app has no models module
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for role, codes in codenames.items():
            group, _ = Group.objects.get_or_create(name=role)
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codes)
            )

    def revoke(apps: Any, schema_editor: Any) -> None:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for group in Group.objects.filter(name__in=codenames):
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))

    return migrations.RunPython(grant, revoke)
