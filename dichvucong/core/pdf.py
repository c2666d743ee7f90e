"""HTML → PDF with WeasyPrint, for paper forms and (later) one-stop documents and results.

Templates are ordinary Django templates; their CSS comes from files under static/pdf/ (resolved on
disk, never over the network). Vietnamese renders with Noto Sans/Serif (Debian: fonts-noto-core),
which also carry the ₫ sign; see docs/operations.md for the system packages.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (pango) are missing on this machine."""


def _url_fetcher(url, *args, **kwargs):
    """Resolve `/static/...` to the file on disk; refuse everything else (no network access)."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("/static/") or url.startswith("file:///static/"):
        path = finders.find(url.split("/static/", 1)[1])
        if path:
            return default_url_fetcher(f"file://{path}")
    raise ValueError(f"PDF rendering does not fetch {url!r}")


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a Django template to PDF bytes."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # pango not installed
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string(template_name, context or {})
    return HTML(string=html, base_url="file:///", url_fetcher=_url_fetcher).write_pdf()
