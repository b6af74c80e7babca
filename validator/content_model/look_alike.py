"""Look-alike drug names: the groups of names confused with each other, in their Tall Man
form, read from the lists a content model names (``drug_names.look_alike``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LookAlikeGroup:
    """Names confused with each other, each written in its Tall Man form ("hydrOXYzine")."""

    names: tuple[str, ...]
    # Names of the group that usually mean something else (dopamine, the neurotransmitter):
    # reported in plain case only on a page about a drug of the group.
    other_sense: frozenset[str] = frozenset()

    def folded(self) -> tuple[str, ...]:
        return tuple(name.casefold() for name in self.names)


def look_alike_groups(
    labels: Sequence[str],
    read: Callable[[str], tuple[str, Any]],
    check: Callable[[str, str, Any], None],
    fail: Callable[[str], Exception],
) -> tuple[LookAlikeGroup, ...]:
    """The groups of every list in ``labels``, in order. ``read`` gives a list's text and data,
    ``check`` validates it against $defs/look_alike_list, ``fail`` makes a one-line error."""
    groups: list[LookAlikeGroup] = []
    seen: dict[str, tuple[str, str]] = {}  # a folded name -> its Tall Man form, and the list that gave it
    for label in labels:
        text, data = read(label)
        check(label, text, data)
        for row in data["groups"]:
            names = tuple(row["names"])
            other = frozenset(row.get("other_sense", ()))
            if not other <= set(names):
                unknown = ", ".join(sorted(other - set(names)))
                raise fail(f"{label}: other_sense names {unknown}, which is not in the group's names")
            for name in names:
                # A name may be in several groups (ISMP pairs chlorproMAZINE with another name
                # than FDA does), but one page cannot be asked for two Tall Man forms of it.
                form, where = seen.setdefault(name.casefold(), (name, label))
                if form != name:
                    raise fail(f"{label}: '{name}' is written '{form}' in {where}; write it the same way in both")
            groups.append(LookAlikeGroup(names, other))
    return tuple(groups)
