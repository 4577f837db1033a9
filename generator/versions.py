"""Editions over time: which is latest, which superseded, and the same page in another edition."""
from __future__ import annotations

from typing import Any

from .dates import long_date
from .project import EditionData, Project
from .render_links import page_url


def published_editions(project: Project, document: str) -> list[EditionData]:
    """A document's published editions, oldest first."""
    found = [e for e in project.editions.values() if e.document == document and e.edition.status == "published"]
    return sorted(found, key=lambda e: e.edition.published)


def same_page_in(page_uri: str, source: EditionData, target: EditionData, uris: set[str]) -> str | None:
    """The page of `target` that stands where `page_uri` stands in `source`, if there is one."""
    if not page_uri.startswith(source.id + "/"):
        return None
    candidate = target.id + page_uri[len(source.id):]
    return candidate if candidate in uris else None


class Timeline:
    """Every document's published editions in order, worked out once for a whole build."""

    def __init__(self, project: Project):
        self.project = project
        documents = {e.document for e in project.editions.values()}
        self.published = {d: published_editions(project, d) for d in documents}
        self.successor: dict[str, EditionData] = {}
        for editions in self.published.values():
            for earlier, later in zip(editions, editions[1:]):
                self.successor[earlier.id] = later

    def superseded_by(self, edition: EditionData) -> EditionData | None:
        """The next published edition of the same document: 'superseded' is computed, never typed."""
        return self.successor.get(edition.id)

    def status(self, edition: EditionData) -> str:
        if edition.edition.status == "draft":
            return "draft"
        return "superseded" if edition.id in self.successor else "published"

    def latest(self, document: str) -> EditionData | None:
        editions = self.published.get(document, [])
        return editions[-1] if editions else None

    def bar(self, edition: EditionData, page_uri: str, uris: set[str]) -> dict[str, Any]:
        """What the theme shows on every page of an edition: switcher, banners, dates and history."""
        from .render import DOCUMENT_TITLES, edition_label

        newest = self.latest(edition.document)
        successor = self.superseded_by(edition)
        others = self.published.get(edition.document, [])
        if edition not in others:
            others = [*others, edition]  # a draft, previewed among the published
        switcher = []
        for other in reversed(others):
            target = same_page_in(page_uri, edition, other, uris) or f"{other.id}/index.md"
            switcher.append({"label": edition_label(other), "url": page_url(target, page_uri),
                             "current": other is edition, "status": self.status(other)})
        bar: dict[str, Any] = {
            "document": DOCUMENT_TITLES[edition.document],
            "label": edition_label(edition),
            "status": self.status(edition),
            "published": long_date(edition.edition.published),
            "front": page_url(f"{edition.id}/index.md", page_uri),
            "editions": switcher,
            "history": [
                {"label": edition_label(e), "date": long_date(e.edition.published),
                 "url": page_url(f"{e.id}/index.md", page_uri), "notes": list(e.edition.change_notes)}
                for e in reversed(self.published.get(edition.document, []))
            ],
        }
        if newest is not None:
            bar["last_updated"] = long_date(newest.edition.published)
        if successor is not None and newest is not None:
            same = same_page_in(page_uri, edition, newest, uris)
            bar["superseded_on"] = long_date(successor.edition.published)
            bar["latest"] = {"label": edition_label(newest), "url": page_url(same or f"{newest.id}/index.md", page_uri),
                             "same_page": same is not None}
        return bar
