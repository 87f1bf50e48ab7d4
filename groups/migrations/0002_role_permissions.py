"""Give the portal's roles their permissions on the groups models (as portal/0002 does
for the organisation): the office changes them, every role reads them."""

from django.db import migrations

from portal.migration_roles import role_permissions

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


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [role_permissions("groups", ROLE_PERMISSIONS)]
