from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str) -> str:
    return mark_safe(render_markdown(value))  # noqa: S308 - sanitised by nh3 in render_markdown


@register.filter(name="style_nonce")
def style_nonce(value: str, nonce: str) -> str:
    """Give the <style> elements of a trusted SVG (a chart) the page's CSP nonce.

    The Content-Security-Policy refuses <style> elements without the nonce; the value
    must already be safe HTML (the chart is escaped when it is drawn).
    """
    if nonce is None or nonce == "" or not isinstance(value, SafeString):
        return value
    # django-csp's lazy nonce is falsy until read: str() reads it, so the header carries it.
    return mark_safe(value.replace("<style", f'<style nonce="{escape(str(nonce))}"'))  # noqa: S308
