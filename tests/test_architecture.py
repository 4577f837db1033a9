"""The shape of the generator: one owner per concept, no import cycle, one page plan."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT
from generator.pipeline import generate

PACKAGE = ROOT / "generator"


def imports() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports, at load time or inside
    a function: an import put off until a function runs is still one module leaning on the other."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    graph = {}
    for path in PACKAGE.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
                found.add(node.module.split(".")[1])  # type: ignore[union-attr]
        graph[path.stem] = found & modules - {path.stem}
    return graph


def test_no_import_cycle_inside_the_package() -> None:
    graph = imports()
    assert graph["render"] and graph["pipeline"], "the import graph is read"

    def cycle_from(start: str, path: list[str]) -> list[str] | None:
        for nxt in sorted(graph[path[-1]]):
            if nxt == start:
                return path + [nxt]
            if nxt not in path:
                found = cycle_from(start, path + [nxt])
                if found:
                    return found
        return None

    cycles = [c for m in graph if (c := cycle_from(m, [m]))]
    assert cycles == []


def test_every_page_is_planned_once_and_the_navigation_names_only_planned_pages(fixture_root: Path) -> None:
    site, report = generate(fixture_root, drafts=True)
    assert site is not None, [str(d) for d in report.errors]
    uris = [p.uri for p in site.plan.pages]
    assert len(uris) == len(set(uris)), "a page is planned once"
    assert list(site.pages) == uris, "every planned page is rendered, in plan order, and nothing else"

    def named(entries: list) -> list[str]:  # type: ignore[type-arg]
        out = []
        for entry in entries:
            if isinstance(entry, str):
                out.append(entry)
            else:
                for value in entry.values():
                    out += named(value) if isinstance(value, list) else [value]
        return out

    in_nav = named(site.nav)
    assert len(in_nav) == len(set(in_nav)) and set(in_nav) <= set(uris)


def test_every_page_template_is_a_page_kind_of_the_plan(fixture_root: Path) -> None:
    site, _ = generate(fixture_root, drafts=True)
    assert site is not None
    kinds = {p.kind for p in site.plan.pages}
    templates = {p.name[: -len(".md.j2")] for p in (ROOT / "templates/pages").glob("*.md.j2") if not p.name.startswith("_")}
    assert templates == kinds, "a page template no page uses, or a page kind with no template"


def test_every_page_knows_what_it_depends_on(fixture_root: Path) -> None:
    site, _ = generate(fixture_root)
    assert site is not None
    for page in site.plan.pages:
        assert set(page.sources) <= set(page.depends), page.uri
        assert "data/glossary.yml" in page.depends, "its abbreviations are explained from the glossary"
        if page.edition is not None:  # the switcher and banners show every edition of its document
            assert {f"data/{e}/edition.yml" for e in site.project.editions if e.startswith(page.edition.document)} <= set(page.depends)
    organisation = site.plan.by_uri["organisations/police.md"]
    assert "data/handbook/2023-10/boards/risk.yml" in organisation.depends, "who sits where comes from every board"
