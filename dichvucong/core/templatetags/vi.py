"""Template filters for Vietnamese presentation: money and highlighted search terms."""

from django import template

from dichvucong.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ 1000000|vnd }} -> 1.000.000 đ"""
    return format_vnd(amount)


@register.filter
def get_item(mapping, key):
    """{{ data|get_item:field.name }}: a dict value by a variable key (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
