"""The PDF of every edition: its pages as the site built them, in contents order, in one tagged PDF.

`mktogether build` and `mkdocs build` make them after the site is written (plugin.on_post_build):
one for each edition, beside its front page, laid out by WeasyPrint as PDF/UA-1 with
templates/pdf/print.css, and the charts styled by templates/pdf/charts.css inside each SVG (WeasyPrint
applies no page CSS inside an inline SVG). Then each front page, and the alias page of the latest
edition, gets the link to its PDF with the PDF's size, in place of the marker its template leaves
(templates/pages/edition.md.j2). The preview, a build with drafts and the export make no PDF, so
their marker stays a comment and they show no link.

The PDF is the built pages' articles, not the site around them: a cover (the front page), a
contents page with page numbers, then each page from a new page. Ids are made unique to their
page, links to pages in the PDF go to them inside it and other links go to the site.
"""
from __future__ import annotations

import functools
import html
import logging
import posixpath
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .documents import DOCUMENTS
from .elsewhere import Later
from .load import EditionData
from .pipeline import Site
from .plan import HOME, Page, edition_label, served_url

log = logging.getLogger("mkdocs.plugins.mktogether")
MARKER = "<!-- mkt-pdf -->"  # where a front page shows the link to its PDF, once there is one
STYLES = "templates/pdf"
FONTS = {"Liberation Sans": "fonts-liberation", "DejaVu Sans": "fonts-dejavu-core"}  # the family and its Debian package
INSTALL = "or run `make site`, which installs them"


class PdfUnavailable(MkDocsException):
    """What to install for the PDFs, in one line; the build stops, writing nothing."""


@dataclass
class Made:
    edition: str
    path: str  # in the site, e.g. handbook/2021-11/mktogether-handbook-2021-11.pdf
    size: int
    seconds: float


def pdf_path(edition: EditionData) -> str:
    return f"{edition.id}/mktogether-{edition.id.replace('/', '-')}.pdf"


def pdf_title(edition: EditionData) -> str:
    """'MK Together Partnership Handbook, November 2021': the PDF's title and running header."""
    return f"{edition.edition.title}, {edition_label(edition)}"


def link_text(edition: EditionData, size: int) -> str:
    """'Download the Partnership Handbook, November 2021, as a PDF (214 KB)'."""
    return f"Download the {DOCUMENTS[edition.document].title}, {edition_label(edition)}, as a PDF ({file_size(size)})"


def file_size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def publish(site: Site, config: MkDocsConfig, jobs: int = 1) -> list[Made]:
    """Make the PDF of every edition of the site into the built site, and link each from its front
    pages; with `jobs` over one, forked processes make some of them meanwhile (elsewhere.py)."""
    weasyprint = load_weasyprint()
    site_dir, site_url, language = Path(config.site_dir), config.site_url, config.theme.get("language") or "en"
    styles = site.project.root / STYLES
    css = weasyprint.CSS(string=(styles / "print.css").read_text(encoding="utf-8"))
    svg_css = (styles / "charts.css").read_text(encoding="utf-8")

    def make(editions: list[EditionData]) -> list[Made]:
        made = []
        for edition in editions:
            start = time.perf_counter()
            pages = [p for p in site.plan.pages if p.edition is edition and p.alias_of is None]
            document = edition_html(edition, pages, site_dir, site_url, language, svg_css)
            running = weasyprint.CSS(string=f"@page {{ @top-left {{ content: {_css_string(pdf_title(edition))} }} }}")
            data = weasyprint.HTML(string=document, base_url=str(site_dir)).write_pdf(
                stylesheets=[css, running], pdf_variant="pdf/ua-1", finisher=_finish)
            (site_dir / pdf_path(edition)).write_bytes(data)
            made.append(Made(edition.id, pdf_path(edition), len(data), time.perf_counter() - start))
        return made

    editions = list(site.project.editions.values())
    shares = [editions[n::max(1, jobs)] for n in range(max(1, jobs))]  # every jobs-th edition: alike in size
    elsewhere = [Later(functools.partial(make, share)) for share in shares[1:] if share]
    made = make(shares[0])
    for later in elsewhere:
        made += later.result()  # where that process failed, its PDFs are made here
    order = {edition.id: n for n, edition in enumerate(editions)}
    made.sort(key=lambda m: order[m.edition])
    for m in made:
        log.info(f"made {m.path} ({file_size(m.size)}) in {m.seconds:.1f} s")
    sizes = {m.edition: m.size for m in made}
    for page in site.plan.pages:
        if page.kind == "edition" and page.edition is not None and page.edition.id in sizes:
            _link(site_dir / _built(page.uri), page, sizes[page.edition.id])
    return made


def load_weasyprint() -> Any:
    """WeasyPrint, with pango and the fonts it needs; or one line saying what to install."""
    try:
        import weasyprint
    except ImportError:
        raise PdfUnavailable(f"the PDFs need WeasyPrint: install it with `pip install -e .`, {INSTALL}") from None
    except OSError:  # WeasyPrint loads pango when it is imported
        raise PdfUnavailable("the PDFs need pango: install it (on Debian, `apt-get install libpango-1.0-0 "
                             f"libpangoft2-1.0-0`), {INSTALL}") from None
    missing = _missing_fonts(list(FONTS))
    if missing:
        raise PdfUnavailable(f"the PDFs need the font{'s' if len(missing) > 1 else ''} {' and '.join(missing)}: install "
                             f"{'them' if len(missing) > 1 else 'it'} (on Debian, `apt-get install "
                             f"{' '.join(FONTS[f] for f in missing)}`), {INSTALL}")
    return weasyprint


def _missing_fonts(families: list[str]) -> list[str]:
    """The families fontconfig has no font of: it would lay the text out in a stand-in."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    missing = []
    try:
        for family in families:
            pattern = fontconfig.FcPatternCreate()
            fontconfig.FcPatternAddString(pattern, b"family", family.encode())
            fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
            fontconfig.FcDefaultSubstitute(pattern)
            match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
            name = ffi.new("FcChar8 **")
            found = match != ffi.NULL and fontconfig.FcPatternGetString(match, b"family", 0, name) == 0  # FcResultMatch
            if not (found and ffi.string(name[0]).decode() == family):
                missing.append(family)
            if match != ffi.NULL:
                fontconfig.FcPatternDestroy(match)
            fontconfig.FcPatternDestroy(pattern)
    finally:
        fontconfig.FcConfigDestroy(config)
    return missing


# The document ------------------------------------------------------------------------------------

def _served(uri: str) -> str:
    """Where a page is served from the site's root, by its src_uri: handbook/2021-11/boards/risk/."""
    return served_url(uri, HOME).removeprefix("./")


def _built(uri: str) -> str:
    return _served(uri) + "index.html"


def _slug(page: Page, edition: EditionData) -> str:
    """A page's anchor in its edition's PDF: boards-risk, structure-chart; its front page is 'front'."""
    rel = page.uri.removeprefix(edition.id + "/").removesuffix(".md").removesuffix("index").strip("/")
    return rel.replace("/", "-") or "front"


def edition_html(edition: EditionData, pages: list[Page], site_dir: Path, site_url: str | None, language: str,
                 svg_css: str) -> str:
    """One HTML document of the edition's pages, in the plan's order: the front page as the cover,
    then a contents page, then each page."""
    e = edition.edition
    title = pdf_title(edition)
    slugs = {_served(p.uri): _slug(p, edition) for p in pages}
    parts = []
    for page in pages:
        article = _article((site_dir / _built(page.uri)).read_text(encoding="utf-8"))
        body = _Rewriter(_slug(page, edition), _served(page.uri), slugs, site_url, svg_css).rewrite(article)
        front = page.uri == f"{edition.id}/index.md"
        kind = "mkt-front" if front else f"mkt-page mkt-page--{page.kind}"
        # the page's public address, for the running footer (templates/pdf/print.css)
        address = f' data-address="{html.escape(urljoin(site_url, _served(page.uri)))}"' if site_url else ""
        parts.append(f'<section class="{kind}" id="{_slug(page, edition)}"{address}>\n{body}\n</section>')
        if front:
            entries = "".join(f'<li><a href="#{_slug(p, edition)}">{html.escape(p.title)}</a></li>\n'
                              for p in pages if p is not page)
            parts.append(f'<nav class="mkt-toc" id="contents" aria-label="Contents">\n<h2>Contents</h2>\n<ol>\n{entries}</ol>\n</nav>')
    meta = [("author", "MK Together Partnership"), ("generator", "mktogether")]
    if e.summary:
        meta.append(("description", " ".join(e.summary.split())))
    if e.published:
        meta += [("dcterms.created", e.published.isoformat()), ("dcterms.modified", e.published.isoformat())]
    head = "".join(f'<meta name="{name}" content="{html.escape(value)}">\n' for name, value in meta)
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f'{head}</head>\n<body>\n'
            + "\n".join(parts) + "\n</body>\n</html>\n")


def _css_string(text: str) -> str:
    """Text as a CSS string."""
    return '"' + re.sub(r'[\\"\n]', lambda m: f"\\{ord(m.group(0)):x} ", text) + '"'


def _article(page_html: str) -> str:
    match = re.search(r"<article\b[^>]*>(.*)</article>", page_html, re.DOTALL)
    assert match, "a built page has its article"
    return match.group(1)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ID_REFS = ("aria-labelledby", "aria-describedby", "headers", "for")


class _Rewriter(HTMLParser):
    """A page's article made part of the edition's document: its ids prefixed by the page's anchor,
    links to pages of the PDF made links inside it, other links made absolute, the site's
    navigation (breadcrumbs, the edition switcher: every <nav> of the article), heading anchors
    (the pilcrows) and comments left out, and each SVG given the charts' styles and, as its title,
    its title and description: the PDF's alternative text of a figure is its title alone."""

    def __init__(self, slug: str, here: str, slugs: dict[str, str], site_url: str | None, svg_css: str):
        super().__init__(convert_charrefs=False)
        self.slug, self.here, self.slugs, self.site_url, self.svg_css = slug, here, slugs, site_url, svg_css
        self.out: list[str] = []
        self.skipping: list[str] = []  # the open elements of what is left out

    def rewrite(self, article: str) -> str:
        self.feed(article)
        self.close()
        return re.sub(r"<svg\b.*?</svg>", _describe, "".join(self.out), flags=re.DOTALL)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag == "nav" or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            if tag not in VOID:
                self.skipping.append(tag)
            return
        self.out.append(self._tag(tag, attrs, ">"))
        if tag == "svg":
            self.out.append(f"<style>{self.svg_css}</style>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping:
            self.out.append(self._tag(tag, attrs, "/>"))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> str:
        out = [tag]
        for name, value in attrs:
            if value is not None and name == "id":
                value = f"{self.slug}--{value}"
            elif value is not None and name in ID_REFS:
                value = " ".join(f"{self.slug}--{v}" for v in value.split())
            elif value is not None and name in ("href", "src"):
                value = self._url(value)
            out.append(name if value is None else f'{name}="{html.escape(value)}"')
        return "<" + " ".join(out) + end

    def _url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            return url  # another site, mailto: and tel:
        if not parts.path:
            return f"#{self.slug}--{parts.fragment}" if parts.fragment else f"#{self.slug}"
        target = posixpath.normpath(posixpath.join(self.here, parts.path))
        page = target + "/" if target != "." else ""
        if page in self.slugs:
            slug = self.slugs[page]
            return f"#{slug}--{parts.fragment}" if parts.fragment else f"#{slug}"
        address = (page if parts.path.endswith("/") else target) + (f"#{parts.fragment}" if parts.fragment else "")
        return urljoin(self.site_url, address) if self.site_url else address


def _describe(svg: re.Match[str]) -> str:
    """An SVG whose title also says what its description says."""
    text = svg.group(0)
    title = re.search(r"(<title\b[^>]*>)(.*?)(</title>)", text, re.DOTALL)
    desc = re.search(r"<desc\b[^>]*>(.*?)</desc>", text, re.DOTALL)
    if not title or not desc:
        return text
    said = title.group(2).rstrip()
    said += ("" if said.endswith((".", ":")) else ".") + " " + desc.group(1).strip()
    return text[:title.start()] + title.group(1) + said + title.group(3) + text[title.end():]


# After WeasyPrint ----------------------------------------------------------------------------------

def _finish(document: Any, pdf: Any) -> None:
    """What WeasyPrint's tagging leaves out: the running headers and footers marked as artifacts
    (pagination), not content outside the structure tree; and each table header cell's scope."""
    import pydyf

    root = pdf.catalog["StructTreeRoot"]
    objects = {o.number: o for o in pdf.objects if hasattr(o, "number") and o.number is not None}
    structure_root = objects[_number(root)]
    reachable = set()
    todo = [structure_root]
    while todo:
        node = todo.pop()
        for kid in node.get("K", []) if isinstance(node, dict) else []:
            number = _number(kid)
            if number is not None and number not in reachable and number in objects:
                reachable.add(number)
                todo.append(objects[number])
    parent_tree = objects[_number(structure_root["ParentTree"])]
    nums = parent_tree["Nums"]
    for page_number, page_ref in enumerate(pdf.page_references):
        if page_number * 2 + 1 >= len(nums) or nums[page_number * 2] != page_number:
            continue
        marked = nums[page_number * 2 + 1]
        orphans = {mcid for mcid, ref in enumerate(marked) if _number(ref) not in reachable}
        if not orphans:
            continue
        for mcid in orphans:
            marked[mcid] = "null"
        stream = objects[_number(objects[_number(page_ref)]["Contents"])]
        items = stream.stream
        for i, item in enumerate(items):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in orphans and i and str(items[i - 1]).startswith("/"):
                items[i - 1] = "/Artifact"
                items[i] = pydyf.Dictionary({"Type": "/Pagination"})
    for page in document.pages:
        for box in _descendants(page._page_box):
            mark = getattr(box, "mark", None)
            if mark is not None and box.element_tag == "th":
                scope = box.element.get("scope", "col")
                mark["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"


def _number(ref: Any) -> int | None:
    """The object number of a reference such as b'12 0 R'."""
    text = ref.decode() if isinstance(ref, bytes) else str(ref)
    match = re.fullmatch(r"(\d+) 0 R", text.strip())
    return int(match.group(1)) if match else None


def _descendants(box: Any) -> Any:
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)


def _link(path: Path, page: Page, size: int) -> None:
    """Write the link to the PDF, with its size, in place of the front page's marker."""
    assert page.edition is not None
    text = path.read_text(encoding="utf-8")
    href = posixpath.relpath(pdf_path(page.edition), posixpath.dirname(_built(page.uri)))
    link = (f'<p class="mkt-pdf"><a href="{html.escape(href)}" type="application/pdf" download>'
            f"{html.escape(link_text(page.edition, size))}</a></p>")
    path.write_text(text.replace(MARKER, link, 1), encoding="utf-8")
