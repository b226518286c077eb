"""Reading a document's PDF back: its text (fonts embedded, so Chinese extracts) and its fonts."""

import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The text of every page with all white space taken out: lines break anywhere in Chinese, and a
    title's letter-spacing extracts as spaces."""
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Each font of the PDF by name: whether its program is embedded (FontFile, FontFile2 or FontFile3)."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts
