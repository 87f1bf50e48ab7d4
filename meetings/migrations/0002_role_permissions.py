"""Give the portal's roles their permissions on the meetings models (as portal/0002 does
for the organisation), for the admin where the office corrects mistakes: the office
adds and changes them, every role read them. The pages check roles, not these."""

from django.db import migrations

from portal.migration_roles import role_permissions

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


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [role_permissions("meetings", ROLE_PERMISSIONS)]
