"""One mistake, one diagnostic, at the mistake: random single mistakes in a copy of the real data
and content, as a comms editor makes them.

Each mutation changes one file in one place: a character deleted or doubled, a line deleted or
doubled, an indent changed, a key, an id or a reference misspelt, two values swapped. A mutation
that makes the project invalid must give no traceback, errors only in the mutated file, and for a
YAML syntax error a line within one of the mutated line. One that leaves it valid must build.
Seeded, so a failure names its seed; every failing seed found becomes a case in CASES below.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from generator.pipeline import generate

MUTATIONS = 320
ARTIFACTS = ROOT / "test-artifacts"
CHUNKS = 8
# what the YAML parser's own errors say (not a value's type: 'put it in quotes' is not a syntax error)
SYNTAX = ("YAML syntax", "quote opened", "never closed", "indentation", "a ':' follows", "tab character", "has no ':'")


@dataclass
class Mutation:
    seed: int
    path: str
    lines: tuple[int, ...]  # 1-based, the lines changed
    what: str
    text: str  # the file after the mistake


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for folder in ("data", "content")
                  for p in (root / folder).rglob("*") if p.suffix in (".yml", ".md"))


def mutate(root: Path, seed: int) -> Mutation:
    rng = random.Random(seed)
    path = rng.choice(_files(root))
    lines = (root / path).read_text(encoding="utf-8").split("\n")
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


def judge(root: Path, mutation: Mutation, counts: dict[str, int]) -> str | None:
    """What is wrong with the diagnostics of one mutation, or None; counts what each mutation gave."""
    target = root / mutation.path
    original = target.read_text(encoding="utf-8")
    target.write_text(mutation.text, encoding="utf-8")
    try:
        site, report = generate(root)
    except Exception as exc:  # a traceback is the worst answer an editor can get
        return f"raised {exc!r}"
    finally:
        target.write_text(original, encoding="utf-8")
    errors = report.errors
    counts["valid, built" if not errors else "invalid, one error" if len(errors) == 1 else "invalid, several errors"] += 1
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


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_single_mistakes(root: Path, chunk: int) -> None:
    failures = []
    counts = {"valid, built": 0, "invalid, one error": 0, "invalid, several errors": 0}
    for seed in range(chunk, MUTATIONS, CHUNKS):
        mutation = mutate(root, seed)
        verdict = judge(root, mutation, counts)
        if verdict:
            failures.append(f"seed {seed}, {mutation.what} at {mutation.path}:{mutation.lines[0]}: {verdict}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"mutations-{chunk}.txt").write_text(
        "".join(f"{k}: {v}\n" for k, v in counts.items()) + "".join(f"failed: {f}\n" for f in failures))
    assert failures == [], "\n".join(failures)
