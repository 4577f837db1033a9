"""The MK Together site generator: data/ and content/ into a versioned site, as a MkDocs plugin."""
import importlib.util

if importlib.util.find_spec("mkdocs") is None and importlib.util.find_spec("properdocs") is not None:
    # only ProperDocs, MkDocs's fork, is installed: it answers to MkDocs's module names once asked to
    import properdocs.replacement  # noqa: F401
