"""What a reader finds on the pages: every phone number its own tel: link in one form, no empty
headings, who chaired each board in each edition, every place on a board on the page of the
organisation it belongs to, and a glossary page that says truly what its abbreviations do."""
from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import phonenumbers
import pytest
from conftest import PROJECT

from generator.derive import Facts, derive
from generator.load import Project, load_project
from generator.pipeline import published
from generator.plan import edition_label
from generator.text import inline, phone_numbers, slug

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SOLID = {"img", "svg", "table", "iframe", "object", "video", "picture", "input", "select", "textarea", "canvas"}
EMERGENCY = re.compile(r"(?<![\w.,/-])(999|112)(?![\w/-]|[.,]\d)")


class Reading(HTMLParser):
    """One page as a reader meets it: its text with the link each piece is in, its tel: links, and
    its headings with nothing under them before the next heading of the same or a higher level (a
    heading's section also ends where the element holding it ends)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[tuple[str, str | None]] = []  # (text, the href of the link it is in)
        self.tel: list[tuple[str, str]] = []  # (href, the link's text)
        self.empty: list[str] = []
        self._stack: list[str] = []
        self._links: list[list[str]] = []  # [href, text]
        self._skip = 0
        self._heading: dict | None = None  # the heading being read
        self._open: list[dict] = []  # headings read, whose sections are still open

    def _end_sections(self, ends: Callable[[dict], bool]) -> None:
        for heading in [h for h in self._open if ends(h)]:
            if not heading["content"]:
                self.empty.append(" ".join(heading["text"].replace("\u00b6", "").split()))
            self._open.remove(heading)

    def _content(self) -> None:
        for heading in self._open:
            heading["content"] = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "a":
            self._links.append([dict(attrs).get("href") or "", ""])
        if tag in HEADINGS:
            level = int(tag[1])
            self._end_sections(lambda h: h["level"] >= level)
            self._heading = {"level": level, "depth": len(self._stack), "content": False, "text": ""}
        elif self._heading is None and tag in SOLID:
            self._content()
        if tag not in VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._heading is None and tag in SOLID:
            self._content()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip -= 1
        if tag == "a" and self._links:
            href, words = self._links.pop()
            if href.startswith("tel:"):
                self.tel.append((href, " ".join(words.split())))
        if tag in VOID or tag not in self._stack:
            return
        while self._stack and self._stack.pop() != tag:
            pass
        if self._heading is not None and len(self._stack) == self._heading["depth"]:
            self._content()  # a subsection is content of the section it is in
            self._open.append(self._heading)
            self._heading = None
        depth = len(self._stack)
        self._end_sections(lambda h: depth < h["depth"])

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for link in self._links:
            link[1] += data
        self.text.append((data, self._links[-1][0] if self._links else None))
        if self._heading is not None:
            self._heading["text"] += data
        elif data.strip():
            self._content()

    def close(self) -> None:
        super().close()
        self._end_sections(lambda h: True)


@functools.cache
def read(page: Path) -> Reading:
    reading = Reading()
    reading.feed(page.read_text())
    reading.close()
    return reading


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 20
    return found


def article(page: Path) -> str:
    return page.read_text().split("<article", 1)[1].split("</article>", 1)[0]


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


@functools.cache
def facts_of(root: Path) -> tuple[Project, Facts]:
    """The project and its facts as the public site has them: a draft in the project is no page of it."""
    project = published(load_project(root)[0])
    return project, derive(project)


# phone numbers ----------------------------------------------------------------------------------

def test_every_phone_number_is_its_own_tel_link_in_one_form(built_site: Path) -> None:
    links = 0
    for page in pages(built_site):
        reading = read(page)
        for href, words in reading.tel:
            links += 1
            assert re.fullmatch(r"tel:(\+44\d{9,10}|999)", href), (page, href)
            assert phone_numbers(words) == [(words, href[4:])], f"{page}: {words!r} is not written as 01908 253169 or 999"
        for words, href in reading.text:
            if href is not None and href.startswith("tel:"):
                continue
            unlinked = [m.raw_string for m in phonenumbers.PhoneNumberMatcher(words, "GB", leniency=phonenumbers.Leniency.VALID)]
            unlinked += EMERGENCY.findall(words)
            assert not unlinked, f"{page}: {unlinked} in {words.strip()!r} is not a tel: link"
    assert links > 10


def test_report_a_concern_links_999_and_every_number(built_site: Path) -> None:
    page = built_site / "report-a-concern/index.html"
    links = re.findall(r'<a href="(tel:[^"]*)">([^<]*)</a>', article(page))
    assert ("tel:999", "999") in links
    project, _ = facts_of(PROJECT)
    assert project.contacts is not None
    printed = [n for group in project.contacts.groups for line in group.lines if line.phone
               for n in phone_numbers(line.phone) or []]
    assert len(printed) > 1 and all((f"tel:{tel}", shown) in links for shown, tel in printed)
    assert ("tel:+441908253170", "01908 253170") in links, "01908 253169/70 is two numbers, each written whole"


# headings ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("site", ["built_site", "built_fixture"])
def test_no_heading_is_empty(site: str, request: pytest.FixtureRequest) -> None:
    built: Path = request.getfixturevalue(site)
    empty = {page.relative_to(built).as_posix(): read(page).empty for page in pages(built)}
    assert {page: headings for page, headings in empty.items() if headings} == {}


def test_the_empty_heading_rule_finds_one() -> None:
    reading = Reading()
    reading.feed("<article><h1>T</h1><p>x</p><h2>Boards</h2><h2>Then</h2><p>y</p><div><h3>In a box</h3></div>"
                 "<h2>Last</h2><h3>Sub</h3><p>z</p></article><footer>text after</footer>")
    reading.close()
    assert reading.empty == ["Boards", "In a box"]


# board history: the chair in each edition -------------------------------------------------------

@pytest.mark.parametrize("root, site", [(None, "built_fixture"), (PROJECT, "built_site")])
def test_board_history_names_the_chair_of_every_edition(root: Path | None, site: str,
                                                        request: pytest.FixtureRequest) -> None:
    built: Path = request.getfixturevalue(site)
    root = root or request.getfixturevalue("fixture_root")
    _, facts = facts_of(root)
    named = 0
    for board_id, history in facts.histories.items():
        sections = article(built / "boards" / board_id / "index.html").split("<h2")[1:]
        for entry in history:
            heading = f"{entry.edition.edition.title}, {edition_label(entry.edition)}: {entry.status}"
            [section] = [s for s in sections if plain("<h2" + s.split("</h2>")[0]).startswith(heading)]
            chairs = re.findall(r"<dt>Chair</dt>\s*<dd>(.*?)</dd>", section, re.DOTALL)
            if entry.board is None:
                assert chairs == [], heading
                continue
            expected = plain(inline(entry.chair.label)).replace("*", "") if entry.chair else "no chair named"
            assert len(chairs) == 1 and plain(chairs[0]).startswith(expected), (board_id, heading, chairs)
            named += entry.chair is not None
    assert named > 3


def test_the_community_safety_partnership_was_chaired_by_the_council(built_site: Path) -> None:
    text = plain(article(built_site / "boards/community-safety-partnership/index.html"))
    assert text.count("Chair MKC Cabinet Member (Milton Keynes Council)") >= 2
    assert "Chair no chair named" in plain(article(built_site / "boards/management-board/index.html"))


# organisations: every place on a board ----------------------------------------------------------

@pytest.mark.parametrize("root", [None, PROJECT])
def test_every_place_on_a_board_belongs_to_the_organisations_it_names_or_to_none(
        root: Path | None, request: pytest.FixtureRequest) -> None:
    project, facts = facts_of(root or request.getfixturevalue("fixture_root"))
    handbooks = [e for e in project.editions.values() if e.document == "handbook"]
    unattributed = facts.unattributed(handbooks)
    count = 0
    for edition in handbooks:
        for board_id, board in edition.boards.items():
            places = facts.places[edition.id, board_id]
            assert len(places) == len(board.members) + (board.chair is not None) + (board.sponsor is not None)
            for place in places:
                count += 1
                holding = [org for org, f in facts.organisations.items() for seat in f.seats
                           if seat.edition is edition and seat.board_id == board_id and place.described in seat.labels]
                assert sorted(holding) == sorted(place.organisations), (edition.id, board_id, place)
                listed = [p for e, b, p in unattributed if e is edition and b == board_id and p is place]
                assert len(listed) == (0 if place.organisations else 1), (edition.id, board_id, place)
    assert count > 20


def test_organisation_pages_list_every_place_their_people_hold(built_site: Path) -> None:
    _, facts = facts_of(PROJECT)
    shown = 0
    for org_id, org_facts in facts.organisations.items():
        page = html.unescape(article(built_site / "organisations" / org_id / "index.html"))
        for seat in org_facts.seats:
            [section] = [s for s in page.split("<h2")[1:] if plain("<h2" + s.split("</h2>")[0]).startswith(
                f"{seat.edition.edition.title}, {edition_label(seat.edition)}")]
            href = f'href="../../{seat.edition.id}/boards/{seat.board_id}/"'
            [item] = [li for li in re.findall(r"<li>(.*?)</li>", section, re.DOTALL) if href in li]
            for label in seat.labels:
                assert plain(inline(label)).replace("*", "").replace("\\", "") in plain(item), (org_id, label)
                shown += 1
    assert shown > 80


def test_the_council_page_says_its_cabinet_member_chairs_the_community_safety_partnership(built_site: Path) -> None:
    project, _ = facts_of(PROJECT)
    page = html.unescape(article(built_site / "organisations/milton-keynes-council/index.html"))
    chaired = [e for e in project.editions.values()
               if any(m.label == "MKC Cabinet Member" and m.chair
                      for m in getattr(e.boards.get("community-safety-partnership"), "members", []))]
    assert chaired
    for edition in chaired:
        [section] = [s for s in page.split("<h2")[1:]
                     if plain("<h2" + s.split("</h2>")[0]).startswith(f"{edition.edition.title}, {edition_label(edition)}")]
        assert re.search(r"Community Safety Partnership: core member, chair, .*\(chair: MKC Cabinet Member;", plain(section))


# glossary ---------------------------------------------------------------------------------------

def test_the_glossary_claims_only_what_its_abbreviations_do(built_site: Path) -> None:
    """Abbreviations are <abbr title>: a mouse shows the meaning, a keyboard or a tap does not; the
    glossary page lists them all, each row its own anchor, and says so, not that they take focus."""
    page = built_site / "glossary/index.html"
    text = plain(article(page))
    assert "point at it with a mouse" in text and "look it up here" in text
    assert not re.search(r"\b(focus|tap|touch|keyboard users can)\b", text.replace("with a keyboard, look it up", ""))
    project, _ = facts_of(PROJECT)
    terms = {t.term: t for t in project.glossary.terms}
    body = page.read_text()
    for term in terms:
        assert f'id="{slug(term)}"' in body, term
    seen = set()
    for built in pages(built_site):
        for title, word in re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', built.read_text()):
            assert word in terms and html.unescape(title) == inline(terms[word].meaning), (built, word)
            seen.add(word)
    assert len(seen) > 10


def test_a_place_named_by_title_alone_belongs_to_the_organisation_whose_post_it_is(project: Path) -> None:
    for board in project.glob("data/handbook/*/boards/health-and-wellbeing.yml"):
        text = board.read_text()
        assert "  - label: The Leader of the Council\n    organisations:\n      - council\n" in text
        board.write_text(text.replace("  - label: The Leader of the Council\n    organisations:\n      - council\n",
                                      "  - label: The Leader of the Council\n"))
    loaded, _ = load_project(project)
    facts = derive(loaded)
    handbooks = [e for e in loaded.editions.values() if e.document == "handbook"]
    chairs = [h.chair for h in facts.histories["health-and-wellbeing"] if h.board]
    assert chairs and all(c and c.label == "The Leader of the Council" and c.organisations == [] for c in chairs)
    assert [p.label for _, b, p in facts.unattributed(handbooks) if b == "health-and-wellbeing"] == ["The Leader of the Council"] * len(chairs)

    council = project / "data/organisations/council.yml"
    council.write_text(council.read_text() + "posts:\n  - The Leader of the Council\n")
    loaded, _ = load_project(project)
    facts = derive(loaded)
    chairs = [h.chair for h in facts.histories["health-and-wellbeing"] if h.board]
    assert all(c and c.organisations == ["council"] for c in chairs)
    seats = [s for s in facts.organisations["council"].seats if s.board_id == "health-and-wellbeing"]
    assert len(seats) == len(chairs) and all("chair" in s.roles and "chair: The Leader of the Council" in s.labels for s in seats)
    assert not [p for _, b, p in facts.unattributed(handbooks) if b == "health-and-wellbeing"]
