from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("会议与纪要")

    def ready(self) -> None:
        import meetings.navigation  # noqa: F401 - registers its menu entries
        from meetings import rules, todos  # noqa: F401 - todos registers the home page's to-dos
        from meetings.services import minutes_attendance, minutes_compose, on_document_issued
        from portal.documents.registry import DocumentKind, Importance, SeriesSpec, register
        from portal.documents.signals import document_issued

        college = "中共××学院"
        register(
            DocumentKind(
                key="minutes",
                label=_("会议纪要"),
                importance=Importance.GENERAL,  # signed by the leader in charge of UFW
                series="minutes",
                pdf_form="minutes",
                creatable=False,  # made from a meeting, not from “起草公文”
                attendance=minutes_attendance,
                compose=minutes_compose,
            ),
            series=SeriesSpec(
                key="minutes",
                name=_("会议纪要"),
                prefix="X统纪",
                header=f"{college}统一战线工作领导小组\n会议纪要",
                signing_unit=f"{college}统一战线工作领导小组办公室",
                printed_by=f"{college}统一战线工作领导小组办公室",
            ),
        )
        document_issued.connect(on_document_issued, dispatch_uid="meetings_minutes_issued")
        rules.register_rules()
