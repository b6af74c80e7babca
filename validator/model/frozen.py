"""Frozen values that are quick to make: a page can hold hundreds of thousands of doses, and
each becomes several values (a quantity, its numbers and unit, a hit, a finding)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an ``__init__`` that stores each field through its
    slot's descriptor. The generated one calls ``object.__setattr__(self, "name", value)``,
    which looks the slot up by name for every field; this takes half the time. Same
    signature and defaults, ``__post_init__`` still runs, instances stay frozen."""
    namespace: dict[str, Any] = {}
    parameters, body = [], []
    for spec in fields(cls):  # type: ignore[arg-type]
        if not spec.init:
            continue
        if spec.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{spec.name}: quick_init takes no default factories")
        namespace[f"_set_{spec.name}"] = getattr(cls, spec.name).__set__
        if spec.default is MISSING:
            parameters.append(spec.name)
        else:
            namespace[f"_default_{spec.name}"] = spec.default
            parameters.append(f"{spec.name}=_default_{spec.name}")
        body.append(f"    _set_{spec.name}(self, {spec.name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
