"""Look-alike drug names (FDA's Tall Man list, in the content model): a name written in plain
case where its Tall Man form is asked for, and another name of a page's drug's group in its
dosing text.

Names are matched as whole words, in any case, in prose only (never in code, HTML, link
targets or front matter). One search of the page text first decides whether a page holds any
of the names, so that most pages never build their prose segments.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from validator.facts.look_alike import name_table, section_spans, segment_start
from validator.facts.page_facts import PageFacts
from validator.model.finding import Edit, Fix, Severity
from validator.rules.base import Hit, Rule


def _title_spans(facts: PageFacts) -> list[tuple[int, int]]:
    """The title headings' text: the page's name, which must equal the front matter title."""
    level = facts.model.title_level
    return [(h.text_start, h.text_end) for h in facts.page.headings if h.level == level and not h.nested]


def tall_man_lettering(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    page, table = facts.page, name_table(facts.model)
    if table is None:
        return
    about = facts.look_alike_about
    # A few searches for a literal in the lower-case text first: most pages name none.
    wanted = [key for key in table.form if key not in table.other_sense or about & (table.partners[key] | {key})]
    lowered = facts.lowered
    if not any(lowered.find(key, page.body_start) >= 0 for key in wanted):
        return
    titles = _title_spans(facts)
    for segment in page.segments:
        start = segment_start(segment)
        if any(low <= start < high for low, high in titles):
            continue  # the title: see the rationale
        for found in table.mentions(segment.text):
            written, key = found.group(), found.group().casefold()
            form = table.form[key]
            if written == form:
                continue
            if key in table.other_sense and not (about & (table.partners[key] | {key})):
                continue  # dopamine, the neurotransmitter, on a page about another drug
            page_start = segment.to_page(found.start())
            page_end = segment.to_page(found.end() - 1) + 1
            # Written across markup ("*hydro*xyzine"): replacing it would break the markup.
            fix = (
                None
                if page_end - page_start != len(written)
                else Fix(f"Write '{form}'", (Edit(page_start, page_end, form),), safe=False)
            )
            yield Hit(
                page_start,
                page_end,
                f"write '{written}' in its Tall Man letters, '{form}', which tell it from {_others(table.partners[key], table.form)}",
                fix,
            )


def _others(keys: frozenset[str], form: Mapping[str, str]) -> str:
    names = sorted(form[key] for key in keys)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


TALL_MAN_LETTERING = Rule(
    id="MON502",
    name="tall-man-lettering",
    category="names",
    severity=Severity.WARNING,
    summary="Look-alike drug name not in its Tall Man letters (hydroxyzine for hydrOXYzine)",
    rationale="FDA's Name Differentiation Project asks for Tall Man letters in names that have been "
    "confused with each other: capitals mark the letters that tell hydrOXYzine from hydrALAZINE and "
    "predniSONE from prednisoLONE. The list is data in the content model (drug_names.look_alike, "
    "schemas/fda-tall-man.yaml); a team adds ISMP's list or its own there. A name of the list written "
    "in any other case (hydroxyzine, Hydroxyzine, HYDROXYZINE) is reported, as a whole word in prose, "
    "with its Tall Man form as an unsafe fix. The title heading is left alone: it must equal the front "
    "matter title (title-mismatch), and a page's title is usually its address and its search entry, "
    "which a fix of the heading alone would break. Names the list marks as having another sense "
    "(dopamine, the neurotransmitter) are reported only on a page about a drug of their group. Off by "
    "default: sites for patients may prefer plain case; select it to use it.",
    check=tall_man_lettering,
    default_enabled=False,
)


def look_alike_name(facts: PageFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    about = facts.look_alike_about
    table = name_table(facts.model)
    if not about or table is None:
        return
    # A name that the page is about is not another drug, even when it is a partner of another
    # name the page is about (a combination of both).
    partners = {partner: own for own in sorted(about) for partner in table.partners[own] if partner not in about}
    if not partners:
        return
    spans = section_spans(facts.page, facts.outline, facts.model.drug.dosing_sections)
    lowered = facts.lowered
    if not any(lowered.find(key, low, high) >= 0 for key in partners for low, high in spans):
        return
    for segment in facts.page.segments:
        start = segment_start(segment)
        if not any(low <= start < high for low, high in spans):
            continue
        for found in table.mentions(segment.text):
            own = partners.get(found.group().casefold())
            if own is None:
                continue
            page_start = segment.to_page(found.start())
            page_end = segment.to_page(found.end() - 1) + 1
            line = facts.page.position(page_start).line
            yield Hit(
                page_start,
                page_end,
                f"'{found.group()}' in the dosing text (line {line}) of a page about {table.form[own]}: the two "
                f"are look-alike names ({table.form[found.group().casefold()]} / {table.form[own]}); check that "
                "the right drug is meant",
            )


LOOK_ALIKE_NAME = Rule(
    id="MON503",
    name="look-alike-name",
    category="names",
    severity=Severity.WARNING,
    summary="Dosing text names a look-alike of the page's drug (hydralazine on the hydroxyzine page)",
    rationale="Names such as hydrOXYzine and hydrALAZINE are confused in practice (FDA's Tall Man list, "
    "data in the content model: drug_names.look_alike). When a page about one of them names the other "
    "in its dosing text (the content model's drug.dosing_sections), the dose may have been written for "
    "the wrong drug, or the name mistyped. The page's drug is what its title or generic-name line names; "
    "a page about both (a combination of the two) is not reported. A warning: the other drug may be "
    "named on purpose ('do not confuse with hydralazine'), which a reader can tell and a suppression "
    "comment records.",
    check=look_alike_name,
)
