"""Template helpers for upload fields and file lists: `{% load uploads %}`."""

from django import template
from django.conf import settings

from ..filetypes import (
    FILE_TYPES,
    accept_attribute,
    accepted_label,
    accepts_images,
    normalize_accepted_types,
    type_for_mime,
)

register = template.Library()


@register.filter
def upload_accept(accepted_types):
    """{{ doc.accepted_types|upload_accept }} -> '.pdf,application/pdf,.jpg,…'"""
    return accept_attribute(accepted_types)


@register.filter
def upload_accept_images(accepted_types):
    """The image types only, for the camera input: 'image/jpeg,image/png'."""
    mimes = (FILE_TYPES[code].mime for code in normalize_accepted_types(accepted_types))
    return ",".join(mime for mime in mimes if mime.startswith("image/"))


@register.filter
def upload_accepts_images(accepted_types):
    return accepts_images(accepted_types)


@register.filter
def upload_types_label(accepted_types):
    """{{ doc.accepted_types|upload_types_label }} -> 'PDF, JPEG hoặc PNG'"""
    return accepted_label(accepted_types)


@register.simple_tag
def upload_max_file_mb():
    return settings.UPLOAD_MAX_FILE_MB


@register.filter
def file_type_label(content_type):
    """'application/pdf' -> 'PDF'."""
    info = type_for_mime(content_type)
    return info.label if info else content_type


@register.simple_tag
def upload_types(*candidates):
    """{% upload_types accepted_types accepted as types %}: the first list given (empty = the default)."""
    return next((list(candidate) for candidate in candidates if candidate), [])
