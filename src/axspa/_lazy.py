"""Lazy attribute loading for package namespaces (PEP 562, in the manner of Scientific Python's SPEC 1).

A package's public names are declared once, as ordinary imports and an ``__all__`` list, in its type stub
(``__init__.pyi``): type checkers and editors read the stub, and :func:`attach_stub` reads the same stub at run
time to build the package's module-level ``__getattr__`` and ``__dir__``. Each name is imported from its module
the first time it is looked up, so ``import axspa`` loads neither scipy nor matplotlib.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _read_stub(stub: Path) -> tuple[dict[str, str], list[str]]:
    tree = ast.parse(stub.read_text(encoding="utf-8"), filename=str(stub))
    exports: dict[str, str] = {}
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            exports.update({alias.asname or alias.name: node.module for alias in node.names})
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            names = list(ast.literal_eval(node.value))
    return exports, names


def attach_stub(
    package: str, init_file: str, namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Build ``__getattr__``, ``__dir__`` and ``__all__`` for a package from its ``__init__.pyi``.

    Parameters
    ----------
    package : str
        The package's ``__name__``, used in the message for an unknown attribute.
    init_file : str
        The package's ``__file__``; the stub is the ``.pyi`` file beside it.
    namespace : dict
        The package's ``globals()``. A name, once imported, is stored there, so later look-ups skip the hook.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)`` to assign at module level. ``__all__`` is the stub's ``__all__``.

    Notes
    -----
    A public submodule (a name not starting with ``_``) also loads on first use, so that ``import axspa`` then
    ``axspa.stats.risk_difference(...)`` works as it does for an eagerly imported package; where an exported
    object and a submodule share a name, the object wins. ``dir()`` lists the public names and submodules, not
    the helpers the package imports for itself (such as this function).
    """
    folder = Path(init_file).parent
    exports, names = _read_stub(folder / "__init__.pyi")
    _keep_exports_over_submodules(package, exports)
    submodules = {m.name for m in pkgutil.iter_modules([str(folder)]) if not m.name.startswith("_")} - set(exports)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(names) | submodules)

    return __getattr__, __dir__, names


def _keep_exports_over_submodules(package: str, exports: dict[str, str]) -> None:
    """Keep a public object when the submodule of the same name is imported.

    Importing a submodule binds it as an attribute of its package, so once ``axspa.stats.hodges_lehmann`` (the
    module) has been imported, ``axspa.stats.hodges_lehmann`` would be the module rather than the function the
    package exports, and ``__getattr__`` would never be asked. The package's module class binds the exported
    object instead, as the eager ``from ... import`` of an ordinary ``__init__`` did.
    """

    class LazyPackage(types.ModuleType):
        def __setattr__(self, name: str, value: Any) -> None:
            if isinstance(value, types.ModuleType) and value.__name__ == f"{package}.{name}" and name in exports:
                value = getattr(value, name)
            super().__setattr__(name, value)

    sys.modules[package].__class__ = LazyPackage
