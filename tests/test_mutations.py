"""One mistake, one diagnostic, at the mistake: random single mistakes in a copy of the real data
and content, as a comms editor makes them.

Each mutation changes one file in one place: a character deleted or doubled, a line deleted or
doubled, an indent changed, a key, an id or a reference misspelt, two values swapped, a heading's
level changed; or does what a real computer does to a file: saves it as Windows-1252 or UTF-16,
adds a byte order mark or Windows line endings, renames it (.yaml, .YML, .yml.txt), leaves a file
of its own beside it (.DS_Store, ~$ lock files), pastes Word's no-break spaces and curly quotes or
an emoji into its text. A mutation that makes the project invalid must give no traceback, errors
only in the mutated file, and for a YAML syntax error a line within one of the mutated line. One
that leaves it valid must build; a byte order mark, Windows line endings and a file the system
left must give the very same pages. Seeded, so a failure names its seed.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from generator.pipeline import generate

MUTATIONS = 520
ARTIFACTS = ROOT / "test-artifacts"
CHUNKS = 8
# what the YAML parser's own errors say (not a value's type: 'put it in quotes' is not a syntax error)
SYNTAX = ("YAML syntax", "quote opened", "never closed", "indentation", "a ':' follows", "tab character", "has no ':'")


@dataclass
class Mutation:
    seed: int
    path: str  # the file as it is after the mistake (renamed, where it was)
    lines: tuple[int, ...]  # 1-based, the lines changed
    what: str
    text: str  # the file after the mistake
    data: bytes | None = None  # the file's bytes, where the mistake is in its encoding
    was: str | None = None  # the file's own path, where it was renamed or another file put beside it


# what an editor's computer does to a file, and whether the site must come out the same
COMPUTER = ["cp1252", "utf-16", "bom", "crlf", "rename", "junk", "word-text", "emoji"]
SAME_SITE = ("bom", "crlf", "junk")
RENAMES = (".yaml", ".YML", ".yml.txt", ".yml.bak")
JUNK = (".DS_Store", "Thumbs.db", "~$notes.docx", ".~lock.notes.odt#", "notes.md.swp", "notes.md~", "._notes.md")


def computer(path: str, text: str, kind: str, rng: random.Random, seed: int) -> Mutation:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if kind == "cp1252":  # a pound sign typed in an editor that saves Windows-1252
        lines[i] = lines[i] + " \u00a3"
        changed = "\n".join(lines)
        return Mutation(seed, path, (i + 1,), kind, changed, changed.encode("cp1252", "replace"))
    if kind == "utf-16":
        return Mutation(seed, path, (1,), kind, text, text.encode("utf-16"))
    if kind == "bom":
        return Mutation(seed, path, (1,), kind, text, b"\xef\xbb\xbf" + text.encode("utf-8"))
    if kind == "crlf":
        return Mutation(seed, path, (1,), kind, text, text.replace("\n", "\r\n").encode("utf-8"))
    if kind == "rename" and path.startswith("data/"):
        to = path.removesuffix(".yml") + rng.choice(RENAMES)
        return Mutation(seed, to, (1,), kind, text, None, path)
    if kind in ("junk", "rename"):
        beside = path.rsplit("/", 1)[0] + "/" + rng.choice(JUNK)
        return Mutation(seed, beside, (1,), "junk", text, b"\x00\x05 left by the system \xff\xfe", path)
    prose = [j for j, line in enumerate(lines) if re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", line)
             and not line.lstrip().startswith("#")]
    if not prose:
        return Mutation(seed, path, (1,), kind, text)
    i = rng.choice(prose)
    if kind == "word-text":  # a word processor's no-break space and curly quotes, pasted into running text
        lines[i] = re.sub(r"([A-Za-z]{3,}) ([A-Za-z]{3,})", "\\1\u00a0\\2", lines[i], count=1)
        lines[i] = re.sub(r"(?<=[A-Za-z])'(?=[a-z])", "\u2019", lines[i])
    else:
        lines[i] = re.sub(r"([A-Za-z]{3,})(\W*)$", "\\1 \U0001F642\\2", lines[i], count=1)
    return Mutation(seed, path, (i + 1,), kind, "\n".join(lines))


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for folder in ("data", "content")
                  for p in (root / folder).rglob("*") if p.suffix in (".yml", ".md"))


def mutate(root: Path, seed: int) -> Mutation:
    rng = random.Random(seed)
    path = rng.choice(_files(root))
    text = (root / path).read_text(encoding="utf-8")
    if seed >= 320 and rng.random() < 0.6:  # the first 320 seeds as they always were
        return computer(path, text, rng.choice(COMPUTER), rng, seed)
    lines = text.split("\n")
    headings = [i for i, line in enumerate(lines) if re.match(r"#{2,6} ", line)]
    if path.endswith(".md") and headings and seed >= 320 and rng.random() < 0.6:
        i = rng.choice(headings)
        level = rng.choice([1, len(lines[i].split(" ", 1)[0]) + 2])  # a level-1 heading, or a level skipped
        lines[i] = "#" * level + " " + lines[i].split(" ", 1)[1]
        return Mutation(seed, path, (i + 1,), "heading", "\n".join(lines))
    candidates = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    i = rng.choice(candidates)
    line = lines[i]
    kind = rng.choice(["delete-char", "double-char", "delete-line", "double-line", "indent", "outdent",
                       "misspell-key", "misspell-value", "swap-values"])
    if kind == "delete-char":
        at = rng.randrange(len(line))
        lines[i] = line[:at] + line[at + 1:]
    elif kind == "double-char":
        at = rng.randrange(len(line))
        lines[i] = line[:at] + line[at] + line[at:]
    elif kind == "delete-line":
        del lines[i]
    elif kind == "double-line":
        lines.insert(i, line)
    elif kind == "indent":
        lines[i] = "  " + line
    elif kind == "outdent":
        lines[i] = line[2:] if line.startswith("  ") else line.lstrip()
    else:
        key = re.match(r"^(\s*(?:- )?)([a-z_]+):(\s*)(.*)$", line)
        if key is None or kind == "misspell-value" and not key.group(4) or kind == "swap-values":
            if kind == "swap-values":
                pairs = [j for j, other in enumerate(lines) if re.match(r"^\s*(?:- )?[a-z_]+: \S", other)]
                if len(pairs) >= 2:
                    a, b = rng.sample(pairs, 2)
                    va, vb = lines[a].split(": ", 1), lines[b].split(": ", 1)
                    lines[a], lines[b] = f"{va[0]}: {vb[1]}", f"{vb[0]}: {va[1]}"
                    return Mutation(seed, path, (a + 1, b + 1), kind, "\n".join(lines))
            return Mutation(seed, path, (i + 1,), kind, "\n".join(lines))
        word = key.group(2) if kind == "misspell-key" else key.group(4)
        if len(word) > 1:
            at = rng.randrange(1, len(word))
            typo = word[:at] + word[at + 1:] if rng.random() < 0.5 else word[:at] + word[at - 1] + word[at:]
        else:
            typo = word + word
        if kind == "misspell-key":
            lines[i] = f"{key.group(1)}{typo}:{key.group(3)}{key.group(4)}"
        else:
            lines[i] = f"{key.group(1)}{key.group(2)}:{key.group(3)}{typo}"
    return Mutation(seed, path, (i + 1,), kind, "\n".join(lines))


def judge(root: Path, mutation: Mutation, counts: dict[str, int], baseline: dict[str, str]) -> str | None:
    """What is wrong with the diagnostics of one mutation, or None; counts what each mutation gave."""
    own = root / (mutation.was or mutation.path)
    original = own.read_bytes()
    target = root / mutation.path
    if mutation.what == "rename":
        own.rename(target)
    elif mutation.data is not None:
        target.write_bytes(mutation.data)
    else:
        target.write_text(mutation.text, encoding="utf-8")
    try:
        site, report = generate(root)
    except Exception as exc:  # a traceback is the worst answer an editor can get
        return f"raised {exc!r}"
    finally:
        if target != own:
            target.unlink()
        own.write_bytes(original)
    errors = report.errors
    counts["valid, built" if not errors else "invalid, one error" if len(errors) == 1 else "invalid, several errors"] += 1
    if mutation.what in SAME_SITE:
        if errors:
            return "refused what an editor's computer does: " + "; ".join(str(d) for d in errors)
        return None if site is not None and site.pages == baseline else "not the same pages"
    refused = [d for d in errors if d.location.path.endswith(".md") and "this file has changed since" not in d.message]
    if mutation.what in ("word-text", "emoji") and refused:  # a published edition's lock is no refusal of the text
        return "refused text pasted from a word processor: " + "; ".join(str(d) for d in refused)
    if not errors:
        return None if site is not None else "no error, yet no site"
    elsewhere = [str(d) for d in errors if d.location.path != mutation.path]
    if elsewhere:
        return "errors in other files: " + "; ".join(elsewhere)
    syntax = [d for d in errors if any(s in d.message for s in SYNTAX)]
    lines = mutation.text.split("\n")
    far = [str(d) for d in syntax if not any(near(lines, line, d.location.line) for line in mutation.lines)]
    if far:
        return "a syntax error reported away from the mistake: " + "; ".join(far)
    return None


def near(lines: list[str], mutated: int, reported: int) -> bool:
    """A syntax error is at the mistake when it is within a line of it, or inside the block the
    mutated line begins (the lines below it indented further): the construct began there."""
    if abs(reported - mutated) <= 1:
        return True
    indent = len(lines[mutated - 1]) - len(lines[mutated - 1].lstrip()) if mutated <= len(lines) else 0
    for number in range(mutated + 1, min(reported, len(lines)) + 1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            return False
    return reported > mutated


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("mutations") / "project")


@pytest.fixture(scope="module")
def baseline(root: Path) -> dict[str, str]:
    site, report = generate(root)
    assert site is not None, [str(d) for d in report.errors]
    return site.pages


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_single_mistakes(root: Path, baseline: dict[str, str], chunk: int) -> None:
    failures = []
    counts = {"valid, built": 0, "invalid, one error": 0, "invalid, several errors": 0}
    for seed in range(chunk, MUTATIONS, CHUNKS):
        mutation = mutate(root, seed)
        verdict = judge(root, mutation, counts, baseline)
        if verdict:
            failures.append(f"seed {seed}, {mutation.what} at {mutation.path}:{mutation.lines[0]}: {verdict}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"mutations-{chunk}.txt").write_text(
        "".join(f"{k}: {v}\n" for k, v in counts.items()) + "".join(f"failed: {f}\n" for f in failures))
    assert failures == [], "\n".join(failures)
