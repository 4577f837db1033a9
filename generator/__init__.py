"""MK Together site generator: YAML data and Markdown prose to a versioned MkDocs site."""
