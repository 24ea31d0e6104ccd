from django import template
from django.utils.safestring import mark_safe

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str) -> str:
    return mark_safe(render_markdown(value))  # noqa: S308 - sanitised by nh3 in render_markdown
