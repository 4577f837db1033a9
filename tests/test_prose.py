"""Prose checks: what comms editors write in content/, each with the exact diagnostics it must get.

The verdict comes from what Python-Markdown (as mkdocs.yml configures it) renders, so the last
tests hold the checks to that rendering: whatever passes without an error renders to nothing but
the HTML Markdown itself makes.
"""
from __future__ import annotations

import random
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import PROJECT, ROOT

from generator.diagnostics import Report
from generator.pipeline import generate
from generator.prose import MARKER, check_prose, prose_markdown

PATH = "content/handbook/2021-11/introduction.md"
PAGE = "handbook/2021-11/introduction.md"
PAGES = {"index.md", "handbook/2021-11/introduction.md", "handbook/2021-11/boards/risk.md"}

HTML = "error: HTML is not allowed in prose ('{}'); write it in Markdown, which the site turns into safe HTML"
NOT_PAGE = "error: link to '{}', which is not a page of the site; link to a .md page such as 'boards/risk.md'"
SCHEME = ("error: link to '{}' is not allowed; links go to web pages (https://…), email (mailto:), phone (tel:) "
          "or pages of the site")
REMOTE = ("error: an image from another site ('{}') is not allowed: the site makes no request to any other host; "
          "save the image under content/ and link it relatively")
ATTRIBUTE = ("error: the attribute '{}' is not allowed in prose; '{{: … }}' may set only an id (#id), a title, "
             "or an image's width and height")
BLANK_LIST = "warning: add a blank line before this list; without it the list is read as part of the paragraph above"
BLANK_TABLE = "warning: add a blank line before this table; without it the table is read as part of the paragraph above"
NESTED = "warning: indent a nested list by four spaces; with {} it renders flat"
PAREN = "warning: write '{0}.' for a numbered list; '{0})' is not read as a list"
HASH = "warning: put a space after '#' to make a heading, or escape it as '\\#' to keep the #"


def at(line: int, col: int, message: str) -> str:
    return f"{PATH}:{line}:{col}: {message}"


# (what the editor wrote, every diagnostic it gets)
CORPUS: dict[str, tuple[str, list[str]]] = {
    # lines Python-Markdown reads otherwise than meant
    "list straight after a paragraph line": ("The Board will:\n- meet quarterly\n- report yearly\n", [at(2, 1, BLANK_LIST)]),
    "numbered list straight after a paragraph line": ("Steps:\n1. ask\n2. act\n", [at(2, 1, BLANK_LIST)]),
    "table straight after a paragraph line": ("Figures:\n| Year | Cases |\n|---|---|\n| 2021 | 4 |\n", [at(2, 1, BLANK_TABLE)]),
    "nested list indented by two spaces": ("- Boards\n  - Risk\n  - Review\n- Groups\n", [at(2, 3, NESTED.format("two"))]),
    "nested numbered list indented by three spaces": ("1. Boards\n   1. Risk\n", [at(2, 4, NESTED.format("three"))]),
    "'1)' list": ("1) ask\n2) act\n", [at(1, 1, PAREN.format(1))]),
    "'1)' list straight after a paragraph line": ("Steps:\n1) ask\n2) act\n", [at(2, 1, BLANK_LIST), at(2, 1, PAREN.format(1))]),
    "'#' with no space": ("#Introduction\n\nText.\n", [at(1, 1, HASH)]),
    "'#' with no space in a paragraph": ("We post as\n#MKTogether online.\n", [at(2, 1, HASH)]),
    # the same, written so that Markdown reads them as meant
    "written as meant": (("The Board will:\n\n- meet\n    - quarterly\n\n1. ask\n\n# Introduction\n\n\\#MKTogether\n\n"
                          "| Year | Cases |\n|---|---|\n| 2021 | 4 |\n"), []),
    "lazy continuation of a list item": ("- a long item\n  that goes on\n- the next\n", []),
    "ambiguities inside fenced code": ("```\nText\n- a\n1) b\n#c\n  - d\n<b>x</b>\n```\n", []),
    "2019) at the start of a line": ("2019) was the year the Board met.\n", []),
    # ordinary Markdown
    "line break with two trailing spaces": ("MK Together  \nCivic Offices\n", []),
    "emphasis inside a word": ("un*frigging*believable and **bold**\n", []),
    "bare address": ("See https://example.org for more.\n", []),
    "autolink": ("<https://example.org>\n", []),
    "email autolink": ("<mailto:a@b.org>\n", []),
    "links of every allowed kind": (("[web](https://example.org) [mail](mailto:a@b.org) [phone](tel:01908253169) "
                                     "[up](../../index.md) [HTTPS](HTTPS://EXAMPLE.ORG)\n"), []),
    "link to a page": ("See [the Risk Board](boards/risk.md).\n", []),
    "link to a page in angle brackets": ("[x](<boards/risk.md>)\n", []),
    "link to a section of a page": ("[x](boards/risk.md#membership)\n", []),
    "link to a section of this page": ("[x](#membership)\n", []),
    "definition list and abbreviation": ("MASH\n: Multi-Agency Safeguarding Hub\n\n*[MK]: Milton Keynes\n\nMK.\n", []),
    "id and title on a heading": ('## Membership {: #members title="Who sits on the Board" }\n', []),
    "entities": ("Tom &amp; Jerry &copy; &#169;\n", []),
    "HTML in a code span": ("Type `<b>` for bold.\n", []),
    "generated marker": ("Before.\n\n<!-- generated: boards -->\n\nAfter.\n", []),
    # links that do not reach a page
    "link with a space": ("[x](some page.md)\n", [at(1, 5, NOT_PAGE.format("some page.md"))]),
    "link to a page that does not exist": ("See [the board](boards/nope.md).\n", [at(1, 17, NOT_PAGE.format("boards/nope.md"))]),
    "same broken link twice": ("[a](nope.md)\n\nand\n\n[b](nope.md)\n",
                               [at(1, 5, NOT_PAGE.format("nope.md")), at(5, 5, NOT_PAGE.format("nope.md"))]),
    "broken link in an admonition": ("!!! note\n    [broken](nowhere.md)\n", [at(2, 14, NOT_PAGE.format("nowhere.md"))]),
    # links that are not allowed
    "javascript link": ("[x](javascript:alert(1))\n", [at(1, 5, SCHEME.format("javascript:alert(1)"))]),
    "javascript link in mixed case": ("[x](JaVaScRiPt:alert(1))\n", [at(1, 5, SCHEME.format("JaVaScRiPt:alert(1)"))]),
    "javascript link, entity-encoded": ("[x](&#106;avascript:alert(1))\n", [at(1, 5, SCHEME.format("javascript:alert(1)"))]),
    "javascript link broken over two lines": ("[x](java\nscript:alert(1))\n", [at(1, 5, SCHEME.format("javascript:alert(1)"))]),
    # Python-Markdown makes the tab spaces, which a browser keeps: no scheme, a page that is not there
    "javascript link with a tab in it": ("[x](java\tscript:alert(1))\n", [at(1, 5, NOT_PAGE.format("java    script:alert(1)"))]),
    "javascript link in angle brackets": ("[x](<javascript:alert(1)>)\n", [at(1, 6, SCHEME.format("javascript:alert(1)"))]),
    "javascript autolink": ("<javascript://%0aalert(1)>\n", [at(1, 2, SCHEME.format("javascript://%0aalert(1)"))]),
    "javascript reference link": ("[x][r]\n\n[r]: javascript:alert(1)\n", [at(3, 6, SCHEME.format("javascript:alert(1)"))]),
    "data, vbscript and file links": ("[a](data:text/html,hi) [b](vbscript:x) [c](file:///etc/passwd)\n",
                                      [at(1, 5, SCHEME.format("data:text/html,hi")), at(1, 28, SCHEME.format("vbscript:x")),
                                       at(1, 44, SCHEME.format("file:///etc/passwd"))]),
    # images
    "image from another site": ("![](https://evil.example/x.png)\n", [at(1, 5, REMOTE.format("https://evil.example/x.png"))]),
    "image from another site, entity-encoded": ("![](&#104;ttps://evil.example/x.png)\n",
                                                [at(1, 5, REMOTE.format("https://evil.example/x.png"))]),
    "image from another site, no scheme": ("![](//evil.example/x.png)\n", [at(1, 5, REMOTE.format("//evil.example/x.png"))]),
    "image not in content/": ("![Logo](logo.png)\n", [at(1, 9, "error: image 'logo.png' is not a file of the site (there is no "
                                                                "content/handbook/2021-11/logo.png); save the image there and "
                                                                "link it relatively")]),
    # HTML
    "script block": ("Hello.\n<script>alert('hi')</script>\n", [at(2, 1, HTML.format("<script>alert('hi')</script>"))]),
    "HTML after a comment": ("<!-- note --><img src=x onerror=alert(1)>\n",
                             [at(1, 1, HTML.format("<!-- note --><img src=x onerro…"))]),
    "HTML after a generated marker": ("<!-- generated: boards --><img src=x onerror=alert(1)>\n",
                                      [at(1, 27, HTML.format("<img src=x onerror=alert(1)>"))]),
    "comment": ("Text.\n\n<!-- note to self -->\n", [at(3, 1, HTML.format("<!-- note to self -->"))]),
    "inline HTML": ("A `<b>` code span and <b>bold</b> text.\n", [at(1, 23, HTML.format("<b>bold</b> text."))]),
    "HTML link": ("<a href='javascript:x'>y</a>\n", [at(1, 1, HTML.format("<a href='javascript:x'>y</a>"))]),
    "phone number in angle brackets": ("Call <tel:01908253169>.\n", [at(1, 6, "error: '<tel:01908253169>' is read as HTML and "
                                                                      "shows nothing; write the link as "
                                                                      "[01908253169](tel:01908253169)")]),
    "javascript in angle brackets": ("<javascript:alert(1)>\n", [at(1, 1, HTML.format("<javascript:alert(1)>"))]),
    "markdown in an HTML block": ('<div markdown="1">[x](missing.md)</div>\n',
                                  [at(1, 1, HTML.format('<div markdown="1">[x](missing.…')),
                                   at(1, 23, NOT_PAGE.format("missing.md"))]),
    "event handler set with attr_list": ('[x](https://example.org){: onclick="alert(1)" }\n',
                                         [at(1, 28, ATTRIBUTE.format("onclick"))]),
    "class set with attr_list": ("## Membership {: #members .wide }\n", [at(1, 27, ATTRIBUTE.format("class"))]),
    "style set with attr_list": ('## Title {: style="color: red" }\n', [at(1, 13, ATTRIBUTE.format("style"))]),
}


@pytest.fixture(scope="module")
def md() -> markdown.Markdown:
    return prose_markdown(ROOT)


def diagnostics(text: str, md: markdown.Markdown | None) -> list[str]:
    report = Report()
    check_prose(text, PATH, PAGE, PAGES, report, markdown=md)
    return [str(d) for d in report.sorted()]


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus(name: str, md: markdown.Markdown) -> None:
    text, expected = CORPUS[name]
    assert diagnostics(text, md) == expected


def test_the_parser_is_reused_without_carrying_anything_over(md: markdown.Markdown) -> None:
    first = {name: diagnostics(text, md) for name, (text, _) in CORPUS.items()}
    again = {name: diagnostics(text, md) for name, (text, _) in reversed(CORPUS.items())}
    assert first == again
    assert md.convert("*[MK]: Milton Keynes\n\nMK") != md.reset().convert("MK")  # abbreviations do not leak


def test_without_a_parser_the_repository_extensions_are_used() -> None:
    """render.py's call, with no parser: the same verdicts (but relative images are not looked up)."""
    for name, (text, expected) in CORPUS.items():
        if name != "image not in content/":
            assert diagnostics(text, None) == expected, name


def test_the_parser_follows_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "content/handbook/2021-11").mkdir(parents=True)
    (tmp_path / "content/handbook/2021-11/logo.png").write_bytes(b"\x89PNG")
    config = (ROOT / "mkdocs.yml").read_text()
    assert "!ENV" in config, "mkdocs.yml's !ENV tag is read"
    (tmp_path / "mkdocs.yml").write_text(config)
    md = prose_markdown(tmp_path)
    assert 'class="headerlink"' in md.convert("# A"), "toc's permalink, as configured"
    assert "<pre><code" in md.reset().convert("```\nx\n```"), "fenced_code, which MkDocs always adds"
    assert diagnostics("![Logo](logo.png)\n", md) == [], "an image saved under content/"
    (tmp_path / "mkdocs.yml").write_text(config.replace("  - admonition\n", ""))
    plain = prose_markdown(tmp_path)
    assert "admonition" not in plain.convert("!!! note\n    text")


# What Markdown makes, and nothing else: the test of the checks against the rendering.
MARKDOWN_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead",
                 "tbody", "tr", "th", "td", "code", "pre", "blockquote", "br", "hr", "abbr", "dl", "dt", "dd", "div",
                 "span", "img"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        if not MARKER.fullmatch(f"<!--{data}-->"):  # the generated markers, which the templates split the prose at
            self.found.append(("!--", {}))


def unsafe(html: str) -> list[str]:
    """What in rendered prose Markdown itself would not make, or a browser could run or fetch."""
    parser = _Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag not in MARKDOWN_TAGS:
            problems.append(f"<{tag}>")
        if tag == "div" and not re.fullmatch(r"admonition( [\w-]+)*|toc", attrs.get("class", "")):
            problems.append(f"<div class={attrs.get('class')!r}>")
        if tag == "p" and attrs.get("class", "admonition-title") != "admonition-title":
            problems.append(f"<p class={attrs['class']!r}>")
        for name, value in attrs.items():
            if name.lower().startswith("on") or name.lower() in ("srcset", "formaction", "action", "poster", "data"):
                problems.append(f"{tag} {name}")
            if name == "style" and not (tag in ("th", "td") and re.fullmatch(r"text-align: \w+;?", value)):
                problems.append(f"{tag} style={value!r}")
        url = re.sub(r"[\t\n\r]", "", attrs.get("href" if tag == "a" else "src", "").strip("".join(map(chr, range(33)))))
        scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
        if tag == "a" and scheme and scheme.group(1).lower() not in ("http", "https", "mailto", "tel"):
            problems.append(f"href={url!r}")
        if tag == "img" and (scheme or url.replace("\\", "/").startswith(("//", "/"))):
            problems.append(f"src={url!r}")
    return problems


# pieces of prose, put together at random: the checks must hold whatever the mix
CLEAN = [text for text, expected in CORPUS.values() if not any(": error: " in d for d in expected)]
RISKY = [text for text, expected in CORPUS.values() if any(": error: " in d for d in expected)] + [
    "<b>", "</b>", "<img src=x onerror=alert(1)>", "<!-- x -->", "<!-- generated: boards -->", "`<i>`", "<https://a.b>",
    "[x](javascript:y)", "![](https://e.x/i.png)", "![](//e.x/i.png)", "{: onmouseover=x }", "{: .c }", "\n\n", "\n",
    "    ", "- ", "1. ", "> ", "!!! note\n    ", "| a | b |\n|---|---|\n", "```\n", "&#106;avascript:", "<div markdown=\"1\">",
    "</div>", "<iframe src=https://e.x>", "<svg onload=x>", "*[B]: <b>", "[r]: javascript:x\n", "[r]", "\\<b>", "<tel:1>",
]


def corpus_and_mixes() -> list[str]:
    rng = random.Random(20211104)
    mixes = ["".join(rng.choice(RISKY if rng.random() < 0.2 else CLEAN) for _ in range(rng.randint(2, 8)))
             for _ in range(400)]
    return [text for text, _ in CORPUS.values()] + mixes


def test_what_passes_renders_only_what_markdown_makes(md: markdown.Markdown) -> None:
    passed = 0
    for text in corpus_and_mixes():
        report = Report()
        check_prose(text, PATH, PAGE, PAGES, report, markdown=md)
        if report.errors:
            continue
        passed += 1
        html = md.reset().convert(text)
        assert unsafe(html) == [], (text, html)
    assert passed > 100, "the mixes exercise the property"


def test_what_renders_unsafe_always_has_an_error(md: markdown.Markdown) -> None:
    """The converse, on the corpus: each document whose rendering is unsafe got an error."""
    flagged = 0
    for text in corpus_and_mixes():
        if unsafe(md.reset().convert(text)):
            flagged += 1
            report = Report()
            check_prose(text, PATH, PAGE, PAGES, report, markdown=md)
            assert report.errors, text
    assert flagged > 100


def test_the_real_prose_is_clean() -> None:
    """The project's own prose gives no diagnostic (speed is the benchmark's to measure, not a test's)."""
    site, report = generate(PROJECT)
    assert site is not None, [str(d) for d in report.errors]
    prose = [(page.uri, p) for page in site.plan.pages for p in page.prose]
    assert prose
    md = prose_markdown(PROJECT)
    check = Report()
    for uri, p in prose:
        check_prose(p.text, p.path, uri, site.plan.uris, check, markdown=md)
    assert [str(d) for d in check.sorted()] == []


def test_a_copy_of_the_project_builds_its_own_parser(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    md = prose_markdown(root)
    assert diagnostics("![Logo](logo.png)\n", md) == CORPUS["image not in content/"][1]


def test_every_place_our_check_accepts_mkdocs_finds_too(project: Path) -> None:
    """A link to each place a board page and the glossary have, from a section's prose: our check
    passes them all, and MkDocs's own anchor validation (`anchors: warn`) warns of none; one place
    misspelt, and ours stops the build first, at the link."""
    import subprocess
    import sys

    from conftest import FIXTURE_DISAGREEMENT, run_cli, warnings_in
    from generator.prose import _anchors, _probe

    site, _ = generate(project)
    assert site is not None
    md = _probe(prose_markdown(project))
    board, glossary = "handbook/2023-10/boards/risk.md", "glossary.md"
    places = {uri: _anchors(site.pages[uri], md) for uri in (board, glossary)}
    assert "quorum" in places[board] and len(places[glossary]) > 3, places
    prose = project / "content/handbook/2023-10/introduction.md"
    links = [f"[{n}](boards/risk.md#{a})" for n, a in enumerate(places[board])]
    links += [f"[g{n}](../../glossary.md#{a})" for n, a in enumerate(places[glossary])]
    prose.write_text(prose.read_text() + "\n" + " ".join(links) + "\n")
    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "out")], cwd=project,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert [w.removeprefix("WARNING -  ") for w in warnings_in(built.stderr)] == [FIXTURE_DISAGREEMENT]
    prose.write_text(prose.read_text().replace("boards/risk.md#quorum)", "boards/risk.md#quorom)"))
    stopped = run_cli(project, "build", "--site-dir", str(project / "again"))
    assert stopped.returncode == 1 and "has no heading or place '#quorom'; did you mean '#quorum'?" in stopped.stderr
