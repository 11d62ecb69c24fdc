"""HTML to PDF with WeasyPrint, with nothing read from the network or the disk: the proposal letter here, the score
sheet in `kla.reports.documents`.

Import it where a PDF is made (the task worker): WeasyPrint loads its stylesheets on import.
"""

from __future__ import annotations

import weasyprint
from django.utils.translation import gettext


class _NoFetch(weasyprint.urls.URLFetcher):  # type: ignore[misc]
    """Refuses every URL: a document is self-contained, so nothing may be read from the network or disk."""

    def fetch(self, url: str, headers: object = None) -> None:
        raise ValueError(gettext("Akses sumber luar ditolak: %(url)s") % {"url": url})


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML document as PDF; nothing is fetched from the network or the disk."""
    pdf: bytes = weasyprint.HTML(string=html, base_url=None, url_fetcher=_NoFetch()).write_pdf()
    return pdf
