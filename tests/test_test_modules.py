"""The suite's own layout: test modules are imported by their file name (tests import
shared helpers from each other), so two files of one name in different folders make
pytest collect one in place of the other, and the whole run stops at collection."""

from collections import Counter
from pathlib import Path


def test_every_test_module_has_a_name_of_its_own():
    names = Counter(path.name for path in Path(__file__).parent.rglob("*.py")
                    if path.name != "conftest.py" and path.name != "__init__.py")
    assert [name for name, count in names.items() if count > 1] == []
