"""Bytes to a Page: decoding (source), front matter, and the markdown-it-py page builder (markdown)."""
