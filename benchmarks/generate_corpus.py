"""Generate realistic monograph pages for the scale benchmark:
`python benchmarks/generate_corpus.py OUT [--pages N] [--seed S]`.

Each page is assembled from the sections of the pages in content/ (which lint clean): a new
drug name, each section's text taken from one of the models, the doses in it changed, and,
on about a third of the pages, one or more of the mistakes real pages make (doses run into
their unit, trailing zeros, "ml", a heading at the wrong level, an alias, a stray section,
a misplaced disclaimer). Page i depends only on the seed and i, never on how many pages
are made, so a 1,000-page corpus is the first 1,000 pages of the 50,000-page one.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CONTENT = Path(__file__).resolve().parents[1] / "content"
MARKER = ".generated-corpus.json"  # says what is in the folder, so it can be reused
GENERATOR_VERSION = 1  # bump when the pages change
SECTIONS = ("Usage", "Dosage", "Side Effects", "How it Works", "Precautions", "FAQs")
CANONICAL_DISCLAIMER = (
    "**Disclaimer:** This information is for educational purposes only and should not be considered "
    "medical advice. Always consult with a healthcare professional before starting, stopping, or "
    "changing any medication."
)
OTHER_DISCLAIMERS = (
    "**Disclaimer:** This information is intended for educational purposes only and should not be "
    "considered medical advice. Always consult your healthcare provider for any health concerns.",
    "**Disclaimer:** This page is not a substitute for professional medical advice. Talk to your "
    "doctor or pharmacist before starting or stopping any medicine.",
)
_PREFIXES = (
    "ab", "al", "am", "ar", "bel", "bra", "bu", "cal", "cor", "da", "dar", "del", "dex", "do", "el",
    "eva", "fen", "flu", "fo", "gal", "ge", "gra", "hal", "hy", "ir", "jan", "kel", "lev", "lo", "lor",
    "mar", "met", "mo", "nap", "ne", "nor", "ox", "pal", "pe", "pro", "quin", "ral", "res", "ri", "sel",
    "sim", "so", "tal", "te", "tri", "ul", "val", "ven", "vo", "xen", "zan", "zol"
)  # fmt: skip
_MIDDLES = (
    "", "a", "e", "i", "o", "u", "ra", "ro", "ta", "ti", "lo", "li", "na", "ne", "va", "vi", "xa", "zo",
    "ma", "mi", "pa", "po", "sa", "se", "da", "de", "ba", "bo", "fa", "fi", "ga", "go", "ka", "ki",
    "la", "le"
)  # fmt: skip
_STEMS = (
    "olol", "pril", "sartan", "statin", "mab", "azole", "cillin", "mycin", "oxacin", "dipine", "tidine",
    "prazole", "parin", "gliptin", "vir", "tinib", "zepam", "triptan", "lukast", "afil", "semide",
    "thiazide", "profen", "coxib", "fenac", "caine", "dronate", "glitazone", "lamide", "setron",
    "terol", "sone", "tropin", "formin", "barbital", "cycline", "floxacin", "nidazole", "conazole",
    "pramine", "oxetine", "azepam", "dronic", "platin", "rubicin", "vastatin", "gatran", "xaban",
    "lutamide", "relin"
)  # fmt: skip
_SALTS = ("", "", "", " hydrochloride", " sodium", " potassium", " maleate", " sulfate", " citrate", " acetate")
_DOSES = (
    "0.5", "1", "2", "2.5", "5", "10", "12.5", "20", "25", "40", "50", "75", "100", "125", "150", "200",
    "250", "300", "400", "500", "600", "750", "850", "1,000", "1,500", "2,000", "2,400", "5,000",
)  # fmt: skip
_DOSE = re.compile(r"\b\d[\d,]*(?:\.\d+)? ?(?=(?:mg|mcg|mL|g|units)\b)")


@dataclass(frozen=True)
class Model:
    """A page of content/, cut into the parts a generated page borrows."""

    names: tuple[str, ...]  # its title and generic name, replaced by the new drug's
    sections: dict[str, str]  # heading -> body, without the heading line


def load_models(folder: Path = CONTENT) -> list[Model]:
    models = []
    for page in sorted(folder.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = re.search(r"^title: (.+)$", text, re.M)
        parts = re.split(r"^### (.+)\n", text.split("**Disclaimer:**")[0], flags=re.M)
        sections = {heading.strip(): body.strip() for heading, body in zip(parts[1::2], parts[2::2], strict=True)}
        generic = sections.pop("Generic Name")
        names = tuple(sorted({title.group(1) if title else "", generic}, key=len, reverse=True))
        models.append(Model(names=tuple(name for name in names if name), sections=sections))
    return models


def drug_name(index: int) -> str:
    """Distinct indexes give distinct (prefix, middle, stem) triples, in a scrambled order."""
    total = len(_PREFIXES) * len(_MIDDLES) * len(_STEMS)
    code = (index * 7919 + 104729) % total  # 7919 is prime and does not divide total
    prefix, rest = divmod(code, len(_MIDDLES) * len(_STEMS))
    middle, stem = divmod(rest, len(_STEMS))
    name = _PREFIXES[prefix] + _MIDDLES[middle] + _STEMS[stem]
    return name.capitalize()


def _section_body(rng: random.Random, models: list[Model], heading: str, name: str) -> str:
    model = rng.choice(models)
    body = model.sections[heading]
    for old in model.names:
        body = body.replace(old, name).replace(old.lower(), name.lower())
    paragraphs = body.split("\n\n")
    if len(paragraphs) > 3 and rng.random() < 0.4:  # vary the length
        del paragraphs[rng.randrange(1, len(paragraphs))]
    body = "\n\n".join(paragraphs)
    if heading == "Dosage":
        body = _DOSE.sub(lambda match: rng.choice(_DOSES) + " ", body)
    return body


# Mistakes that real pages make, each (probability, edit of the page's lines).
Edit = Callable[[random.Random, list[str]], None]


def _in_dosage(pattern: str, replace: Callable[[random.Random, re.Match[str]], str]) -> Edit:
    def edit(rng: random.Random, lines: list[str]) -> None:
        start = lines.index("### Dosage") if "### Dosage" in lines else 0
        for number, line in enumerate(lines[start:], start):
            changed = re.sub(pattern, lambda match: replace(rng, match), line, count=1)
            if changed != line:
                lines[number] = changed
                return

    return edit


def _heading(old: str, new: str) -> Edit:
    def edit(rng: random.Random, lines: list[str]) -> None:
        if old in lines:
            lines[lines.index(old)] = new

    return edit


def _drop_section(rng: random.Random, lines: list[str]) -> None:
    heading = "### " + rng.choice(SECTIONS)
    if heading in lines:
        start = lines.index(heading)
        ends = (i for i in range(start + 1, len(lines)) if lines[i].startswith(("#", "**Disclaimer")))
        del lines[start : next(ends, len(lines))]


def _append(text: str) -> Edit:
    def edit(rng: random.Random, lines: list[str]) -> None:
        lines.append(text)

    return edit


def _move_disclaimer_up(rng: random.Random, lines: list[str]) -> None:
    """Put the disclaimer before the last section."""
    at = max(i for i, line in enumerate(lines) if line.startswith("**Disclaimer"))
    disclaimer = lines.pop(at)
    lines.insert(max(i for i, line in enumerate(lines) if line.startswith("### ")), disclaimer + "\n")


MISTAKES: tuple[tuple[float, Edit], ...] = (
    (0.08, _in_dosage(r"\b(\d+) (mg|mL)\b", lambda rng, m: f"{m[1]}{m[2]}")),
    (0.04, _in_dosage(r"\b(\d+) mg\b", lambda rng, m: f"{m[1]}.0 mg")),
    (0.03, _in_dosage(r"\b0\.5 (mg|mL)\b", lambda rng, m: f".5 {m[1]}")),
    (0.04, _in_dosage(r"\b(\d+) (mL)\b", lambda rng, m: f"{m[1]} ml")),
    (0.02, _in_dosage(r"\b(\d+) mcg\b", lambda rng, m: f"{m[1]} µg")),
    (0.02, _in_dosage(r"\b(\d+) units\b", lambda rng, m: f"{m[1]} IU")),
    (0.02, _in_dosage(r"\bonce a day\b|\bonce daily\b", lambda rng, m: "qd")),
    (0.03, _heading("### Usage", "## Usage")),
    (0.03, _heading("### Dosage", "### Dosage:")),
    (0.03, _heading("### How it Works", "### Mechanism of Action")),
    (0.02, _heading("### Side Effects", "### Adverse Effects")),
    (0.02, _drop_section),
    (0.03, _append("\n### Storage\n\nStore at room temperature, away from moisture and heat.")),
    (0.02, _append("\n*Last reviewed by the editorial team.*")),
    (0.02, _move_disclaimer_up),
)


def make_page(index: int, seed: int, models: list[Model]) -> tuple[str, str]:
    """The file name and the text of page ``index``."""
    rng = random.Random(f"{seed}:{index}")
    name = drug_name(index)
    title = f"{name} + {drug_name(index + 1_000_003)}" if rng.random() < 0.08 else name
    generic = title.replace(" + ", "/") + rng.choice(_SALTS)
    front = ["---", "layout: minimal-medicine", f"title: {title}"]
    if rng.random() < 0.02:
        front.append("author: Editorial team")  # a key the schema does not allow
    heading = f"{title} Tablets" if rng.random() < 0.015 else title
    lines = [*front, "---", "", f"# {heading}", "### Generic Name", generic, ""]
    for section in SECTIONS:
        lines += [f"### {section}", "", _section_body(rng, models, section, name), ""]
    lines.append(CANONICAL_DISCLAIMER if rng.random() < 0.8 else rng.choice(OTHER_DISCLAIMERS))
    for probability, mistake in MISTAKES:
        if rng.random() < probability:
            mistake(rng, lines)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug, "\n".join(lines) + "\n"


def generate(out: Path, pages: int, seed: int) -> Path:
    """Fill ``out`` with ``pages`` pages, unless it already holds exactly those."""
    wanted = {"pages": pages, "seed": seed, "generator": GENERATOR_VERSION}
    marker = out / MARKER
    if marker.exists():
        if json.loads(marker.read_text(encoding="utf-8")) == wanted:
            return out
        shutil.rmtree(out)  # only a folder this script made carries the marker
    elif out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty and was not made by {Path(__file__).name}; choose another folder")
    models = load_models()
    taken: set[str] = set()
    for index in range(pages):
        slug, text = make_page(index, seed, models)
        while slug in taken:  # two combinations can spell the same name
            slug += "-2"
        taken.add(slug)
        folder = out / slug[0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to fill (outside the repository)")
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    generate(args.out, args.pages, args.seed)
    print(f"{args.pages:,} pages in {args.out}")


if __name__ == "__main__":
    main()
