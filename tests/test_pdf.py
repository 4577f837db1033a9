"""The PDF of every edition: linked from its front page with its size, accessible (tagged PDF/UA-1,
title, language, bookmarks, a contents page with page numbers, running headers as artifacts), true
to the published documents, legible (no text under 9 pt), the same bytes from the same inputs, and
made by a public build only: never by the preview, a build with drafts or the export."""
from __future__ import annotations

import html
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject

from conftest import FIXTURE_DISAGREEMENT, PROJECT, ROOT, SEEDS, SITE_URL, run_cli, warnings_in
from fidelity import corrections, fidelity_in
from generator.documents import DOCUMENTS
from generator.pipeline import Site, generate
from generator.plan import edition_label
from generator.text import long_date
from test_serve import fetch, free_port, start, wait_for
from test_site import SEED_EDITIONS, built_page

ARTIFACTS = ROOT / "test-artifacts"
PDF_LINK = re.compile(r'<a href="([^"]+\.pdf)"[^>]*>([^<]*)</a>')


@pytest.fixture(scope="module")
def site() -> Site:
    generated, _ = generate(PROJECT)
    assert generated is not None
    return generated


def linked_pdfs(page: Path) -> list[tuple[Path, str]]:
    """The PDFs a built page links, as files, with the links' text."""
    return [((page.parent / href).resolve(), html.unescape(text)) for href, text in PDF_LINK.findall(page.read_text())]


@dataclass
class Pdf:
    """What a reader, and a screen reader, gets of a PDF."""

    reader: PdfReader
    text: str = ""  # the tagged text, in the order drawn, then the links' addresses
    pages: list[str] = field(default_factory=list)  # the tagged text, page by page
    artifacts: list[str] = field(default_factory=list)  # the text marked as artifact, page by page
    sizes: dict[str, float] = field(default_factory=dict)  # the smallest text size, in points, by marked content tag
    overhang: float = -math.inf  # how far right of the right margin (10 mm, the narrowest) any text starts, in points


def read(path: Path) -> Pdf:
    pdf = Pdf(PdfReader(path))
    parts: list[str] = []
    uris: list[str] = []
    for page in pdf.reader.pages:
        marked: list[str] = []
        artifact: list[str] = []

        def before(op: bytes, args: list, cm: list, tm: list) -> None:  # type: ignore[type-arg]
            if op in (b"BDC", b"BMC"):
                marked.append(str(args[0]))
            elif op == b"EMC" and marked:
                marked.pop()

        def text(chunk: str, cm: list, tm: list, font: object, size: float) -> None:  # type: ignore[type-arg]
            (artifact if "/Artifact" in marked else parts).append(chunk)
            if chunk.strip() and marked:
                a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
                c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
                points = size * math.sqrt(abs(a * d - b * c))
                pdf.sizes[marked[0]] = min(pdf.sizes.get(marked[0], points), points)
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                pdf.overhang = max(pdf.overhang, x - (float(page.mediabox.width) - 10 / 25.4 * 72))

        start = len(parts)
        page.extract_text(visitor_operand_before=before, visitor_text=text)
        pdf.pages.append("".join(parts[start:]))
        parts.append("\n")
        pdf.artifacts.append(" ".join("".join(artifact).split()))
        uris += [a.get_object()["/A"]["/URI"] for a in page.get("/Annots") or [] if "/URI" in a.get_object().get("/A", {})]
    pdf.text = "".join(parts) + "\n" + "\n".join(uris)
    return pdf


@pytest.fixture(scope="module")
def pdfs(built_site: Path, site: Site) -> dict[str, Pdf]:
    """Each edition's PDF, as its front page links it."""
    found = {}
    for edition_id in site.project.editions:
        (path, _), *_ = linked_pdfs(built_page(built_site, f"{edition_id}/index.md"))
        found[edition_id] = read(path)
    return found


def test_every_edition_has_a_pdf_linked_from_its_front_page_with_its_size(built_site: Path, site: Site) -> None:
    assert {e.document for e in site.project.editions.values()} == set(DOCUMENTS), "Handbooks and annual reports"
    linked = set()
    for edition in site.project.editions.values():
        links = linked_pdfs(built_page(built_site, f"{edition.id}/index.md"))
        assert len(links) == 1, edition.id
        path, text = links[0]
        assert path.is_file() and path.read_bytes().startswith(b"%PDF-1.7")
        assert path.parent == built_page(built_site, f"{edition.id}/index.md").parent, "beside its front page"
        size = f"{path.stat().st_size / 1024:.0f} KB"
        assert text == f"Download the {DOCUMENTS[edition.document].title}, {edition_label(edition)}, as a PDF ({size})"
        linked.add(path)
    for document in DOCUMENTS:  # /handbook/ shows the latest edition, with its link
        latest = site.facts.timeline.latest(document)
        assert latest is not None
        assert linked_pdfs(built_page(built_site, f"{document}/index.md")) == linked_pdfs(
            built_page(built_site, f"{latest.id}/index.md"))
    assert set(built_site.resolve().rglob("*.pdf")) == linked, "no PDF but an edition's"


def test_each_pdf_declares_pdf_ua_1_with_its_title_and_language(pdfs: dict[str, Pdf], site: Site) -> None:
    for edition_id, pdf in pdfs.items():
        edition = site.project.editions[edition_id]
        catalog = pdf.reader.trailer["/Root"]
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp), "declares PDF/UA-1"
        assert pdf.reader.metadata.title == f"{edition.edition.title}, {edition_label(edition)}"
        assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]), "a reader shows the title, not the file name"
        assert catalog["/Lang"] == "en"
        assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog


def test_all_content_is_tagged_and_running_headers_and_footers_are_artifacts(pdfs: dict[str, Pdf]) -> None:
    for edition_id, pdf in pdfs.items():
        root = pdf.reader.trailer["/Root"]["/StructTreeRoot"]
        reachable, todo = set(), [root]
        while todo:  # every structure element of the tree
            kids = todo.pop().get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                if isinstance(kid, IndirectObject) and kid.idnum not in reachable:
                    reachable.add(kid.idnum)
                    todo.append(kid.get_object())
        parent_tree = root["/ParentTree"]["/Nums"]
        total = len(pdf.reader.pages)
        for number, page in enumerate(pdf.reader.pages):
            owners = parent_tree[parent_tree.index(page["/StructParents"]) + 1]
            marked: list[dict | str] = []  # type: ignore[type-arg]
            for args, op in ContentStream(page.get_contents(), pdf.reader).operations:
                if op == b"BDC":
                    marked.append("/Artifact" if args[0] == "/Artifact" else args[1])
                elif op == b"BMC":
                    marked.append(args[0])
                elif op == b"EMC":
                    marked.pop()
                elif op in (b"Tj", b"TJ", b"'", b'"'):
                    assert marked, f"{edition_id} page {number + 1}: text outside marked content"
                    innermost = marked[-1]
                    if innermost != "/Artifact":
                        mcid = innermost["/MCID"]  # type: ignore[index]
                        assert owners[mcid].idnum in reachable, f"{edition_id} page {number + 1}: MCID {mcid} is in no structure"
            footer = f"Page {number + 1} of {total}"
            assert footer in pdf.artifacts[number] and footer not in pdf.text, "the page number is an artifact"
        assert pdf.artifacts[1].startswith(pdf.reader.metadata.title), "the running header, an artifact"


def outline(pdf: Pdf) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, pdf.reader.get_destination_page_number(item) + 1))

    walk(pdf.reader.outline, 1)
    return found


def test_a_bookmark_for_each_section_and_a_contents_page_with_page_numbers(
        pdfs: dict[str, Pdf], site: Site, built_site: Path) -> None:
    for edition_id, pdf in pdfs.items():
        pages = [p for p in site.plan.pages if p.edition is site.project.editions[edition_id] and not p.alias_of]
        headings = [html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", built_page(built_site, p.uri).read_text(),
                                                                   re.S).group(1))).replace("¶", "").strip()  # type: ignore[union-attr]
                    for p in pages]
        bookmarks = outline(pdf)
        top = [(title, page) for level, title, page in bookmarks if level == 1]
        assert [title for title, _ in top] == headings, "one a page, in contents order"
        assert ("Contents", 2) in [(title, page) for _, title, page in bookmarks]
        contents = pdf.pages[1]
        assert all(p.title in contents for p in pages[1:]), "the contents page names every page"
        numbers = [int(n) for n in re.findall(r"[ .](\d+)$", contents, re.M)]
        assert numbers == [page for _, page in top[1:]], f"{edition_id}: the contents page's numbers are the pages'"


@pytest.mark.parametrize("seed", sorted(s for s, (folder, _) in SEED_EDITIONS.items() if folder.split("/")[0] in DOCUMENTS))
def test_each_pdf_carries_at_least_97_percent_of_its_seed(pdfs: dict[str, Pdf], seed: str) -> None:
    edition_id = SEED_EDITIONS[seed][0]
    result = fidelity_in(SEEDS / seed, pdfs[edition_id].text, corrections(PROJECT, edition_id))
    line = f"{seed} ({edition_id} PDF): {result.total - len(result.missing)} of {result.total} units ({result.percent:.1f}%)"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"pdf-fidelity-{seed}").write_text(line + "\n" + "".join(f"  missing: {m}\n" for m in result.missing))
    assert result.percent >= 97.0, f"{line}:\n" + "\n".join(result.missing)


def test_charts_keep_their_text_and_their_long_description(pdfs: dict[str, Pdf], site: Site, built_site: Path) -> None:
    for edition_id, pdf in pdfs.items():
        edition = site.project.editions[edition_id]
        figures = []
        todo = [pdf.reader.trailer["/Root"]["/StructTreeRoot"]]
        while todo:
            node = todo.pop()
            if node.get("/S") == "/Figure":
                figures.append(str(node["/Alt"]))
            kids = node.get("/K", [])
            todo += [k.get_object() for k in (kids if isinstance(kids, list) else [kids]) if isinstance(k, IndirectObject)]
        charts = [p for p in site.plan.pages if p.edition is edition and p.kind in ("structure-chart", "budget")]
        assert charts, f"{edition_id} has a chart"
        for page in charts:
            built = built_page(built_site, page.uri).read_text()
            drawn = re.findall(r'<figure class="mkt-(?:chart|structure mkt-structure--wide)".*?<title[^>]*>(.*?)</title>\s*'
                               r'<desc[^>]*>(.*?)</desc>', built, re.S)
            assert drawn
            for title, desc in drawn:
                alt = [f for f in figures if f.startswith(html.unescape(title))]
                assert alt and html.unescape(desc) in alt[0], f"{edition_id}: the chart's description is its alternative text"
            for label in re.findall(r'<text [^>]*class="mkt-(?:box__title|chart__label)">([^<]*)</text>', built):
                assert html.unescape(label) in pdf.text, f"{edition_id}: the chart's text '{label}' is text in the PDF"
    assert "accountable to" in pdfs[site.facts.timeline.latest("handbook").id].text  # type: ignore[union-attr]


def test_no_text_under_9_points_and_nothing_runs_off_the_page(pdfs: dict[str, Pdf]) -> None:
    """Tables fit A4 portrait, and the charts' text is as legible as the tables'."""
    for edition_id, pdf in pdfs.items():
        assert pdf.sizes["/Figure"] >= 9.0, f"{edition_id}: chart text of {pdf.sizes['/Figure']:.1f} pt"
        assert min(pdf.sizes.values()) >= 9.0, f"{edition_id}: text of {min(pdf.sizes.values()):.1f} pt"
        assert pdf.overhang <= 0, f"{edition_id}: text starts {pdf.overhang:.0f} pt into the right margin"


def test_plain_mkdocs_build_in_one_process_makes_the_same_bytes(built_site: Path, tmp_path: Path) -> None:
    """`mkdocs build` in one process makes the site and its PDFs as `mktogether build` does on every
    core, byte for byte: the same inputs, the same bytes, whichever process made a page or a PDF."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")], cwd=PROJECT,
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "MKTOGETHER_JOBS": "1"})
    assert result.returncode == 0, result.stderr
    ours = {p.relative_to(built_site).as_posix(): p.read_bytes() for p in sorted(built_site.rglob("*")) if p.is_file()}
    plain = {p.relative_to(tmp_path / "site").as_posix(): p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert any(name.endswith(".pdf") for name in ours) and ours.keys() == plain.keys()
    assert [name for name in ours if ours[name] != plain[name]] == []


def test_the_preview_a_build_with_drafts_and_the_export_make_no_pdf_and_show_no_link(project: Path, tmp_path: Path) -> None:
    port = free_port()
    server = start(project, port)
    front = f"http://127.0.0.1:{port}/handbook/2023-10/"
    try:
        assert wait_for(lambda: "<h1" in (fetch(front) or "")), "the preview never came up"
        page = fetch(front) or ""
        pdf = fetch(f"http://127.0.0.1:{port}/handbook/2023-10/mktogether-handbook-2023-10.pdf") or ""
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert "<!-- mkt-pdf -->" in page and ".pdf" not in page and "as a PDF" not in page
    assert not pdf.startswith("%PDF")
    drafts = run_cli(project, "build", "--drafts", "--site-dir", str(tmp_path / "drafts"))
    assert drafts.returncode == 0, drafts.stderr
    assert list((tmp_path / "drafts").rglob("*.pdf")) == []
    assert not [p for p in (tmp_path / "drafts").rglob("*.html") if ".pdf" in p.read_text()]
    exported = run_cli(project, "export", str(tmp_path / "export"))
    assert exported.returncode == 0, exported.stderr
    front_page = (tmp_path / "export/docs/handbook/2023-10/index.md").read_text()
    assert "<!-- mkt-pdf -->" in front_page and ".pdf" not in front_page
    assert list((tmp_path / "export").rglob("*.pdf")) == []


def test_a_build_without_pango_or_the_fonts_stops_with_one_line_saying_what_to_install(project: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(  # what WeasyPrint raises where pango is missing
        "raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file: "
        "No such file or directory\")\n")
    no_pango = run_cli(project, "build", PYTHONPATH=f"{fake.parent}{os.pathsep}{ROOT}")
    (tmp_path / "fonts.conf").write_text("<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n")  # fontconfig with no fonts
    no_fonts = run_cli(project, "build", FONTCONFIG_FILE=str(tmp_path / "fonts.conf"))
    for result, line in (
        (no_pango, "error: the PDFs need pango: install it (on Debian, `apt-get install libpango-1.0-0 libpangoft2-1.0-0`), "
                   "or run `make site`, which installs them"),
        (no_fonts, "error: the PDFs need the fonts Liberation Sans and DejaVu Sans: install them (on Debian, `apt-get install "
                   "fonts-liberation fonts-dejavu-core`), or run `make site`, which installs them"),
    ):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert warnings_in(result.stderr) == [FIXTURE_DISAGREEMENT]
        assert [x for x in result.stderr.splitlines() if x.startswith("error:")] == [line]
    assert not (project / "site").exists(), "nothing was written"


def test_no_web_navigation_and_every_page_names_its_public_address(pdfs: dict[str, Pdf], site: Site, built_site: Path) -> None:
    """The cover opens with the edition, not the site's breadcrumbs or switcher; each page's running
    footer gives its address on the site; a superseded edition's cover names the edition that superseded it."""
    for edition_id, pdf in pdfs.items():
        edition = site.project.editions[edition_id]
        front = built_page(built_site, f"{edition_id}/index.md").read_text()
        crumbs = re.search(r'<nav class="mkt-breadcrumbs".*?</nav>', front, re.S)
        assert crumbs and "Home" in crumbs.group(0), "the site's page has its breadcrumbs"
        assert "Home" not in pdf.pages[0] and "Editions:" not in pdf.text, f"{edition_id}: the site's navigation in the PDF"
        pages = [p for p in site.plan.pages if p.edition is edition and not p.alias_of]
        addresses = [SITE_URL + p.uri.removesuffix("index.md").removesuffix(".md") + ("" if p.uri.endswith("index.md") else "/")
                     for p in pages]
        assert f"Online at {addresses[0]} – check there for the edition in force." in pdf.artifacts[0], "on the cover"
        shown = [re.search(r"Online at (\S+) – check there for the edition in force\.", a) for a in pdf.artifacts]
        assert all(shown), f"{edition_id}: a page without its address"
        assert [a for a in dict.fromkeys(m.group(1) for m in shown if m)] == addresses, "each page's own, in order"
        successor = site.facts.timeline.superseded_by(edition)
        if successor is not None:  # compared without spaces: a long address wraps where the cover's width ends
            said = (f"This edition was superseded on {long_date(site.facts.timeline.in_force_on(successor))} by the "
                    f"{DOCUMENTS[edition.document].title}, {edition_label(successor)}: {SITE_URL}{successor.id}/")
            assert "".join(said.split()) in "".join(pdf.pages[0].split()), pdf.pages[0]
        else:
            assert "superseded" not in pdf.pages[0]
