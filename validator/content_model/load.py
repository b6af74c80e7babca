"""Load a content model (a page type) and its front matter schema, validated by JSON Schema.

Everything page-type specific lives in these files: section names, aliases, disclaimer
ideas, the dose-unit vocabulary. The code below only reads and checks them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from validator.content_model.look_alike import LookAlikeGroup, look_alike_groups
from validator.content_model.scope import AppliesTo
from validator.content_model.vocabulary import DoseVocabulary, vocabulary_from_data
from validator.model.errors import SettingsError

if TYPE_CHECKING:
    from importlib.abc import Traversable

    from jsonschema.protocols import Validator

    from validator.content_model.schema_errors import Where

DEFAULT_MODEL = "monograph.yaml"
META_SCHEMA = "content-model.schema.json"


class SchemaError(SettingsError):
    """A content model or JSON Schema that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Section:
    heading: str
    aliases: tuple[str, ...]
    allow_empty: bool
    # For a section of questions and answers: how a question's or an answer's text starts.
    questions: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Idea:
    id: str
    description: str
    patterns: tuple[re.Pattern[str], ...]

    def found_in(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self.patterns)


@dataclass(frozen=True)
class Disclaimer:
    markdown: str
    detect: re.Pattern[str]
    canonical: str
    must_be_last: bool
    ideas: tuple[Idea, ...]


@dataclass(frozen=True)
class DrugName:
    """An error-prone drug-name abbreviation, as the content model's list gives it."""

    written: tuple[str, ...]
    names: tuple[str, ...]  # one: the fix; more: ambiguous, no fix
    reason: str
    near_dose: bool = False  # only within a few words of a dose ("MS" is mostly multiple sclerosis)
    other_meanings: tuple[str, ...] = ()  # a page with one of these uses it in another sense


# Splits "Bisoprolol + Hydrochlorothiazide" or "Bisoprolol/Hydrochlorothiazide" into components.
DEFAULT_COMPONENTS = r"\s*(?:\+|/|,|&|\band\b|\bwith\b)\s*"


@dataclass(frozen=True)
class DrugSpec:
    """Where a page names its own drug: its title, and the first line of a section."""

    generic_section: int | None  # index into ContentModel.sections; None: the title alone
    components: re.Pattern[str]  # splits a combination's name into its components
    dosing_sections: tuple[int, ...] = ()  # indexes into ContentModel.sections: the dosing text


@dataclass(frozen=True, eq=False)
class ContentModel:
    """One page type, as read from its content model file. Compared by identity."""

    name: str
    source: str  # where it was read from, for messages
    front_matter_schema: dict[str, Any]
    title_key: str
    title_level: int
    section_level: int
    allow_other_sections: bool
    strip_trailing: str
    allow_extra_words: bool
    sections: tuple[Section, ...]
    disclaimer: Disclaimer | None  # None: the page type has no disclaimer
    doses: DoseVocabulary | None  # None: the page type has no doses
    drug_names: tuple[DrugName, ...] = ()
    applies_to: AppliesTo | None = None  # None: every page
    drug: DrugSpec = DrugSpec(None, re.compile(DEFAULT_COMPONENTS, re.IGNORECASE))
    title_in_body: bool = True  # False: the site renders the front matter title; the body has no title heading
    section_wrap: str = ""  # Markdown around every section heading's text ('**' for '## **Usage**')
    look_alike: tuple[LookAlikeGroup, ...] = ()  # groups of look-alike names, in Tall Man form

    def written(self, section: Section) -> str:
        """A section's heading as the page must write it: its name, in the model's wrap."""
        return f"{self.section_wrap}{section.heading}{self.section_wrap}"

    @property
    def front_matter_validator(self) -> Validator:
        return _front_matter_validator(self)


def builtin_schemas() -> Traversable:
    """The shipped schemas/ folder: package data in a wheel, the top-level folder in a checkout."""
    packaged = resources.files("validator").joinpath("schemas")
    if packaged.is_dir():
        return packaged
    # Editable installs and source checkouts: the build copies schemas/ only into wheels.
    return Path(__file__).resolve().parents[2] / "schemas"


def load_content_model(path: str | Path | None = None) -> ContentModel:
    """Read and check a content model; ``None`` means the built-in monograph model."""
    if path is None:
        return _load_builtin()
    return _load_file(str(Path(path).resolve()))


def model_identity(path: str | Path | None = None) -> str:
    """A cheap fingerprint of a content model: the bytes of its file and of the front matter
    schema it names, without validating or building anything (the findings cache uses it to
    avoid loading the model when every page is cached)."""
    import hashlib

    folder: Traversable | Path = builtin_schemas() if path is None else Path(path).resolve().parent
    file = folder.joinpath(DEFAULT_MODEL) if path is None else Path(path).resolve()
    hasher = hashlib.blake2b(str(file).encode(), digest_size=16)
    try:
        text = file.read_bytes()
        hasher.update(text)
        data = yaml.load(text, Loader=_YAML_LOADER)
        front_matter = str(data["front_matter"]["schema"])
        hasher.update(b"\0" + folder.joinpath(front_matter).read_bytes())
        names = data.get("drug_names")
        if isinstance(names, dict):
            for label in [names["list"]] if "list" in names else []:
                hasher.update(b"\0" + folder.joinpath(str(label)).read_bytes())
            for label in names.get("look_alike") or []:
                hasher.update(b"\0look-alike\0" + folder.joinpath(str(label)).read_bytes())
    except Exception:  # a broken model is reported when it is loaded, not here
        hasher.update(b"\0unreadable")
    return hasher.hexdigest()


@cache
def scope_of(path: str | Path | None = None) -> AppliesTo | None:
    """A content model's ``applies_to``, read without validating or building the model: a
    run whose pages are all cached never loads the model, yet must know which paths it applies
    to. A model that cannot be read gives None here; loading it reports the error."""
    file = builtin_schemas().joinpath(DEFAULT_MODEL) if path is None else Path(path).resolve()
    try:
        data = yaml.load(file.read_bytes(), Loader=_YAML_LOADER)
        return AppliesTo.from_data(data.get("applies_to"))
    except Exception:
        return None


@cache
def _load_builtin() -> ContentModel:
    folder = builtin_schemas()
    return _build(folder.joinpath(DEFAULT_MODEL), folder, f"(built-in) {DEFAULT_MODEL}")


@cache
def _load_file(path: str) -> ContentModel:
    file = Path(path)
    return _build(file, file.parent, path)


# libyaml's loader when PyYAML was built with it: the content model loads ten times faster,
# which a one-page run (pre-commit, editors) feels.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_data(file: Traversable, label: str) -> Any:
    return _read(file, label)[1]


def _read(file: Traversable, label: str) -> tuple[str, Any]:
    """The text of a YAML or JSON file and its data."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(f"cannot read {label}: {getattr(error, 'strerror', None) or error}") from None
    try:
        return text, yaml.load(text, Loader=_YAML_LOADER) if not label.endswith(".json") else json.loads(text)
    except json.JSONDecodeError as error:
        raise SchemaError(f"{shown_path(label)}:{error.lineno}: not valid JSON: {error.msg}") from None
    except yaml.YAMLError as error:
        raise SchemaError(_yaml_error(shown_path(label), error)) from None


def _yaml_error(shown: str, error: yaml.YAMLError) -> str:
    """One line for a YAML syntax error: where it is found, and what the parser says."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).strip().splitlines()[0]
    context = getattr(error, "context", None)
    what = f"{problem} ({context})" if context else problem
    where = f"{shown}:{mark.line + 1}" if mark is not None else shown
    return f"{where}: not valid YAML: {what}"


def check_against(instance: Any, schema: dict[str, Any], where: Where | str) -> None:
    """Raise SchemaError with one plain line for the first violation (in file order) of
    ``instance``: the file, the line when known, the key and what is allowed."""
    from jsonschema import Draft202012Validator

    from validator.content_model.schema_errors import Where, first_violation

    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    message = first_violation(validator.iter_errors(instance), Where(where) if isinstance(where, str) else where)
    if message is not None:
        raise SchemaError(message)


def _where(label: str, text: str) -> Where:
    """Where a YAML (or JSON) file's violations are: its name as shown, and its key lines."""
    from validator.content_model.key_lines import yaml_locator
    from validator.content_model.schema_errors import Where

    return Where(shown_path(label), yaml_locator(text))


def shown_path(label: str) -> str:
    """An absolute path inside the working folder, shown relative to it."""
    path = Path(label)
    if not path.is_absolute():
        return label
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return label


def _build(file: Traversable, folder: Traversable | Path, label: str) -> ContentModel:
    text, data = _read(file, label)
    meta = _read_data(builtin_schemas().joinpath(META_SCHEMA), META_SCHEMA)
    check_against(data, meta, _where(label, text))
    fm_label = str(data["front_matter"]["schema"])
    fm_file = folder.joinpath(fm_label) if not Path(fm_label).is_absolute() else Path(fm_label)
    fm_text, fm_schema = _read(fm_file, fm_label)
    _check_json_schema(fm_schema, _where(fm_label, fm_text))
    drug_names = _drug_names(data.get("drug_names"), folder, meta)
    look_alike = _look_alike(data.get("drug_names"), folder, meta)
    sections = data["sections"]
    disclaimer = data.get("disclaimer")  # optional, as are doses: a glossary page has neither
    doses = data.get("doses")
    required = sections["required"]
    return ContentModel(
        name=data["name"],
        source=label,
        front_matter_schema=fm_schema,
        title_key=data["title"]["key"],
        title_level=data["title"].get("level", 1),
        section_level=sections["level"],
        allow_other_sections=sections.get("allow_other", False),
        strip_trailing=sections.get("strip_trailing", ":"),
        allow_extra_words=sections.get("allow_extra_words", True),
        sections=tuple(
            Section(
                item["heading"],
                tuple(item.get("aliases", ())),
                item.get("allow_empty", False),
                _compile(item["questions"], label) if "questions" in item else None,
            )
            for item in required
        ),
        disclaimer=_disclaimer(disclaimer, label) if disclaimer is not None else None,
        doses=vocabulary_from_data(doses) if doses is not None else None,
        drug_names=drug_names,
        applies_to=AppliesTo.from_data(data.get("applies_to")),
        drug=_drug(data.get("drug") or {}, [item["heading"] for item in required], label),
        title_in_body=data["title"].get("in_body", True),
        section_wrap=sections.get("wrap", ""),
        look_alike=look_alike,
    )


def _drug(data: dict[str, Any], headings: list[str], label: str) -> DrugSpec:
    section = data.get("generic_name_section")
    named = ([("generic_name_section", section)] if section is not None else []) + [
        ("dosing_sections", dosing) for dosing in data.get("dosing_sections", ())
    ]
    for key, heading in named:
        if heading not in headings:
            known = ", ".join(repr(heading) for heading in headings)
            raise SchemaError(f"{label}: drug.{key} {heading!r} is not a section of sections.required ({known})")
    return DrugSpec(
        headings.index(section) if section is not None else None,
        _compile(data.get("components", DEFAULT_COMPONENTS), label),
        tuple(headings.index(heading) for heading in data.get("dosing_sections", ())),
    )


def _disclaimer(data: dict[str, Any], label: str) -> Disclaimer:
    return Disclaimer(
        markdown=data["markdown"],
        detect=_compile(data["detect"], label),
        canonical=" ".join(data["canonical"].split()),
        must_be_last=data.get("must_be_last", True),
        ideas=tuple(
            Idea(idea["id"], idea["description"], tuple(_compile(p, label) for p in idea["patterns"]))
            for idea in data["ideas"]
        ),
    )


def _drug_names(reference: Any, folder: Traversable | Path, meta: dict[str, Any]) -> tuple[DrugName, ...]:
    """The drug-name list the content model points at, checked against its part of the meta-schema."""
    if reference is None or "list" not in reference:
        return ()
    label = str(reference["list"])
    text, data = _read(folder.joinpath(label) if not Path(label).is_absolute() else Path(label), label)
    check_against(data, {"$defs": meta["$defs"], "$ref": "#/$defs/drug_name_list"}, _where(label, text))
    return tuple(
        DrugName(
            tuple(row["written"]),
            tuple(row["names"]),
            row["reason"],
            row.get("near_dose", False),
            tuple(row.get("other_meanings", ())),
        )
        for row in data["list"]
    )


def _look_alike(reference: Any, folder: Traversable | Path, meta: dict[str, Any]) -> tuple[LookAlikeGroup, ...]:
    """The groups of the look-alike name lists the content model names, in order."""
    if reference is None or not reference.get("look_alike"):
        return ()
    schema = {"$defs": meta["$defs"], "$ref": "#/$defs/look_alike_list"}

    def read(label: str) -> tuple[str, Any]:
        return _read(folder.joinpath(label) if not Path(label).is_absolute() else Path(label), label)

    def check(label: str, text: str, data: Any) -> None:
        check_against(data, schema, _where(label, text))

    return look_alike_groups([str(label) for label in reference["look_alike"]], read, check, SchemaError)


def _compile(pattern: str, label: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise SchemaError(f"{label}: bad regular expression {pattern!r}: {error}") from None


def _check_json_schema(schema: Any, where: Where) -> None:
    from jsonschema import Draft202012Validator

    from validator.content_model.schema_errors import first_violation

    if not isinstance(schema, dict):
        raise SchemaError(f"{where.label}: a JSON Schema must be an object")
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    message = first_violation(meta.iter_errors(schema), where, "not a valid JSON Schema: ")
    if message is not None:
        raise SchemaError(message)


@cache
def _front_matter_validator(model: ContentModel) -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(model.front_matter_schema)
