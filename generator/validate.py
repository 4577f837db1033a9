"""Validate a loaded YAML document against a model, turning pydantic's errors into diagnostics."""
from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Report
from .yamlload import YamlDocument


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...], dict[..., ...] or Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = inner[0] if len(inner) == 1 else annotation
            if len(inner) != 1:
                return annotation
        elif origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return annotation


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that owns the mapping at `loc`, following field types down the path."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(step)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _describe(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def _as_typed(text: str) -> str:
    """What the editor typed, quoted as they typed it, its curly quotes and invisible spaces named."""
    said = f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"
    if re.search(r"^[“‘].*[”’]$", text):
        said += " (in curly quotes, which YAML keeps as part of the text: use straight quotes, or none)"
    if "\u00a0" in text:
        said += " (with a non-breaking space in it: type an ordinary space)"
    return said


def _message(error: dict[str, Any], model: type[BaseModel], typed: str | None = None) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    name = next((str(s) for s in reversed(loc) if isinstance(s, str)), "value")
    if typed == "" or (typed is None and error.get("input", "") is None and kind != "missing"):
        return f"'{name}' is blank; write its value after the ':', or remove the key"
    value = error.get("input")
    # as typed where YAML read it as something else (yes as true) or it is text; a number as itself
    got = _as_typed(typed) if typed is not None and (typed != str(value) or isinstance(value, str)) else _describe(value)
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        known = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; the keys allowed here are: {', '.join(known)}" if known else "")
        return f"unknown key '{loc[-1]}'{hint}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}'; add it"
    if kind == "literal_error":
        return f"'{name}' must be one of {ctx.get('expected', '')}, not {got}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if "handbook|annual-report" in pattern:
            return f"'{name}' must be an edition id such as 'handbook/2021-11', not {got}"
        if "@" in pattern:
            return f"'{name}' must be an email address such as name@example.org, not {got}"
        if pattern.startswith("^https?"):
            return f"'{name}' must be a web address starting with https://, not {got}"
        return f"'{name}' must be an id of lowercase letters and digits joined by hyphens, like 'child-death', not {got}"
    if kind in ("string_type", "string_too_short"):
        if kind == "string_too_short":
            return f"'{name}' is empty; write the text, or remove the key"
        return f"'{name}' must be text, not {got}; put it in quotes if it looks like a number or date"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{name}' must be a whole number, not {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{name}' must be true or false, not {got}"
    if kind in ("list_type",):
        return f"'{name}' must be a list, one '- ' item per line, not {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' must be a set of 'key: value' lines, not {got}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"'{name}' must be a date written YYYY-MM-DD, not {got}"
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return f"'{name}' must be at least {limit}, not {got}"
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return f"'{name}' must be at most {limit}, not {got}"
    if kind == "value_error":  # our own validators' messages say what to do
        return str(error["msg"]).removeprefix("Value error, ")
    return f"'{name}': {error['msg']} (got {got})"


def validate(doc: YamlDocument, model: type[BaseModel], report: Report) -> BaseModel | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "missing" and _explained_by_typo(loc, errors) or loc in doc.reported:
                continue
            if error["type"] == "extra_forbidden":
                where = doc.where(loc, key=True)
            elif error["type"] == "missing":
                where = doc.where(loc[:-1])
            else:
                where = doc.where(loc)
            typed = doc.typed.get(loc) if error["type"] not in ("extra_forbidden", "missing") else None
            report.error(where, _message(error, model, typed))
        return None


def _explained_by_typo(loc: tuple[Any, ...], errors: list[Any]) -> bool:
    """A key reported missing because it was mistyped next door gets one diagnostic, not two."""
    for other in errors:
        other_loc = tuple(other["loc"])
        if other["type"] == "extra_forbidden" and other_loc[:-1] == loc[:-1]:
            if difflib.get_close_matches(str(other_loc[-1]), [str(loc[-1])], n=1, cutoff=0.6):
                return True
    return False
