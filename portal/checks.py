"""System checks (`manage.py check`, run at start-up and by `check --deploy`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import static


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents or path in folder.parents


def _callbacks(patterns: list[URLPattern | URLResolver]) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns)
        else:
            yield str(pattern.pattern), pattern.callback


@register()
def check_uploads_are_not_served(**kwargs: Any) -> list[CheckMessage]:
    """Uploads live in MEDIA_ROOT and reach users only through views that check
    permission: never from the static directories, never from a URL serving the disk."""
    errors: list[CheckMessage] = []
    media = Path(settings.MEDIA_ROOT)
    static_dirs = [Path(settings.STATIC_ROOT), *(Path(str(d)) for d in settings.STATICFILES_DIRS)]
    for folder in static_dirs:
        if _inside(media, folder):
            errors.append(
                Error(
                    f"MEDIA_ROOT ({media}) overlaps the static files folder {folder}: "
                    "uploads would be published without a permission check.",
                    hint="Keep MEDIA_ROOT outside STATIC_ROOT and STATICFILES_DIRS.",
                    id="portal.E001",
                )
            )
    if settings.MEDIA_URL and settings.MEDIA_URL.startswith(settings.STATIC_URL):
        errors.append(
            Error(
                "MEDIA_URL lies under STATIC_URL.", id="portal.E002", hint="Leave MEDIA_URL unset."
            )
        )
    for route, callback in _callbacks(get_resolver().url_patterns):
        if getattr(callback, "__wrapped__", callback) is static.serve or callback is static.serve:
            errors.append(
                Error(
                    f"The URL {route!r} serves files straight from disk.",
                    hint="Serve uploads through a view that checks permission "
                    "(portal.uploads.attachment_response).",
                    id="portal.E003",
                )
            )
    return errors


@register()
def check_static_manifest(**kwargs: Any) -> list[CheckMessage]:
    """Production serves static files through a manifest (hashed names) that
    `collectstatic` writes; without it every page that names a static file is a 500.
    A warning, not an error: `migrate` runs the checks and comes before collectstatic."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    if manifest.exists():
        return []
    return [
        Warning(
            f"静态文件清单不存在（{manifest}）：每个页面都会出错（500）。"
            "请先运行 manage.py collectstatic --noinput。",
            hint="Run `manage.py collectstatic --noinput` after each deployment, before "
            "starting gunicorn (docs/operations.md).",
            id="portal.W004",
        )
    ]
