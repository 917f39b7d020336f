"""bitext: a self-hostable library of translated documents.

The public Python API: import a pair of texts, align them, read them back.
"""

from bitext.errors import BitextError

__all__ = ["BitextError", "__version__"]
__version__ = "0.1.0"
