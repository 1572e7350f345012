"""Chinese-text toolkit: display width, jieba segmentation, key terms, site templates, near-duplicates.

Pure functions and small classes; the only I/O is reading the bundled data in ``data/`` and the
jieba dictionary cache (see :mod:`audits.text.tokenizer`). Heavy dependencies load on first use:
jieba's dictionary in :func:`get_tokenizer`, jieba.analyse in :class:`KeyTerms`.
"""

from audits.text.keywords import KeyTerms, density, stuffing_terms, top_density
from audits.text.neardup import NearDuplicates
from audits.text.template import TemplateDetector, normalise_block
from audits.text.tokenizer import Tokenizer, cache_dir, get_tokenizer
from audits.text.width import display_width, truncate_to_width

__all__ = [
    "KeyTerms",
    "NearDuplicates",
    "TemplateDetector",
    "Tokenizer",
    "cache_dir",
    "density",
    "display_width",
    "get_tokenizer",
    "normalise_block",
    "stuffing_terms",
    "top_density",
    "truncate_to_width",
]
