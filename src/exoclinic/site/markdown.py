"""Markdown to HTML for staff-written content, with raw HTML switched off so no script can be injected."""

from __future__ import annotations

from markdown_it import MarkdownIt

# "commonmark" with html=False: raw HTML in the source is escaped, and markdown-it's link validation
# refuses javascript:, vbscript:, file: and data: (except images) URLs.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    return _md.render(text or "")
