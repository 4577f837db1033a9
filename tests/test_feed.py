"""The feeds: the feed of publications, an Atom feed with one entry per published edition and per
correction, dated from the data, summarised by the What changed comparison, linked from every page's
head and from the home page; a feed for each document, and for each board an entry for each edition
that changed it, in the What changed page's words, linked from the pages they follow with a visible
"Follow" link; every one valid Atom, and the same bytes every time. And an edition's contents mark
what changed since the edition before it."""
from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import yaml

from conftest import PROJECT, SITE_URL, fill_in, run_cli
from generator import lifecycle
from generator.feed import FEED_URI
from generator.pipeline import generate
from generator.plan import board_feed_uri, edition_label

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(text: str) -> ET.Element:
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for element in [feed, *feed.iter(f"{ATOM}entry")]:  # what RFC 4287 requires of each
        assert urlparse(element.findtext(f"{ATOM}id") or "").scheme in ("http", "https"), "an absolute IRI"
        assert element.findtext(f"{ATOM}title")
        dt.datetime.fromisoformat(element.findtext(f"{ATOM}updated") or "")
    return feed


def entries(feed: ET.Element) -> list[dict[str, str]]:
    return [{"id": e.findtext(f"{ATOM}id") or "", "title": e.findtext(f"{ATOM}title") or "",
             "updated": e.findtext(f"{ATOM}updated") or "", "published": e.findtext(f"{ATOM}published") or "",
             "summary": e.findtext(f"{ATOM}summary") or "", "content": e.findtext(f"{ATOM}content") or "",
             "link": next(link.get("href") or "" for link in e.iter(f"{ATOM}link") if link.get("rel") == "alternate")}
            for e in feed.iter(f"{ATOM}entry")]


def test_one_entry_per_published_edition_with_its_date_and_what_changed(built_fixture: Path, fixture_root: Path) -> None:
    site, _ = generate(fixture_root)
    assert site is not None
    feed = parse((built_fixture / FEED_URI).read_text(encoding="utf-8"))
    found = entries(feed)
    published = sorted((e for e in site.project.editions.values() if e.edition.status == "published"),
                       key=lambda e: e.edition.published, reverse=True)  # type: ignore[arg-type, return-value]
    assert [e["id"] for e in found] == [f"{SITE_URL}{e.id}/" for e in published], "newest first, ids the canonical addresses"
    for entry, edition in zip(found, published):
        assert entry["updated"] == entry["published"] == f"{edition.edition.published}T00:00:00Z"
        assert entry["link"] == entry["id"] and (built_fixture / edition.id / "index.html").is_file()
        diff = site.facts.changes.get(edition.id)
        if diff is not None:
            earlier = site.project.editions[edition.edition.follows]  # type: ignore[index]
            assert entry["summary"] == f"What changed since the {edition_label(earlier)} edition: {diff.summary()}."
            assert f"{SITE_URL}{edition.id}/what-changed/" in entry["content"]
        for note in edition.edition.change_notes:
            assert html.escape(" ".join(note.split()), quote=False) in entry["content"]
    assert [e["summary"] for e in found] == [
        "The Safeguarding Annual Report for April 2023 to March 2024.",
        f"What changed since the April 2023 edition: {site.facts.changes['handbook/2023-10'].summary()}.",
        "The first edition of the Partnership Handbook on this site.",
    ]
    assert feed.findtext(f"{ATOM}updated") == max(e["updated"] for e in found), "the newest date in the data, not the clock"
    assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}feed.xml"
    assert [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"] == [f"{SITE_URL}feed.xml"]


def test_a_correction_is_an_entry_and_a_draft_is_none(project: Path) -> None:
    """Publish the next Handbook, correct it, and start a draft: the feed gains the edition and the
    correction, dated as the data dates them, and never the draft, even in a build of drafts."""
    lifecycle.new_edition(project, "handbook/2024-04", source="handbook/2023-10")
    fill_in(project, "handbook/2024-04", "The Handbook as revised in April 2024.")
    lifecycle.publish(project, "handbook/2024-04", date=dt.date(2024, 4, 2))
    board = project / "data/handbook/2024-04/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "name: Risk Board\n"))
    lifecycle.correct(project, "handbook/2024-04", what="The Risk Board is named in full.", why="A typing error.",
                      date=dt.date(2024, 5, 6))
    lifecycle.new_edition(project, "annual-report/2024-25", source="annual-report/2023-24")
    site, report = generate(project, drafts=True)
    assert site is not None, [str(d) for d in report.errors]
    found = entries(parse(site.files[FEED_URI]))
    assert [(e["title"], e["updated"]) for e in found] == [
        ("Safeguarding Annual Report, 2023-24", "2024-07-01T00:00:00Z"),
        ("Correction to the Partnership Handbook, April 2024", "2024-05-06T00:00:00Z"),
        ("Partnership Handbook, April 2024", "2024-04-02T00:00:00Z"),
        ("Partnership Handbook, October 2023", "2023-10-01T00:00:00Z"),
        ("Partnership Handbook, April 2023", "2023-04-01T00:00:00Z"),
    ]
    correction = found[1]
    assert correction["id"] == f"{SITE_URL}handbook/2024-04/#correction-1"
    assert correction["summary"] == "Corrected on 6 May 2024: The Risk Board is named in full. A typing error."
    shown = re.findall(r'<li><a href="([^"]+)">', correction["content"])  # the pages that show the correction
    assert f"{SITE_URL}handbook/2024-04/boards/risk/" in shown and correction["link"] == shown[0]
    assert f"{SITE_URL}handbook/2024-04/boards/review/" not in shown
    assert "annual-report/2024-25" not in site.files[FEED_URI], "a draft is not a publication"
    assert len({e["id"] for e in found}) == 5
    assert parse(site.files[FEED_URI]).findtext(f"{ATOM}updated") == "2024-07-01T00:00:00Z", "the newest date in the data"
    # the board's feed: the correction to its page, the same entry as the site's; another board's has none
    risk = entries(parse(site.files[board_feed_uri("risk")]))
    assert [e for e in risk if "#correction-" in e["id"]] == [correction]
    assert not [e for e in entries(parse(site.files[board_feed_uri("review")])) if "#correction-" in e["id"]]


def test_a_draft_never_reaches_a_boards_feed(project: Path) -> None:
    """A draft that changes a board is in the preview's history of the board, never in its feed."""
    lifecycle.new_edition(project, "handbook/2024-04", source="handbook/2023-10")
    board = project / "data/handbook/2024-04/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "name: Risk Panel\n"))
    for drafts in (True, False):
        site, report = generate(project, drafts=drafts)
        assert site is not None, [str(d) for d in report.errors]
        assert ("handbook/2024-04/boards/risk.md" in site.pages) is drafts
        found = entries(parse(site.files[board_feed_uri("risk")]))
        assert [e["updated"] for e in found] == ["2023-10-01T00:00:00Z", "2023-04-01T00:00:00Z"], drafts
        assert "2024-04" not in site.files[board_feed_uri("risk")] + site.files["handbook/feed.xml"]


def test_the_feed_is_linked_from_every_pages_head_and_from_the_home_page(built_fixture: Path, built_site: Path) -> None:
    for out in (built_fixture, built_site):
        pages = sorted(out.rglob("*.html"))
        assert len(pages) > 50
        for page in pages:
            name = page.relative_to(out).as_posix()
            head = page.read_text(encoding="utf-8").split("</head>")[0]
            links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="MK Together: new editions '
                               r'and corrections" href="([^"]+)">', head)
            assert len(links) == 1, name
            target = links[0] if links[0].startswith("/") else posixpath.join(posixpath.dirname(name), links[0])
            assert posixpath.normpath(target).lstrip("/") == FEED_URI, name
        home = (out / "index.html").read_text(encoding="utf-8").split("</head>")[1]
        assert re.search(r'<a href="feed.xml">feed of new editions and corrections</a>', home)
        parse((out / FEED_URI).read_text(encoding="utf-8"))


def test_the_real_feed(built_site: Path) -> None:
    found = entries(parse((built_site / FEED_URI).read_text(encoding="utf-8")))
    editions = [yaml.safe_load(p.read_text()) for p in (PROJECT / "data").glob("*/*/edition.yml")]
    assert len(found) == len([e for e in editions if e["status"] == "published"]) + sum(len(e.get("corrections", [])) for e in editions)
    assert {(e["title"], e["updated"], e["summary"]) for e in found} >= {  # and more, once more are published
        ("Safeguarding Annual Report, 2021-22", "2022-07-01T00:00:00Z",
         "The Safeguarding Annual Report for 1 April 2021 to 31 March 2022."),
        ("Partnership Handbook, November 2021", "2021-11-01T00:00:00Z",
         "What changed since the April 2021 edition: 80 changes to the edition, 10 boards and 6 sections."),
        ("Partnership Handbook, April 2021", "2021-04-01T00:00:00Z", "The first edition of the Partnership Handbook on this site."),
    }


def test_the_site_url_is_the_published_address(fixture_root: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    site, _ = generate(fixture_root, site_url="https://example.org/mk")
    assert site is not None
    feed = parse(site.files[FEED_URI])
    assert feed.findtext(f"{ATOM}id") == "https://example.org/mk/feed.xml"
    assert {e["link"] for e in entries(feed)} == {f"https://example.org/mk/{i}/" for i in
                                                  ("handbook/2023-04", "handbook/2023-10", "annual-report/2023-24")}
    monkeypatch.setenv("MKTOGETHER_SITE_URL", "https://example.net/")
    site, _ = generate(fixture_root)
    assert site is not None and entries(parse(site.files[FEED_URI]))[0]["id"] == "https://example.net/annual-report/2023-24/"
    assert '"$schema": "https://example.net/schema/edition-data.schema.json"' in site.files["handbook/2023-10/handbook-2023-10.json"]


def test_no_site_url_is_one_diagnostic(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text()))
    site, report = generate(project)
    assert site is None
    assert [str(d) for d in report.errors] == [
        ("mkdocs.yml:1:1: error: no site_url: set site_url (or MKTOGETHER_SITE_URL) to the address the site is published "
         "at; the feed and the data downloads give it")]


def test_the_feed_is_the_same_bytes_every_time(fixture_root: Path) -> None:
    first, _ = generate(fixture_root)
    second, _ = generate(fixture_root)
    assert first and second
    feeds = [uri for uri in first.files if uri.endswith("feed.xml")]
    assert len(feeds) == 8, "the site's, two documents' and five boards'"
    assert [first.files[uri] for uri in feeds] == [second.files[uri] for uri in feeds]


def feed_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("feed.xml"))


def test_every_feed_is_valid_atom_for_a_feed_reader(built_fixture: Path, built_site: Path) -> None:
    """Read as a feed reader reads them (feedparser): well formed, Atom 1.0, with what RFC 4287
    requires (id, title, updated, an author, links), each linking pages that are there."""
    for out in (built_fixture, built_site):
        boards = sorted(p.parent.name for p in (out / "boards").glob("*/index.html"))
        assert feed_files(out) == sorted(["feed.xml", "handbook/feed.xml", "annual-report/feed.xml",
                                          *(f"boards/{b}/feed.xml" for b in boards)])
        for name in feed_files(out):
            text = (out / name).read_text(encoding="utf-8")
            parse(text)
            read = feedparser.parse(text.encode("utf-8"))
            assert not read.bozo, (name, read.get("bozo_exception"))
            assert read.version == "atom10", name
            assert read.feed.id == f"{SITE_URL}{name}"
            assert read.feed.title and read.feed.updated and read.feed.author == "MK Together", name
            links = {link.rel: link.href for link in read.feed.links}
            assert links["self"] == f"{SITE_URL}{name}"
            assert (out / links["alternate"].removeprefix(SITE_URL) / "index.html").is_file(), name
            assert read.entries, name
            for entry in read.entries:
                assert entry.id and entry.title and entry.updated and entry.summary, (name, entry.id)
                assert (out / entry.link.removeprefix(SITE_URL) / "index.html").is_file(), (name, entry.link)
            assert len({e.id for e in read.entries}) == len(read.entries), name


def test_a_board_changed_in_a_new_edition_is_an_entry_in_its_feed_in_words(project: Path, tmp_path: Path) -> None:
    """Publish a Handbook that renames the Risk board and rewords a section: the board's feed gains an
    entry saying so in What changed's words, the Handbook's feed the edition, and the edition's
    contents mark that board and that section alone."""
    assert run_cli(project, "new-edition", "handbook/2024-04", "--from", "handbook/2023-10").returncode == 0
    fill_in(project, "handbook/2024-04", "The Handbook as revised in April 2024.")
    board = project / "data/handbook/2024-04/boards/risk.yml"
    board.write_text(board.read_text().replace("name: Risk\n", "name: Risk and Safety\n"))
    prose = project / "content/handbook/2024-04/introduction.md"
    prose.write_text(prose.read_text() + "\nThe partnership meets twice a year in public.\n")
    published = run_cli(project, "publish", "handbook/2024-04", "--date", "2024-04-02")
    assert published.returncode == 0, published.stdout + published.stderr
    out = tmp_path / "site"
    built = run_cli(project, "build", "--site-dir", str(out))
    assert built.returncode == 0, built.stderr

    risk = feedparser.parse((out / "boards/risk/feed.xml").read_bytes())
    assert risk.feed.title == "Risk and Safety Board: what changed in each edition of the Partnership Handbook"
    assert [(e.title, e.updated) for e in risk.entries] == [
        ("Risk and Safety Board changed in the Partnership Handbook, April 2024", "2024-04-02T00:00:00Z"),
        ("Risk and Safety Board changed in the Partnership Handbook, October 2023", "2023-10-01T00:00:00Z"),
        ("Risk and Safety Board in the Partnership Handbook, April 2023", "2023-04-01T00:00:00Z"),
    ]
    newest = risk.entries[0]
    assert newest.summary == "Since the October 2023 edition: The board was renamed from Risk to Risk and Safety."
    assert newest.link == f"{SITE_URL}handbook/2024-04/boards/risk/" and newest.id == f"{SITE_URL}boards/risk/#handbook/2024-04"
    assert "<li>The board was renamed from Risk to Risk and Safety.</li>" in newest.content[0].value
    assert f'<a href="{SITE_URL}handbook/2024-04/what-changed/">Every change in the April 2024 edition</a>' in newest.content[0].value
    assert risk.entries[1].summary == ("Since the April 2023 edition: The chair changed from Detective Superintendent, "
                                       "Fixture Police to Head of Community Safety, Fixture Council.")
    what_changed = (out / "handbook/2024-04/what-changed/index.html").read_text(encoding="utf-8")
    assert "The board was renamed from Risk to Risk and Safety." in what_changed, "the same sentence as What changed"
    review = feedparser.parse((out / "boards/review/feed.xml").read_bytes())
    assert [e.title for e in review.entries] == ["Review Board in the Partnership Handbook, April 2023"], "never changed"
    voice = feedparser.parse((out / "boards/voice/feed.xml").read_bytes())
    assert [(e.title, e.summary) for e in voice.entries][0] == (
        "Voice Board removed from the Partnership Handbook, October 2023",
        "Since the April 2023 edition: The Voice board was removed.")
    handbook = feedparser.parse((out / "handbook/feed.xml").read_bytes())
    assert [e.title for e in handbook.entries] == [f"Partnership Handbook, {m}" for m in ("April 2024", "October 2023", "April 2023")]
    assert "2024-04" not in (out / "annual-report/feed.xml").read_text(encoding="utf-8")

    front = (out / "handbook/2024-04/index.html").read_text(encoding="utf-8")
    assert marked(front) == ["introduction/", "boards/risk/"]
    assert "Sections and boards marked “updated in this edition” changed since the October 2023 edition" in front


def marked(page: str) -> list[str]:
    """The links of an edition's contents marked as updated."""
    return re.findall(r'<li><a href="([^"]+)">(?:(?!</li>).)*</a> \((?:suspended, )?updated in this edition\)</li>', page)


def test_an_editions_contents_mark_what_changed_since_the_edition_before(built_fixture: Path, built_site: Path) -> None:
    # worked out from the fixture: October 2023 changed three of its boards (and removed Voice), no section
    for name, at in (("handbook/2023-10/index.html", ""), ("handbook/index.html", "2023-10/")):  # and at /handbook/
        page = (built_fixture / name).read_text(encoding="utf-8")
        assert marked(page) == [f"{at}boards/{b}/" for b in ("health-and-wellbeing", "management-board", "risk")]
        assert f'<li><a href="{at}boards/review/">Review</a></li>' in page, "unchanged, and listed unmarked"
    first = [(built_fixture / "handbook/2023-04/index.html"), (built_site / "handbook/2021-04/index.html"),
             (built_fixture / "annual-report/2023-24/index.html")]
    for page in first:
        assert "updated in this edition" not in page.read_text(encoding="utf-8"), page
    assert len(marked((built_site / "handbook/2021-11/index.html").read_text(encoding="utf-8"))) == 6 + 8, \
        "80 changes to 10 boards and 6 sections: every section, and every board the edition still has"


def test_each_followed_page_links_its_feeds_in_its_head_and_with_words(built_fixture: Path) -> None:
    for page in sorted(built_fixture.rglob("*.html")):
        name = page.relative_to(built_fixture).as_posix()
        board = re.match(r"(?:handbook/[^/]+/)?boards/([^/]+)/index\.html$", name)
        document = name.split("/")[0] if name.split("/")[0] in ("handbook", "annual-report") else None
        expected = ([f"boards/{board.group(1)}/feed.xml"] if board else []) + ([f"{document}/feed.xml"] if document else [])
        text = page.read_text(encoding="utf-8")
        head, body = text.split("</head>")
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)[1:]
        assert [posixpath.normpath(posixpath.join(posixpath.dirname(name), href)) for _, href in links] == expected, name
        follows = re.findall(r'<li><a href="([^"]+)" type="application/atom\+xml">([^<]+)</a></li>', body)
        assert [href for href, _ in follows] == [href for _, href in links], name
        for (title, _), (_, words) in zip(links, follows):
            assert words.startswith("Follow ") and words.endswith(" (Atom feed)") and title, name
        if name in ("boards/risk/index.html", "handbook/2023-10/boards/risk/index.html"):
            assert [words for _, words in follows] == ["Follow changes to the Risk Board (Atom feed)"] + \
                (["Follow new editions of the Partnership Handbook (Atom feed)"] if document else [])
            assert links[0][0] == "Risk Board: what changed in each edition of the Partnership Handbook"
