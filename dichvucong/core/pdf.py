"""HTML → PDF with WeasyPrint, for paper forms and (later) one-stop documents and results.

Templates are ordinary Django templates; their CSS comes from files under static/pdf/, read from disk:
the renderer never fetches anything over the network. Vietnamese renders with Noto Sans/Serif
(Debian: fonts-noto-core), which also carry the ₫ sign; see docs/operations.md.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (pango) are missing on this machine."""


def _static_fetcher():
    from weasyprint.urls import URLFetcher

    class StaticFilesFetcher(URLFetcher):
        """Serves `/static/…` from the static files finders; refuses every other URL."""

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("file:///static/"):
                path = finders.find(url.split("/static/", 1)[1])
                if path:
                    return super().fetch(Path(path).as_uri(), headers)
            raise ValueError(f"PDF rendering does not fetch {url!r}")

    return StaticFilesFetcher()


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a Django template to PDF bytes."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # pango is not installed
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string(template_name, context or {})
    return HTML(string=html, base_url="file:///", url_fetcher=_static_fetcher()).write_pdf()
