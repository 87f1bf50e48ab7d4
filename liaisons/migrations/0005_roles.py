"""The two roles that follow an appointment in this app: 统战联络员 (a liaison in office)
and 宣传工作成员 (a member of the publicity roster). Their pages check the roles; the admin
permissions stay the office's."""

from django.db import migrations

from portal.migration_roles import role_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("liaisons", "0004_reports_publicity"),
        ("portal", "0002_roles"),
    ]

    operations = [role_permissions("liaisons", {"liaison": [], "publicity": []})]
