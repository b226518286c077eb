"""A document's PDF: its template version filled with its contents, laid out on A4 by WeasyPrint.

WeasyPrint (https://doc.courtbouillon.org/weasyprint/) was chosen over ReportLab because it lays out
HTML and CSS, so a template version is ordinary Django template text an administrator can read, and it
embeds the subset of the font each document uses, so Chinese text extracts from the PDF exactly. It
needs Pango (Debian's libpango-1.0-0, libpangoft2-1.0-0) and a CJK font: WenQuanYi Micro Hei
(fonts-wqy-microhei) first, a TrueType font whose subsets are small (about 15 KB a document, against
200 KB with Noto Sans CJK's CFF outlines), then Noto Sans CJK SC. Nothing is fetched while rendering:
a template that names an external image or stylesheet gets nothing (closed networks; no SSRF)."""

from django.conf import settings
from django.template import Context, Engine
from django.utils.html import escape

from .models import DocumentTemplate

# No loaders, no tags beyond the built-ins: a version's text is all there is.
_ENGINE = Engine(autoescape=True, debug=False, loaders=[])

PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{title}</title><style>
@page {{ size: A4; margin: 28mm 26mm 26mm 26mm;
        @bottom-center {{ content: counter(page) " / " counter(pages);
                          font-family: {font}; font-size: 9pt; }} }}
body {{ font-family: {font}; font-size: 14pt; line-height: 1.8; color: #000; }}
h1 {{ text-align: center; font-size: 20pt; letter-spacing: 0.2em; margin: 0 0 4mm 0; }}
.number {{ text-align: center; font-size: 12pt; margin: 0 0 8mm 0; }}
p {{ margin: 0 0 3mm 0; text-indent: 2em; text-align: justify; }}
p.to {{ text-indent: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 12pt; margin: 3mm 0; }}
td, th {{ border: 0.5pt solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }}
.signature {{ margin-top: 16mm; text-align: right; }}
.signature p {{ text-indent: 0; text-align: right; margin: 0; }}
.replaces {{ font-size: 11pt; text-indent: 0; margin-top: 8mm; }}
</style></head><body>
<h1>{title}</h1>
<div class="number">{number}</div>
{body}
<div class="signature"><p>{issuer}</p><p>{issued_on}</p></div>
{replaces}
</body></html>"""


def render_title(template: DocumentTemplate, contents: dict) -> str:
    """A version's title may name the step (a referral letter's kind): rendered like the body."""
    return _ENGINE.from_string(template.title).render(Context(contents)).strip()


def render_html(template: DocumentTemplate, contents: dict) -> str:
    body = _ENGINE.from_string(template.body).render(Context(contents))
    replaces = contents.get("replaces_number")
    return PAGE.format(
        title=escape(contents["title"]),
        number=escape(contents["number"]),
        body=body,
        issuer=escape(contents["issuer"]),
        issued_on=escape(contents["issued_on"]),
        font=settings.DOCUMENT_FONT_FAMILY,
        replaces=(
            f'<p class="replaces">本文书更正并替代{escape(replaces)}。更正原因：'
            f"{escape(contents.get('correction_reason', ''))}</p>"
            if replaces
            else ""
        ),
    )


def render_pdf(template: DocumentTemplate, contents: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which the web process needs only when it writes.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: an image or stylesheet a template names is skipped with a warning.
    refuse_all = URLFetcher(allowed_protocols=())
    return HTML(string=render_html(template, contents), url_fetcher=refuse_all).write_pdf()
