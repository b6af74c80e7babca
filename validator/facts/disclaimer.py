"""Where a page's disclaimer is, and whether one appended at the end would be found."""

from __future__ import annotations

import re
from functools import lru_cache

from validator.content_model.load import ContentModel, Disclaimer
from validator.model.page import Block, Page
from validator.parse.markdown import markdown_parser, parse_page


def is_disclaimer(block: Block, model: ContentModel) -> bool:
    """A top-level paragraph labelled as the disclaimer, in the canonical form or another one."""
    disclaimer = model.disclaimer
    if block.kind != "paragraph" or disclaimer is None:
        return False
    return block.raw.startswith(disclaimer.markdown) or bool(disclaimer.detect.search(block.plain))


def find_disclaimer(page: Page, model: ContentModel) -> Block | None:
    """The page's disclaimer: the last labelled one, else a last paragraph that says every
    required idea without the label (reported for its label, not as missing). None
    too when the page type has no disclaimer."""
    disclaimer = model.disclaimer
    if disclaimer is None:
        return None
    labelled = next((block for block in reversed(page.blocks) if is_disclaimer(block, model)), None)
    if labelled is not None:
        return labelled
    content = [block for block in page.blocks if not block.is_comment]
    last = content[-1] if content else None
    ideas = disclaimer.ideas
    if last is not None and last.kind == "paragraph" and ideas and all(idea.found_in(last.plain) for idea in ideas):
        return last
    return None


def disclaimer_to_append(page: Page, disclaimer: Disclaimer) -> str:
    """The canonical disclaimer as a paragraph of its own after the page's last line."""
    text = page.text
    separator = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return f"{separator}{disclaimer.canonical}\n"


def appended_disclaimer_found(page: Page, model: ContentModel) -> bool:
    """Whether ``disclaimer_to_append`` would be found as the page's disclaimer, not swallowed
    by a block that the page leaves open (an unclosed comment or code fence). Exact: where
    the page's last block is sure to end before it, no parse; else the page is parsed again
    with it (only pages without a disclaimer ask, and few of them end in an open block)."""
    disclaimer = model.disclaimer
    if disclaimer is None:
        return False
    if _ends_closed(page) and _canonical_is_labelled(disclaimer):
        return True  # a paragraph of its own after a blank line, starting with the label
    appended = parse_page(page.path, page.text + disclaimer_to_append(page, disclaimer))
    return find_disclaimer(appended, model) is not None


# Top-level blocks that end at a blank line, or at an unindented line after one (a list or a
# block quote, whatever is left open inside it). A fence or an HTML block may run on to the
# end of the page, swallowing whatever is appended.
_ENDED_BY_BLANK_LINE = frozenset(
    ("paragraph", "heading", "bullet_list", "ordered_list", "blockquote", "table", "hr", "code_block")
)
_NESTING = frozenset(("bullet_list", "ordered_list", "blockquote"))
_LINE_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]*", re.MULTILINE)  # indent, quote and list markers


def _ends_closed(page: Page) -> bool:
    """Whether the page's last block ends before a paragraph appended after a blank line.
    A list or a block quote does unless markdown-it stops parsing inside it, at its
    ``maxNesting`` levels, and takes in the rest of the page: each list level takes two
    columns, each quote level one, at the start of the line that opens it."""
    last = page.blocks[-1] if page.blocks else None
    if last is None or last.kind not in _ENDED_BY_BLANK_LINE:
        return False
    if last.kind not in _NESTING:
        return True
    deepest = max(len(prefix.expandtabs(4)) for prefix in _LINE_PREFIX.findall(page.text, last.start))
    return deepest < int(markdown_parser().options["maxNesting"])


@lru_cache(maxsize=8)
def _canonical_is_labelled(disclaimer: Disclaimer) -> bool:
    """Whether the canonical disclaimer, standing alone, is one paragraph starting with the label
    (then it is found wherever it stands alone, whatever the links the page defines)."""
    tokens = markdown_parser().parse(disclaimer.canonical)
    kinds = [token.type for token in tokens]
    markdown = disclaimer.markdown
    return kinds == ["paragraph_open", "inline", "paragraph_close"] and tokens[1].content.startswith(markdown)
