"""Every module imports: a dependency missing from pyproject.toml fails here in seconds."""

import importlib
import pkgutil

import pytest

import bitext

SKIPPED = {"bitext.__main__"}  # importing it runs the command line


def module_names() -> list[str]:
    found = pkgutil.walk_packages(bitext.__path__, prefix="bitext.", onerror=_raise)
    return sorted(m.name for m in found if m.name not in SKIPPED)


def _raise(name: str) -> None:
    raise ImportError(f"cannot import package {name}")


def test_the_walk_finds_every_layer():
    names = module_names()
    for layer in ("core", "formats", "store", "services", "web", "cli"):
        assert any(n.startswith(f"bitext.{layer}.") for n in names), layer


@pytest.mark.parametrize("name", module_names())
def test_module_imports(name):
    importlib.import_module(name)
