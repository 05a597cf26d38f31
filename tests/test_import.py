"""`import axspa` is light (no scipy, no matplotlib), and every public name still imports from the package."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import axspa
import axspa.stats


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_import_axspa_loads_neither_scipy_nor_matplotlib():
    # The acceptance check of the architecture issue, run exactly as written there, in a fresh interpreter.
    done = _run("import axspa, sys; assert 'scipy' not in sys.modules and 'matplotlib' not in sys.modules")
    assert done.returncode == 0, done.stderr


def test_the_scoring_and_loading_modules_load_neither_scipy_nor_matplotlib():
    modules = "axspa.indices, axspa.response, axspa.derive, axspa.io, axspa.models, axspa.stats.descriptive"
    done = _run(f"import sys, {modules}; print(sorted({{'scipy', 'matplotlib'}} & set(sys.modules)))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("package", [axspa, axspa.stats], ids=lambda p: p.__name__)
def test_every_public_name_imports_and_is_listed_by_dir(package):
    assert package.__all__, "the package lists its public names"
    listed = dir(package)
    for name in package.__all__:
        namespace: dict[str, object] = {}
        exec(f"from {package.__name__} import {name}", namespace)
        assert namespace[name] is getattr(package, name)
        assert not isinstance(namespace[name], types.ModuleType), name
        assert name in listed


@pytest.mark.parametrize("package", [axspa, axspa.stats], ids=lambda p: p.__name__)
def test_dir_lists_the_public_names_and_submodules_and_no_helper(package):
    # what a notebook offers on tab completion
    listed = dir(package)
    assert set(package.__all__) <= set(listed)
    assert "attach_stub" not in listed
    assert not [name for name in listed if name.startswith("_") and name not in package.__all__]  # __version__
    assert listed == sorted(listed)


def test_dir_of_axspa_names_its_subpackages():
    assert {"stats", "io", "indices", "response", "derive", "report", "cdisc", "studies"} <= set(dir(axspa))


def test_a_subpackage_loads_on_first_use_after_import_axspa():
    # as `import numpy; numpy.linalg` works: in a fresh interpreter, nothing but `import axspa`
    code = (
        "import sys, axspa\n"
        "print('scipy' in sys.modules)\n"
        "print(axspa.stats.risk_difference(7, 34, 1, 34).confidence_interval().low)\n"
        "print(axspa.io.read_table.__name__, axspa.indices.basdai.__name__)"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "False"  # nothing heavy loads before the first use
    # Fagerland, Lydersen and Laake (2015): 7/34 vs 1/34, Newcombe's interval 0.019 to 0.34
    assert round(float(lines[1]), 3) == 0.019
    assert lines[2] == "read_table basdai"


def test_an_exported_function_wins_over_its_submodule_of_the_same_name():
    import axspa.stats

    assert callable(axspa.stats.hodges_lehmann) and not isinstance(axspa.stats.hodges_lehmann, types.ModuleType)


def test_a_submodule_imported_first_does_not_hide_the_function_of_the_same_name():
    # axspa.stats.hodges_lehmann is both a submodule and the function the package exports.
    code = (
        "import axspa.stats.hodges_lehmann, axspa.stats.signed_rank\n"
        "from axspa.stats import hodges_lehmann\n"
        "import axspa.stats\n"
        "print(callable(hodges_lehmann), callable(axspa.stats.hodges_lehmann),\n"
        "      hodges_lehmann([1.0, 2.0, 4.0]).estimate)"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    # Walsh averages of 1, 2, 4: 1, 1.5, 2.5, 2, 3, 4; their median is (2 + 2.5) / 2 = 2.25
    assert done.stdout.split() == ["True", "True", "2.25"]


def test_star_import_gives_every_public_name():
    namespace: dict[str, object] = {}
    exec("from axspa import *", namespace)
    assert set(axspa.__all__) <= set(namespace)


def test_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="module 'axspa' has no attribute 'no_such_name'"):
        _ = axspa.no_such_name
    with pytest.raises(ImportError, match="no_such_name"):
        exec("from axspa.stats import no_such_name", {})


def test_the_cdisc_package_imports_pyreadstat_only_when_writing_xpt():
    code = "import sys, axspa.cdisc; print(sorted({'pyreadstat', 'scipy', 'matplotlib'} & set(sys.modules)))"
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
