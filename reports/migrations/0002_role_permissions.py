"""Give the portal's roles their permissions on the reports models (as portal/0002 does
for the organisation), for the admin where the office corrects mistakes: the office
adds and changes them, leaders read them. The pages check roles, not these."""

from django.db import migrations

from portal.migration_roles import role_permissions

MODELS = ["annualreport", "annualreportsection"]
OFFICE = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
READ = [f"view_{model}" for model in MODELS]
ROLE_PERMISSIONS = {"office": OFFICE, "leader": READ}


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [role_permissions("reports", ROLE_PERMISSIONS)]
