"""The admin, where the office corrects mistakes: every registered model's list, add
form and a record's change form open for a staff office user (the demo gives each
model a row), with the change history one click away."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


@pytest.fixture
def demo_office(db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())
    from portal.models import User

    return User.objects.get(username="office")


def test_it_opens_every_admin_page_for_the_office(demo_office):
    client = client_for(demo_office)
    empty = []
    request = _request(demo_office)
    viewable = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
    }
    labels = {m._meta.label for m in viewable}
    assert {"meetings.Meeting", "meetings.FollowUpItem", "reports.AnnualReport"} <= labels
    assert "auth.Group" not in labels  # roles are set by migrations, not by hand
    for model, model_admin in viewable.items():
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        assert client.get(reverse(f"{base}_changelist")).status_code == 200, base
        if model_admin.has_add_permission(request):
            assert client.get(reverse(f"{base}_add")).status_code == 200, base
        record = model._default_manager.order_by("pk").first()
        if record is None:
            empty.append(base)
            continue
        assert client.get(reverse(f"{base}_change", args=[record.pk])).status_code == 200, base
    assert len(empty) < len(viewable) / 2, empty


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_read_only_admins_share_one_mixin(rf):
    """The documents (and their steps, recipients and attachments) and the export jobs
    are looked up in the admin, never written there: one mixin says so for all."""
    from django.contrib.auth.models import AnonymousUser

    from portal.admin import ReadOnlyAdminMixin
    from portal.documents.models import Document
    from portal.exportjobs.models import ExportJob

    request = rf.get("/")
    request.user = AnonymousUser()
    for model in (Document, ExportJob):
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, ReadOnlyAdminMixin), model
        # The admin declares none of the three itself: the mixin's are the ones used.
        assert not {"has_add_permission", "has_change_permission", "has_delete_permission"} & set(
            vars(type(model_admin))
        ), model
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    for inline in admin.site._registry[Document].inlines:
        assert issubclass(inline, ReadOnlyAdminMixin), inline


def test_no_admin_page_shows_a_files_storage_path(demo_office):
    """Probe finding: the admin linked a file to its storage path, a 404 (uploads are not
    served from MEDIA_URL) that also tells where files lie. A file is linked through the
    view that checks who may have it, or named without a link."""
    from django.db.models import FileField, Q

    demo_office.is_superuser = True  # every admin page, the documents' included
    demo_office.save(update_fields=["is_superuser"])
    client = client_for(demo_office)
    request = _request(demo_office)
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        files = [f.name for f in model._meta.concrete_fields if isinstance(f, FileField)]
        inlines = {
            inline.model: inline.fk_name
            for inline in model_admin.get_inline_instances(request)
            if any(isinstance(f, FileField) for f in inline.model._meta.concrete_fields)
        }
        for name in files:
            record = model._default_manager.exclude(Q(**{name: ""}) | Q(**{name: None})).first()
            if record is None:
                continue
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
            html = client.get(url).content.decode()
            assert getattr(record, name).name not in html, (url, name)
            checked.append(f"{meta.label}.{name}")
        for inline_model in inlines:
            inline_files = [
                f.name for f in inline_model._meta.concrete_fields if isinstance(f, FileField)
            ]
            for name in inline_files:
                child = inline_model._default_manager.exclude(**{name: ""}).first()
                if child is None:
                    continue
                parent = next(
                    getattr(child, f.name)
                    for f in inline_model._meta.concrete_fields
                    if f.is_relation and f.related_model is model
                )
                meta = model._meta
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[parent.pk])
                html = client.get(url).content.decode()
                assert getattr(child, name).name not in html, (url, name)
                checked.append(f"{inline_model._meta.label}.{name}")
    # the demo's documents carry their issued PDF, its reports their evidence
    assert {"documents.Document.pdf", "groups.ProgressReport.evidence"} <= set(checked), checked
